package probe

import (
	"strings"
	"testing"
)

func TestReference(t *testing.T) {
	refs := map[string]string{
		"op://Private/Anthropic/credential":   "1Password",
		"${ANTHROPIC_KEY}":                    "shell variable",
		"$ANTHROPIC_KEY":                      "shell variable",
		"${ANTHROPIC_KEY:-fallback}":          "shell variable",
		"$(op read op://vault/anthropic/key)": "shell command",
		"`pass show anthropic`":               "shell command",
		"{{ secrets.ANTHROPIC_API_KEY }}":     "template",
		"${{ secrets.ANTHROPIC_API_KEY }}":    "template",
		"%ANTHROPIC_API_KEY%":                 "Windows variable",
		"  op://vault/item/field\n":           "1Password",
	}
	for v, want := range refs {
		if got := Reference(v); !strings.Contains(got, want) {
			t.Errorf("Reference(%q) = %q, want it to name a %s", v, got, want)
		}
		if _, issues := Hygiene(v); len(issues) != 1 || issues[0].Code != IssueReference {
			t.Errorf("Hygiene(%q) = %v, want one reference issue", v, issues)
		}
	}
	for _, v := range []string{"", "sk-ant-api03-abc$def", "`sk-ant-api03-abc`", "$", "${", "100%", "a$b", "{{"} {
		if got := Reference(v); got != "" {
			t.Errorf("Reference(%q) = %q, want none", v, got)
		}
	}
}
