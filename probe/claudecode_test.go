package probe

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe/creds"
	"github.com/fix401/fix401/probe/stub"
)

// claudeHome is a fixture: a home and a project (a git repository one
// level down), with Claude Code's stores written as asked.
type claudeHome struct {
	t         *testing.T
	home, dir string
}

func newClaudeHome(t *testing.T) *claudeHome {
	t.Helper()
	home := t.TempDir()
	dir := filepath.Join(home, "src", "app")
	for _, d := range []string{filepath.Join(dir, ".git"), filepath.Join(home, ".claude"), filepath.Join(dir, ".claude")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &claudeHome{t: t, home: home, dir: dir}
}

func (h *claudeHome) write(path, text string) {
	h.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		h.t.Fatal(err)
	}
}

func (h *claudeHome) json(path string, v any) {
	h.t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		h.t.Fatal(err)
	}
	h.write(path, string(b))
}

// login writes ~/.claude/.credentials.json with a token expiring at exp.
func (h *claudeHome) login(access, refresh string, exp time.Time) {
	h.json(filepath.Join(h.home, ".claude", ".credentials.json"), map[string]any{"claudeAiOauth": map[string]any{
		"accessToken": access, "refreshToken": refresh, "expiresAt": exp.UnixMilli(),
		"scopes": []string{"user:inference", "user:profile"}, "subscriptionType": "max"}})
}

func (h *claudeHome) env(vars map[string]string) *Env {
	if vars == nil {
		vars = map[string]string{}
	}
	return &Env{Vars: vars, Home: h.home, Dir: h.dir, For: creds.ClaudeCode, ManagedDir: filepath.Join(h.home, "managed")}
}

// Claude Code's order, tier by tier: each case adds the credential that
// should win over everything written before it... or does not.
func TestClaudeCodePrecedence(t *testing.T) {
	keys := map[string]string{}
	key := func(role string) string {
		if keys[role] == "" {
			keys[role] = stub.NewAPIKey()
		}
		return keys[role]
	}
	tok := func(role string) string {
		if keys[role] == "" {
			keys[role] = stub.NewOAuthToken()
		}
		return keys[role]
	}
	settings := func(h *claudeHome, path string, env map[string]string, helper string) {
		m := map[string]any{"env": env}
		if helper != "" {
			m["apiKeyHelper"] = helper
		}
		h.json(path, m)
	}
	tests := []struct {
		name  string
		setup func(h *claudeHome) map[string]string
		want  string // the role of the winning credential; "helper" for apiKeyHelper; "" for none
	}{
		{"login only", func(h *claudeHome) map[string]string {
			h.login(tok("login"), "sk-ant-ort01-x", time.Now().Add(time.Hour))
			return nil
		}, "login"},
		{"login before primaryApiKey", func(h *claudeHome) map[string]string {
			h.login(tok("login"), "", time.Now().Add(time.Hour))
			h.json(filepath.Join(h.home, ".claude.json"), map[string]any{"primaryApiKey": key("primary")})
			return nil
		}, "login"},
		{"primaryApiKey without a login", func(h *claudeHome) map[string]string {
			h.json(filepath.Join(h.home, ".claude.json"), map[string]any{"projects": map[string]any{}, "primaryApiKey": key("primary")})
			return nil
		}, "primary"},
		{"CLAUDE_CODE_OAUTH_TOKEN over /login", func(h *claudeHome) map[string]string {
			h.login(tok("login"), "", time.Now().Add(time.Hour))
			return map[string]string{creds.VarOAuthToken: tok("oauthvar")}
		}, "oauthvar"},
		{"apiKeyHelper over CLAUDE_CODE_OAUTH_TOKEN", func(h *claudeHome) map[string]string {
			settings(h, filepath.Join(h.home, ".claude", "settings.json"), nil, "vault read anthropic")
			return map[string]string{creds.VarOAuthToken: tok("oauthvar")}
		}, "helper"},
		{"ANTHROPIC_API_KEY over apiKeyHelper", func(h *claudeHome) map[string]string {
			settings(h, filepath.Join(h.home, ".claude", "settings.json"), nil, "vault read anthropic")
			return map[string]string{VarAPIKey: key("env")}
		}, "env"},
		{"ANTHROPIC_AUTH_TOKEN over ANTHROPIC_API_KEY", func(h *claudeHome) map[string]string {
			return map[string]string{VarAPIKey: key("env"), VarAuthToken: tok("authtoken")}
		}, "authtoken"},
		{"settings env over the environment", func(h *claudeHome) map[string]string {
			settings(h, filepath.Join(h.home, ".claude", "settings.json"), map[string]string{VarAPIKey: key("user")}, "")
			return map[string]string{VarAPIKey: key("env")}
		}, "user"},
		{"managed over local over project over user", func(h *claudeHome) map[string]string {
			settings(h, filepath.Join(h.home, ".claude", "settings.json"), map[string]string{VarAPIKey: key("user")}, "")
			settings(h, filepath.Join(h.dir, ".claude", "settings.json"), map[string]string{VarAPIKey: key("project")}, "")
			settings(h, filepath.Join(h.dir, ".claude", "settings.local.json"), map[string]string{VarAPIKey: key("local")}, "")
			settings(h, filepath.Join(h.home, "managed", "managed-settings.json"), map[string]string{VarAPIKey: key("managed")}, "")
			return nil
		}, "managed"},
		{"the environment over Bun's .env", func(h *claudeHome) map[string]string {
			h.write(filepath.Join(h.dir, ".env"), "ANTHROPIC_API_KEY="+key("dotenv")+"\n")
			return map[string]string{VarAPIKey: key("env")}
		}, "env"},
		{"Bun's .env over /login", func(h *claudeHome) map[string]string {
			h.login(tok("login"), "", time.Now().Add(time.Hour))
			h.write(filepath.Join(h.dir, ".env"), "ANTHROPIC_API_KEY="+key("dotenv")+"\n")
			return nil
		}, "dotenv"},
		{"Bun: .env.local over .env", func(h *claudeHome) map[string]string {
			h.write(filepath.Join(h.dir, ".env"), "ANTHROPIC_API_KEY="+key("dotenv")+"\n")
			h.write(filepath.Join(h.dir, ".env.local"), "ANTHROPIC_API_KEY="+key("local")+"\n")
			return nil
		}, "local"},
		{"Bun: .env.$NODE_ENV", func(h *claudeHome) map[string]string {
			h.write(filepath.Join(h.dir, ".env"), "ANTHROPIC_API_KEY="+key("dotenv")+"\n")
			h.write(filepath.Join(h.dir, ".env.production"), "ANTHROPIC_API_KEY="+key("prod")+"\n")
			h.write(filepath.Join(h.dir, ".env.development"), "ANTHROPIC_API_KEY="+key("dev")+"\n")
			return map[string]string{"NODE_ENV": "production"}
		}, "prod"},
		{"Bun reads no parent directory", func(h *claudeHome) map[string]string {
			h.write(filepath.Join(filepath.Dir(h.dir), ".env"), "ANTHROPIC_API_KEY="+key("parent")+"\n")
			if err := os.Remove(filepath.Join(h.dir, ".git")); err != nil {
				t.Fatal(err)
			}
			return nil
		}, ""},
		{"an empty settings value hides the environment's", func(h *claudeHome) map[string]string {
			settings(h, filepath.Join(h.home, ".claude", "settings.json"), map[string]string{VarAPIKey: ""}, "")
			h.login(tok("login"), "", time.Now().Add(time.Hour))
			return map[string]string{VarAPIKey: key("env")}
		}, "login"},
		{"a shell file is not Claude Code's environment", func(h *claudeHome) map[string]string {
			h.write(filepath.Join(h.home, ".zshrc"), "export ANTHROPIC_API_KEY="+key("zshrc")+"\n")
			return nil
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newClaudeHome(t)
			r := Prepare(h.env(tt.setup(h)))
			k := r.ActiveKey()
			switch {
			case tt.want == "" && k != nil:
				t.Fatalf("chose %s from %s, want nothing", k.Hint, k.Source)
			case tt.want == "":
				return
			case k == nil:
				t.Fatalf("chose nothing, want %s", tt.want)
			case tt.want == "helper":
				if k.Var != VarHelper || r.HelperWins() == nil || r.Testable() {
					t.Fatalf("chose %s (%s), want the apiKeyHelper", k.Source, k.Var)
				}
			case k.Value != keys[tt.want]:
				t.Fatalf("chose %s from %s, want the %s credential", k.Hint, k.Source, tt.want)
			}
			// The chain names the winner and the rest by role.
			var winners int
			for _, e := range r.Chain() {
				if e.Role == RoleWinner {
					winners++
				}
			}
			if winners != 1 {
				t.Errorf("%d winners in the chain", winners)
			}
		})
	}
}

// The /login stores are read only for Claude Code: an SDK never sees a
// subscription token, which the API keeps for Claude Code alone.
func TestClaudeStoresOnlyForClaudeCode(t *testing.T) {
	h := newClaudeHome(t)
	h.login(stub.NewOAuthToken(), "sk-ant-ort01-refresh", time.Now().Add(time.Hour))
	h.json(filepath.Join(h.home, ".claude.json"), map[string]any{"primaryApiKey": stub.NewAPIKey()})
	env := h.env(nil)
	env.For = "go"
	r := Prepare(env)
	if r.Claude != nil {
		t.Error("Claude Code's stores read for the Go SDK")
	}
	for _, c := range r.Candidates {
		if c.Var == VarClaudeLogin || c.Var == VarPrimaryKey {
			t.Errorf("candidate %s from %s for the Go SDK", c.Var, c.Source)
		}
	}
	env.For = creds.ClaudeCode
	r = Prepare(env)
	if r.Claude == nil || !r.Claude.HasLogin || !r.Claude.PrimaryKey || r.Claude.Subscription != "max" || !r.Claude.HasRefresh {
		t.Fatalf("stores not read: %+v", r.Claude)
	}
	if !slices.Contains(r.Secrets(), "sk-ant-ort01-refresh") {
		t.Error("the refresh token is not a secret")
	}
}

// An expired login is named; on macOS without a credentials file the login
// is in the Keychain, which fix401 says it cannot read.
func TestClaudeLoginStates(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	h := newClaudeHome(t)
	h.login(stub.NewOAuthToken(), "", now.Add(-49*time.Hour))
	env := h.env(nil)
	env.Now = func() time.Time { return now }
	r := Prepare(env)
	if !r.Claude.Expired(now) {
		t.Fatal("the login is not expired")
	}
	if c, _ := r.CheckByID(CheckClaudeLogin); c.Status != Fail || !strings.Contains(c.Title, "expired on 2026-11-27 11:00 UTC (2 days ago)") {
		t.Errorf("claude.login: %+v", c)
	}

	old := goos
	t.Cleanup(func() { goos = old })
	for _, g := range []string{"darwin", "linux"} {
		goos = g
		h := newClaudeHome(t)
		h.json(filepath.Join(h.home, ".claude.json"), map[string]any{"oauthAccount": map[string]any{"accountUuid": "u"}})
		r := Prepare(h.env(nil))
		c, _ := r.CheckByID(CheckKeyFound)
		mac := g == "darwin"
		if r.Claude.Keychain != mac || strings.Contains(c.Title, "Keychain") != mac || mac && !strings.Contains(c.Fix, "claude /status") {
			t.Errorf("%s: keychain %v, key.found %+v", g, r.Claude.Keychain, c)
		}
	}
}

// An apiKeyHelper outside the user's own settings is flagged, and never
// run: no request carries a key when it wins.
func TestClaudeHelperScope(t *testing.T) {
	h := newClaudeHome(t)
	h.json(filepath.Join(h.dir, ".claude", "settings.json"), map[string]any{"apiKeyHelper": "~/bin/get-key.sh"})
	r := Prepare(h.env(nil))
	c, ok := r.CheckByID(CheckClaudeHelper)
	if !ok || c.Status != Warn || !strings.Contains(c.Title, ".claude/settings.json") || !strings.Contains(c.Title, "committed with the repository") {
		t.Errorf("claude.helper: %+v", c)
	}
	if slices.Contains(r.Planned(), ProbeAuth) || slices.Contains(r.Planned(), ProbeQuota) {
		t.Errorf("probes planned for a key nobody has: %v", r.Planned())
	}
	if a, _ := r.CheckByID(CheckAuth); a.Status != Skip || !strings.Contains(a.Title, "apiKeyHelper") {
		t.Errorf("api.auth: %+v", a)
	}
}

// The winning credential goes out the way Claude Code sends it: an API key
// as x-api-key, a token as Bearer with the oauth beta, both with
// anthropic-version 2023-06-01.
func TestClaudeCodeSendsAsClaudeCode(t *testing.T) {
	for _, tt := range []struct {
		name   string
		vars   func(k, t string) map[string]string
		bearer bool
	}{
		{"api key", func(k, _ string) map[string]string { return map[string]string{VarAPIKey: k} }, false},
		{"auth token", func(k, t string) map[string]string { return map[string]string{VarAPIKey: k, VarAuthToken: t} }, true},
		{"login", func(_, _ string) map[string]string { return nil }, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := stub.Start(stub.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			h := newClaudeHome(t)
			key, tok, login := stub.NewAPIKey(), stub.NewOAuthToken(), stub.NewOAuthToken()
			h.login(login, "", time.Now().Add(time.Hour))
			env := h.env(tt.vars(key, tok))
			env.BaseURL, env.StatusURL, env.Timeout = srv.URL, srv.URL, time.Minute
			r := Run(t.Context(), env)
			want := Hint(key)
			switch tt.name {
			case "auth token":
				want = Hint(tok)
			case "login":
				want = Hint(login)
			}
			quota := false
			for _, q := range srv.Requests() {
				if q.Key != want {
					continue
				}
				if q.Version != creds.VersionLegacy || q.Bearer && !tt.bearer && q.Path != "/v1/models" || q.Bearer && !q.Has("anthropic-beta") && tt.bearer {
					t.Errorf("%s %s: bearer=%v version %q beta=%v", q.Method, q.Path, q.Bearer, q.Version, q.Has("anthropic-beta"))
				}
				if q.Path == "/v1/messages/count_tokens" {
					quota = true
					if q.Bearer != tt.bearer {
						t.Errorf("count_tokens: bearer=%v, want %v", q.Bearer, tt.bearer)
					}
				}
			}
			if !quota || !r.Auth.Accepted() {
				t.Errorf("%s not sent to count_tokens, or not accepted: %+v", want, r.Auth)
			}
		})
	}
}

// Claude Code's secrets — the /login access and refresh tokens and
// primaryApiKey — are masked in every wrapping by the redactor taught
// Report.Secrets, even in shapes no pattern knows.
func TestClaudeTokensNeverLeak(t *testing.T) {
	wrappers := []func(k string) string{
		func(k string) string { return k },
		func(k string) string { return "Authorization: Bearer " + k },
		func(k string) string { return `{"claudeAiOauth":{"refreshToken":"` + k + `"}}` },
		func(k string) string { return "prefix" + k + "suffix" },
		func(k string) string { return k[:len(k)/2] + "\n" + k[len(k)/2:] },
	}
	for i := range 20 {
		h := newClaudeHome(t)
		access := "tok" + strings.Repeat(string(rune('a'+i)), 10) + stub.NewAPIKey()[13:60]
		refresh := "refresh-" + stub.NewAPIKey()[13:70]
		primary := stub.NewAPIKey()
		h.login(access, refresh, time.Now().Add(time.Hour))
		h.json(filepath.Join(h.home, ".claude.json"), map[string]any{"primaryApiKey": primary, "oauthAccount": map[string]any{"accountUuid": "u"}})
		r := Prepare(h.env(nil))
		if r.Claude == nil || !r.Claude.HasLogin || !r.Claude.PrimaryKey {
			t.Fatalf("case %d: stores not read", i)
		}
		red := NewRedactor(r.Secrets()...)
		for _, tok := range []string{access, refresh, primary} {
			for j, wrap := range wrappers {
				out := red.String(wrap(tok))
				if p, ok := redactLeak(out, tok); ok {
					t.Fatalf("case %d/%d: %q leaks %q of %.8s…", i, j, out, p, tok)
				}
			}
		}
	}
}

// Both variables set: Claude Code sends the token and warns; fix401 says
// which it sends, where each is set.
func TestClaudeAuthConflict(t *testing.T) {
	h := newClaudeHome(t)
	h.write(filepath.Join(h.dir, ".env"), "ANTHROPIC_API_KEY="+stub.NewAPIKey()+"\n")
	r := Prepare(h.env(map[string]string{VarAuthToken: stub.NewOAuthToken()}))
	c, _ := r.CheckByID(CheckAuthToken)
	if c.Status != Warn || !strings.Contains(c.Title, "Claude Code sends the token") || !strings.Contains(c.Title, ".env:1") {
		t.Errorf("env.auth_token: %+v", c)
	}
}

// The subscription warning is for what bills elsewhere: an API key, not
// CLAUDE_CODE_OAUTH_TOKEN, which is a subscription token itself.
func TestSubscriptionOverridden(t *testing.T) {
	for _, tt := range []struct {
		vars map[string]string
		want bool
	}{
		{map[string]string{VarAPIKey: stub.NewAPIKey()}, true},
		{map[string]string{creds.VarOAuthToken: stub.NewOAuthToken()}, false},
		{nil, false},
	} {
		h := newClaudeHome(t)
		h.login(stub.NewOAuthToken(), "", time.Now().Add(time.Hour))
		r := Prepare(h.env(tt.vars))
		c, _ := r.CheckByID(CheckClaudeLogin)
		if (r.SubscriptionOverridden() != nil) != tt.want || (c.Status == Warn) != tt.want {
			t.Errorf("%v: overridden %v, claude.login %+v", tt.vars, r.SubscriptionOverridden() != nil, c)
		}
	}
}
