package stub

import (
	"crypto/rand"
	"math/big"
	"net/http"
	"strings"
)

// Key prefixes the stub tells apart, as the real API's key formats do.
const (
	apiKeyPrefix   = "sk-ant-api03-"
	adminKeyPrefix = "sk-ant-admin01-"
	oauthPrefix    = "sk-ant-oat01-"

	keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	base62      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	keyBodyLen  = 93
)

// NewAPIKey returns a random, well-formed API key: "sk-ant-api03-", 93
// characters of [A-Za-z0-9_-] and "AA". It was never issued by anyone, so
// the real API rejects it; the stub accepts it in the healthy scenario.
func NewAPIKey() string { return apiKeyPrefix + randString(keyAlphabet, keyBodyLen) + "AA" }

// NewAdminKey returns a random key shaped like an Admin API key.
func NewAdminKey() string { return adminKeyPrefix + randString(keyAlphabet, keyBodyLen) + "AA" }

// NewOAuthToken returns a random string shaped like an OAuth access token.
func NewOAuthToken() string { return oauthPrefix + randString(keyAlphabet, keyBodyLen) + "AA" }

// WellFormedAPIKey reports whether key has exactly the shape of an API key.
func WellFormedAPIKey(key string) bool {
	body, ok := strings.CutPrefix(key, apiKeyPrefix)
	if !ok || len(body) != keyBodyLen+2 || !strings.HasSuffix(body, "AA") {
		return false
	}
	return onlyFrom(body, keyAlphabet)
}

// wellFormedOAuth is looser than the API-key check: the token's exact
// length is not documented.
func wellFormedOAuth(tok string) bool {
	body, ok := strings.CutPrefix(tok, oauthPrefix)
	return ok && len(body) >= 20 && onlyFrom(body, keyAlphabet)
}

func onlyFrom(s, alphabet string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(alphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

func randString(alphabet string, n int) string {
	var b strings.Builder
	b.Grow(n)
	max := big.NewInt(int64(len(alphabet)))
	for range n {
		i, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("stub: crypto/rand failed: " + err.Error())
		}
		b.WriteByte(alphabet[i.Int64()])
	}
	return b.String()
}

// newRequestID returns an id shaped like the API's: "req_" and 24 base62
// characters, starting "011C" as current ids do.
func newRequestID() string { return "req_011C" + randString(base62, 20) }

func newMessageID() string { return "msg_01" + randString(base62, 22) }

// newRay returns a Cloudflare ray id: 16 hex digits and a data-centre code.
func newRay() string { return randString("0123456789abcdef", 16) + "-SJC" }

// credentialHint is the Console hint of the credential in h — x-api-key,
// else a Bearer token — when it is an Anthropic key or token: its prefix,
// first 3 characters, "..." and last 4. Empty for anything else.
func credentialHint(h http.Header) string {
	v := h.Get("X-Api-Key")
	if v == "" {
		if scheme, tok, ok := strings.Cut(h.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
			v = strings.TrimSpace(tok)
		}
	}
	rest, ok := strings.CutPrefix(v, "sk-ant-")
	if !ok {
		return ""
	}
	i := strings.IndexByte(rest, '-')
	if i < 3 || i > 10 {
		return ""
	}
	prefix, body := v[:len("sk-ant-")+i+1], rest[i+1:]
	if len(body) < 20 || !onlyFrom(body, keyAlphabet) {
		return ""
	}
	return prefix + body[:3] + "..." + body[len(body)-4:]
}
