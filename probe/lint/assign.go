package lint

import (
	"fmt"
	"regexp"
	"strings"
)

// A key often reaches the client through a variable: KEY = "your_key" on
// one line, Anthropic(api_key=KEY) further down. Lint follows a name to the
// one string literal assigned to it in the file.

var (
	reAssign    = regexp.MustCompile(`(?:^|[^\w.$@])([$@]?(?:(?:self|this)\.)?[A-Za-z_]\w*)\s*(?::\s*[\w<>\[\]?.]+\s*)?(?::=|<-|=)(?:\s*)` + strRef + `\s*(?:[;,)]|$|\n)`)
	reIdentExpr = regexp.MustCompile(`^\s*[$@]?(?:(?:self|this)\.|(?:self|this)->|\$this->)?([A-Za-z_]\w*)\s*$`)
	// the fallback of an environment lookup: getenv("K", "default"),
	// getenv('K') ?: 'default', process.env.K || "default", ENV.fetch("K", "default")
	reEnvFallback = regexp.MustCompile(`(?:,|\?:|\|\||\?\?|\bor\b)\s*` + strRef + `\s*\)?\s*$`)
	reHasEnvRead  = regexp.MustCompile(`(?i)getenv|environ|process\.env|import\.meta\.env|ENV\s*[\[.]|Environment\.GetEnvironmentVariable|Sys\.getenv|System\.getenv|env::var|Deno\.env`)
)

type assignment struct {
	tok  *strTok
	line int
	n    int // how many literals are assigned to the name
}

// assignments maps each name to the string literal assigned to it.
func (s *srcFile) assignments() map[string]assignment {
	if s.assigns != nil {
		return s.assigns
	}
	s.assigns = map[string]assignment{}
	for _, m := range reAssign.FindAllStringSubmatchIndex(s.skel, -1) {
		name := normName(s.skel[m[2]:m[3]])
		t := s.tok(s.skel[m[4]:m[5]])
		if t == nil || t.interp {
			continue
		}
		a := s.assigns[name]
		a.n++
		if a.tok == nil {
			a.tok, a.line = t, t.line
		}
		s.assigns[name] = a
	}
	return s.assigns
}

func normName(n string) string {
	n = strings.TrimLeft(n, "$@")
	n = strings.TrimPrefix(strings.TrimPrefix(n, "self."), "this.")
	return n
}

// resolve returns the literal a bare name in e stands for, when exactly one
// is assigned to it in the file.
func (s *srcFile) resolve(e expr) (*strTok, int, bool) {
	m := reIdentExpr.FindStringSubmatch(e.code)
	if m == nil {
		return nil, 0, false
	}
	a, ok := s.assignments()[m[1]]
	if !ok || a.n != 1 {
		return nil, 0, false
	}
	return a.tok, a.line, true
}

// fallback returns the default of an environment lookup in e.
func (s *srcFile) fallback(e expr) (*strTok, bool) {
	if !reHasEnvRead.MatchString(e.code) {
		return nil, false
	}
	m := reEnvFallback.FindStringSubmatch(e.code)
	if m == nil {
		return nil, false
	}
	t := s.tok(m[1])
	return t, t != nil && !t.interp
}

var reKeyPath = regexp.MustCompile(`(?i)^(?:~|\.{1,2}|[a-z]:)?[\\/]?(?:[\w.-]+[\\/])+[\w.-]*\.(?:txt|key|json|env|pem|ya?ml|cfg|conf|ini|toml|secret)$|^(?:~/|/etc/|/run/secrets/|/var/run/secrets/)`)

// literalKey checks a literal that is sent as the key; what names where it
// goes (api_key, x-api-key); fallback says it is sent only when the
// variable before it is unset.
func (l *linter) literalKey(raw string, line int, what string, fallback bool) {
	k := strings.Trim(strings.TrimSpace(raw), `"'“”‘’`)
	switch {
	case k == "":
		if fallback {
			return // the SDK then reports a missing key itself
		}
		l.add(IDAuthMissing, Error, line, fmt.Sprintf("The %s value is an empty string, so no key is sent; an explicit empty key also overrides ANTHROPIC_API_KEY.", what),
			"Pass the key from the environment, or leave the argument out so the SDK reads ANTHROPIC_API_KEY.")
	case reKeyPath.MatchString(k) && !strings.Contains(k, "://"):
		l.add(IDAuthKeyPath, Error, line, fmt.Sprintf("The %s value is a file path (%s); the path itself is sent as the key.", what, show(k)),
			"Read the file and pass its contents, or put the key in ANTHROPIC_API_KEY.")
	case isPlaceholder(k):
		msg := "The key is a placeholder, not a real key."
		sev := Error
		switch {
		case fallback:
			msg = fmt.Sprintf("When ANTHROPIC_API_KEY is unset, the placeholder %q is sent as the key.", show(k))
			sev = Warn
		case isKeyEnvVar(k) || anthropicVar(k) && reUpperVarName.MatchString(k):
			msg = fmt.Sprintf("The key is the text %q, the name of a variable, not its value.", show(k))
		}
		l.add(IDAuthPlaceholder, sev, line, msg,
			"Create a key at platform.claude.com → Settings → API keys and pass it through ANTHROPIC_API_KEY.")
	default:
		if !fallback {
			l.checkKeyShape(value{text: raw, line: line}, what)
		}
		l.checkKeyKind(k, line)
	}
}
