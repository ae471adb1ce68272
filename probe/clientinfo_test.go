package probe

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe/creds"
	"github.com/fix401/fix401/probe/stub"
)

func TestResolveClient(t *testing.T) {
	goV2 := SDK{Name: "anthropic-sdk-go", Version: "v2.15.0", File: "go.mod", Line: 5, Ecosystem: EcoGo}
	goV1 := SDK{Name: "anthropic-sdk-go", Version: "v1.84.0", File: "go.mod", Line: 5, Ecosystem: EcoGo}
	ts0 := SDK{Name: "@anthropic-ai/sdk", Version: "^0.30.0", File: "package.json", Line: 9, Ecosystem: EcoNPM}
	wrapper := SDK{Name: "@langchain/anthropic", Version: "1.0.0", File: "package.json", Line: 8, Ecosystem: EcoNPM}
	tests := []struct {
		name, forID string
		sdks        []SDK
		id, major   string
		header      string
		from        string
		label       string
	}{
		{"go v2 from go.mod", "auto", []SDK{goV2}, "go", "v2", creds.HeaderBearer, ClientFromProject,
			"Go SDK v2 (anthropic-sdk-go v2.15.0, go.mod:5)"},
		{"go v1 from go.mod", "", []SDK{goV1}, "go", "v1", creds.HeaderAPIKey, ClientFromProject, ""},
		{"a wrapper is skipped for the SDK", "auto", []SDK{wrapper, ts0}, "typescript", "0.x", creds.HeaderAPIKey, ClientFromProject, ""},
		{"nothing named: curl-style", "auto", nil, "curl", "", creds.HeaderAPIKey, ClientAssumed, ""},
		{"--for keeps the project's major", "go", []SDK{ts0, goV1}, "go", "v1", creds.HeaderAPIKey, ClientFromFlag, ""},
		{"--for without the SDK: current line", "typescript", []SDK{goV1}, "typescript", "1.x", creds.HeaderBearer, ClientFromFlag, "TypeScript SDK 1.x"},
		{"--for curl", "curl", []SDK{goV2}, "curl", "", creds.HeaderAPIKey, ClientFromFlag, ""},
		{"the lock file's version beats the manifest's range", "auto",
			[]SDK{{Name: "@anthropic-ai/sdk", Version: "*", File: "package.json", Line: 3, Ecosystem: EcoNPM},
				{Name: "@anthropic-ai/sdk", Version: "0.30.1", File: "package-lock.json", Line: 12, Ecosystem: EcoNPM}},
			"typescript", "0.x", creds.HeaderAPIKey, ClientFromProject, "TypeScript SDK 0.x (@anthropic-ai/sdk 0.30.1, package-lock.json:12)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ci := ResolveClient(tt.forID, tt.sdks)
			if ci.ID != tt.id || ci.Major != tt.major || ci.KeyHeader != tt.header || ci.From != tt.from {
				t.Errorf("got %s %s %s from %s, want %s %s %s from %s", ci.ID, ci.Major, ci.KeyHeader, ci.From,
					tt.id, tt.major, tt.header, tt.from)
			}
			if tt.label != "" && ci.Label() != tt.label {
				t.Errorf("Label() = %q, want %q", ci.Label(), tt.label)
			}
		})
	}
	// With nothing named, credentials are read as every SDK reads them.
	if ci := ResolveClient("auto", nil); !ci.Reads(VarAuthToken) || ci.SendsBoth() {
		t.Errorf("assumed client: reads token %v, sends both %v", ci.Reads(VarAuthToken), ci.SendsBoth())
	}
}

func TestHeaderFor(t *testing.T) {
	v2 := ResolveClient("go", nil)
	v1 := ResolveClient("python", nil)
	api := &Candidate{Var: VarAPIKey, Kind: KindAPI}
	tok := &Candidate{Var: VarAuthToken, Kind: KindAPI}
	oauth := &Candidate{Var: VarAPIKey, Kind: KindOAuth}
	tests := []struct {
		ci        ClientInfo
		c         *Candidate
		send, alt string
	}{
		{v2, api, creds.HeaderBearer, creds.HeaderAPIKey},
		{v1, api, creds.HeaderAPIKey, creds.HeaderBearer},
		{v1, tok, creds.HeaderBearer, ""},
		{v1, oauth, creds.HeaderBearer, ""},
		{ClientInfo{}, api, "", ""},
	}
	for i, tt := range tests {
		if got, alt := tt.ci.HeaderFor(tt.c), tt.ci.AltHeader(tt.c); got != tt.send || alt != tt.alt {
			t.Errorf("%d: %s %s: HeaderFor %q AltHeader %q, want %q %q", i, tt.ci.Name, tt.c.Var, got, alt, tt.send, tt.alt)
		}
	}
}

// TestRunSendsTheClientsWay runs every probe against the stub for a Go v2
// project and checks, on the stub's side, which credential header each
// request carried: the key in use and the made-up key as Bearer, the
// second look at the key as x-api-key, the custom workspace header on every
// key-carrying request, and no credential header from
// ANTHROPIC_CUSTOM_HEADERS.
func TestRunSendsTheClientsWay(t *testing.T) {
	srv, err := stub.Start(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module app\n\nrequire github.com/anthropics/anthropic-sdk-go/v2 v2.15.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := testEnv(t, srv.URL)
	env.Dir, env.Home = dir, t.TempDir()
	env.Vars[VarAPIKey] = stub.NewAPIKey()
	env.Vars[creds.VarCustomHeaders] = "anthropic-workspace-id: wrkspc_01ABC\nx-api-key: gateway-token-123"
	r := Run(context.Background(), env)
	if r.Client.ID != "go" || r.Client.Major != "v2" {
		t.Fatalf("client %+v, want Go SDK v2", r.Client)
	}
	if r.AltAuth == nil || r.AltAuth.Label != "auth-alt" {
		t.Fatalf("no second look at the key: %+v", r.AltAuth)
	}
	var bearer, apiKey int
	for _, q := range srv.Requests() {
		if q.Path == "/api/v2/summary.json" {
			if q.Has("authorization") || q.Has("x-api-key") || q.Has("anthropic-workspace-id") {
				t.Errorf("the status page got a credential or custom header: %v", q.Headers)
			}
			continue
		}
		if !q.Has("anthropic-workspace-id") || !q.Has("anthropic-version") {
			t.Errorf("%s %s lacks the custom or version header: %v", q.Method, q.Path, q.Headers)
		}
		switch {
		case q.Has("authorization") && q.Has("x-api-key"):
			t.Errorf("%s %s carried two credentials: %v", q.Method, q.Path, q.Headers)
		case q.Has("authorization"):
			bearer++
		case q.Has("x-api-key"):
			apiKey++
		}
	}
	// Bearer: the key in use (models, count_tokens) and the made-up key;
	// x-api-key: the same key sent the other way, once.
	if bearer != 3 || apiKey != 1 {
		t.Errorf("%d requests with Bearer and %d with x-api-key, want 3 and 1", bearer, apiKey)
	}
}

// An exported empty variable gets a warning that says what it does to the
// client in use.
func TestEmptyVarsWarning(t *testing.T) {
	for _, tt := range []struct {
		forID string
		vars  map[string]string
		want  string
	}{
		{"python", map[string]string{VarAuthToken: ""}, "Illegal header value"},
		{"python", map[string]string{VarAPIKey: ""}, "never reads .env"},
		{"go", map[string]string{VarAPIKey: "", VarAuthToken: ""}, "Go SDK v2 skips empty values"},
		{"auto", map[string]string{VarAuthToken: "", "CLAUDECODE": "1"}, "Python SDK"},
	} {
		env := &Env{Vars: tt.vars, Dir: t.TempDir(), For: tt.forID}
		r := Prepare(env)
		c, ok := r.CheckByID(CheckEmptyVars)
		if !ok || c.Status != Warn || !strings.Contains(c.Title, tt.want) || !strings.Contains(c.Fix, "unset") {
			t.Errorf("--for %s %v: %v %+v, want a warning with %q", tt.forID, tt.vars, ok, c, tt.want)
		}
		if _, inCC := tt.vars["CLAUDECODE"]; inCC != strings.Contains(c.Detail, "Claude Code") {
			t.Errorf("--for %s: detail %q", tt.forID, c.Detail)
		}
	}
	if _, ok := Prepare(&Env{Vars: map[string]string{VarAPIKey: "x"}, Dir: t.TempDir()}).CheckByID(CheckEmptyVars); ok {
		t.Error("a warning without an empty variable")
	}
}
