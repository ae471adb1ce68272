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

// redactLeak reports the first MinPiece-long piece of secret's body found in
// out that the redactor promises to mask: one that looks like key material
// (keyLike). The secret's Console-style hint is the one form allowed.
func redactLeak(out, secret string) (string, bool) {
	out = strings.ReplaceAll(out, Hint(secret), "")
	body := secretBody(secret)
	for i := 0; i+MinPiece <= len(body); i++ {
		if p := body[i : i+MinPiece]; keyLike(p) && strings.Contains(out, p) {
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
	f.Add("x-api-key: abc", "0123456789abcdefghij", 3, 11)
	f.Add("Bearer ", "zzzzzzzzzzzzzzzzzzzzzzz", 0, 23)
	f.Add("sk-ant-api03-", "Ab3dEfGhIjKlMnOpQrStUvWx", 2, 12)
	f.Fuzz(func(t *testing.T, text, secret string, from, to int) {
		// Secrets are made of key characters, as keys and tokens are.
		if len(secret) < MinPiece || strings.IndexFunc(secret, func(r rune) bool { return r > 0x7f || !keyByte(byte(r)) }) >= 0 {
			return
		}
		red := NewRedactor(secret)
		out := red.String(text + secret + text)
		if p, ok := redactLeak(out, secret); ok {
			t.Fatalf("leak of %q in %q", p, out)
		}
		// Any part of it, glued to the text or not.
		body := secretBody(secret)
		from, to = min(max(from, 0), len(body)), min(max(to, 0), len(body))
		if to-from >= MinPiece {
			out = red.String(text + body[from:to] + text)
			if p, ok := redactLeak(out, secret); ok {
				t.Fatalf("leak of %q in %q", p, out)
			}
		}
	})
}

// TestRedactEchoedPieces: any run of MinPiece or more characters of a
// known secret is masked wherever it stands — between spaces, in quotes,
// glued to other characters, in a URL path — when it looks like key
// material; so is a whole secret of any form.
func TestRedactEchoedPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	wrappers := []func(p string) string{
		func(p string) string { return "key ending in " + p },
		func(p string) string { return `{"error":{"message":"invalid key '…` + p + `'"}}` },
		func(p string) string { return "sk-ant-api03-" + p + "XXXXXXXXXX" },
		func(p string) string { return "zz" + p + "zz" },
		func(p string) string { return "https://gw.example/keys/" + p + "/check" },
		func(p string) string { return "x-api-key: ****" + p + "****" },
	}
	for i := range 300 {
		key := redactTestKey(rng, []string{"sk-ant-api03-", "sk-ant-oat01-", ""}[i%3], 40+rng.IntN(60))
		red := NewRedactor(key)
		body := secretBody(key)
		n := MinPiece + rng.IntN(12)
		from := rng.IntN(len(body) - n)
		piece := body[from : from+n]
		for j, wrap := range wrappers {
			if out := red.String(wrap(piece)); strings.Contains(out, piece) != !keyLike(piece) {
				t.Fatalf("case %d/%d: %q of %q gives %q", i, j, piece, key, out)
			}
		}
	}
}

func TestKeyLike(t *testing.T) {
	for run, want := range map[string]bool{
		"AbCdEfGh": true, "abcd1234": true, "xAbcdefg": true, "OAuthTok": true, "ab_cd-3e": true,
		"abcdefgh": false, "ABCDEFGH": false, "Anthropic": false, "ANTHROPIC_API_KEY": false,
		"x-api-key": false, "your-api-key-here": false, "xxxxxxxx": false, "YOUR_KEY_HERE": false,
	} {
		if got := keyLike(run); got != want {
			t.Errorf("keyLike(%q) = %v, want %v", run, got, want)
		}
	}
}

// TestRedactKeepsWordsOfSecrets is the other direction: a secret made
// partly of words (a password, a placeholder in .env.example, a raw value
// with a comment) must not mask those words all over the report.
func TestRedactKeepsWordsOfSecrets(t *testing.T) {
	red := NewRedactor("your-api-key-here", "sk-ant-api03-YOUR_KEY_HERE", "AnthropicRocks!", "${ANTHROPIC_API_KEY}",
		"op://Private/Anthropic/credential", "xxxxxxxxxxxxxxxxxxxx", "correct horse battery staple")
	for _, s := range []string{
		"x-api-key header is required",
		"Set ANTHROPIC_API_KEY in .env, or pass it as x-api-key.",
		"The Anthropic API answered 401: your credentials were rejected.",
		"xxxxxxxx is a placeholder, not a key",
		"Your key is in the keychain: the horse is not a battery.",
	} {
		if got := red.String(s); got != s {
			t.Errorf("String(%q) = %q, want it unchanged", s, got)
		}
	}
	// Whole, each of them is still a secret.
	for _, s := range []string{"AnthropicRocks!", "correct horse battery staple", "your-api-key-here"} {
		if got := red.String("echo: " + s + "."); strings.Contains(got, s) {
			t.Errorf("the whole secret %q survives: %q", s, got)
		}
	}
}

// TestRedactShortPassword: a password shorter than MinPiece is masked as a
// word of its own, never inside a longer word.
func TestRedactShortPassword(t *testing.T) {
	red := NewRedactor("hunt3r")
	for in, want := range map[string]string{
		"proxy: bad password hunt3r":      "proxy: bad password [redacted]",
		"user bob:hunt3r@proxy":           "user bob:[redacted]@proxy",
		"hunt3rs and shunt3r are words":   "hunt3rs and shunt3r are words",
		`{"password":"hunt3r"}`:           `{"password":"[redacted]"}`,
		"three letters: abc, and hunt3r.": "three letters: abc, and [redacted].",
	} {
		if got := red.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	if got := NewRedactor("abc").String("abc"); got != "abc" {
		t.Errorf("a three-letter secret masks text: %q", got)
	}
}

// TestURLSecrets: the user info of the base URL and the proxy variables
// reaches every redactor made from a Report.
func TestURLSecrets(t *testing.T) {
	for in, want := range map[string][]string{
		"http://bob:s3cr%2Fet@proxy:8080": {"s3cr%2Fet", "s3cr/et"},
		"https://TOKEN1234@gw.example/v1": {"TOKEN1234"},
		"bob:pa/ss@proxy:3128":            {"pa/ss"},
		"https://gw.example/v1":           nil,
	} {
		if got := URLSecrets(in); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("URLSecrets(%q) = %q, want %q", in, got, want)
		}
	}
	env := &Env{Dir: t.TempDir(), Home: t.TempDir(), BaseURL: "https://user:baseP4ss@gw.example",
		Vars: map[string]string{"HTTPS_PROXY": "http://u:pr0xyPass@proxy:3128", "http_proxy": "http://tok3nUser@proxy:3128"}}
	r := Prepare(env)
	red := NewRedactor(r.Secrets()...)
	for _, pw := range []string{"baseP4ss", "pr0xyPass", "tok3nUser"} {
		if got := red.String("the proxy said: " + pw + " is wrong"); strings.Contains(got, pw) {
			t.Errorf("%s: %q", pw, got)
		}
	}
}

// TestAutomaton checks the whole-secret matcher against a brute-force
// search: at every position, the longest secret that ends there.
func TestAutomaton(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for range 300 {
		var words []string
		for range 1 + rng.IntN(8) {
			w := make([]byte, 1+rng.IntN(6))
			for i := range w {
				w[i] = "abc"[rng.IntN(3)]
			}
			words = append(words, string(w))
		}
		text := make([]byte, 60)
		for i := range text {
			text[i] = "abcd"[rng.IntN(4)]
		}
		a := newAutomaton(words)
		st := int32(0)
		for j := range text {
			st = a.step(st, text[j])
			got := map[string]bool{}
			for x := st; x != 0; x = a.dict[x] {
				if a.own[x] != 0 {
					got[words[a.own[x]-1]] = true
				}
			}
			for _, w := range words {
				ends := j+1 >= len(w) && string(text[j+1-len(w):j+1]) == w
				if ends != got[w] {
					t.Fatalf("words %q, text %q, end %d: %q found %v, want %v", words, text, j+1, w, got[w], ends)
				}
			}
		}
	}
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

// TestRedactorJSONKnownSecrets: JSON masks the secrets it knows in the
// decoded strings, so a piece right after an escape (\n, \u003c) is
// caught and the document stays valid.
func TestRedactorJSONKnownSecrets(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	key := redactTestKey(rng, "", 60)
	red := NewRedactor(key, "pw\\x")
	for _, msg := range []string{"line\n" + key[10:30], "<" + key[5:25] + ">", "tab\t" + key, "bad pw\\x here"} {
		doc, err := red.JSON(map[string]any{"message": msg, "x-api-key": key[:20]})
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]string
		if err := json.Unmarshal([]byte(doc), &back); err != nil {
			t.Fatalf("%q: the document broke: %v\n%s", msg, err, doc)
		}
		for _, v := range back {
			if p, ok := redactLeak(v, key); ok || strings.Contains(v, "pw\\x") {
				t.Errorf("%q: %q leaks %q", msg, v, p)
			}
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
