package probe

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

const redactTestAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// redactTestKey builds a well-formed key of the given prefix at run time, so no
// key literal ever sits in the source.
func redactTestKey(rng *rand.Rand, prefix string, n int) string {
	var b strings.Builder
	b.WriteString(prefix)
	for range n {
		b.WriteByte(redactTestAlphabet[rng.IntN(len(redactTestAlphabet))])
	}
	return b.String() + "AA"
}

// redactLeak reports the first MinPiece-long piece of secret's body found in out.
func redactLeak(out, secret string) (string, bool) {
	body := secret[keyPrefixLen(secret):]
	for i := 0; i+MinPiece <= len(body); i++ {
		if p := body[i : i+MinPiece]; strings.Contains(out, p) {
			return p, true
		}
	}
	return "", false
}

func TestRedactPatterns(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	api := redactTestKey(rng, "sk-ant-api03-", 93)
	admin := redactTestKey(rng, "sk-ant-admin01-", 93)
	oat := redactTestKey(rng, "sk-ant-oat01-", 93)
	openai := redactTestKey(rng, "sk-proj-", 60)
	google := "AIza" + redactTestKey(rng, "", 33)
	tests := []struct {
		name, in   string
		secret     string
		wantSubstr string
	}{
		{"api key becomes its hint", "key=" + api, api, Hint(api)},
		{"admin key", "got " + admin + " here", admin, "sk-ant-admin01-"},
		{"oauth token", oat, oat, "sk-ant-oat01-"},
		{"openai key", "OPENAI " + openai, openai, "..."},
		{"google key", "k: " + google, google, ""},
		{"bearer header", "Authorization: Bearer " + openai, openai, "Authorization: [redacted]"},
		{"x-api-key header in JSON", `{"x-api-key": "` + api + `"}`, api, `"x-api-key": "[redacted]"`},
		{"short secret header value", "api-key: " + api[20:40], api[20:40], "api-key: [redacted]"},
		{"basic auth", "Authorization: Basic " + api[30:60], api[30:60], "Authorization: [redacted]"},
		{"proxy credentials", "http://bob:" + api[13:40] + "@proxy:3128", api[13:40], "http://redacted@proxy:3128"},
		{"token in query", "https://gw.example/v1?api_key=" + api[13:50] + "&x=1", api[13:50], "api_key=redacted&x=1"},
		{"truncated key echo", "invalid key " + api[:60], api, "sk-ant-api03-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Redact(tt.in)
			if p, ok := redactLeak(out, tt.secret); ok && len(tt.secret) >= MinPiece {
				t.Fatalf("Redact(%q) = %q: redactLeak %q", tt.in, out, p)
			}
			if !strings.Contains(out, tt.wantSubstr) {
				t.Fatalf("Redact(%q) = %q, want it to contain %q", tt.in, out, tt.wantSubstr)
			}
		})
	}
}

func TestRedactKeepsMessages(t *testing.T) {
	// Real API messages and hints must survive: they are the evidence.
	rng := rand.New(rand.NewPCG(3, 4))
	hint := Hint(redactTestKey(rng, "sk-ant-api03-", 93))
	for _, s := range []string{
		"invalid x-api-key",
		"x-api-key header is required",
		"Invalid bearer token",
		"OAuth authentication is currently not supported.",
		"Key in use: " + hint + " from .env:3",
		"keys start with sk-ant-api03-",
		"https://api.anthropic.com/v1/models",
		"request-id req_011CSHoEeqs5C35K2UUqR7Fy",
		`curl -H "x-api-key: $ANTHROPIC_API_KEY" https://api.anthropic.com/v1/models`,
		`"Authorization: Bearer $ANTHROPIC_API_KEY" works only for OAuth tokens`,
		`the key was sent as "Authorization: Bearer" instead of x-api-key`,
		"Authorization: [redacted]",
		"Bearer [redacted]",
		// lint's and steps' own sentences: words, placeholders and
		// punctuation after a header name are not values
		"Send the key as x-api-key: <key> and drop the Authorization header.",
		"The key is sent as Authorization: Bearer. The API takes that.",
		"ANTHROPIC_AUTH_TOKEN holds an API key",
		"Authorization:\n    ANTHROPIC_AUTH_TOKEN holds an API key",
		"Write Authorization: Bearer followed by the key, or send it in x-api-key.",
		"x-api-key: {{apiKey}}",
		"Send the key in x-api-key (or as Authorization: Bearer).",
	} {
		if got := Redact(s); got != s {
			t.Errorf("Redact(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestRedactorKnownSecrets(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	// A key with no recognisable prefix can only be caught because the
	// redactor was told about it.
	plain := redactTestKey(rng, "", 40)
	api := redactTestKey(rng, "sk-ant-api03-", 93)
	red := NewRedactor(plain, api)
	for _, in := range []string{
		"value is " + plain,
		"first part " + plain[:20] + " and last part " + plain[25:],
		"echo: " + api[13:45] + "…",
		"weird: " + strings.ToUpper(plain[:3]) + plain[3:30],
	} {
		out := red.String(in)
		for _, s := range []string{plain, api} {
			if p, ok := redactLeak(out, s); ok {
				t.Errorf("String(%q) = %q redactLeak %q", in, out, p)
			}
		}
	}
	if got := red.String("hello " + api); !strings.Contains(got, Hint(api)) {
		t.Errorf("a known key should become its hint, got %q", got)
	}
}

func TestRedactProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	wrappers := []func(k string) string{
		func(k string) string { return k },
		func(k string) string { return "Authorization: Bearer " + k },
		func(k string) string { return `{"error":{"message":"invalid key ` + k + `"}}` },
		func(k string) string { return `net/http: invalid header field value "` + k + "\\n\" for key X-Api-Key" },
		func(k string) string { return "https://user:" + k + "@proxy.local:8080" },
		func(k string) string { return "ANTHROPIC_API_KEY=\"" + k + "\"\r\n" },
		func(k string) string { return k[:len(k)/2] + "\u200b" + k[len(k)/2:] },
		func(k string) string { return "prefix" + k + "suffix" },
	}
	prefixes := []string{"sk-ant-api03-", "sk-ant-admin01-", "sk-ant-oat01-", "sk-proj-", "", "gsk_"}
	for i := range 500 {
		key := redactTestKey(rng, prefixes[i%len(prefixes)], 20+rng.IntN(90))
		red := NewRedactor(key)
		for j, wrap := range wrappers {
			out := red.String(wrap(key))
			if p, ok := redactLeak(out, key); ok {
				t.Fatalf("case %d/%d: %q redactLeak %q", i, j, out, p)
			}
		}
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("x-api-key: abc", "0123456789abcdefghij")
	f.Add("Bearer ", "zzzzzzzzzzzzzzzzzzzzzzz")
	f.Fuzz(func(t *testing.T, text, secret string) {
		if len(strings.TrimSpace(secret)) < MinPiece || strings.TrimSpace(secret) != secret {
			return
		}
		out := NewRedactor(secret).String(text + secret + text)
		if p, ok := redactLeak(out, secret); ok {
			t.Fatalf("leak of %q in %q", p, out)
		}
	})
}

// TestRedactKeepsJSONValid: the redactor runs over finished JSON documents,
// so it must never break their quoting.
func TestRedactKeepsJSONValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	key := redactTestKey(rng, "sk-ant-api03-", 93)
	red := NewRedactor(key)
	for _, s := range []string{
		`"Authorization: Bearer $ANTHROPIC_API_KEY" works only for OAuth`,
		`x-api-key: "` + key + `"`,
		`Authorization: Bearer ` + key + `"`,
		`proxy "http://u:` + key[20:40] + `@h:1" failed`,
		`https://h/?api_key="` + key[20:40] + `"`,
		`cookie="a\b"`,
		"Send the key as x-api-key: <key> and drop the Authorization header.",
		"Authorization: <token>",
		`x-api-key: "<key>"`,
	} {
		b, err := json.Marshal(map[string]string{"title": s})
		if err != nil {
			t.Fatal(err)
		}
		out := red.String(string(b))
		var v map[string]string
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Errorf("redacting %s broke the JSON: %s (%v)", b, out, err)
		}
		if !strings.Contains(s, key[20:40]) && out != string(b) {
			t.Errorf("redacting %s, which holds no secret, changed it: %s", b, out)
		}
	}
}

// TestCredentialsWithSlashes: a password with an unescaped '/' is still a
// password (review finding: it leaked through both layers).
func TestCredentialsWithSlashes(t *testing.T) {
	for _, in := range []string{"http://bob:s3cr/etPass@127.0.0.1:3128", "https://bob:a/b?c#d@proxy:8080/x"} {
		if got := StripURLCredentials(in); strings.Contains(got, "etPass") || strings.Contains(got, "b?c#d") {
			t.Errorf("StripURLCredentials(%q) = %q", in, got)
		}
		if got := Redact("proxy " + in + " failed"); strings.Contains(got, "etPass") || strings.Contains(got, "b?c#d") {
			t.Errorf("Redact(%q) = %q", in, got)
		}
	}
}
