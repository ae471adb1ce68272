package probe

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
)

// hugeBody is a server's 1 MiB answer that echoes part of a key again and
// again.
func hugeBody(key string) string {
	var sb strings.Builder
	for sb.Len() < 1<<20 {
		sb.WriteString("the gateway refused x-api-key " + key[:40] + " because ")
	}
	return sb.String()
}

// BenchmarkCleanHugeBody: a server's 1 MiB error body is cut to the few
// hundred characters an Answer keeps. Its cost must not grow with the body.
func BenchmarkCleanHugeBody(b *testing.B) {
	body := hugeBody(redactTestKey(rand.New(rand.NewPCG(11, 12)), "sk-ant-api03-", 93))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		_ = clean(body, maxMessage)
	}
}

// BenchmarkClassifyHugeBody is the whole way of a 1 MiB 401 into an Answer,
// as plain text and as the API's JSON envelope (which must be parsed).
func BenchmarkClassifyHugeBody(b *testing.B) {
	body := hugeBody(redactTestKey(rand.New(rand.NewPCG(11, 12)), "sk-ant-api03-", 93))
	envelope, _ := json.Marshal(map[string]any{"type": "error", "error": map[string]string{"type": "authentication_error", "message": body}})
	for _, tt := range []struct {
		name, ct string
		body     []byte
	}{{"text", "text/plain", []byte(body)}, {"json", "application/json", envelope}} {
		b.Run(tt.name, func(b *testing.B) {
			resp := &http.Response{StatusCode: http.StatusUnauthorized, Header: http.Header{"Content-Type": {tt.ct}}}
			b.SetBytes(int64(len(tt.body)))
			for b.Loop() {
				classify(&Answer{}, resp, tt.body)
			}
		})
	}
}

// BenchmarkRedactManySecrets: a project with a thousand keys, and a 100 KB
// output to mask. One pass, whatever the number of secrets: "mask" is a
// redactor that knows them already, "learn+mask" learns them first.
func BenchmarkRedactManySecrets(b *testing.B) {
	rng := rand.New(rand.NewPCG(13, 14))
	secrets := make([]string, 1000)
	for i := range secrets {
		secrets[i] = redactTestKey(rng, "sk-ant-api03-", 93)
	}
	var sb strings.Builder
	for i := 0; sb.Len() < 100<<10; i++ {
		sb.WriteString("[✗] key from .env:")
		sb.WriteString(strings.Repeat("7", i%3+1))
		sb.WriteString(" is rejected: the API answered 401 invalid x-api-key for ")
		sb.WriteString(Hint(secrets[i%len(secrets)]))
		if i%50 == 0 {
			sb.WriteString(" echo " + secrets[i%len(secrets)][20:40])
		}
		sb.WriteString("\n")
	}
	out := sb.String()
	b.Run("mask", func(b *testing.B) {
		red := NewRedactor(secrets...)
		red.String("")
		red.known()
		b.SetBytes(int64(len(out)))
		for b.Loop() {
			_ = red.String(out)
		}
	})
	b.Run("learn+mask", func(b *testing.B) {
		b.SetBytes(int64(len(out)))
		for b.Loop() {
			_ = NewRedactor(secrets...).String(out)
		}
	})
}
