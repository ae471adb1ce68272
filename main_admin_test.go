package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// TestAdminKeyStdin: an Admin key piped to --admin-key-stdin looks the key
// up; the verdict and the record come out, the Admin key never does, and
// the stub saw it only on GET /v1/organizations/*.
func TestAdminKeyStdin(t *testing.T) {
	in := newInvocation(t)
	admin, key := stub.NewAdminKey(), stub.NewAPIKey()
	s := in.stubbed(stub.Options{AdminKeys: []string{admin}, KeyRecords: map[string]stub.KeyRecord{
		key: {Name: "ci", Status: stub.StatusExpired, ExpiresAt: time.Now().AddDate(0, 0, -1)}}})
	in.vars["ANTHROPIC_API_KEY"] = key
	in.stdin = admin + "\n"
	if got := in.run(append([]string{"check", "--json", "--admin-key-stdin"}, in.flags(s)...)...); got != exitProblem {
		t.Fatalf("exit %d: %s %s", got, in.stdout.String(), in.stderr.String())
	}
	var j steps.JSON
	if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Diagnosis.Code != steps.KeyExpired || j.Key.AdminRecord == nil || j.Key.AdminRecord.Name != "ci" || j.Key.AdminRecord.Status != "expired" {
		t.Errorf("diagnosis %s, record %+v", j.Diagnosis.Code, j.Key.AdminRecord)
	}
	assertNoKey(t, in.stdout.String()+in.stderr.String(), admin)
	assertNoKey(t, in.stdout.String()+in.stderr.String(), key)
	if strings.Contains(in.stdout.String(), probe.Hint(admin)) {
		t.Error("the Admin key's hint is printed")
	}
	s.Close()
	for _, q := range s.Requests() {
		if q.Key == probe.Hint(admin) && (q.Method != "GET" || !strings.HasPrefix(q.Path, probe.AdminPathPrefix)) {
			t.Errorf("the Admin key went to %s %s", q.Method, q.Path)
		}
	}
}

// TestAdminKeyUsage: --key-stdin and --admin-key-stdin both read stdin,
// so together they are a usage error; an empty stdin is one too.
func TestAdminKeyUsage(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"check", "--key-stdin", "--admin-key-stdin"}, stub.NewAPIKey(), "both read stdin"},
		{[]string{"report", "--admin-key-stdin"}, "", "--admin-key-stdin: stdin was empty"},
	} {
		in := newInvocation(t)
		in.stdin = tt.stdin
		if got := in.run(tt.args...); got != exitUsage || !strings.Contains(in.stderr.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", tt.args, got, in.stderr.String(), exitUsage, tt.want)
		}
		if tt.stdin != "" {
			assertNoKey(t, in.stderr.String(), tt.stdin)
		}
	}
}

// TestNoOutputLeaksAnAdminKey: an Admin key in ANTHROPIC_ADMIN_API_KEY,
// written into .env and ~/.zshrc too, and echoed back by nothing: no
// command prints a piece of it, nor its hint.
func TestNoOutputLeaksAnAdminKey(t *testing.T) {
	in := newInvocation(t)
	admin, key := stub.NewAdminKey(), stub.NewAPIKey()
	s := in.stubbed(stub.Options{KeyRecords: map[string]stub.KeyRecord{key: {Name: "laptop", Status: stub.StatusInactive}}})
	in.vars["ANTHROPIC_API_KEY"] = key
	in.vars[probe.VarAdminKey] = admin
	write(t, filepath.Join(in.dir, ".env"), "ANTHROPIC_ADMIN_API_KEY="+admin+"\n")
	write(t, filepath.Join(in.home, ".zshrc"), "export ANTHROPIC_ADMIN_API_KEY='"+admin+"'\n")
	for _, args := range [][]string{{"check"}, {"check", "--json"}, {"report"}, {"report", "--json"}} {
		in.run(append(args, in.flags(s)...)...)
		out := in.stdout.String() + in.stderr.String()
		assertNoKey(t, out, admin)
		if strings.Contains(out, probe.Hint(admin)) {
			t.Errorf("%v prints the Admin key's hint", args)
		}
		if !strings.Contains(out, "key_disabled") {
			t.Errorf("%v: no key_disabled verdict:\n%s", args, out)
		}
	}
}
