package probe

import (
	"regexp"
	"strings"
)

// IssueReference marks a value that names where a key is kept instead of
// being one: a secret manager reference or a variable, command or template
// that nothing expanded. Set by Hygiene.
const IssueReference = "reference"

var (
	refShellVar = regexp.MustCompile(`^\$(\{[A-Za-z_][A-Za-z0-9_]*(:?[-=?+][^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)$`)
	refWinVar   = regexp.MustCompile(`^%[A-Za-z_][A-Za-z0-9_()]*%$`)
)

// Reference says what kind of unresolved reference v is, in a few words
// ("a 1Password reference (op://…)"), or "" when v is not one. Only the
// whole value counts: a key that contains "$" is not a reference.
func Reference(v string) string {
	t := strings.TrimSpace(v)
	switch {
	case t == "":
		return ""
	case strings.HasPrefix(t, "op://"):
		return "a 1Password reference (op://…)"
	case strings.HasPrefix(t, "$(") && strings.HasSuffix(t, ")"),
		// `cmd args` is a command; `sk-ant-…` is a key pasted from Markdown.
		strings.HasPrefix(t, "`") && strings.HasSuffix(t, "`") && strings.Contains(t, " "):
		return "a shell command ($(…)) that nothing ran"
	case refShellVar.MatchString(t):
		return "a shell variable (" + shortRef(t) + ") that nothing expanded"
	case strings.HasPrefix(t, "{{") && strings.HasSuffix(t, "}}"), strings.HasPrefix(t, "${{") && strings.HasSuffix(t, "}}"):
		return "a template ({{ … }}) that was not rendered"
	case refWinVar.MatchString(t):
		return "a Windows variable (" + shortRef(t) + ") that nothing expanded"
	}
	return ""
}

func shortRef(t string) string {
	if len(t) > 40 {
		return t[:37] + "…"
	}
	return t
}
