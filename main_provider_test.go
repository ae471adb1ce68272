package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/ui"
)

// TestProviderSecretsInEveryOutput: a Claude Code user (--for claude-code)
// sent to Bedrock, with AWS, Foundry, SSO
// and ADC secrets in the environment, the shell, the settings and their
// files. Every output names the routing, and none holds a secret or a
// piece of one: check, check --json, report, report --json, report -o,
// every step of the wizard.
func TestProviderSecretsInEveryOutput(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{})
	secrets := map[string]string{
		"aws secret":     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"aws key id":     "AKIAIOSFODNN7EXAMPLE",
		"session token":  "FwoGZXIvYXdzEJr//////////wEaDEXAMPLEsessionTOKEN0123456789",
		"bedrock key":    "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlOkVYQU1QTEUwMTIzNDU2Nzg5",
		"foundry key":    "9f8e7d6c5b4a39281706f5e4d3c2b1a0EXAMPLEfoundry",
		"sso token":      "aoaAAAAAGdEXAMPLEssoACCESStoken0123456789abcdef",
		"adc secret":     "GOCSPX-EXAMPLEadcCLIENTsecret01",
		"adc refresh":    "1//0gEXAMPLErefreshTOKENfromGOOGLE0123456789",
		"foundry secret": "urlPASSWORDexample0123456789",
	}
	// TZ is printed as it is (after the redactor): an echo of every
	// secret, which only Report.Secrets can mask.
	var echo []string
	for _, v := range secrets {
		echo = append(echo, v)
	}
	in.vars["TZ"] = "Europe/Berlin " + strings.Join(echo, " ")
	in.vars["CLAUDE_CODE_USE_BEDROCK"] = "1"
	in.vars["ANTHROPIC_API_KEY"] = stub.NewAPIKey()
	in.vars["AWS_ACCESS_KEY_ID"] = secrets["aws key id"]
	in.vars["AWS_SECRET_ACCESS_KEY"] = secrets["aws secret"]
	in.vars["ANTHROPIC_FOUNDRY_BASE_URL"] = "https://dev:" + secrets["foundry secret"] + "@res.services.ai.azure.com/anthropic"
	write := func(rel, content string) {
		p := filepath.Join(in.home, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(".zshrc", "export CLAUDE_CODE_USE_BEDROCK=1\nexport AWS_SESSION_TOKEN='"+secrets["session token"]+"'\n")
	write(".claude/settings.json", `{"env":{"AWS_BEARER_TOKEN_BEDROCK":"`+secrets["bedrock key"]+`"}}`)
	write("app/.claude/settings.local.json", `{"env":{"ANTHROPIC_FOUNDRY_API_KEY":"`+secrets["foundry key"]+`"}}`)
	write(".aws/sso/cache/3f2a.json", `{"startUrl":"https://example.awsapps.com/start","accessToken":"`+secrets["sso token"]+`","expiresAt":"2020-01-01T00:00:00Z"}`)
	write(".config/gcloud/application_default_credentials.json",
		`{"type":"authorized_user","client_secret":"`+secrets["adc secret"]+`","refresh_token":"`+secrets["adc refresh"]+`"}`)

	file := filepath.Join(t.TempDir(), "summary.md")
	type out struct{ name, text string }
	var outs []out
	for _, args := range [][]string{{"check"}, {"check", "--json"}, {"report"}, {"report", "--json"}, {"report", "-o", file}} {
		in.run(append(args, append(in.flags(s), "--for", "claude-code")...)...)
		name := strings.Join(args, " ")
		outs = append(outs, out{name, in.stdout.String()}, out{name + " (stderr)", in.stderr.String()})
	}
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, out{"report -o (the file)", string(saved)})
	env := envOf(in, s.URL, s.URL)
	env.For = "claude-code"
	for _, step := range steps.Order {
		screen, err := ui.Snapshot(context.Background(), env, step, 100, 0, ui.Options{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out{"wizard " + string(step), screen})
	}
	r := probe.Prepare(env)
	if r.Provider == nil || !r.Provider.ClaudeCode || !r.Provider.Routed() {
		t.Fatalf("the routing was not read: %+v", r.Provider)
	}
	for _, o := range outs {
		for what, sec := range secrets {
			if strings.Contains(o.text, sec) || strings.Contains(o.text, sec[6:18]) {
				t.Errorf("%s shows the %s:\n%s", o.name, what, o.text)
			}
		}
	}
	for _, o := range outs[:len(outs)-len(steps.Order)] {
		if !strings.HasSuffix(o.name, "(stderr)") && !strings.HasPrefix(o.name, "report -o /") && !strings.Contains(o.text, "Europe/Berlin") {
			t.Errorf("%s does not show TZ: the echo proves nothing:\n%s", o.name, o.text)
		}
		if strings.HasSuffix(o.name, "(stderr)") || strings.HasPrefix(o.name, "report -o /") {
			continue
		}
		if !strings.Contains(o.text, "provider_override") && !strings.Contains(o.text, "Amazon Bedrock") {
			t.Errorf("%s does not name the routing:\n%s", o.name, o.text)
		}
	}
	if w := outs[len(outs)-len(steps.Order)+steps.Headers.Index()]; !strings.Contains(w.text, "Claude Code goes to") {
		t.Errorf("the headers step does not show the routing:\n%s", w.text)
	}
}
