package steps

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
)

// routed is a healthy report (the key works) whose routing is read from
// a real home: vars and files (relative to home) as given.
func routed(t *testing.T, forID string, vars map[string]string, files map[string]string) *probe.Report {
	t.Helper()
	home := filepath.Join(t.TempDir(), "home")
	dir := filepath.Join(home, "app")
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for rel, content := range files {
		p := filepath.Join(home, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := &probe.Env{Home: home, Dir: dir, Vars: vars, For: forID}
	r := healthy()
	r.Provider = probe.Prepare(env).Provider
	return r
}

func TestProviderOverrideClaudeCode(t *testing.T) {
	for _, tt := range []struct {
		name  string
		vars  map[string]string
		files map[string]string
		title []string
		fix   []string
	}{
		{"zshrc, no region", map[string]string{}, map[string]string{".zshrc": "alias k=kubectl\nexport CLAUDE_CODE_USE_BEDROCK=1\n"},
			[]string{"Amazon Bedrock", "CLAUDE_CODE_USE_BEDROCK, exported in ~/.zshrc:2", "your Anthropic key is not used"},
			[]string{"delete line 2 of ~/.zshrc", "AWS_REGION is not set", "`aws sts get-caller-identity`"}},
		{"env from zshrc", map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "dev"},
			map[string]string{".zshrc": "export CLAUDE_CODE_USE_BEDROCK=1\n"},
			[]string{"set in the environment by ~/.zshrc:1"},
			[]string{"`unset CLAUDE_CODE_USE_BEDROCK` and delete line 1 of ~/.zshrc", "settings look complete", "`aws sts get-caller-identity`"}},
		{"user settings vertex", map[string]string{}, map[string]string{".claude/settings.json": "{\n \"env\": {\n  \"CLAUDE_CODE_USE_VERTEX\": \"true\"\n }\n}\n"},
			[]string{"Google Vertex AI", "user settings ~/.claude/settings.json:3"},
			[]string{"remove CLAUDE_CODE_USE_VERTEX from the env block of ~/.claude/settings.json:3", "ANTHROPIC_VERTEX_PROJECT_ID is not set"}},
		{"dotenv", map[string]string{}, map[string]string{"app/.env": "PORT=1\nCLAUDE_CODE_USE_BEDROCK=1\n"},
			[]string{"Amazon Bedrock", "set in .env:2, which the native Claude Code loads"},
			[]string{"delete line 2 of .env", "AWS_REGION is not set"}},
		{"foundry without /anthropic", map[string]string{"CLAUDE_CODE_USE_FOUNDRY": "1", "ANTHROPIC_FOUNDRY_BASE_URL": "https://res.services.ai.azure.com"}, nil,
			[]string{"Microsoft Foundry"}, []string{"does not end in /anthropic"}},
		{"platform on aws", map[string]string{"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1", "AWS_REGION": "us-east-1"}, nil,
			[]string{"Claude Platform on AWS"}, []string{"ANTHROPIC_AWS_WORKSPACE_ID is not set"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := routed(t, "claude-code", tt.vars, tt.files)
			d := Diagnose(r)
			if d.Code != ProviderOverride || d.Step != Headers {
				t.Fatalf("%s (%s) at %s, want provider_override", d.Code, d.Title, d.Step)
			}
			for _, w := range tt.title {
				if !strings.Contains(d.Title, w) {
					t.Errorf("title %q lacks %q", d.Title, w)
				}
			}
			for _, w := range tt.fix {
				if !strings.Contains(d.Fix, w) {
					t.Errorf("fix %q lacks %q", d.Fix, w)
				}
			}
			row := checklistRow(r, "checklist.provider")
			if row == nil || row.Status != probe.Fail || !strings.Contains(row.Result, "Claude Code goes to") {
				t.Errorf("checklist row %+v", row)
			}
			j := ToJSON(r, d, "test")
			if j.Diagnosis.Code != ProviderOverride || j.Provider == nil || !j.Provider.ClaudeCode || j.Provider.Provider == "anthropic" || len(j.Provider.Flags) == 0 {
				t.Errorf("JSON diagnosis %+v, provider %+v", j.Diagnosis, j.Provider)
			}
			page := BuildPage(Input{Report: r}, Headers)
			if len(page.Facts) == 0 || !strings.Contains(d.Title, "requests to "+page.Facts[0].Value+" (") {
				t.Errorf("headers facts %+v", page.Facts)
			}
		})
	}
}

func checklistRow(r *probe.Report, id string) *ChecklistRow {
	for _, c := range ChecklistRows(r, nil) {
		if c.ID == id {
			return &c
		}
	}
	return nil
}

// For an SDK the flag is a warning, never the diagnosis; an unexported
// flag or an off value routes nothing; without a flag there is no row.
func TestProviderOverrideOnlyForClaudeCode(t *testing.T) {
	r := routed(t, "python", map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1"}, nil)
	if d := Diagnose(r); d.Code != OK {
		t.Fatalf("an SDK user with a working key: %s %q", d.Code, d.Title)
	}
	if row := checklistRow(r, "checklist.provider"); row == nil || row.Status != probe.Warn || !strings.Contains(row.Result, "SDK ignores") {
		t.Fatalf("%+v", row)
	}
	if j := ToJSON(r, Diagnose(r), "test").Provider; j == nil || j.ClaudeCode || j.Provider != "bedrock" ||
		len(j.Flags) != 1 || j.Flags[0] != (JSONFlag{Var: "CLAUDE_CODE_USE_BEDROCK", Source: "env:CLAUDE_CODE_USE_BEDROCK", State: "on", Seen: "now"}) {
		t.Fatalf("JSON provider %+v", j)
	}
	for _, c := range []struct {
		vars  map[string]string
		files map[string]string
	}{
		{nil, map[string]string{".bashrc": "CLAUDE_CODE_USE_BEDROCK=1\n"}},
		{map[string]string{"CLAUDE_CODE_USE_VERTEX": "0"}, nil},
		{map[string]string{"CLAUDE_CODE_USE_MANTLE": "1"}, nil},
	} {
		r := routed(t, "claude-code", c.vars, c.files)
		if d := Diagnose(r); d.Code != OK {
			t.Errorf("%v %v: %s %q", c.vars, c.files, d.Code, d.Title)
		}
	}
	r = routed(t, "claude-code", map[string]string{"AWS_REGION": "us-east-1"}, nil)
	if r.Provider != nil || checklistRow(r, "checklist.provider") != nil || ToJSON(r, Diagnose(r), "test").Provider != nil {
		t.Fatal("a provider row without a flag")
	}
}

// The provider's secrets never reach a check, the diagnosis, the JSON or
// the summary, and the redactor masks each where an error might echo it.
func TestProviderSecretsNeverShown(t *testing.T) {
	secret := "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	token := "FwoGZXIvYXdzEXAMPLETOKEN0123456789abcdef"
	bearer := "ABSKQmVkcm9ja0FQSUtleUVYQU1QTEUwMTIzNDU2Nzg5"
	r := routed(t, "claude-code", map[string]string{
		"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE01", "AWS_SECRET_ACCESS_KEY": secret,
	}, map[string]string{
		".zshrc":                "export AWS_SESSION_TOKEN=" + token + "\n",
		".claude/settings.json": `{"env":{"AWS_BEARER_TOKEN_BEDROCK":"` + bearer + `"}}`,
	})
	red := probe.NewRedactor(r.Secrets()...)
	d := Diagnose(r)
	b, err := json.Marshal(ToJSON(r, d, "test"))
	if err != nil {
		t.Fatal(err)
	}
	var checks strings.Builder
	for _, c := range r.Checks() {
		checks.WriteString(c.Title + "\n" + c.Detail + "\n" + c.Fix + "\n")
	}
	md := SummaryMarkdown(SummaryInput{Report: r, Diagnosis: d, Version: "test"})
	// An error message that echoes them, as a failing tool's might.
	raw := checks.String() + d.Title + d.Fix + "\nsigning failed: " + strings.Join([]string{secret, token, bearer, "AKIAEXAMPLEEXAMPLE01"}, ", ")
	for name, out := range map[string]string{"checks": red.String(raw), "json": red.String(string(b)), "summary": md} {
		for _, s := range []string{secret, token, bearer, "AKIAEXAMPLEEXAMPLE01"} {
			if strings.Contains(out, s) || strings.Contains(out, s[4:18]) {
				t.Errorf("%s shows %.6s…:\n%s", name, s, out)
			}
		}
	}
}

// TestProviderOverrideFixTurnsEveryFlagOff: the fix names every place a
// known provider's flag is on (two providers; the environment beside a
// settings file), and never a line that turns it off.
func TestProviderOverrideFixTurnsEveryFlagOff(t *testing.T) {
	r := routed(t, "claude-code", map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "CLAUDE_CODE_USE_VERTEX": "1"}, nil)
	d := Diagnose(r)
	for _, w := range []string{"`unset CLAUDE_CODE_USE_BEDROCK`", "`unset CLAUDE_CODE_USE_VERTEX`"} {
		if !strings.Contains(d.Fix, w) {
			t.Errorf("two flags on: fix %q lacks %q", d.Fix, w)
		}
	}
	r = routed(t, "claude-code", map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1"}, map[string]string{
		".claude/settings.json": `{"env": {"CLAUDE_CODE_USE_BEDROCK": "1"}}`,
		"app/.env":              "CLAUDE_CODE_USE_BEDROCK=0\n",
	})
	d = Diagnose(r)
	for _, w := range []string{"`unset CLAUDE_CODE_USE_BEDROCK`", "remove CLAUDE_CODE_USE_BEDROCK from the env block of ~/.claude/settings.json"} {
		if !strings.Contains(d.Fix, w) {
			t.Errorf("env and settings: fix %q lacks %q", d.Fix, w)
		}
	}
	if strings.Contains(d.Fix, "of .env") {
		t.Errorf("the fix deletes the .env line that turns the flag off: %q", d.Fix)
	}
}
