package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// invocation runs the real command line against a stub, in a temp home.
type invocation struct {
	t     *testing.T
	vars  map[string]string
	stdin string
	home  string
	dir   string
	tty   bool
	// progress: stderr is a terminal.
	progress bool
	stdout   bytes.Buffer
	stderr   bytes.Buffer
}

func newInvocation(t *testing.T) *invocation {
	t.Helper()
	home := t.TempDir()
	dir := filepath.Join(home, "app")
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return &invocation{t: t, home: home, dir: dir, vars: map[string]string{"HOME": home}}
}

func (in *invocation) stubbed(opts stub.Options) *stub.Server {
	in.t.Helper()
	s, err := stub.Start(opts)
	if err != nil {
		in.t.Fatal(err)
	}
	in.t.Cleanup(s.Close)
	in.vars["ANTHROPIC_BASE_URL"] = s.URL
	return s
}

func (in *invocation) run(args ...string) int {
	in.t.Helper()
	in.stdout.Reset()
	in.stderr.Reset()
	return run(context.Background(), args, ioEnv{
		stdin: strings.NewReader(in.stdin), stdout: &in.stdout, stderr: &in.stderr, vars: in.vars, tty: in.tty,
		progress: in.progress,
		// The demos' stubs answer: a limit only a stuck test reaches. (The
		// timeout demo, which never answers, would take a minute.)
		demoTimeout: patient,
	})
}

// patient is the time limit per attempt of a probe expected to get an
// answer: only a stuck test reaches it. A loaded machine running -race may
// take seconds to answer on loopback, and a timeout there would be a wrong
// verdict, not a slow test.
const patient = time.Minute

// common flags that keep a test on loopback.
func (in *invocation) flags(s *stub.Server) []string {
	return []string{"--dir", in.dir, "--status-url", s.URL, "--timeout", patient.String()}
}

func TestCheckExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		scenario string
		json     bool
		want     int
		code     steps.Code
	}{
		{"works", stub.Healthy, false, exitOK, steps.OK},
		{"works json", stub.Healthy, true, exitOK, steps.OK},
		{"revoked", stub.Revoked, false, exitProblem, steps.KeyRejected},
		{"revoked json", stub.Revoked, true, exitProblem, steps.KeyRejected},
		{"overloaded json", stub.Overloaded, true, exitProblem, steps.ServiceDegraded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newInvocation(t)
			s := in.stubbed(stub.Options{Scenario: tt.scenario})
			key := stub.NewAPIKey()
			in.vars["ANTHROPIC_API_KEY"] = key
			args := append([]string{"check"}, in.flags(s)...)
			if tt.json {
				args = append(args, "--json")
			}
			if got := in.run(args...); got != tt.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tt.want, in.stdout.String(), in.stderr.String())
			}
			out := in.stdout.String()
			if tt.json {
				var j steps.JSON
				if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, out)
				}
				if j.Schema != 1 || j.Diagnosis.Code != tt.code || j.Key == nil || j.Key.Hint != probe.Hint(key) {
					t.Fatalf("unexpected JSON: %+v", j)
				}
				if len(j.Checks) == 0 || len(j.Requests) == 0 {
					t.Fatalf("no checks or requests: %s", out)
				}
			} else if !strings.Contains(out, "Diagnosis: "+string(tt.code)) {
				t.Fatalf("text output lacks the diagnosis %s:\n%s", tt.code, out)
			}
			assertNoKey(t, out+in.stderr.String(), key)
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"nonsense"},
		{"check", "--timeout", "0s"},
		{"check", "--base-url", "ftp://x"},
		{"check", "--dir", "/does/not/exist"},
		{"check", "extra-arg"},
		{"check", "--no-such-flag"},
		{"check", "--key-stdin"}, // empty stdin
		{"demo", "no-such-demo"},
		{"stub", "--scenario", "no-such"},
		{"lint", "a", "b"},
		{"lint", "/does/not/exist"},
	} {
		in := newInvocation(t)
		if got := in.run(args...); got != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, got, exitUsage, in.stderr.String())
		}
		if !strings.HasPrefix(in.stderr.String(), "fix401: ") && !strings.Contains(in.stderr.String(), "Usage") {
			t.Errorf("%v: stderr does not explain: %q", args, in.stderr.String())
		}
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"check", "--help"}, {"report", "-h"}, {"lint", "--help"},
		{"demo", "--help"}, {"stub", "--help"}, {"help", "check"}} {
		in := newInvocation(t)
		if got := in.run(args...); got != exitOK {
			t.Errorf("%v: exit %d", args, got)
		}
		if in.stdout.Len()+in.stderr.Len() == 0 {
			t.Errorf("%v: printed nothing", args)
		}
	}
}

func TestKeyStdin(t *testing.T) {
	in := newInvocation(t)
	good, old := stub.NewAPIKey(), stub.NewAPIKey()
	s := in.stubbed(stub.Options{ValidKeys: []string{good}})
	in.vars["ANTHROPIC_API_KEY"] = old
	in.stdin = good + "\n" // echo adds the newline; it is not part of the key
	if got := in.run(append([]string{"check", "--key-stdin", "--json"}, in.flags(s)...)...); got != exitOK {
		t.Fatalf("exit %d: %s", got, in.stdout.String())
	}
	var j steps.JSON
	if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Key.Source != "stdin" && !strings.Contains(j.Key.Source, "stdin") {
		t.Errorf("key source %q, want stdin", j.Key.Source)
	}
	assertNoKey(t, in.stdout.String(), good)
	assertNoKey(t, in.stdout.String(), old)
}

func TestNotATerminalMeansCheck(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{Scenario: stub.Revoked})
	in.vars["ANTHROPIC_API_KEY"] = stub.NewAPIKey()
	if got := in.run(in.flags(s)...); got != exitProblem {
		t.Fatalf("exit %d", got)
	}
	if !strings.Contains(in.stdout.String(), "Diagnosis: key_rejected") {
		t.Fatalf("bare fix401 off a terminal should print the checklist:\n%s", in.stdout.String())
	}
	if strings.Contains(in.stdout.String(), "\x1b[") {
		t.Errorf("colour escape codes in piped output")
	}
}

// TestHungServerCostsAtMostTimeout checks the bound through structure, not
// wall time: every API request ends at the --timeout deadline (its message
// names it), and the stub received no request beyond those, so none was
// asked again. A hung server times out however loaded the machine is; the
// short limit only keeps the test short.
func TestHungServerCostsAtMostTimeout(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{Scenario: stub.Hang})
	in.vars["ANTHROPIC_API_KEY"] = stub.NewAPIKey()
	got := in.run("check", "--json", "--dir", in.dir, "--status-url", s.URL, "--timeout", "200ms")
	if got != exitProblem {
		t.Fatalf("exit %d", got)
	}
	var j steps.JSON
	if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Diagnosis.Code != steps.NetworkUnreachable {
		t.Fatalf("a hung API is %s, want network_unreachable (never an invalid key)", j.Diagnosis.Code)
	}
	asked := 0
	for _, r := range j.Requests {
		if !strings.Contains(r.URL, "/v1/") {
			continue // the status page answers
		}
		asked++
		if r.Status != 0 || r.ErrorType != "timeout" || !strings.HasSuffix(r.Message, "within 200ms") {
			t.Errorf("%s %s: status %d, %s %q; want a timeout at the 200ms deadline", r.Method, r.URL, r.Status, r.ErrorType, r.Message)
		}
	}
	s.Close() // returns once every held request has ended and been recorded
	received := 0
	for _, r := range s.Requests() {
		if strings.HasPrefix(r.Path, "/v1/") {
			received++
		}
	}
	if asked == 0 || received > asked {
		t.Errorf("the stub received %d API requests for %d probes: a hung server must not be asked again", received, asked)
	}
}

func TestReportHoldsRequestID(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{Scenario: stub.Revoked})
	key := stub.NewAPIKey()
	in.vars["ANTHROPIC_API_KEY"] = key
	out := filepath.Join(t.TempDir(), "summary.md")
	if got := in.run(append([]string{"report", "-o", out}, in.flags(s)...)...); got != exitProblem {
		t.Fatalf("exit %d: %s", got, in.stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600", st.Mode().Perm())
	}
	var id string
	for _, r := range s.Requests() {
		if r.Path == "/v1/models" && r.RequestID != "" {
			id = r.RequestID
		}
	}
	if id == "" || !bytes.Contains(b, []byte(id)) {
		t.Fatalf("report lacks a request id the stub sent (%q):\n%s", id, b)
	}
	assertNoKey(t, string(b), key)
}

// TestNoOutputLeaksAKey puts random keys in every input — variables, .env
// files, shell files, a proxy URL, a key echoed back by a server — and runs
// every command that prints: no 12-character piece of a key may come out.
func TestNoOutputLeaksAKey(t *testing.T) {
	for i := range 5 {
		in := newInvocation(t)
		env, dotenv, shell, token := stub.NewAPIKey(), stub.NewAPIKey(), stub.NewAPIKey(), stub.NewOAuthToken()
		proxySecret := stub.NewAPIKey()[13:60]
		s := in.stubbed(stub.Options{ValidKeys: []string{dotenv}})
		in.vars["ANTHROPIC_API_KEY"] = env + []string{"", "\n", " ", "\"", "\u200b"}[i]
		in.vars["ANTHROPIC_AUTH_TOKEN"] = token
		in.vars["NO_PROXY"] = "127.0.0.1,localhost"
		in.vars["HTTPS_PROXY"] = "http://user:" + proxySecret + "@proxy.invalid:3128"
		write(t, filepath.Join(in.dir, ".env"), "ANTHROPIC_API_KEY=\""+dotenv+"\"\r\n")
		write(t, filepath.Join(in.home, ".zshrc"), "export ANTHROPIC_API_KEY='"+shell+"'\n")
		in.stdin = "Bearer " + shell
		keys := []string{env, dotenv, shell, token, "sk-ant-api03-" + proxySecret}
		for _, args := range [][]string{
			{"check"}, {"check", "--json"}, {"report"}, {"report", "--json"}, {"check", "--key-stdin"},
		} {
			in.run(append(args, in.flags(s)...)...)
			for _, k := range keys {
				assertNoKey(t, in.stdout.String()+in.stderr.String(), k)
			}
		}
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// assertNoKey fails when out holds any 12-character piece of key's secret
// part (what follows its public sk-ant-…- prefix).
func assertNoKey(t *testing.T, out, key string) {
	t.Helper()
	body := strings.TrimSpace(key)
	if i := strings.LastIndex(body[:min(len(body), 16)], "-"); strings.HasPrefix(body, "sk-ant-") && i > 0 {
		body = body[i+1:]
	}
	for i := 0; i+probe.MinPiece <= len(body); i++ {
		if p := body[i : i+probe.MinPiece]; strings.Contains(out, p) {
			t.Fatalf("output leaks %q of a key:\n%s", p, out)
		}
	}
}

func TestVersion(t *testing.T) {
	in := newInvocation(t)
	for _, arg := range []string{"version", "--version"} {
		if got := in.run(arg); got != exitOK || !strings.HasPrefix(in.stdout.String(), "fix401 "+version) {
			t.Fatalf("%s: exit %d, %q", arg, got, in.stdout.String())
		}
	}
}

func TestDemoPlainOutput(t *testing.T) {
	in := newInvocation(t)
	if got := in.run("demo", "revoked"); got != exitProblem {
		t.Fatalf("exit %d: %s", got, in.stderr.String())
	}
	if !strings.Contains(in.stdout.String(), "Diagnosis: key_rejected") {
		t.Fatalf("demo off a terminal should print the checklist:\n%s", in.stdout.String())
	}
	if in.run("demo", "--list"); !strings.Contains(in.stdout.String(), "shadowed") {
		t.Fatalf("demo --list: %s", in.stdout.String())
	}
}

// helpFlags returns the flags a command's --help lists.
func helpFlags(t *testing.T, cmd string) map[string]bool {
	t.Helper()
	in := newInvocation(t)
	args := []string{"--help"}
	if cmd != "" {
		args = []string{cmd, "--help"}
	}
	in.run(args...)
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+-{1,2}([a-z][a-z-]*)`).FindAllStringSubmatch(in.stderr.String()+in.stdout.String(), -1) {
		flags[m[1]] = true
	}
	return flags
}

// TestReadmeMatchesHelp fails when the commands and flags README.md
// documents drift from what the binary's --help says.
func TestReadmeMatchesHelp(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	in := newInvocation(t)
	in.run("--help")
	usage := in.stdout.String()

	// Every command in the README's command table is in the usage, and back.
	rowRe := regexp.MustCompile("(?m)^\\| `fix401( [a-z]+)?([^`]*)` \\|")
	documented := map[string]string{}
	for _, m := range rowRe.FindAllStringSubmatch(string(readme), -1) {
		documented[strings.TrimSpace(m[1])] = m[2]
	}
	usageRe := regexp.MustCompile(`(?m)^  fix401( [a-z]+)?`)
	inUsage := map[string]bool{}
	for _, m := range usageRe.FindAllStringSubmatch(usage, -1) {
		inUsage[strings.TrimSpace(m[1])] = true
	}
	for cmd := range documented {
		if !inUsage[cmd] {
			t.Errorf("README documents `fix401 %s`, which --help does not list", cmd)
		}
	}
	for cmd := range inUsage {
		if _, ok := documented[cmd]; !ok {
			t.Errorf("--help lists `fix401 %s`, which the README's command table lacks", cmd)
		}
	}

	// Every flag a command's row shows exists for that command.
	flagRe := regexp.MustCompile(`--?([a-z][a-z-]*)`)
	for cmd, rest := range documented {
		if cmd == "" || cmd == "version" {
			continue
		}
		have := helpFlags(t, cmd)
		for _, m := range flagRe.FindAllStringSubmatch(rest, -1) {
			if !have[m[1]] {
				t.Errorf("README shows `fix401 %s ... -%s`, which `fix401 %s --help` does not list", cmd, m[1], cmd)
			}
		}
	}

	// The shared-flags table matches check, report and the wizard exactly.
	start := strings.Index(string(readme), "Flags shared by")
	if start < 0 {
		t.Fatal("README has no shared-flags table")
	}
	table := string(readme)[start:]
	table = table[:strings.Index(table, "\n\n#")]
	shared := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `--([a-z-]+)").FindAllStringSubmatch(table, -1) {
		shared[m[1]] = true
	}
	for _, cmd := range []string{"check", "report", ""} {
		have := helpFlags(t, cmd)
		for f := range shared {
			if !have[f] {
				t.Errorf("README lists shared flag --%s, which `fix401 %s --help` lacks", f, cmd)
			}
		}
		for f := range have {
			if !shared[f] && !map[string]bool{"json": true, "format": true, "o": true, "h": true, "help": true}[f] {
				t.Errorf("`fix401 %s --help` has --%s, which the README does not document", cmd, f)
			}
		}
	}
}

func TestCheckLint(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{})
	in.vars["ANTHROPIC_API_KEY"] = stub.NewAPIKey()
	bad := filepath.Join(in.dir, "call.sh")
	write(t, bad, "curl https://api.anthropic.com/v1/messages -H 'Authorization: Bearer $ANTHROPIC_API_KEY'\n")
	good := filepath.Join(in.dir, "ok.sh")
	write(t, good, "curl https://api.anthropic.com/v1/models -H \"x-api-key: $ANTHROPIC_API_KEY\" -H 'anthropic-version: 2023-06-01'\n")

	for _, tt := range []struct {
		file string
		want int
		id   string
	}{{bad, exitProblem, "lint.auth.bearer"}, {good, exitOK, "lint.request"}} {
		got := in.run(append([]string{"check", "--json", "--lint", tt.file}, in.flags(s)...)...)
		if got != tt.want {
			t.Errorf("%s: exit %d, want %d", tt.file, got, tt.want)
		}
		var j steps.JSON
		if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range j.Checks {
			if c.ID == tt.id {
				found = true
				if c.Step != steps.Headers {
					t.Errorf("%s is on step %s, want headers", c.ID, c.Step)
				}
			}
		}
		if !found || j.Diagnosis.Code != steps.OK {
			t.Errorf("%s: want check %s and diagnosis ok, got %s in\n%s", tt.file, tt.id, j.Diagnosis.Code, in.stdout.String())
		}
	}
	if got := in.run("check", "--lint", filepath.Join(in.dir, "missing.sh")); got != exitUsage {
		t.Errorf("a missing --lint file: exit %d, want %d", got, exitUsage)
	}
}

// TestCheckTextGolden pins the text of `fix401 check` for a few demos,
// through the stable snapshot path, and that it is the same every run.
func TestCheckTextGolden(t *testing.T) {
	for _, name := range []string{"shadowed", "trailing-newline", "tls", "healthy"} {
		t.Run(name, func(t *testing.T) {
			in := newInvocation(t)
			in.run("demo", name, "--snapshot", "check", "--no-color")
			first := in.stdout.String()
			in.run("demo", name, "--snapshot", "check", "--no-color")
			if in.stdout.String() != first {
				t.Fatalf("two snapshots of %s differ:\n%s\n---\n%s", name, first, in.stdout.String())
			}
			golden.RequireEqual(t, []byte(first))
		})
	}
}

// TestBadBaseURLIsDiagnosed: a base URL without a scheme is a common
// mistake; it must be named, not crash (review finding: nil answers).
func TestBadBaseURLIsDiagnosed(t *testing.T) {
	for _, u := range []string{"api.anthropic.com", "localhost:8080", "https://", "https://gw.example:99999"} {
		in := newInvocation(t)
		in.vars["ANTHROPIC_BASE_URL"] = u
		in.vars["ANTHROPIC_API_KEY"] = stub.NewAPIKey()
		if got := in.run("check", "--json", "--dir", in.dir, "--status-url", "http://127.0.0.1:9"); got != exitProblem {
			t.Fatalf("%s: exit %d\n%s", u, got, in.stderr.String())
		}
		var j steps.JSON
		if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if j.Diagnosis.Code != steps.NetworkUnreachable || !strings.Contains(j.Diagnosis.Fix, "ANTHROPIC_BASE_URL") {
			t.Errorf("%s: %+v", u, j.Diagnosis)
		}
	}
}

// TestCommandsPrintWhatTheyPromise pins the smaller commands' output:
// stub --list names every scenario, lint --json is schema 1 with its exit
// status, and report --json is the check JSON plus an environment block.
func TestCommandsPrintWhatTheyPromise(t *testing.T) {
	in := newInvocation(t)
	if got := in.run("stub", "--list"); got != exitOK {
		t.Fatalf("stub --list: exit %d", got)
	}
	for _, s := range stub.Scenarios() {
		if !strings.Contains(in.stdout.String(), s.Name) {
			t.Errorf("stub --list lacks %s", s.Name)
		}
	}

	bad := filepath.Join(in.dir, "call.sh")
	write(t, bad, "curl https://api.anthropic.com/v1/models -H 'Authorization: Bearer $ANTHROPIC_API_KEY'\n")
	if got := in.run("lint", "--json", bad); got != exitProblem {
		t.Fatalf("lint of a bad request: exit %d", got)
	}
	var lj struct {
		Schema   int
		Input    struct{ Kind string }
		Findings []struct{ ID, Severity string }
	}
	if err := json.Unmarshal(in.stdout.Bytes(), &lj); err != nil || lj.Schema != 1 || lj.Input.Kind == "" || len(lj.Findings) == 0 {
		t.Fatalf("lint --json: %v %+v", err, lj)
	}
	in.stdin = "curl https://api.anthropic.com/v1/models -H \"x-api-key: $ANTHROPIC_API_KEY\" -H 'anthropic-version: 2023-06-01'\n"
	if got := in.run("lint", "-"); got != exitOK {
		t.Fatalf("lint of a good request from stdin: exit %d\n%s", got, in.stdout.String())
	}

	s := in.stubbed(stub.Options{})
	in.vars["ANTHROPIC_API_KEY"] = stub.NewAPIKey()
	if got := in.run(append([]string{"report", "--json"}, in.flags(s)...)...); got != exitOK {
		t.Fatalf("report --json: exit %d", got)
	}
	var rj struct {
		steps.JSON
		Environment steps.Environment `json:"environment"`
	}
	if err := json.Unmarshal(in.stdout.Bytes(), &rj); err != nil || rj.Schema != 1 || rj.Diagnosis.Code != steps.OK ||
		rj.Environment.Version != version || rj.Environment.BaseURL != s.URL {
		t.Fatalf("report --json: %v %+v", err, rj.Environment)
	}
}
