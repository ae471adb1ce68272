package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe/stub"
)

// --for and --workspace-id: a bad value is a usage error (exit 2) that
// names what is accepted; a good one reaches the probes and the JSON.
func TestForAndWorkspaceFlags(t *testing.T) {
	in := newInvocation(t)
	for _, args := range [][]string{
		{"check", "--for", "java"},
		{"check", "--workspace-id", "wrkspc_01\nx-api-key: oops"},
		{"check", "--workspace-id", " wrkspc_01"},
	} {
		if code := in.run(args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
	in.run("check", "--for", "java")
	if !strings.Contains(in.stderr.String(), "auto, go, python, typescript, curl") {
		t.Errorf("the usage error does not name the clients: %q", in.stderr.String())
	}

	srv := in.stubbed(stub.Options{Scenario: stub.WorkspaceNeeded})
	in.vars["ANTHROPIC_API_KEY"] = stub.NewAPIKey()
	if err := os.WriteFile(filepath.Join(in.dir, "go.mod"), []byte("module app\n\nrequire github.com/anthropics/anthropic-sdk-go/v2 v2.15.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := in.run("check", "--json", "--dir", in.dir, "--workspace-id", stub.DefaultWorkspace); code != 0 {
		t.Fatalf("exit %d with the right workspace:\n%s", code, in.stdout.String())
	}
	var j struct {
		Client struct{ Name string } `json:"client"`
	}
	if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Client.Name != "go" {
		t.Errorf("client %+v, want go", j.Client)
	}
	for _, q := range srv.Requests() {
		if q.Path == "/v1/models" && !q.Has("anthropic-workspace-id") {
			t.Errorf("%s %s without --workspace-id", q.Method, q.Path)
		}
	}
	if code := in.run("check", "--json", "--dir", in.dir, "--for", "python"); code != 1 {
		t.Errorf("without the workspace: exit %d, want 1", code)
	}
}
