package text

import (
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/hostile"
	"github.com/fix401/fix401/steps"
)

func TestGitHubEscaping(t *testing.T) {
	for _, tt := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"k: v, w", "k: v, w", "k%3A v%2C w"},
		{"%0A", "%250A", "%250A"},
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
	} {
		if got := ghData(tt.in); got != tt.data {
			t.Errorf("data %q: %q, want %q", tt.in, got, tt.data)
		}
		if got := ghProperty(tt.in); got != tt.prop {
			t.Errorf("property %q: %q, want %q", tt.in, got, tt.prop)
		}
	}
}

// The diagnosis comes first (::error, or ::notice for ok), then one
// ::warning per warning check; a key in any text is masked, and a hostile
// text starts no command of its own.
func TestGitHubCommands(t *testing.T) {
	key := "sk-ant-api03-" + strings.Repeat("Zq7", 31) + "AA"
	evil := "x\n::error title=forged::pwned" + hostile.Payload + key
	r := &probe.Report{Active: -1, Done: map[string]bool{}, Env: probe.EnvFacts{EmptyVars: []string{probe.VarAPIKey}},
		Target: probe.Target{BaseURL: probe.DefaultBaseURL, BaseURLSource: "default"}}
	red := probe.NewRedactor(key)
	for _, tt := range []struct {
		d     steps.Diagnosis
		first string
	}{
		{steps.Diagnosis{Code: steps.NoKey, Title: "No key: " + evil, Fix: "Make one, " + evil}, "::error title=No key%3A x%0A%3A%3Aerror title=forged%3A%3Apwned"},
		{steps.Diagnosis{Code: steps.OK, Title: "The key works"}, "::notice title=fix401 ok::The key works\n"},
	} {
		var b strings.Builder
		if err := GitHub(&b, r, tt.d, red); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.HasPrefix(out, tt.first) {
			t.Errorf("%s: starts %q, want %q", tt.d.Code, out, tt.first)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[1], "::warning title=fix401 env.empty::") {
			t.Errorf("%s: want the diagnosis and one warning:\n%s", tt.d.Code, out)
		}
		if what, bad := hostile.Bad(out); bad || strings.Contains(out, key[20:40]) {
			t.Errorf("%s: holds %s or the key:\n%q", tt.d.Code, what, out)
		}
		if tt.d.Code != steps.OK && !strings.Contains(lines[0], "(fix401 diagnosis no_key)") {
			t.Errorf("no code: %q", lines[0])
		}
	}
}
