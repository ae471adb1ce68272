package probe

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fix401/fix401/probe/stub"
)

func TestShapes(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		header      map[string]string
		body        string
		shape       string
		anthropic   bool
		errorType   string
		message     string
		requestID   string
		modelIDs    []string
		inputTokens int
	}{
		{name: "anthropic 401", status: 401, header: map[string]string{"request-id": "req_011"},
			body:  `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011"}`,
			shape: ShapeAnthropic, anthropic: true, errorType: "authentication_error", message: "invalid x-api-key", requestID: "req_011"},
		{name: "envelope without header, id in body", status: 401,
			body:  `{"type":"error","error":{"type":"authentication_error","message":"x-api-key header is required"},"request_id":"req_022"}`,
			shape: ShapeAnthropic, anthropic: true, errorType: "authentication_error", message: "x-api-key header is required", requestID: "req_022"},
		{name: "envelope with null request_id", status: 529,
			body:  `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}`,
			shape: ShapeAnthropic, anthropic: true, errorType: "overloaded_error", message: "Overloaded"},
		{name: "model list", status: 200, header: map[string]string{"request-id": "req_1"},
			body:  `{"data":[{"type":"model","id":"claude-a"},{"type":"model","id":"claude-b"}],"has_more":false,"first_id":"claude-a","last_id":"claude-b"}`,
			shape: ShapeAnthropic, anthropic: true, requestID: "req_1", modelIDs: []string{"claude-a", "claude-b"}},
		{name: "one model", status: 200, body: `{"type":"model","id":"claude-x","display_name":"X"}`,
			shape: ShapeAnthropic, anthropic: true, modelIDs: []string{"claude-x"}},
		{name: "token count", status: 200, header: map[string]string{"request-id": "req_2"}, body: `{"input_tokens":8}`,
			shape: ShapeAnthropic, anthropic: true, requestID: "req_2", inputTokens: 8},
		{name: "html portal", status: 200, header: map[string]string{"Content-Type": "text/html"},
			body:  "<!DOCTYPE html>\n<html><head><title>Sign in to Wi-Fi &amp; more</title></head><body>x</body></html>",
			shape: ShapeHTML, message: "Sign in to Wi-Fi & more"},
		{name: "html without content type", status: 403, body: "<html><body>Forbidden</body></html>", shape: ShapeHTML},
		{name: "go 404 text", status: 404, header: map[string]string{"Content-Type": "text/plain; charset=utf-8"},
			body: "404 page not found\n", shape: ShapeText, message: "404 page not found"},
		{name: "openai", status: 401,
			body:  `{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`,
			shape: ShapeOpenAI, errorType: "invalid_api_key", message: "Incorrect API key provided."},
		{name: "cloudflare 413", status: 413, header: map[string]string{"Server": "cloudflare"},
			body:  `{"error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."}}`,
			shape: ShapeJSON, errorType: "request_too_large", message: "Request exceeds the maximum allowed number of bytes."},
		{name: "gateway json", status: 401, body: `{"message":"Unauthorized"}`, shape: ShapeJSON, message: "Unauthorized"},
		{name: "string error", status: 401, body: `{"error":"bad key"}`, shape: ShapeJSON, message: "bad key"},
		{name: "json array", status: 200, body: `[1,2]`, shape: ShapeJSON},
		{name: "other json with request-id", status: 200, header: map[string]string{"request-id": "req_3"}, body: `{"ok":true}`,
			shape: ShapeAnthropic, anthropic: true, requestID: "req_3"},
		{name: "empty", status: 502, body: "", shape: ShapeEmpty},
		{name: "empty with request-id", status: 500, header: map[string]string{"request-id": "req_4"},
			shape: ShapeEmpty, anthropic: true, requestID: "req_4"},
		{name: "proxy 407 is never the API", status: 407, header: map[string]string{"request-id": "req_5"},
			body: `{"type":"error","error":{"type":"authentication_error","message":"proxy"}}`, shape: ShapeJSON,
			errorType: "authentication_error", message: "proxy", requestID: "req_5"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		prefix, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/case"), "/")
		i, err := strconv.Atoi(prefix)
		if err != nil || i < 0 || i >= len(tests) {
			http.NotFound(w, r)
			return
		}
		tt := tests[i]
		if tt.header["Content-Type"] == "" {
			w.Header()["Content-Type"] = nil // no sniffing: the body decides
		}
		for k, v := range tt.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(tt.status)
		io.WriteString(w, tt.body)
	}))
	defer srv.Close()

	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := testEnv(t, srv.URL+"/case"+strconv.Itoa(i)+"/")
			env.Retries = -1
			a := newClient(t, env).Models(context.Background(), netKey(t, "sk-ant-api03-"))
			if a.Err != nil {
				t.Fatalf("Err = %+v", a.Err)
			}
			if a.Status != tt.status || a.Shape != tt.shape || a.Anthropic != tt.anthropic {
				t.Errorf("status %d shape %q anthropic %v; want %d %q %v", a.Status, a.Shape, a.Anthropic, tt.status, tt.shape, tt.anthropic)
			}
			if a.ErrorType != tt.errorType || a.Message != tt.message || a.RequestID != tt.requestID {
				t.Errorf("error type %q message %q request id %q; want %q %q %q", a.ErrorType, a.Message, a.RequestID, tt.errorType, tt.message, tt.requestID)
			}
			if strings.Join(a.ModelIDs, ",") != strings.Join(tt.modelIDs, ",") || a.InputTokens != tt.inputTokens {
				t.Errorf("models %v tokens %d; want %v %d", a.ModelIDs, a.InputTokens, tt.modelIDs, tt.inputTokens)
			}
			if !strings.HasSuffix(a.URL, "/case"+strconv.Itoa(i)+"/v1/models") || a.Label != "auth" || a.Attempts != 1 {
				t.Errorf("URL %q label %q attempts %d", a.URL, a.Label, a.Attempts)
			}
		})
	}
}

func TestAuthHeadersAndBodies(t *testing.T) {
	type seen struct {
		method, path, raw string
		h                 http.Header
		body              []byte
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, r.URL.RawPath, r.Header.Clone(), b}
		w.Header().Set("request-id", "req_h")
		io.WriteString(w, `{"input_tokens":3}`)
	}))
	defer srv.Close()
	api := netKey(t, "sk-ant-api03-")
	oauth := netKey(t, "sk-ant-oat01-")

	t.Run("api key", func(t *testing.T) {
		newClient(t, testEnv(t, srv.URL)).Models(context.Background(), api)
		s := <-got
		if s.method != "GET" || s.path != "/v1/models" {
			t.Errorf("%s %s, want GET /v1/models", s.method, s.path)
		}
		if s.h.Get("x-api-key") != api || s.h.Get("anthropic-version") != AnthropicVersion {
			t.Error("x-api-key or anthropic-version missing or wrong")
		}
		if s.h.Get("Authorization") != "" || s.h.Get("anthropic-beta") != "" {
			t.Error("an API key must not also go as a bearer token")
		}
	})
	t.Run("oauth token", func(t *testing.T) {
		newClient(t, testEnv(t, srv.URL)).Models(context.Background(), oauth)
		s := <-got
		if s.h.Get("Authorization") != "Bearer "+oauth || s.h.Get("anthropic-beta") != "oauth-2025-04-20" {
			t.Error("an OAuth token needs Authorization: Bearer and the oauth beta header")
		}
		if s.h.Get("x-api-key") != "" || s.h.Get("anthropic-version") != AnthropicVersion {
			t.Error("wrong x-api-key or anthropic-version for an OAuth token")
		}
	})
	t.Run("model id is escaped", func(t *testing.T) {
		a := newClient(t, testEnv(t, srv.URL)).Model(context.Background(), api, "claude/../x?y")
		s := <-got
		if s.path != "/v1/models/claude/../x?y" || s.raw != "/v1/models/claude%2F..%2Fx%3Fy" {
			t.Errorf("path %q raw %q", s.path, s.raw)
		}
		if a.Label != "model" {
			t.Errorf("label %q, want model", a.Label)
		}
	})
	for _, tt := range []struct{ envModel, want string }{{"", CountTokensModel}, {"claude-opus-x", "claude-opus-x"}} {
		t.Run("count tokens "+tt.want, func(t *testing.T) {
			env := testEnv(t, srv.URL)
			env.Model = tt.envModel
			a := newClient(t, env).CountTokens(context.Background(), api)
			s := <-got
			var body struct {
				Model    string `json:"model"`
				Messages []struct {
					Role    string `json:"role"`
					Content string `json:"content"`
				} `json:"messages"`
			}
			if err := json.Unmarshal(s.body, &body); err != nil {
				t.Fatalf("body %q: %v", s.body, err)
			}
			if s.method != "POST" || s.path != "/v1/messages/count_tokens" || s.h.Get("Content-Type") != "application/json" {
				t.Errorf("%s %s content-type %q", s.method, s.path, s.h.Get("Content-Type"))
			}
			if body.Model != tt.want || len(body.Messages) != 1 || body.Messages[0].Role != "user" || body.Messages[0].Content == "" {
				t.Errorf("body %s", s.body)
			}
			if a.Label != "quota" || a.InputTokens != 3 || !a.OK() {
				t.Errorf("label %q tokens %d ok %v", a.Label, a.InputTokens, a.OK())
			}
		})
	}
}

func TestHeadersRecorded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("request-id", "req_abc")
		h.Set("anthropic-organization-id", "0b4d-org")
		h.Set("anthropic-ratelimit-requests-limit", "50")
		h.Set("anthropic-ratelimit-requests-remaining", "49")
		h.Set("retry-after", "30")
		h.Set("x-should-retry", "false")
		h.Set("Server", "cloudflare")
		h.Set("Content-Type", "application/json")
		w.WriteHeader(429)
		io.WriteString(w, `{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}`)
	}))
	defer srv.Close()
	a := newClient(t, testEnv(t, srv.URL)).Models(context.Background(), netKey(t, "sk-ant-api03-"))
	want := Answer{Status: 429, RequestID: "req_abc", OrgID: "0b4d-org", RetryAfter: "30", ShouldRetry: "false",
		Server: "cloudflare", ContentType: "application/json", ErrorType: "rate_limit_error", Message: "slow down"}
	if a.Status != want.Status || a.RequestID != want.RequestID || a.OrgID != want.OrgID || a.RetryAfter != want.RetryAfter ||
		a.ShouldRetry != want.ShouldRetry || a.Server != want.Server || a.ContentType != want.ContentType ||
		a.ErrorType != want.ErrorType || a.Message != want.Message {
		t.Errorf("got %+v", a)
	}
	if len(a.RateLimit) != 2 || a.RateLimit["anthropic-ratelimit-requests-remaining"] != "49" {
		t.Errorf("rate limits %v", a.RateLimit)
	}
	if a.Time.IsZero() || a.Duration <= 0 || a.Method != "GET" {
		t.Errorf("time %v duration %v method %q", a.Time, a.Duration, a.Method)
	}
}

func TestEchoedKeyIsRedacted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("x-api-key")
		w.Header().Set("Server", "echo "+key)
		w.Header().Set("request-id", "req_"+key)
		w.WriteHeader(401)
		switch r.URL.Path {
		case "/json/v1/models":
			json.NewEncoder(w).Encode(map[string]any{"type": "error",
				"error": map[string]string{"type": "authentication_error", "message": "invalid x-api-key: " + key}})
		case "/text/v1/models":
			io.WriteString(w, "key "+key+" is not valid\r\n")
		case "/html/v1/models":
			io.WriteString(w, "<html><title>Denied "+key+"</title></html>")
		}
	}))
	defer srv.Close()
	key := netKey(t, "sk-ant-api03-")
	for _, kind := range []string{"json", "text", "html"} {
		a := newClient(t, testEnv(t, srv.URL+"/"+kind)).Models(context.Background(), key)
		if a.Message == "" {
			t.Errorf("%s: no message kept", kind)
		}
		for field, v := range map[string]string{"message": a.Message, "server": a.Server, "request id": a.RequestID} {
			if strings.Contains(v, key[len("sk-ant-api03-"):][:20]) {
				t.Errorf("%s: the key leaks into the %s: %q", kind, field, v)
			}
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"plain", "plain"},
		{"  two\n\tlines \r\n", "two lines"},
		{"red \x1b[31malert\x1b[0m", "red alert"},
		{"title \x1b]0;pwned\x07set, clip \x1b]52;c;eA==\x1b\\board", "title set, clip board"},
		{"c1 \u009b2Jcsi \u202eoverride", "c1 csi override"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"zero\u200bwidth", "zerowidth"},
		{strings.Repeat("é", 400), strings.Repeat("é", 299) + "…"},
	}
	for _, tt := range tests {
		if got := clean(tt.in, maxMessage); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	key := netKey(t, "sk-ant-api03-")
	split := key[:40] + "\u200b" + key[40:]
	if got := clean("echo "+split, maxMessage); strings.Contains(got, key[50:70]) {
		t.Errorf("a key split by a zero-width space survives: %q", got)
	}
}

// TestCleanCutsBeforeRedacting: clean redacts only what it keeps, and the
// cuts never leave part of a key for the redactor to miss: a key across the
// first cut (past the margin) and a token across the last one (at n) go
// whole.
func TestCleanCutsBeforeRedacting(t *testing.T) {
	key := netKey(t, "sk-ant-api03-")
	plain := key[13:53] // a secret clean does not recognise
	words := func(n int) string { return strings.Repeat("word ", n/5) }
	for _, tt := range []struct {
		name, in string
		gone     []string // must not appear, not even in part
		cut      bool     // the result ends in …
	}{
		{"key across the margin", words(maxMessage+cleanMargin-40) + key + " " + words(1<<20), []string{key[13:21], key[60:68]}, true},
		// Redacted, the key is short enough to fit.
		{"key across the limit", words(maxMessage-40) + key + " tail", []string{key[13:21], key[60:68]}, false},
		{"unknown token across the limit", words(maxMessage-20) + plain + " tail", []string{plain[:6]}, true},
		{"one huge word", strings.Repeat("x", 1<<20), nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := clean(tt.in, maxMessage)
			if n := utf8.RuneCountInString(got); n > maxMessage || strings.HasSuffix(got, "…") != tt.cut {
				t.Errorf("%d runes, want at most %d, cut %v: %q", n, maxMessage, tt.cut, got)
			}
			for _, g := range tt.gone {
				if strings.Contains(got, g) {
					t.Errorf("%q survives in %q", g, got)
				}
			}
		})
	}
}

// TestAgainstStub runs the probes against every scenario of the stub API,
// which imitates the real API's answers.
func TestAgainstStub(t *testing.T) {
	type want struct {
		status    int
		errorType string
		shape     string
		anthropic bool
		phase     string
	}
	tests := []struct {
		scenario string
		models   want
		tokens   *want // nil: not checked
		status   string
	}{
		{stub.Healthy, want{status: 200, shape: ShapeAnthropic, anthropic: true}, &want{status: 200, shape: ShapeAnthropic, anthropic: true}, "none"},
		{stub.Revoked, want{status: 401, errorType: "authentication_error", shape: ShapeAnthropic, anthropic: true}, nil, ""},
		{stub.Forbidden, want{status: 403, errorType: "permission_error", shape: ShapeAnthropic, anthropic: true}, nil, ""},
		{stub.OrgDisabled, want{status: 400, errorType: "invalid_request_error", shape: ShapeAnthropic, anthropic: true}, nil, ""},
		{stub.Billing, want{status: 200, shape: ShapeAnthropic, anthropic: true}, &want{status: 400, errorType: "invalid_request_error", shape: ShapeAnthropic, anthropic: true}, ""},
		{stub.Billing402, want{status: 200, shape: ShapeAnthropic, anthropic: true}, &want{status: 402, errorType: "billing_error", shape: ShapeAnthropic, anthropic: true}, ""},
		{stub.RateLimited, want{status: 429, errorType: "rate_limit_error", shape: ShapeAnthropic, anthropic: true}, nil, ""},
		{stub.Overloaded, want{status: 529, errorType: "overloaded_error", shape: ShapeAnthropic, anthropic: true}, nil, ""},
		{stub.ServerError, want{status: 500, errorType: "api_error", shape: ShapeAnthropic, anthropic: true}, nil, ""},
		{stub.NotAnthropic, want{status: 200, shape: ShapeHTML}, nil, ""},
		// fix401 sends an API key as x-api-key: a gateway that drops it
		// leaves no key; one that drops Authorization lets it through.
		{stub.XAPIKeyStripped, want{status: 401, errorType: "authentication_error", shape: ShapeAnthropic, anthropic: true}, nil, ""},
		{stub.HeaderStripped, want{status: 200, shape: ShapeAnthropic, anthropic: true}, &want{status: 200, shape: ShapeAnthropic, anthropic: true}, ""},
		{stub.SpendLimit, want{status: 200, shape: ShapeAnthropic, anthropic: true}, &want{status: 400, errorType: "invalid_request_error", shape: ShapeAnthropic, anthropic: true}, ""},
		{stub.TierCap, want{status: 429, errorType: "rate_limit_error", shape: ShapeAnthropic, anthropic: true}, nil, ""},
		{stub.ProxyAuth, want{status: 407}, nil, ""},
		{stub.OpenAI, want{status: 401, errorType: "invalid_api_key", shape: ShapeOpenAI}, nil, ""},
		{stub.Hang, want{phase: PhaseTimeout}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			srv, err := stub.Start(stub.Options{Scenario: tt.scenario})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			env := testEnv(t, srv.URL)
			env.Retries = -1
			if tt.models.phase == PhaseTimeout {
				// A server that never answers times out however loaded the
				// machine is: this limit only sets how long the case takes.
				env.Timeout = 200 * time.Millisecond
			}
			c := newClient(t, env)
			key := stub.NewAPIKey()
			check := func(what string, a *Answer, w want) {
				t.Helper()
				if w.phase != "" {
					if a.Err == nil || a.Err.Phase != w.phase {
						t.Errorf("%s: Err = %+v, want phase %q", what, a.Err, w.phase)
					}
					return
				}
				if a.Err != nil {
					t.Fatalf("%s: Err = %+v", what, a.Err)
				}
				if a.Status != w.status || a.Anthropic != w.anthropic || (w.shape != "" && a.Shape != w.shape) ||
					(w.errorType != "" && a.ErrorType != w.errorType) {
					t.Errorf("%s: status %d type %q shape %q anthropic %v; want %+v", what, a.Status, a.ErrorType, a.Shape, a.Anthropic, w)
				}
				if a.Anthropic && a.RequestID == "" {
					t.Errorf("%s: no request id", what)
				}
			}
			check("models", c.Models(context.Background(), key), tt.models)
			if tt.tokens != nil {
				check("count_tokens", c.CountTokens(context.Background(), key), *tt.tokens)
			}
			if tt.status != "" {
				if sp := c.Status(context.Background()); sp.Indicator != tt.status || sp.Component != stub.APIComponent {
					t.Errorf("status page: %+v", sp)
				}
			}
		})
	}

	t.Run("redirect", func(t *testing.T) {
		var target hits
		dst := httptest.NewServer(target.wrap(func(http.ResponseWriter, *http.Request) {}))
		defer dst.Close()
		srv, err := stub.Start(stub.Options{Scenario: stub.Redirect, RedirectURL: dst.URL})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		a := newClient(t, testEnv(t, srv.URL)).Models(context.Background(), stub.NewAPIKey())
		if a.Location == "" || a.Anthropic || a.Status/100 != 3 || target.n.Load() != 0 {
			t.Errorf("got status %d location %q anthropic %v, target hits %d", a.Status, a.Location, a.Anthropic, target.n.Load())
		}
	})
	t.Run("intercepting TLS", func(t *testing.T) {
		srv, err := stub.StartTLS(stub.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		c := newClient(t, testEnv(t, srv.URL))
		a := c.Models(context.Background(), stub.NewAPIKey())
		if a.Err == nil || a.Err.Phase != PhaseTLSUntrusted || !strings.Contains(a.Err.Issuer, stub.InterceptCA) {
			t.Errorf("Err = %+v, want tls_untrusted by %s", a.Err, stub.InterceptCA)
		}
		env := testEnv(t, srv.URL)
		env.RootCAs = srv.CertPool()
		c = newClient(t, env)
		if a := c.Models(context.Background(), stub.NewAPIKey()); !a.OK() {
			t.Errorf("trusting the stub's CA: %+v err %+v", a, a.Err)
		}
		if n := c.Connect(context.Background()); n.Err != nil || !strings.Contains(n.TLSIssuer, stub.InterceptCA) {
			t.Errorf("Connect: %+v err %+v", n, n.Err)
		}
	})
}
