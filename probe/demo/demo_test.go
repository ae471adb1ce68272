package demo

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe/stub"
)

// diagnosisCodes are DESIGN.md's codes.
var diagnosisCodes = []string{
	"insecure_base_url", "network_unreachable", "tls_untrusted", "not_anthropic", "header_stripped",
	"no_key", "key_not_loaded", "key_wrong_kind", "key_malformed", "key_shadowed", "auth_conflict",
	"key_rejected", "permission_denied", "org_disabled", "billing", "rate_limited",
	"service_degraded", "model_not_found", "ok",
	"region_blocked", "key_unresolved", "credential_restricted", "ip_not_allowed", "workspace_required", "spend_limit",
	"key_expired", "key_disabled",
	"token_expired", "profile_broken", "federation_incomplete", "federation_rejected",
	"provider_override",
}

// client asks a demo's stub on loopback; its limit only matters when a test
// is stuck (a loaded machine running -race may take seconds to answer).
var client = &http.Client{
	Timeout:       time.Minute,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// get asks the demo's stub for path with key, as an SDK would.
func get(t *testing.T, d *Demo, path, key string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, d.Stub.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-api-key", key)
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := client.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

func status(t *testing.T, d *Demo, key string) int {
	t.Helper()
	resp, err := get(t, d, "/v1/models", key)
	if err != nil {
		t.Fatalf("GET /v1/models: %v", err)
	}
	return resp.StatusCode
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func zshrcLine(t *testing.T, d *Demo, n int) string {
	t.Helper()
	lines := strings.Split(read(t, filepath.Join(d.Env.Home, ".zshrc")), "\n")
	if n > len(lines) {
		t.Fatalf("~/.zshrc has %d lines", len(lines))
	}
	return lines[n-1]
}

func dotenv(t *testing.T, d *Demo) string {
	t.Helper()
	return read(t, filepath.Join(d.Env.Dir, ".env"))
}

// checks say, per scenario, what its keys, files and stub must do.
var checks = map[string]func(t *testing.T, d *Demo){
	"healthy": func(t *testing.T, d *Demo) {
		wantStatus(t, d, d.keys["env"], 200)
		wantExported(t, d, "ANTHROPIC_API_KEY", d.keys["env"])
	},
	"shadowed": func(t *testing.T, d *Demo) {
		wantExported(t, d, "ANTHROPIC_API_KEY", d.keys["env"])
		if !strings.Contains(dotenv(t, d), "ANTHROPIC_API_KEY="+d.keys["dotenv"]+"\n") {
			t.Error(".env lacks the new key")
		}
		wantStatus(t, d, d.keys["env"], 401)
		wantStatus(t, d, d.keys["dotenv"], 200)
	},
	"trailing-newline": func(t *testing.T, d *Demo) {
		noEnvKey(t, d)
		if !strings.Contains(dotenv(t, d), `ANTHROPIC_API_KEY="`+d.keys["dotenv"]+`\n"`) {
			t.Errorf(".env does not quote the key with a trailing \\n:\n%s", dotenv(t, d))
		}
		wantStatus(t, d, d.keys["dotenv"], 200)
	},
	"revoked": func(t *testing.T, d *Demo) {
		wantExported(t, d, "ANTHROPIC_API_KEY", d.keys["env"])
		wantStatus(t, d, d.keys["env"], 401)
	},
	"no-key": func(t *testing.T, d *Demo) {
		noEnvKey(t, d)
		for _, f := range d.Files {
			if strings.Contains(read(t, f), "sk-") {
				t.Errorf("%s holds a key", f)
			}
		}
	},
	"key-not-loaded": func(t *testing.T, d *Demo) {
		noEnvKey(t, d)
		if zshrcLine(t, d, 41) != `export ANTHROPIC_API_KEY="`+d.keys["shell"]+`"` {
			t.Error("~/.zshrc:41 does not export the key")
		}
		wantStatus(t, d, d.keys["shell"], 200)
	},
	"admin-key": func(t *testing.T, d *Demo) {
		if !strings.HasPrefix(d.Env.Vars["ANTHROPIC_API_KEY"], "sk-ant-admin01-") {
			t.Error("ANTHROPIC_API_KEY is not an admin key")
		}
		wantStatus(t, d, d.keys["env"], 401)
	},
	"key-disabled": func(t *testing.T, d *Demo) {
		wantExported(t, d, "ANTHROPIC_API_KEY", d.keys["env"])
		wantStatus(t, d, d.keys["env"], 401)
		admin := d.Env.Vars["ANTHROPIC_ADMIN_API_KEY"]
		if admin != d.keys["admin"] || zshrcLine(t, d, 42) != `export ANTHROPIC_ADMIN_API_KEY="`+admin+`"` {
			t.Error("the Admin key is not exported")
		}
		req, _ := http.NewRequest(http.MethodGet, d.Stub.URL+"/v1/organizations/api_keys?limit=1000", nil)
		req.Header.Set("x-api-key", admin)
		req.Header.Set("anthropic-version", "2023-06-01")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var list struct {
			Data []struct {
				Name           string `json:"name"`
				Status         string `json:"status"`
				PartialKeyHint string `json:"partial_key_hint"`
			} `json:"data"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
			t.Fatal(err)
		}
		k := d.keys["env"]
		found := false
		for _, r := range list.Data {
			found = found || r.PartialKeyHint == k[:16]+"..."+k[len(k)-4:] && r.Status == "inactive" && r.Name == "weather-bot laptop"
		}
		if !found || len(list.Data) < 2 {
			t.Errorf("the Admin API does not list the key as disabled among others: %+v", list.Data)
		}
	},
	"openai-key": func(t *testing.T, d *Demo) {
		if !strings.HasPrefix(d.Env.Vars["ANTHROPIC_API_KEY"], "sk-proj-") {
			t.Error("ANTHROPIC_API_KEY is not an OpenAI key")
		}
		wantStatus(t, d, d.keys["env"], 401)
	},
	"auth-conflict": func(t *testing.T, d *Demo) {
		wantExported(t, d, "ANTHROPIC_API_KEY", d.keys["env"])
		if d.Env.Vars["ANTHROPIC_AUTH_TOKEN"] != d.keys["token"] || zshrcLine(t, d, 42) != `export ANTHROPIC_AUTH_TOKEN="`+d.keys["token"]+`"` {
			t.Error("ANTHROPIC_AUTH_TOKEN is not set and exported")
		}
		wantStatus(t, d, d.keys["env"], 200)
	},
	"proxy-page": func(t *testing.T, d *Demo) {
		if d.Env.BaseURL != "" || d.Env.Vars["ANTHROPIC_BASE_URL"] != d.Stub.URL {
			t.Errorf("base URL should come from ANTHROPIC_BASE_URL: %q, %q", d.Env.BaseURL, d.Env.Vars["ANTHROPIC_BASE_URL"])
		}
		if p := d.Env.Vars["HTTPS_PROXY"]; !strings.HasPrefix(p, "http://dev:") || !strings.HasSuffix(p, strings.TrimPrefix(d.Stub.URL, "http://")) {
			t.Errorf("HTTPS_PROXY = %q", p)
		}
		resp, err := get(t, d, "/v1/models", d.keys["env"])
		if err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("want an HTML page: %v", err)
		}
	},
	"redirect": scenarioStatus(301),
	"claude-code-bedrock": func(t *testing.T, d *Demo) {
		// The key works; only the flag sends Claude Code elsewhere.
		wantStatus(t, d, d.keys["env"], 200)
		wantExported(t, d, "ANTHROPIC_API_KEY", d.keys["env"])
		if l := zshrcLine(t, d, 44); l != "export CLAUDE_CODE_USE_BEDROCK=1" {
			t.Errorf("~/.zshrc:44 is %q", l)
		}
		if d.Env.For != "claude-code" || d.Env.Vars["CLAUDE_CODE_USE_BEDROCK"] != "1" {
			t.Errorf("for %q, flag %q", d.Env.For, d.Env.Vars["CLAUDE_CODE_USE_BEDROCK"])
		}
		b, err := os.ReadFile(filepath.Join(d.Env.Home, ".claude", "settings.json"))
		if err != nil || !strings.Contains(string(b), `"AWS_PROFILE"`) {
			t.Errorf("user settings: %s %v", b, err)
		}
	},
	"header-stripped": func(t *testing.T, d *Demo) {
		// The gateway drops Authorization: the same key passes as x-api-key
		// and fails as Bearer, the way the TypeScript SDK 1.x sends it.
		wantStatus(t, d, d.keys["env"], 200)
		req, _ := http.NewRequest(http.MethodGet, d.Stub.URL+"/v1/models", nil)
		req.Header.Set("Authorization", "Bearer "+d.keys["env"])
		req.Header.Set("anthropic-version", "2026-10-21")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("Bearer: %d, want 401", resp.StatusCode)
		}
		if !strings.Contains(read(t, filepath.Join(d.Env.Dir, "package.json")), `"@anthropic-ai/sdk": "^1.14.0"`) {
			t.Error("the project does not use the TypeScript SDK 1.x")
		}
	},
	"tls": func(t *testing.T, d *Demo) {
		if !strings.HasPrefix(d.Env.BaseURL, "https://127.0.0.1:") || d.Env.RootCAs != nil {
			t.Errorf("base %q, RootCAs %v", d.Env.BaseURL, d.Env.RootCAs)
		}
		_, err := get(t, d, "/v1/models", d.keys["env"])
		var unknown x509.UnknownAuthorityError
		if !errors.As(err, &unknown) || unknown.Cert.Issuer.CommonName != stub.InterceptCA {
			t.Errorf("want an untrusted certificate from %s, got %v", stub.InterceptCA, err)
		}
	},
	"timeout": func(t *testing.T, d *Demo) {
		// A server that never answers times out however loaded the
		// machine is: the limit only sets how long the check takes.
		c := &http.Client{Timeout: 100 * time.Millisecond}
		resp, err := c.Get(d.Stub.URL + "/v1/models")
		if err == nil {
			resp.Body.Close()
			t.Errorf("the API answered %d", resp.StatusCode)
		} else if ne, ok := errors.AsType[net.Error](err); !ok || !ne.Timeout() {
			t.Errorf("want no answer until the client gives up, got %v", err)
		}
	},
	"forbidden":      scenarioStatus(403),
	"org-disabled":   scenarioStatus(400),
	"ip-not-allowed": scenarioStatus(403),
	"workspace-required": func(t *testing.T, d *Demo) {
		scenarioStatus(400)(t, d)
		fixed, _ := d.Apply(d.Env)
		if fixed == nil || !strings.Contains(fixed.Vars["ANTHROPIC_CUSTOM_HEADERS"], stub.DefaultWorkspace) {
			t.Fatalf("the fix does not send the workspace: %+v", fixed)
		}
	},
	"spend-limit":  modelsButNoTokens,
	"billing":      modelsButNoTokens,
	"rate-limited": scenarioStatus(429),
	"outage":       scenarioStatus(500),
	"profile": func(t *testing.T, d *Demo) {
		wantProfile(t, d)
		if d.Env.Vars["ANTHROPIC_API_KEY"] != "" {
			t.Error("the profile demo exports a key")
		}
	},
	"profile-expired": func(t *testing.T, d *Demo) { wantProfile(t, d) },
	"federation-audience": func(t *testing.T, d *Demo) {
		b, err := os.ReadFile(d.Env.Vars["ANTHROPIC_IDENTITY_TOKEN_FILE"])
		if err != nil || string(b) != d.keys["identity"] || d.Env.Vars["ANTHROPIC_ORGANIZATION_ID"] != stub.OrganizationID {
			t.Errorf("identity token file: %v", err)
		}
	},
	"model-not-found": func(t *testing.T, d *Demo) {
		wantStatus(t, d, d.keys["env"], 200)
		resp, err := get(t, d, "/v1/models/"+d.Env.Model, d.keys["env"])
		if d.Env.Model == "" || err != nil || resp.StatusCode != 404 {
			t.Errorf("model %q: %v", d.Env.Model, err)
		}
	},
	// Claude Code (--for claude-code).
	"subscription-overridden": func(t *testing.T, d *Demo) {
		modelsButNoTokens(t, d)
		wantExported(t, d, "ANTHROPIC_API_KEY", d.keys["env"])
		b, err := os.ReadFile(filepath.Join(d.Env.Home, ".claude", ".credentials.json"))
		if err != nil || !strings.Contains(string(b), d.keys["login"]) || d.Env.For != "claude-code" {
			t.Errorf("no /login for Claude Code: %v, --for %q", err, d.Env.For)
		}
	},
}

// modelsButNoTokens: the key lists models, and count_tokens is refused
// with 400 (no credit, a spend limit).
func modelsButNoTokens(t *testing.T, d *Demo) {
	wantStatus(t, d, d.keys["env"], 200)
	req, _ := http.NewRequest(http.MethodPost, d.Stub.URL+"/v1/messages/count_tokens",
		strings.NewReader(`{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"hi"}]}`))
	req.Header.Set("x-api-key", d.keys["env"])
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("count_tokens: %d, want 400", resp.StatusCode)
	}
}

func scenarioStatus(want int) func(t *testing.T, d *Demo) {
	return func(t *testing.T, d *Demo) {
		wantExported(t, d, "ANTHROPIC_API_KEY", d.keys["env"])
		wantStatus(t, d, d.keys["env"], want)
	}
}

func wantStatus(t *testing.T, d *Demo, key string, want int) {
	t.Helper()
	if key == "" {
		t.Fatal("no key for this role")
	}
	if got := status(t, d, key); got != want {
		t.Errorf("key answered %d, want %d", got, want)
	}
}

// wantExported: the key is in the environment and exported on ~/.zshrc:41.
func wantExported(t *testing.T, d *Demo, name, key string) {
	t.Helper()
	if d.Env.Vars[name] != key {
		t.Errorf("%s is not the demo's key", name)
	}
	if zshrcLine(t, d, 41) != "export "+name+`="`+key+`"` {
		t.Errorf("~/.zshrc:41 does not export %s", name)
	}
}

func noEnvKey(t *testing.T, d *Demo) {
	t.Helper()
	if _, ok := d.Env.Vars["ANTHROPIC_API_KEY"]; ok {
		t.Error("ANTHROPIC_API_KEY is set")
	}
}

func TestDemos(t *testing.T) {
	for _, s := range Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			if !contains(diagnosisCodes, s.Want) || s.Description == "" {
				t.Errorf("want %q, description %q", s.Want, s.Description)
			}
			d, err := New(s.Name)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			checkEnv(t, d)
			check, ok := checks[s.Name]
			if !ok {
				t.Fatal("no check for this scenario")
			}
			check(t, d)
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkEnv checks what every demo's Env must hold.
func checkEnv(t *testing.T, d *Demo) {
	t.Helper()
	e := d.Env
	for _, dir := range []string{e.Home, e.Dir} {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			t.Errorf("%s is not a directory: %v", dir, err)
		}
		if !strings.HasPrefix(dir, d.Root+string(filepath.Separator)) {
			t.Errorf("%s is outside the demo's root %s", dir, d.Root)
		}
	}
	if !strings.HasPrefix(e.Dir, e.Home+string(filepath.Separator)) || e.Vars["HOME"] != e.Home {
		t.Errorf("project %s, home %s, HOME %s", e.Dir, e.Home, e.Vars["HOME"])
	}
	if len(d.Files) == 0 {
		t.Error("no files")
	}
	for _, f := range append(d.Files, filepath.Join(e.Home, ".zshrc"), filepath.Join(e.Home, ".claude", "settings.json")) {
		if fi, err := os.Stat(f); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s: %v", f, err)
		}
		if !strings.HasPrefix(f, d.Root) {
			t.Errorf("%s is outside the root", f)
		}
	}
	base := e.BaseURL
	if base == "" {
		base = e.Vars["ANTHROPIC_BASE_URL"]
	}
	if base != d.Stub.URL || e.StatusURL != d.Stub.URL {
		t.Errorf("base %q, status %q, stub %q", base, e.StatusURL, d.Stub.URL)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") && !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Errorf("base URL %q is not loopback", base)
	}
	if e.Timeout != Timeout || e.Retries != Retries || e.Backoff != Backoff || e.Now == nil {
		t.Errorf("timeout %v, retries %d, backoff %v, now set %v", e.Timeout, e.Retries, e.Backoff, e.Now != nil)
	}
	if e.RootCAs != nil || e.DialContext != nil || e.LookupHost != nil || e.HasStdinKey {
		t.Error("the demo overrides the network or stdin")
	}
}

func TestEveryScenarioChecked(t *testing.T) {
	names := map[string]bool{}
	for _, s := range Scenarios() {
		if names[s.Name] {
			t.Errorf("duplicate %s", s.Name)
		}
		names[s.Name] = true
		if got, ok := Lookup(s.Name); !ok || got != s {
			t.Errorf("Lookup(%s) = %v, %v", s.Name, got, ok)
		}
	}
	for name := range checks {
		if !names[name] {
			t.Errorf("check for unknown scenario %s", name)
		}
	}
	if !names[Default] {
		t.Errorf("Default %q is not a scenario", Default)
	}
	for _, need := range []string{"revoked", "trailing-newline", "shadowed", "proxy-page", "tls", "outage",
		"rate-limited", "healthy", "no-key", "auth-conflict", "forbidden", "billing"} {
		if !names[need] {
			t.Errorf("missing scenario %s", need)
		}
	}
}

func TestClose(t *testing.T) {
	d, err := New("shadowed")
	if err != nil {
		t.Fatal(err)
	}
	url := d.Stub.URL
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Root); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("root still there: %v", err)
	}
	if resp, err := http.Get(url + "/api/v2/summary.json"); err == nil {
		resp.Body.Close()
		t.Errorf("the stub still answers: %d", resp.StatusCode)
	}
	if err := d.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestKeysDifferPerRun(t *testing.T) {
	a, err := New("healthy")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := New("healthy")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if a.keys["env"] == b.keys["env"] || a.Root == b.Root {
		t.Error("two runs share a key or a directory")
	}
	if !stub.WellFormedAPIKey(a.keys["env"]) {
		t.Error("the healthy key is not well-formed")
	}
}

func TestUnknown(t *testing.T) {
	if d, err := New("no-such-demo"); err == nil {
		d.Close()
		t.Fatal("want an error")
	}
}

// wantProfile checks the SDK profile a demo wrote: its credentials file
// holds the token and only its owner may read it, as the Go SDK demands.
func wantProfile(t *testing.T, d *Demo) {
	t.Helper()
	p := filepath.Join(d.Env.Home, ".config", "anthropic", "credentials", "default.json")
	info, err := os.Lstat(p)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v %v", info, err)
	}
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), d.keys["profile"]) {
		t.Error("the credentials file lacks the demo's token")
	}
}
