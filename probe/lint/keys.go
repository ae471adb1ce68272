package lint

import (
	"regexp"
	"strings"
	"unicode"
)

var (
	reCurlStart     = regexp.MustCompile(`^(?:sudo\s+)?curl(?:\.exe)?(?:\s|$)`)
	reRequestLine   = regexp.MustCompile(`^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+\S+(?:\s+HTTP/\d(?:\.\d)?)?$`)
	reJSImport      = regexp.MustCompile(`^import\s.*\sfrom\s+['"]|^import\s+['"]|^(?:const|let|var)\s+\w+\s*=\s*require\(`)
	rePyStart       = regexp.MustCompile(`^(?:import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+)*$|from\s+[\w.]+\s+import\s|def\s+\w+\(|class\s+\w+.*:$)`)
	reEnvLine       = regexp.MustCompile(`^(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*=`)
	reAnthropicKey  = regexp.MustCompile(`sk-ant-[a-z]+\d{2}-[A-Za-z0-9_-]+`)
	reWellFormed    = regexp.MustCompile(`^sk-ant-api03-[A-Za-z0-9_-]{93}AA$`)
	reLongAnthropic = regexp.MustCompile(`^sk-ant-[a-z]+\d{2}-[A-Za-z0-9_-]{80,}$`)
	reRedact        = regexp.MustCompile(`sk-ant-[A-Za-z0-9_-]{4,}|sk-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{20,}`)
	reShellVar      = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)
	reNamedKey      = regexp.MustCompile(`(?i)^[a-z_ -]*(?:api[_ -]?key|apikey|access[_ -]?token|auth[_ -]?token|secret[_ -]?key|key)[a-z_ -]*$`)
)

// keyKind names what a credential string looks like: api, admin, oauth,
// openai, google, openrouter, or "" when it looks like none of them.
func keyKind(s string) string {
	switch {
	case strings.HasPrefix(s, "sk-ant-api"):
		return "api"
	case strings.HasPrefix(s, "sk-ant-admin"):
		return "admin"
	case strings.HasPrefix(s, "sk-ant-oat"), strings.HasPrefix(s, "sk-ant-ort"):
		return "oauth"
	case strings.HasPrefix(s, "sk-or-"):
		return "openrouter"
	case strings.HasPrefix(s, "sk-ant-"):
		return ""
	case strings.HasPrefix(s, "sk-proj-"), strings.HasPrefix(s, "sk-svcacct-"),
		strings.HasPrefix(s, "sk-") && len(s) >= 40 && isKeyAlphabet(s[3:]):
		return "openai"
	case strings.HasPrefix(s, "AIza") && len(s) >= 30:
		return "google"
	}
	return ""
}

var providerName = map[string]string{"openai": "an OpenAI key", "google": "a Google key", "openrouter": "an OpenRouter key"}

func isKeyAlphabet(s string) bool {
	for _, r := range s {
		if !(r == '-' || r == '_' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// hint shows a key the way the Console does — sk-ant-api03-R2D...igAA — and
// other long secrets as their first and last four characters. Short values
// are not shown at all.
func hint(s string) string {
	if strings.HasPrefix(s, "sk-ant-") {
		i := strings.IndexByte(s[len("sk-ant-"):], '-')
		if i >= 0 {
			prefix := s[:len("sk-ant-")+i+1]
			rest := s[len(prefix):]
			if len(rest) >= 12 {
				return prefix + rest[:3] + "..." + rest[len(rest)-4:]
			}
			return prefix + "..."
		}
		return "sk-ant-..."
	}
	if len(s) >= 20 {
		return s[:4] + "..." + s[len(s)-4:]
	}
	return "(hidden)"
}

// redact replaces anything key-shaped in text shown to people by its hint.
// A hint already in the text (followed by "...") is left as it is.
func redact(s string) string {
	ms := reRedact.FindAllStringIndex(s, -1)
	if ms == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		if strings.HasPrefix(s[m[1]:], "...") {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(hint(s[m[0]:m[1]]))
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

var placeholderWords = []string{
	"your_api_key", "your-api-key", "yourapikey", "your api key", "your_key", "your-key", "your key",
	"your_anthropic", "your-anthropic", "key_here", "key-here", "keyhere", "insert", "replace", "changeme",
	"change_me", "placeholder", "xxx", "...", "…", "dummy", "fake", "example", "redacted", "my_api_key",
	"my-api-key", "<", ">", "todo",
}

// isPlaceholder reports whether a literal key value is obviously not a real
// key: a template, an elision or a prefix with nothing after it.
func isPlaceholder(v string) bool {
	v = strings.TrimSpace(strings.Trim(strings.TrimSpace(v), `"'`))
	if v == "" || reWellFormed.MatchString(v) || reLongAnthropic.MatchString(v) {
		return false
	}
	low := strings.ToLower(v)
	if len(v) >= 40 && isKeyAlphabet(v) && !strings.Contains(low, "xxxx") && !strings.Contains(low, "your") {
		return false // random enough to be a real key of some kind
	}
	if strings.HasPrefix(low, "{{") || strings.HasPrefix(low, "${") || strings.HasPrefix(low, "$") {
		return false // a variable, not a placeholder
	}
	if strings.Contains(low, "your") && (strings.Contains(low, "key") || strings.Contains(low, "token")) {
		return true
	}
	if len(v) <= 48 && reNamedKey.MatchString(v) {
		return true // API KEY, ANTHROPIC_API_KEY, my-anthropic-api-key: words naming a key
	}
	for _, w := range placeholderWords {
		if strings.Contains(low, w) {
			return true
		}
	}
	switch low {
	case "sk-ant-", "sk-ant-api03-", "sk-ant-api03", "sk-...", "sk-", "key", "apikey", "api_key", "api-key", "none", "null", "undefined", "secret":
		return true
	}
	return false
}

// show quotes a user-provided value (a model id, a header name) for a
// message: short, printable, never a key.
func show(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 60 {
			b.WriteString("…")
			break
		}
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			b.WriteRune('?')
		}
	}
	return redact(b.String())
}

// otherProviderVar reports whether an environment variable name belongs to
// another AI provider.
func otherProviderVar(name string) bool {
	up := strings.ToUpper(name)
	for _, p := range []string{"OPENAI", "AZURE_OPENAI", "GEMINI", "GOOGLE", "GROQ", "MISTRAL", "COHERE", "DEEPSEEK", "XAI", "OPENROUTER", "PERPLEXITY", "TOGETHER", "FIREWORKS", "HF_", "HUGGINGFACE"} {
		if strings.HasPrefix(up, p) && (strings.Contains(up, "KEY") || strings.Contains(up, "TOKEN")) {
			return true
		}
	}
	return false
}

// keyVarName reports whether a variable name says it holds an API key.
func keyVarName(name string) bool {
	up := strings.ToUpper(name)
	return strings.Contains(up, "API_KEY") || strings.Contains(up, "APIKEY")
}

// oauthVarName reports whether a variable name says it holds an OAuth
// token. ANTHROPIC_AUTH_TOKEN does not: since 2026 it may as well hold an
// API key or a gateway's token.
func oauthVarName(name string) bool {
	up := strings.ToUpper(name)
	return strings.Contains(up, "OAUTH") || strings.Contains(up, "ACCESS_TOKEN")
}

// isKeyEnvVar reports whether an environment variable is one an SDK or
// Claude Code reads the Claude credential from.
func isKeyEnvVar(name string) bool {
	switch name {
	case "ANTHROPIC_API_KEY", "CLAUDE_API_KEY", "ANTHROPIC_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN":
		return true
	}
	return false
}

// publicEnvPrefix reports whether a variable is bundled into front-end code
// by a framework.
func publicEnvPrefix(name string) bool {
	for _, p := range []string{"NEXT_PUBLIC_", "VITE_", "REACT_APP_", "EXPO_PUBLIC_", "PUBLIC_", "NUXT_PUBLIC_", "GATSBY_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
