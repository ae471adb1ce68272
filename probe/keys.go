package probe

import (
	"fmt"
	"strings"
)

// Shapes of Anthropic keys (gitleaks' anthropic rules): a fixed prefix, 93
// characters of [A-Za-z0-9_-], then "AA".
const (
	PrefixAPI          = "sk-ant-api03-"
	PrefixAdmin        = "sk-ant-admin01-"
	PrefixOAuthAccess  = "sk-ant-oat01-"
	PrefixOAuthRefresh = "sk-ant-ort01-"

	APIKeyLen   = len(PrefixAPI) + 95   // 108
	AdminKeyLen = len(PrefixAdmin) + 95 // 110
)

// Variable names that hold Anthropic credentials.
const (
	VarAPIKey     = "ANTHROPIC_API_KEY"
	VarAuthToken  = "ANTHROPIC_AUTH_TOKEN"
	VarOAuthToken = "CLAUDE_CODE_OAUTH_TOKEN"
	VarHelper     = "apiKeyHelper" // Claude Code's settings: a command that prints a key
)

// KeyVars are the variable names Discover looks for, in the order it lists
// them. CLAUDE_API_KEY and ANTHROPIC_KEY are read by nothing: they are here
// because people use them by mistake (see ReadBySDK).
var KeyVars = []string{VarAPIKey, VarAuthToken, VarOAuthToken, "CLAUDE_API_KEY", "ANTHROPIC_KEY"}

// ReadBySDK reports whether the official SDKs read the variable name:
// only ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN. A candidate under any
// other name (CLAUDE_API_KEY, a custom name) reaches no SDK unless the
// user's own code reads it.
func ReadBySDK(name string) bool { return name == VarAPIKey || name == VarAuthToken }

// ReadByClaudeCode reports whether Claude Code reads the variable name:
// the SDK names plus CLAUDE_CODE_OAUTH_TOKEN.
func ReadByClaudeCode(name string) bool { return ReadBySDK(name) || name == VarOAuthToken }

// Hint returns the key in the Console's masked form so a user can match it
// against the key list: "sk-ant-api03-" + first 3 + "..." + last 4. Strings
// without an sk-ant- prefix show at most their first 4 and last 4
// characters, and only when they are at least 20 characters long; shorter
// ones show only their length: "…(12 chars)". Characters that are not
// printable ASCII are shown as '?'.
func Hint(key string) string {
	if key == "" {
		return "(empty)"
	}
	if p := keyAntPrefix(key); p != "" {
		rest := []rune(key[len(p):])
		if len(rest) < 20 {
			return p + keyLength(len(rest))
		}
		return p + keyPrintable(rest[:3]) + "..." + keyPrintable(rest[len(rest)-4:])
	}
	r := []rune(key)
	if len(r) < 20 {
		return keyLength(len(r))
	}
	return keyPrintable(r[:4]) + "..." + keyPrintable(r[len(r)-4:])
}

func keyPrintable(rs []rune) string {
	b := make([]byte, len(rs))
	for i, r := range rs {
		if r > ' ' && r < 0x7f {
			b[i] = byte(r)
		} else {
			b[i] = '?'
		}
	}
	return string(b)
}

// keyAntPrefix returns the "sk-ant-<kind><nn>-" prefix of s, or "". The kind
// is 2 to 8 lower-case letters and the version two digits, so the prefix
// never takes secret characters with it.
func keyAntPrefix(s string) string {
	const head = "sk-ant-"
	if !strings.HasPrefix(s, head) {
		return ""
	}
	i := len(head)
	j := i
	for j < len(s) && j-i < 8 && s[j] >= 'a' && s[j] <= 'z' {
		j++
	}
	if j-i < 2 || j+3 > len(s) || !keyDigit(s[j]) || !keyDigit(s[j+1]) || s[j+2] != '-' {
		return ""
	}
	return s[:j+3]
}

func keyDigit(b byte) bool { return b >= '0' && b <= '9' }

// keyByte reports whether b belongs to the alphabet of Anthropic keys.
func keyByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || keyDigit(b) || b == '-' || b == '_'
}

// keyOtherPrefixes maps well-known prefixes of other services' keys to the
// service's name, longest prefixes first where they overlap.
var keyOtherPrefixes = []struct{ prefix, provider string }{
	{"sk-ant-sid01-", "claude.ai (a browser session cookie, not an API key)"},
	{"sk-or-", "OpenRouter"},
	{"sk-proj-", "OpenAI"},
	{"sk-svcacct-", "OpenAI"},
	{"sk-admin-", "OpenAI"},
	{"sk-None-", "OpenAI"},
	{"sk_live_", "Stripe"},
	{"sk_test_", "Stripe"},
	{"AIza", "Google"},
	{"gsk_", "Groq"},
	{"xai-", "xAI"},
	{"pplx-", "Perplexity"},
	{"hf_", "Hugging Face"},
	{"r8_", "Replicate"},
	{"ghp_", "GitHub"},
	{"gho_", "GitHub"},
	{"ghu_", "GitHub"},
	{"ghs_", "GitHub"},
	{"ghr_", "GitHub"},
	{"github_pat_", "GitHub"},
	{"glpat-", "GitLab"},
	{"xoxb-", "Slack"},
	{"xoxp-", "Slack"},
	{"AKIA", "AWS"},
	{"ASIA", "AWS"},
}

// Classify says what kind of credential key looks like, by its prefix. It
// does not judge the rest: Hygiene does. Pass the cleaned value.
// provider is "Anthropic" for Anthropic keys, the service's name for
// KindOther, and "" for KindUnknown.
func Classify(key string) (kind KeyKind, provider string) {
	if p := keyAntPrefix(key); p != "" {
		switch name := strings.TrimRight(p[len("sk-ant-"):len(p)-1], "0123456789"); name {
		case "api":
			return KindAPI, "Anthropic"
		case "admin":
			return KindAdmin, "Anthropic"
		case "oat", "ort":
			return KindOAuth, "Anthropic"
		}
	}
	for _, o := range keyOtherPrefixes {
		if strings.HasPrefix(key, o.prefix) && len(key) > len(o.prefix)+8 {
			return KindOther, o.provider
		}
	}
	switch {
	case strings.HasPrefix(key, "sk-ant-"):
		return KindUnknown, ""
	case strings.HasPrefix(key, "sk-") && len(key) >= 30 && !strings.ContainsAny(key, " \t\r\n"):
		// Legacy OpenAI keys, and the many services that copied their form
		// (DeepSeek, Moonshot, …).
		return KindOther, "OpenAI or an OpenAI-compatible service"
	case strings.HasPrefix(key, "eyJ") && strings.Count(key, ".") == 2:
		return KindOther, "a JSON Web Token (JWT), not an API key"
	}
	return KindUnknown, ""
}

// OAuthRefresh reports whether key is an OAuth refresh token
// (sk-ant-ort01-…): it can only be exchanged for an access token, never
// sent to the API.
func OAuthRefresh(key string) bool { return strings.HasPrefix(key, PrefixOAuthRefresh) }

// SameKey reports whether two candidates hold the same key once cleaned.
// Candidates without a usable value (empty, or not evaluated) are never the
// same as anything.
func SameKey(a, b Candidate) bool { return a.Clean != "" && a.Clean == b.Clean }

// Distinct groups candidates that hold the same cleaned key: each group
// lists indices into c in order, groups in order of first appearance.
// Candidates with an empty Clean value are left out, so every group is a
// key worth testing once.
func Distinct(c []Candidate) [][]int {
	var groups [][]int
	at := map[string]int{}
	for i, cand := range c {
		if cand.Clean == "" {
			continue
		}
		if g, ok := at[cand.Clean]; ok {
			groups[g] = append(groups[g], i)
			continue
		}
		at[cand.Clean] = len(groups)
		groups = append(groups, []int{i})
	}
	return groups
}

// IssueUnresolved is set by Discover, not Hygiene: the value comes from a
// command or another variable and was not evaluated, so Value is empty.
// It says nothing about the key itself.
const IssueUnresolved = "unresolved"

// Malformed reports whether any issue means the value is not a well-formed
// key as it stands: every issue but IssueUnresolved.
func Malformed(issues []Issue) bool {
	for _, is := range issues {
		if is.Code != IssueUnresolved {
			return true
		}
	}
	return false
}

func keyLength(n int) string {
	if n == 1 {
		return "…(1 char)"
	}
	return fmt.Sprintf("…(%d chars)", n)
}
