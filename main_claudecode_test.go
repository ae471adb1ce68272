package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// writeFile writes text to path, making its directory.
func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// claudeLogin writes ~/.claude/.credentials.json.
func claudeLogin(t *testing.T, home, access, refresh string, exp time.Time) {
	t.Helper()
	b, err := json.Marshal(map[string]any{"claudeAiOauth": map[string]any{
		"accessToken": access, "refreshToken": refresh, "expiresAt": exp.UnixMilli(),
		"scopes": []string{"user:inference"}, "subscriptionType": "max"}})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(home, ".claude", ".credentials.json"), string(b))
}

type checkJSON struct {
	Client    struct{ Name string }   `json:"client"`
	Key       struct{ Source string } `json:"key"`
	Diagnosis struct {
		Code  string `json:"code"`
		Title string `json:"title"`
		Fix   string `json:"fix"`
	} `json:"diagnosis"`
}

// A Max subscriber whose exported key (also in .env and ~/.zshrc) has no
// credit: Claude Code uses the key, not the plan, and fix401 says which
// lines to remove for the plan to be used. No token, refresh token or key
// appears in any output.
func TestClaudeCodeSubscriptionOverridden(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{Scenario: stub.Billing})
	key, login, refresh, primary := stub.NewAPIKey(), stub.NewOAuthToken(), "sk-ant-ort01-"+strings.Repeat("r", 93)+"AA", stub.NewAPIKey()
	claudeLogin(t, in.home, login, refresh, time.Now().Add(time.Hour))
	writeFile(t, filepath.Join(in.home, ".claude.json"), `{"oauthAccount": {"accountUuid": "u"}, "primaryApiKey": "`+primary+`"}`)
	writeFile(t, filepath.Join(in.dir, ".env"), "# app\nANTHROPIC_API_KEY="+key+"\n")
	writeFile(t, filepath.Join(in.home, ".zshrc"), "export PATH=$PATH:/opt/bin\nexport ANTHROPIC_API_KEY="+key+"\n")
	in.vars["ANTHROPIC_API_KEY"] = key

	var outputs []string
	args := append([]string{"check", "--for", "claude-code"}, in.flags(s)...)
	if code := in.run(args...); code != exitProblem {
		t.Fatalf("exit %d, want %d:\n%s", code, exitProblem, in.stdout.String())
	}
	text := in.stdout.String()
	outputs = append(outputs, text, in.stderr.String())
	for _, want := range []string{
		"Claude Code sends ANTHROPIC_API_KEY from the environment instead of your claude.ai Max subscription",
		"run `unset ANTHROPIC_API_KEY`", "delete line 2 of .env", "delete line 2 of ~/.zshrc",
		"[!] Claude Code uses ANTHROPIC_API_KEY from the environment, not a claude.ai Max subscription",
		"Credential chain of Claude Code: env ANTHROPIC_API_KEY wins",
	} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("check does not say %q:\n%s", want, text)
		}
	}

	if code := in.run(append(args, "--json")...); code != exitProblem {
		t.Fatalf("--json: exit %d", code)
	}
	outputs = append(outputs, in.stdout.String())
	var j checkJSON
	if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Client.Name != "claude-code" || j.Diagnosis.Code != string(steps.Billing) || !strings.Contains(j.Diagnosis.Fix, "unset ANTHROPIC_API_KEY") {
		t.Errorf("json: %+v", j)
	}

	if code := in.run(append([]string{"report", "--for", "claude-code"}, in.flags(s)...)...); code != exitProblem {
		t.Errorf("report: exit %d", code)
	}
	outputs = append(outputs, in.stdout.String(), in.stderr.String())
	if !strings.Contains(in.stdout.String(), "Claude Code") {
		t.Error("the report does not name the client")
	}
	for _, out := range outputs {
		for name, secret := range map[string]string{"key": key, "login": login, "refresh": refresh, "primaryApiKey": primary} {
			if strings.Contains(out, secret) || strings.Contains(out, secret[len(secret)-20:]) {
				t.Errorf("the %s leaked:\n%s", name, out)
			}
		}
	}
	// The subscription token went to the API only as Claude Code sends it.
	for _, q := range s.Requests() {
		if q.Key == probe.Hint(login) && (!q.Bearer || !q.Has("anthropic-beta")) {
			t.Errorf("the login token went to %s without Bearer and the oauth beta", q.Path)
		}
	}
}

// An expired /login with no refresh token: token_expired, run /login,
// naming the file.
func TestClaudeCodeLoginExpired(t *testing.T) {
	in := newInvocation(t)
	login := stub.NewOAuthToken()
	s := in.stubbed(stub.Options{RevokedKeys: []string{login}})
	claudeLogin(t, in.home, login, "", time.Now().Add(-3*time.Hour))
	if code := in.run(append([]string{"check", "--json", "--for", "claude-code"}, in.flags(s)...)...); code != exitProblem {
		t.Fatalf("exit %d:\n%s", code, in.stdout.String())
	}
	var j checkJSON
	if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Diagnosis.Code != string(steps.TokenExpired) || !strings.Contains(j.Diagnosis.Fix, "/login") ||
		!strings.Contains(j.Diagnosis.Title, "~/.claude/.credentials.json") || !strings.Contains(j.Key.Source, ".credentials.json") {
		t.Errorf("diagnosis %+v, key %+v", j.Diagnosis, j.Key)
	}
}

// A project's apiKeyHelper wins over the environment's OAuth token: fix401
// names it, never runs it, sends no key, and says how to test its output.
func TestClaudeCodeHelper(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{})
	tok := stub.NewOAuthToken()
	in.vars["CLAUDE_CODE_OAUTH_TOKEN"] = tok
	marker := filepath.Join(in.home, "ran")
	writeFile(t, filepath.Join(in.dir, ".claude", "settings.json"), "{\n  \"apiKeyHelper\": \"touch "+marker+"\"\n}\n")
	code := in.run(append([]string{"check", "--for", "claude-code"}, in.flags(s)...)...)
	text := in.stdout.String()
	if code != exitProblem || !strings.Contains(text, "Diagnosis: key_unresolved") || !strings.Contains(text, "--key-stdin") ||
		!strings.Contains(text, "apiKeyHelper is set in .claude/settings.json:2, the project's shared settings") {
		t.Errorf("exit %d:\n%s", code, text)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("fix401 ran the apiKeyHelper")
	}
	for _, q := range s.Requests() {
		if q.Key != "" && q.Key != probe.Hint(probe.ControlKey()) && q.Key != probe.Hint(tok) {
			t.Errorf("%s %s carried %s", q.Method, q.Path, q.Key)
		}
	}
}

// The demo: the wizard's header names Claude Code, and its checklist ends
// with the way back to the subscription.
func TestClaudeCodeDemo(t *testing.T) {
	in := newInvocation(t)
	if code := in.run("demo", "subscription-overridden", "--snapshot", "checklist", "--width", "100", "--no-color"); code != exitProblem && code != exitOK {
		t.Fatalf("exit %d: %s", code, in.stderr.String())
	}
	out := in.stdout.String()
	head, _, _ := strings.Cut(out, "\n")
	if !strings.Contains(head, "for Claude Code") {
		t.Errorf("header %q does not name the client", head)
	}
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "To use the subscription, run `unset ANTHROPIC_API_KEY` and delete line 41 of ~/.zshrc") {
		t.Errorf("no way back to the subscription:\n%s", out)
	}
	if !strings.Contains(out, "your /login works") {
		t.Errorf("the other-keys test does not say the login works:\n%s", out)
	}
}

// A revoked exported key over a working /login: the key shadows the
// subscription, and the fix is said once.
func TestClaudeCodeKeyShadowsLogin(t *testing.T) {
	in := newInvocation(t)
	key, login := stub.NewAPIKey(), stub.NewOAuthToken()
	s := in.stubbed(stub.Options{RevokedKeys: []string{key}})
	claudeLogin(t, in.home, login, "", time.Now().Add(time.Hour))
	writeFile(t, filepath.Join(in.home, ".zshrc"), "export ANTHROPIC_API_KEY="+key+"\n")
	in.vars["ANTHROPIC_API_KEY"] = key
	if code := in.run(append([]string{"check", "--json", "--for", "claude-code"}, in.flags(s)...)...); code != exitProblem {
		t.Fatalf("exit %d", code)
	}
	var j checkJSON
	if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Diagnosis.Code != string(steps.KeyShadowed) || strings.Count(j.Diagnosis.Fix, "unset ANTHROPIC_API_KEY") != 1 ||
		!strings.Contains(j.Diagnosis.Fix, "To use the subscription, run `unset ANTHROPIC_API_KEY` and delete line 1 of ~/.zshrc") {
		t.Errorf("diagnosis %+v", j.Diagnosis)
	}
}

// A key in the user's settings env block over a /login: the fix names the
// settings file and the variable, not a bare line to delete from JSON.
func TestClaudeCodeSettingsKey(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{Scenario: stub.OrgDisabled})
	key := stub.NewAPIKey()
	claudeLogin(t, in.home, stub.NewOAuthToken(), "", time.Now().Add(time.Hour))
	writeFile(t, filepath.Join(in.home, ".claude", "settings.json"), "{\n  \"env\": {\n    \"ANTHROPIC_API_KEY\": \""+key+"\"\n  }\n}\n")
	if code := in.run(append([]string{"check", "--json", "--for", "claude-code"}, in.flags(s)...)...); code != exitProblem {
		t.Fatalf("exit %d", code)
	}
	var j checkJSON
	if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Diagnosis.Code != string(steps.OrgDisabled) || j.Key.Source != "~/.claude/settings.json:3" ||
		!strings.Contains(j.Diagnosis.Fix, "To use the subscription, remove ANTHROPIC_API_KEY from the env block of ~/.claude/settings.json (line 3).") ||
		strings.Contains(j.Diagnosis.Fix, "unset") {
		t.Errorf("key %+v, diagnosis %+v", j.Key, j.Diagnosis)
	}
}

// An expired /login with a refresh token: Claude Code renews it by
// itself, so the expiry is the diagnosis only when the API refused the
// token too, and then the fix is to start claude, not /login.
func TestClaudeCodeLoginExpiredWithRefresh(t *testing.T) {
	for _, refused := range []bool{true, false} {
		in := newInvocation(t)
		login := stub.NewOAuthToken()
		opts := stub.Options{}
		if refused {
			opts.RevokedKeys = []string{login}
		}
		s := in.stubbed(opts)
		claudeLogin(t, in.home, login, "sk-ant-ort01-"+stub.NewAPIKey()[13:], time.Now().Add(-3*time.Hour))
		in.run(append([]string{"check", "--json", "--for", "claude-code"}, in.flags(s)...)...)
		var j checkJSON
		if err := json.Unmarshal(in.stdout.Bytes(), &j); err != nil {
			t.Fatal(err)
		}
		expired := j.Diagnosis.Code == string(steps.TokenExpired)
		if refused && (!expired || !strings.Contains(j.Diagnosis.Fix, "renews the login with its refresh token")) {
			t.Errorf("refused: %+v", j.Diagnosis)
		}
		if !refused && expired {
			t.Errorf("accepted, yet the expiry is the diagnosis: %+v", j.Diagnosis)
		}
	}
}
