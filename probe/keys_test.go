package probe

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

const ktAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// ktKey builds a key of the published shape at run time: prefix, 93 random
// characters of the key alphabet, "AA".
func ktKey(prefix string) string { return prefix + ktRandom(93) + "AA" }

func ktRandom(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = ktAlphabet[rand.IntN(len(ktAlphabet))]
	}
	return string(b)
}

func TestHint(t *testing.T) {
	api := ktKey(PrefixAPI)
	admin := ktKey(PrefixAdmin)
	oat := ktKey(PrefixOAuthAccess)
	openai := "sk-proj-" + ktRandom(120)
	tests := []struct {
		name, key, want string
	}{
		{"empty", "", "(empty)"},
		{"api key in the Console's form", api, PrefixAPI + api[13:16] + "..." + api[104:]},
		{"admin key", admin, PrefixAdmin + admin[15:18] + "..." + admin[106:]},
		{"oauth token", oat, PrefixOAuthAccess + oat[13:16] + "..." + oat[len(oat)-4:]},
		{"other provider", openai, openai[:4] + "..." + openai[len(openai)-4:]},
		{"short string shows only its length", "hunter2hunter", "…(13 chars)"},
		{"one character", "x", "…(1 char)"},
		{"19 characters", strings.Repeat("a", 19), "…(19 chars)"},
		{"20 characters", "abcdefghijklmnopqrst", "abcd...qrst"},
		{"prefix with a short rest", PrefixAPI + "abc", PrefixAPI + "…(3 chars)"},
		{"prefix with a 19-character rest", PrefixAPI + strings.Repeat("b", 19), PrefixAPI + "…(19 chars)"},
		{"trailing newline shown as ?", api + "\n", PrefixAPI + api[13:16] + "..." + api[105:] + "?"},
		{"escape sequence not passed through", "\x1b[31m" + strings.Repeat("z", 30), "?[31...zzzz"},
		{"non-ASCII shown as ?", "ключ-" + strings.Repeat("q", 20), "????...qqqq"},
		{"sk-ant- without a kind is not a prefix", "sk-ant-" + strings.Repeat("c", 30), "sk-a...cccc"},
		{"long kind is not a prefix", "sk-ant-abcdefghij01-" + strings.Repeat("d", 30), "sk-a...dddd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Hint(tt.key); got != tt.want {
				t.Errorf("Hint() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHintRevealsAtMostSeven checks the limit on many random values: an
// Anthropic hint reveals 7 characters past the prefix, others 8, and
// values too short for that reveal nothing.
func TestHintRevealsAtMostSeven(t *testing.T) {
	for range 2000 {
		n := rand.IntN(140)
		v := ktRandom(n)
		if rand.IntN(2) == 0 {
			v = PrefixAPI + v
		}
		h := Hint(v)
		if !ktHintAllowed(v, h) {
			t.Fatalf("Hint of a %d-character value reveals too much: %q", utf8.RuneCountInString(v), h)
		}
	}
}

// ktHintAllowed reports whether h is one of the forms Hint may produce for v.
func ktHintAllowed(v, h string) bool {
	if h == "(empty)" {
		return v == ""
	}
	prefix := keyAntPrefix(v)
	rest := strings.TrimPrefix(h, prefix)
	if strings.HasPrefix(rest, "…(") && strings.HasSuffix(rest, " chars)") || rest == "…(1 char)" {
		return true
	}
	body := []rune(v[len(prefix):])
	n := 4
	if prefix != "" {
		n = 3
	}
	return len(body) >= 20 && rest == keyPrintable(body[:n])+"..."+keyPrintable(body[len(body)-4:])
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name     string
		key      string
		kind     KeyKind
		provider string
	}{
		{"api key", ktKey(PrefixAPI), KindAPI, "Anthropic"},
		{"admin key", ktKey(PrefixAdmin), KindAdmin, "Anthropic"},
		{"oauth access token", ktKey(PrefixOAuthAccess), KindOAuth, "Anthropic"},
		{"oauth refresh token", ktKey(PrefixOAuthRefresh), KindOAuth, "Anthropic"},
		{"future api version", "sk-ant-api04-" + ktRandom(60), KindAPI, "Anthropic"},
		{"claude.ai session cookie", "sk-ant-sid01-" + ktRandom(80), KindOther, "claude.ai (a browser session cookie, not an API key)"},
		{"unknown sk-ant kind", "sk-ant-foo01-" + ktRandom(40), KindUnknown, ""},
		{"OpenAI project key", "sk-proj-" + ktRandom(100), KindOther, "OpenAI"},
		{"OpenAI service account", "sk-svcacct-" + ktRandom(100), KindOther, "OpenAI"},
		{"legacy OpenAI-style key", "sk-" + ktRandom(48), KindOther, "OpenAI or an OpenAI-compatible service"},
		{"OpenRouter", "sk-or-v1-" + ktRandom(64), KindOther, "OpenRouter"},
		{"Google", "AIza" + ktRandom(35), KindOther, "Google"},
		{"Groq", "gsk_" + ktRandom(52), KindOther, "Groq"},
		{"xAI", "xai-" + ktRandom(80), KindOther, "xAI"},
		{"GitHub classic token", "ghp_" + ktRandom(36), KindOther, "GitHub"},
		{"GitHub fine-grained token", "github_pat_" + ktRandom(70), KindOther, "GitHub"},
		{"Hugging Face", "hf_" + ktRandom(34), KindOther, "Hugging Face"},
		{"AWS access key id", "AKIA" + strings.ToUpper(ktRandom(16)), KindOther, "AWS"},
		{"JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", KindOther, "a JSON Web Token (JWT), not an API key"},
		{"bare prefix is not a key", "AIza", KindUnknown, ""},
		{"short sk- string", "sk-abc", KindUnknown, ""},
		{"random text", "hello world", KindUnknown, ""},
		{"empty", "", KindUnknown, ""},
		{"api prefix needs its dash", "sk-ant-api03x" + ktRandom(94), KindUnknown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, provider := Classify(tt.key)
			if kind != tt.kind || provider != tt.provider {
				t.Errorf("Classify() = %q, %q; want %q, %q", kind, provider, tt.kind, tt.provider)
			}
		})
	}
}

func TestOAuthRefresh(t *testing.T) {
	if !OAuthRefresh(ktKey(PrefixOAuthRefresh)) || OAuthRefresh(ktKey(PrefixOAuthAccess)) {
		t.Error("OAuthRefresh must tell refresh tokens from access tokens")
	}
}

func TestReadBy(t *testing.T) {
	tests := []struct {
		name    string
		sdk, cc bool
	}{
		{VarAPIKey, true, true},
		{VarAuthToken, true, true},
		{VarOAuthToken, false, true},
		{"CLAUDE_API_KEY", false, false},
		{"anthropic_api_key", false, false},
	}
	for _, tt := range tests {
		if got := ReadBySDK(tt.name); got != tt.sdk {
			t.Errorf("ReadBySDK(%s) = %v", tt.name, got)
		}
		if got := ReadByClaudeCode(tt.name); got != tt.cc {
			t.Errorf("ReadByClaudeCode(%s) = %v", tt.name, got)
		}
	}
}

func TestDistinctAndSameKey(t *testing.T) {
	a, b := ktKey(PrefixAPI), ktKey(PrefixAPI)
	c := []Candidate{
		{Source: "env", Clean: a},
		{Source: "helper", Clean: ""},
		{Source: ".env:1", Clean: b},
		{Source: "~/.zshrc:3", Clean: a},
		{Source: "empty too", Clean: ""},
		{Source: ".env:2", Clean: b},
	}
	got := Distinct(c)
	want := [][]int{{0, 3}, {2, 5}}
	if len(got) != len(want) {
		t.Fatalf("Distinct() = %v, want %v", got, want)
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("Distinct() = %v, want %v", got, want)
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Fatalf("Distinct() = %v, want %v", got, want)
			}
		}
	}
	if !SameKey(c[0], c[3]) || SameKey(c[0], c[2]) || SameKey(c[1], c[4]) {
		t.Error("SameKey disagrees with Distinct")
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		codes []string
		want  bool
	}{
		{nil, false},
		{[]string{IssueUnresolved}, false},
		{[]string{IssueUnresolved, IssueNewline}, true},
		{[]string{IssueTruncated}, true},
	}
	for _, tt := range tests {
		var is []Issue
		for _, c := range tt.codes {
			is = append(is, Issue{Code: c})
		}
		if got := Malformed(is); got != tt.want {
			t.Errorf("Malformed(%v) = %v, want %v", tt.codes, got, tt.want)
		}
	}
}
