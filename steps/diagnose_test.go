package steps

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf16"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/demo"
	"github.com/fix401/fix401/probe/memnet"
	"github.com/fix401/fix401/probe/stub"
)

// world is one simulated machine: a project dir, a home dir, variables and
// a stub API on loopback.
type world struct {
	t    *testing.T
	env  *probe.Env
	keys []string // every key placed anywhere, for the leak check
}

func newWorld(t *testing.T) *world {
	t.Helper()
	root := t.TempDir()
	home, dir := filepath.Join(root, "home"), filepath.Join(root, "home", "project")
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return &world{t: t, env: &probe.Env{
		Vars: map[string]string{"HOME": home}, Home: home, Dir: dir,
		// Every server here answers: the limit only matters when a test is
		// stuck, and a loaded machine running -race may take seconds to
		// answer on loopback.
		Timeout: time.Minute, Retries: 1, Backoff: 5 * time.Millisecond,
		// Nothing in these tests may leave the machine.
		DialContext: stub.DialLoopback,
		LookupHost:  stub.LookupLocalhost,
	}}
}

func (w *world) key(k string) string { w.keys = append(w.keys, k); return k }

func (w *world) file(rel, content string) {
	w.t.Helper()
	p := filepath.Join(w.env.Home, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) serve(opts stub.Options, tls bool) *stub.Server {
	w.t.Helper()
	start := stub.Start
	if tls {
		start = stub.StartTLS
	}
	s, err := start(opts)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(s.Close)
	w.env.BaseURL, w.env.StatusURL = s.URL, s.URL
	return s
}

func TestDiagnoseThroughStub(t *testing.T) {
	tests := []struct {
		code  Code
		setup func(w *world)
		step  StepID
	}{
		{InsecureBaseURL, func(w *world) {
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
			w.env.BaseURL = "http://api.example.com"
		}, Headers},
		{NetworkUnreachable, func(w *world) {
			s := w.serve(stub.Options{}, false)
			s.Close() // nothing listens there any more
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Headers},
		{TLSUntrusted, func(w *world) {
			w.serve(stub.Options{}, true)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Headers},
		{NotAnthropic, func(w *world) {
			w.serve(stub.Options{Scenario: stub.NotAnthropic}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Headers},
		{NotAnthropic, func(w *world) {
			w.serve(stub.Options{Scenario: stub.Redirect}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Headers},
		{HeaderStripped, func(w *world) {
			w.serve(stub.Options{Scenario: stub.XAPIKeyStripped}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Headers},
		{NoKey, func(w *world) { w.serve(stub.Options{}, false) }, VerifyKey},
		{CISecretUnavailable, func(w *world) { // a GitHub pull request from a fork: the secret is empty
			w.serve(stub.Options{}, false)
			w.forkPullRequest()
		}, VerifyKey},
		{KeyNotLoaded, func(w *world) {
			w.serve(stub.Options{}, false)
			w.file(".zshrc", "alias ll='ls -l'\nexport ANTHROPIC_API_KEY="+w.key(stub.NewAPIKey())+"\n")
		}, VerifyKey},
		{KeyNotLoaded, func(w *world) {
			w.serve(stub.Options{}, false)
			w.file("project/.env", "CLAUDE_API_KEY="+w.key(stub.NewAPIKey())+"\n")
		}, VerifyKey},
		{OK, func(w *world) {
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_AUTH_TOKEN"] = w.key(stub.NewOAuthToken())
		}, Verify},
		{KeyWrongKind, func(w *world) {
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAdminKey())
		}, VerifyKey},
		{KeyMalformed, func(w *world) {
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey()) + "\n"
		}, VerifyKey},
		{KeyShadowed, func(w *world) {
			old, fresh := w.key(stub.NewAPIKey()), w.key(stub.NewAPIKey())
			w.serve(stub.Options{ValidKeys: []string{fresh}}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = old
			w.file(".bashrc", "export ANTHROPIC_API_KEY="+old+"\n")
			w.file("project/.env", "ANTHROPIC_API_KEY="+fresh+"\n")
		}, NewKey},
		{KeyShadowed, func(w *world) {
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = ""
			w.file("project/.env", "ANTHROPIC_API_KEY="+w.key(stub.NewAPIKey())+"\n")
		}, NewKey},
		{OK, func(w *world) {
			// Since 2026 the API takes an API key as a Bearer token, which is
			// how clients send ANTHROPIC_AUTH_TOKEN.
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_AUTH_TOKEN"] = w.key(stub.NewAPIKey())
		}, Verify},
		{KeyWrongKind, func(w *world) {
			w.serve(stub.Options{Scenario: stub.Revoked}, false)
			w.env.Vars["ANTHROPIC_AUTH_TOKEN"] = w.key(stub.NewAPIKey())
		}, VerifyKey},
		{KeyNotLoaded, func(w *world) {
			// PowerShell's > saved .env as UTF-16: found, but no loader reads it.
			w.serve(stub.Options{}, false)
			w.file("project/.env", string(utf16le("ANTHROPIC_API_KEY="+w.key(stub.NewAPIKey())+"\r\n")))
		}, VerifyKey},
		{OK, func(w *world) {
			// A byte-order mark before the only line: found, and a note says
			// which loaders miss it.
			w.serve(stub.Options{}, false)
			w.file("project/.env", "\uFEFFANTHROPIC_API_KEY="+w.key(stub.NewAPIKey())+"\n")
		}, Verify},
		{RegionBlocked, func(w *world) {
			w.serve(stub.Options{Scenario: stub.RegionBlocked}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Headers},
		{KeyUnresolved, func(w *world) {
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = "op://Private/Anthropic/credential"
		}, VerifyKey},
		{CredentialRestricted, func(w *world) {
			w.serve(stub.Options{Scenario: stub.CodeOnly}, false)
			w.env.Vars["ANTHROPIC_AUTH_TOKEN"] = w.key(stub.NewOAuthToken())
		}, Permissions},
		{CredentialRestricted, func(w *world) {
			w.serve(stub.Options{Scenario: stub.Forbidden}, false)
			w.env.Vars["ANTHROPIC_AUTH_TOKEN"] = w.key(stub.NewOAuthToken())
		}, Permissions},
		{IPNotAllowed, func(w *world) {
			w.serve(stub.Options{Scenario: stub.IPNotAllowed}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Permissions},
		{WorkspaceRequired, func(w *world) {
			w.serve(stub.Options{Scenario: stub.WorkspaceNeeded}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Permissions},
		{WorkspaceRequired, func(w *world) {
			w.serve(stub.Options{Scenario: stub.WorkspaceNeeded}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
			w.env.Vars["ANTHROPIC_CUSTOM_HEADERS"] = "anthropic-workspace-id: wrkspc_01SomeoneElse"
		}, Permissions},
		{OK, func(w *world) {
			// --workspace-id proves the fix: every probe sends it.
			w.serve(stub.Options{Scenario: stub.WorkspaceNeeded}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
			w.env.WorkspaceID = stub.DefaultWorkspace
		}, Verify},
		{SpendLimit, func(w *world) {
			w.serve(stub.Options{Scenario: stub.SpendLimit}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Permissions},
		{HeaderStripped, func(w *world) {
			// A gateway that drops Authorization, and a Go v2 project.
			w.serve(stub.Options{Scenario: stub.HeaderStripped}, false)
			w.file("project/go.mod", "module app\n\nrequire github.com/anthropics/anthropic-sdk-go/v2 v2.15.0\n")
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Headers},
		{OK, func(w *world) {
			// The same gateway in front of an x-api-key client.
			w.serve(stub.Options{Scenario: stub.HeaderStripped}, false)
			w.file("project/requirements.txt", "anthropic==0.121.0\n")
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Verify},
		{AuthConflict, func(w *world) {
			// The Python SDK sends both credentials (the client table).
			w.serve(stub.Options{}, false)
			w.file("project/requirements.txt", "anthropic==0.121.0\n")
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
			w.env.Vars["ANTHROPIC_AUTH_TOKEN"] = w.key(stub.NewOAuthToken())
		}, Headers},
		{OK, func(w *world) {
			// The Go SDK v2 uses the key, ignores the token and warns: no conflict.
			w.serve(stub.Options{}, false)
			w.file("project/go.mod", "module app\n\nrequire github.com/anthropics/anthropic-sdk-go/v2 v2.15.0\n")
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
			w.env.Vars["ANTHROPIC_AUTH_TOKEN"] = w.key(stub.NewOAuthToken())
		}, Verify},
		{KeyRejected, func(w *world) {
			w.serve(stub.Options{Scenario: stub.Revoked}, false)
			w.file("project/.env", "ANTHROPIC_API_KEY="+w.key(stub.NewAPIKey())+"\n")
		}, VerifyKey},
		{KeyDisabled, func(w *world) {
			k := w.key(stub.NewAPIKey())
			w.serve(stub.Options{KeyRecords: map[string]stub.KeyRecord{k: {Name: "laptop", Status: stub.StatusInactive}}}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = k
			w.env.Vars[probe.VarAdminKey] = w.key(stub.NewAdminKey())
		}, Permissions},
		{KeyExpired, func(w *world) {
			k := w.key(stub.NewAPIKey())
			w.serve(stub.Options{KeyRecords: map[string]stub.KeyRecord{k: {Name: "ci", Status: stub.StatusExpired,
				ExpiresAt: time.Now().AddDate(0, 0, -2)}}}, false)
			w.file("project/.env", "ANTHROPIC_API_KEY="+k+"\n")
			w.env.Vars[probe.VarAdminKey] = w.key(stub.NewAdminKey())
		}, Permissions},
		{KeyRejected, func(w *world) {
			// Archived with its workspace: the key list names the workspace.
			k := w.key(stub.NewAPIKey())
			w.serve(stub.Options{KeyRecords: map[string]stub.KeyRecord{k: {Name: "proto", Status: stub.StatusArchived,
				Workspace: stub.ArchivedWorkspace}}}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = k
			w.env.Vars[probe.VarAdminKey] = w.key(stub.NewAdminKey())
		}, VerifyKey},
		{OK, func(w *world) {
			// A key that expires in three days still works: ok, with a warning.
			k := w.key(stub.NewAPIKey())
			w.serve(stub.Options{KeyRecords: map[string]stub.KeyRecord{k: {Name: "demo day", ExpiresAt: time.Now().AddDate(0, 0, 3)}}}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = k
			w.env.Vars[probe.VarAdminKey] = w.key(stub.NewAdminKey())
		}, Verify},
		{PermissionDenied, func(w *world) {
			w.serve(stub.Options{Scenario: stub.Forbidden}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Permissions},
		{OrgDisabled, func(w *world) {
			w.serve(stub.Options{Scenario: stub.OrgDisabled}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Permissions},
		{Billing, func(w *world) {
			w.serve(stub.Options{Scenario: stub.Billing}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Permissions},
		{Billing, func(w *world) {
			w.serve(stub.Options{Scenario: stub.Billing402}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Permissions},
		{RateLimited, func(w *world) {
			w.serve(stub.Options{Scenario: stub.RateLimited, RetryAfter: time.Second}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
			w.env.Retries = 0
		}, Permissions},
		{ServiceDegraded, func(w *world) {
			w.serve(stub.Options{Scenario: stub.Overloaded}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Permissions},
		{ServiceDegraded, func(w *world) {
			w.serve(stub.Options{Scenario: stub.Outage}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Permissions},
		{ModelNotFound, func(w *world) {
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
			w.env.Model = "claude-opus-0"
		}, Permissions},
		{OK, func(w *world) {
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
		}, Verify},
		{OK, func(w *world) { // the SDK profile of `ant auth login`, nothing else
			w.serve(stub.Options{}, false)
			w.profile("default", w.key(stub.NewOAuthToken()), time.Now().Add(time.Hour), 0o600)
		}, Verify},
		{ProfileBroken, func(w *world) {
			w.serve(stub.Options{}, false)
			w.profile("default", w.key(stub.NewOAuthToken()), time.Now().Add(time.Hour), 0o644)
		}, VerifyKey},
		{ProfileBroken, func(w *world) {
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_PROFILE"] = "prod"
		}, VerifyKey},
		{TokenExpired, func(w *world) {
			tok := w.key(stub.NewOAuthToken())
			w.serve(stub.Options{RevokedKeys: []string{tok}}, false)
			w.profile("default", tok, time.Now().Add(-3*time.Hour), 0o600)
		}, VerifyKey},
		{FederationIncomplete, func(w *world) {
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_FEDERATION_RULE_ID"] = "fdrl_01"
			w.env.Vars["ANTHROPIC_IDENTITY_TOKEN_FILE"] = "/var/run/secrets/anthropic.com/token"
		}, VerifyKey},
		{OK, func(w *world) { // federation: the exchange mints a token the API accepts
			w.serve(stub.Options{}, false)
			w.federation(w.key(identityJWT(time.Now(), "https://api.anthropic.com")))
		}, Verify},
		{KeyRejected, func(w *world) { // the exchange mints a token, and the API refuses it
			w.serve(stub.Options{Scenario: stub.Revoked}, false)
			w.federation(w.key(identityJWT(time.Now(), "https://api.anthropic.com")))
		}, VerifyKey},
		{FederationRejected, func(w *world) { // an EKS token for STS, not for the API
			w.serve(stub.Options{}, false)
			w.federation(w.key(identityJWT(time.Now(), "sts.amazonaws.com")))
		}, VerifyKey},
		{FederationRejected, func(w *world) {
			w.serve(stub.Options{Scenario: stub.FederationRejected}, false)
			w.federation(w.key(identityJWT(time.Now(), "https://api.anthropic.com")))
		}, VerifyKey},
		{TokenExpired, func(w *world) { // the identity token of federation
			w.serve(stub.Options{}, false)
			w.federation(identityJWT(time.Now().Add(-time.Hour), "https://api.anthropic.com"))
		}, VerifyKey},
		{ProviderOverride, func(w *world) { // Claude Code with a working key, sent to Bedrock by ~/.zshrc
			w.serve(stub.Options{}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
			w.env.For = "claude-code"
			w.file(".zshrc", "export CLAUDE_CODE_USE_BEDROCK=1\n")
		}, Headers},
		{KeyShadowed, func(w *world) {
			key := w.key(stub.NewAPIKey())
			w.serve(stub.Options{RevokedKeys: []string{key}}, false)
			w.env.Vars["ANTHROPIC_API_KEY"] = key
			w.profile("default", w.key(stub.NewOAuthToken()), time.Now().Add(time.Hour), 0o600)
		}, NewKey},
	}
	seen := map[Code]bool{}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			tt.setup(w)
			r := probe.Run(context.Background(), w.env)
			d := Diagnose(r)
			if d.Code != tt.code {
				t.Fatalf("diagnosis %s (%s), want %s\nchecks:\n%s", d.Code, d.Title, tt.code, dump(r))
			}
			if d.Step != tt.step {
				t.Errorf("step %s, want %s", d.Step, tt.step)
			}
			if d.Title == "" || d.Fix == "" {
				t.Errorf("diagnosis %s has no title or fix: %+v", d.Code, d)
			}
			for _, c := range r.Checks() {
				if c.Status == probe.Pending {
					t.Errorf("check %s still pending in a finished report", c.ID)
				}
			}
			red := probe.NewRedactor()
			for _, c := range r.Candidates {
				red.Add(c.Value, c.Raw, c.Clean)
			}
			b, err := json.Marshal(ToJSON(r, d, "test"))
			if err != nil {
				t.Fatal(err)
			}
			out := red.String(string(b)) + red.String(d.Title+d.Fix)
			for _, k := range w.keys {
				body := strings.TrimSpace(k)[13:]
				for i := 0; i+probe.MinPiece <= len(body); i++ {
					if strings.Contains(out, body[i:i+probe.MinPiece]) {
						t.Fatalf("output leaks a piece of a key: %s", out)
					}
				}
			}
		})
		seen[tt.code] = true
	}
	for _, c := range Codes() {
		if !seen[c] && c != Unexplained {
			t.Errorf("no test reaches diagnosis %s", c)
		}
	}
}

func dump(r *probe.Report) string {
	var b strings.Builder
	for _, c := range r.Checks() {
		b.WriteString("  " + string(c.Status) + " " + c.ID + ": " + c.Title + "\n")
	}
	return b.String()
}

// TestDemosReachTheirDiagnosis runs every demo of `fix401 demo` through the
// real probes: what the demo promises is what a user will see.
func TestDemosReachTheirDiagnosis(t *testing.T) {
	for _, s := range demo.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			d, err := demo.New(s.Name)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			r := runDemo(t, d)
			if got := Diagnose(r); string(got.Code) != s.Want {
				t.Fatalf("demo %s: diagnosis %s (%s), want %s\n%s", s.Name, got.Code, got.Title, s.Want, dump(r))
			}
		})
	}
}

// runDemo runs every probe of the demo d with no wall-clock margin.
//
// A demo whose API answers gets a limit per attempt that only a stuck probe
// reaches, instead of the demo's few seconds: a loaded machine running
// -race cannot turn a slow loopback answer into a timeout.
//
// The demo whose API never answers (stub.Hang) must time out, while its
// status page and connection test must not. It runs in a synctest bubble
// with the demo's own limit, against the same stub scenario served in
// memory (memnet): the limit then passes on the bubble's fake clock only
// once nothing else can happen, so everything that answers has answered,
// as on an idle machine, and the test takes no wall time.
func runDemo(t *testing.T, d *demo.Demo) *probe.Report {
	t.Helper()
	env := *d.Env
	if d.Stub.Scenario() != stub.Hang {
		env.Timeout = time.Minute
		return probe.Run(context.Background(), &env)
	}
	var r *probe.Report
	synctest.Test(t, func(t *testing.T) {
		api, err := stub.Handler(stub.Options{Scenario: stub.Hang})
		if err != nil {
			t.Fatal(err)
		}
		l, stop := memnet.Serve(api)
		defer stop()
		defer api.Close()
		env.DialContext = l.DialContext
		start := time.Now()
		r = probe.Run(context.Background(), &env)
		if took := time.Since(start); took != env.Timeout {
			t.Errorf("the run took %v on the fake clock, want one time limit, %v", took, env.Timeout)
		}
	})
	return r
}

func TestMalformedLeadsWithWhatCleaningCannotMend(t *testing.T) {
	newline := probe.Issue{Code: probe.IssueNewline, Detail: "ends with a newline (\\n)"}
	short := probe.Issue{Code: probe.IssueTruncated, Detail: "is 16 characters; API keys are 108"}
	base := func(clean *probe.Answer) *probe.Report {
		r := &probe.Report{
			Candidates: []probe.Candidate{{Source: ".env:3", Origin: probe.OriginDotenv, Var: "ANTHROPIC_API_KEY", Line: 3,
				Value: "x\n", Clean: "x", Hint: "h", Kind: probe.KindAPI, Issues: []probe.Issue{newline, short}}},
			Auth:      &probe.Answer{Err: &probe.NetError{Phase: probe.PhaseInvalidHeader}},
			CleanAuth: clean,
			Control:   &probe.Answer{Status: 401, Anthropic: true, ErrorType: "authentication_error", Message: "invalid x-api-key"},
			Target:    probe.Target{BaseURL: probe.DefaultBaseURL, BaseURLSource: "default"},
			Done:      map[string]bool{},
		}
		for _, p := range r.Planned() {
			r.Done[p] = true
		}
		r.Quota, r.Status = &probe.Answer{Err: &probe.NetError{Phase: probe.PhaseInvalidHeader}}, &probe.StatusPage{}
		return r
	}
	rejected := Diagnose(base(&probe.Answer{Status: 401, Anthropic: true, ErrorType: "authentication_error"}))
	if rejected.Code != KeyMalformed || !strings.Contains(rejected.Title, "108") || !strings.Contains(rejected.Fix, "cut off") {
		t.Errorf("cleaned key rejected: %+v, want the truncation to lead", rejected)
	}
	accepted := Diagnose(base(&probe.Answer{Status: 200, Anthropic: true}))
	if accepted.Code != KeyMalformed || !strings.Contains(accepted.Title, "newline") || !strings.Contains(accepted.Fix, "line 3 of .env") {
		t.Errorf("cleaned key accepted: %+v, want the newline to lead and the line named", accepted)
	}
}

// TestGatewaysAreNotTheAPI: answers that only look like the API's (review
// findings): a gateway that accepts any key, and a gateway's own 401 with a
// request_id of its own in the body. Neither may be ok or key_rejected.
func TestGatewaysAreNotTheAPI(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"accepts any key": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"data":[{"type":"model","id":"claude-x"}],"has_more":false,"input_tokens":3}`)
		},
		"gateway 401": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"message":"No API key found in request","request_id":"3f1c2a9e6b"}`)
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			w := newWorld(t)
			w.env.BaseURL, w.env.StatusURL = srv.URL, srv.URL
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
			d := Diagnose(probe.Run(context.Background(), w.env))
			if d.Code != NotAnthropic {
				t.Fatalf("diagnosis %s (%s), want not_anthropic", d.Code, d.Title)
			}
		})
	}
}

// A gateway that drops Authorization: a Go v2 project (Bearer) gets
// header_stripped naming Authorization; the same gateway in front of an
// x-api-key client is ok, with a warning that Bearer clients would fail.
func TestHeaderStrippedFollowsTheClient(t *testing.T) {
	missing := func(label string) *probe.Answer {
		return answer(label, 401, "authentication_error", "x-api-key header is required")
	}
	bearer := with(healthy(), func(r *probe.Report) {
		r.Client = probe.ResolveClient("go", nil)
		r.Auth, r.Control, r.Quota = missing("auth"), missing("control"), missing("quota")
		r.AltAuth = answer("auth-alt", 200, "", "")
	})
	d := Diagnose(bearer)
	if d.Code != HeaderStripped || !strings.Contains(d.Title, "Authorization") || !strings.Contains(d.Title, "Go SDK v2") ||
		!strings.Contains(d.Fix, "Authorization") {
		t.Errorf("Go v2 behind a gateway that drops Authorization: %s %q %q", d.Code, d.Title, d.Fix)
	}
	if c, _ := bearer.CheckByID(probe.CheckHeader); c.Status != probe.Fail {
		t.Errorf("api.header = %s %q, want fail", c.Status, c.Title)
	}

	legacy := with(healthy(), func(r *probe.Report) {
		r.Client = probe.ResolveClient("python", nil)
		r.AltAuth = missing("auth-alt")
	})
	if d := Diagnose(legacy); d.Code != OK {
		t.Errorf("x-api-key client behind the same gateway: %s %q, want ok", d.Code, d.Title)
	}
	c, _ := legacy.CheckByID(probe.CheckHeader)
	if c.Status != probe.Warn || !strings.Contains(c.Detail, "Authorization") || !strings.Contains(c.Detail, "Go SDK v2") {
		t.Errorf("api.header = %s %q %q, want a warning naming Authorization and the clients that send it", c.Status, c.Title, c.Detail)
	}
}

// utf16le encodes s as PowerShell's > does: a byte-order mark, then UTF-16 LE.
func utf16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// How the key was stored: a UTF-16 .env is found but never loaded, and the
// fix says to save it as UTF-8; a byte-order mark is read through, with a
// warning naming the loaders that miss the first line.
func TestKeyFileEncodings(t *testing.T) {
	w := newWorld(t)
	w.serve(stub.Options{}, false)
	w.file("project/.env", string(utf16le("ANTHROPIC_API_KEY="+w.key(stub.NewAPIKey())+"\r\n")))
	r := probe.Run(context.Background(), w.env)
	if d := Diagnose(r); d.Code != KeyNotLoaded || !strings.Contains(d.Title, "UTF-16") || !strings.Contains(d.Fix, "UTF-8") {
		t.Errorf("UTF-16 .env: %s %q %q", d.Code, d.Title, d.Fix)
	}

	w = newWorld(t)
	w.serve(stub.Options{}, false)
	w.file("project/.env", "\uFEFFANTHROPIC_API_KEY="+w.key(stub.NewAPIKey())+"\n")
	r = probe.Run(context.Background(), w.env)
	if k := r.ActiveKey(); k == nil || k.Encoding != probe.EncUTF8BOM {
		t.Fatalf("BOM .env: key in use %+v", k)
	}
	c, ok := r.CheckByID(probe.CheckKeyFiles)
	if !ok || c.Status != probe.Warn || !strings.Contains(c.Title, "byte-order mark") || !strings.Contains(c.Title, "python-dotenv") {
		t.Errorf("BOM .env: key.files %v %+v", ok, c)
	}
}
