package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/http/httpguts"
)

// CountTokensModel is the model CountTokens names when Env.Model is empty:
// a current, cheap model alias. Counting tokens costs nothing either way.
const CountTokensModel = "claude-haiku-4-5"

// Shapes of an answer's body (Answer.Shape).
const (
	ShapeAnthropic = "anthropic" // the API's error envelope, a model list or object, a token count; or JSON with a request-id header
	ShapeHTML      = "html"      // a web page: captive portal, proxy or gateway page
	ShapeText      = "text"      // plain text, such as Go's "404 page not found"
	ShapeOpenAI    = "openai"    // {"error":{"message","type","code"}}, as OpenAI-style servers answer
	ShapeJSON      = "json"      // any other JSON, including a status page and Cloudflare's 413
	ShapeEmpty     = "empty"     // no body
)

// maxMessage is how many characters of a server's message an Answer keeps.
const maxMessage = 300

// Models asks GET /v1/models with key, the cheapest request that proves a
// key works. The answer's Label is "auth" and ModelIDs lists the first page.
// An empty key sends no credential at all.
func (c *Client) Models(ctx context.Context, key string) *Answer {
	return c.auth(ctx, "auth", http.MethodGet, "/v1/models", "/v1/models", nil, key)
}

// Model asks GET /v1/models/{id} with key: does this model exist for this
// key? The answer's Label is "model"; on success ModelIDs holds the id.
func (c *Client) Model(ctx context.Context, key, id string) *Answer {
	return c.auth(ctx, "model", http.MethodGet, "/v1/models/"+id, "/v1/models/"+url.PathEscape(id), nil, key)
}

// CountTokens asks POST /v1/messages/count_tokens for a one-word message
// with key. It is free and reaches billing checks that GET /v1/models does
// not (a credit balance too low). The model is Env.Model when set, else
// CountTokensModel. The answer's Label is "quota".
func (c *Client) CountTokens(ctx context.Context, key string) *Answer {
	model := c.model
	if model == "" {
		model = CountTokensModel
	}
	type message struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	}
	body, err := json.Marshal(struct {
		Model    string    `json:"model"`
		Messages []message `json:"messages"`
	}{model, []message{{"user", "ping"}}})
	if err != nil {
		return &Answer{Label: "quota", Method: http.MethodPost, Time: c.now(),
			Err: &NetError{Phase: PhaseOther, Message: "cannot encode the request"}}
	}
	const path = "/v1/messages/count_tokens"
	return c.auth(ctx, "quota", http.MethodPost, path, path, body, key)
}

// auth sends a request that carries key, after checking that the key may
// go there at all.
func (c *Client) auth(ctx context.Context, label, method, path, rawPath string, body []byte, key string) *Answer {
	u := endpoint(c.base, path, rawPath)
	refuse := func(phase, msg string) *Answer {
		return &Answer{Label: label, Method: method, URL: clean(StripURLCredentials(u.String()), 500),
			Time: c.now(), Err: &NetError{Phase: phase, Message: msg}}
	}
	if !keyAllowed(c.base) {
		return refuse(PhaseInsecure, "not sent: the base URL is plain HTTP to another machine, so the key would cross the network unencrypted")
	}
	if !httpguts.ValidHeaderFieldValue(key) {
		return refuse(PhaseInvalidHeader, "the key holds a control character (such as a newline), so it cannot be sent as an HTTP header")
	}
	a, _ := c.do(ctx, request{label: label, method: method, url: u, body: body, key: key})
	return a
}

// endpoint appends path to base's path, keeping base's query.
func endpoint(base *url.URL, path, rawPath string) *url.URL {
	u := *base
	u.Path = strings.TrimRight(base.Path, "/") + path
	u.RawPath = ""
	if rawPath != path {
		u.RawPath = strings.TrimRight(base.EscapedPath(), "/") + rawPath
	}
	u.Fragment, u.RawFragment = "", ""
	return &u
}

// classify fills a from resp and its (bounded) body.
func classify(a *Answer, resp *http.Response, body []byte) {
	h := resp.Header
	a.Status = resp.StatusCode
	a.ContentType = clean(h.Get("Content-Type"), 100)
	a.Server = clean(h.Get("Server"), 100)
	a.RequestID = clean(h.Get("request-id"), 100)
	a.OrgID = clean(h.Get("anthropic-organization-id"), 100)
	a.WorkspaceID = clean(h.Get("anthropic-workspace-id"), 100)
	a.Ray = clean(h.Get("cf-ray"), 100)
	a.RetryAfter = clean(h.Get("retry-after"), 50)
	a.ShouldRetry = clean(h.Get("x-should-retry"), 20)
	for k, vs := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "anthropic-ratelimit-") && len(vs) > 0 {
			if a.RateLimit == nil {
				a.RateLimit = map[string]string{}
			}
			a.RateLimit[clean(lk, 100)] = clean(vs[0], 100)
		}
	}
	redirect := resp.StatusCode >= 300 && resp.StatusCode < 400
	if redirect {
		a.Location = clean(StripURLCredentials(h.Get("Location")), 500)
	}

	shape, fromAPI := readBody(a, a.ContentType, body)
	// A request-id header, or the API's own id shape in the body, shows the
	// API answered; a gateway's own "request_id" in its body does not.
	if h.Get("request-id") != "" || strings.HasPrefix(a.RequestID, "req_") {
		fromAPI = true
		if shape == ShapeJSON {
			shape = ShapeAnthropic
		}
	}
	// A proxy's 407 or a redirect may carry forwarded headers, but the API
	// itself never answers that way.
	if resp.StatusCode == http.StatusProxyAuthRequired || redirect {
		fromAPI = false
		if shape == ShapeAnthropic {
			shape = ShapeJSON
		}
	}
	a.Shape, a.Anthropic = shape, fromAPI
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title`)

// readBody sets a's body-derived fields and returns the body's shape and
// whether the body alone shows the Anthropic API answered.
func readBody(a *Answer, contentType string, body []byte) (string, bool) {
	t := bytes.TrimSpace(body)
	if len(t) == 0 {
		return ShapeEmpty, false
	}
	if t[0] == '{' || t[0] == '[' {
		var obj map[string]json.RawMessage
		if json.Unmarshal(t, &obj) == nil {
			return readJSON(a, obj)
		}
		// Valid JSON that is not an object, or JSON cut at MaxBody.
		if json.Valid(t) || strings.Contains(strings.ToLower(contentType), "json") {
			return ShapeJSON, false
		}
	}
	lower := strings.ToLower(string(t[:min(len(t), 64)]))
	if strings.Contains(strings.ToLower(contentType), "html") ||
		strings.HasPrefix(lower, "<!doctype html") || strings.HasPrefix(lower, "<html") ||
		strings.HasPrefix(lower, "<head") || strings.HasPrefix(lower, "<body") {
		if m := htmlTitle.FindSubmatch(t); m != nil {
			a.Message = clean(html.UnescapeString(string(m[1])), maxMessage)
		}
		return ShapeHTML, false
	}
	a.Message = clean(string(t), maxMessage)
	return ShapeText, false
}

func readJSON(a *Answer, obj map[string]json.RawMessage) (string, bool) {
	str := func(k string, from map[string]json.RawMessage) string {
		var s string
		if json.Unmarshal(from[k], &s) != nil {
			return ""
		}
		return s
	}
	if a.RequestID == "" {
		a.RequestID = clean(str("request_id", obj), 100)
	}
	if raw, ok := obj["error"]; ok {
		var e map[string]json.RawMessage
		if json.Unmarshal(raw, &e) != nil {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				a.Message = clean(s, maxMessage)
			}
			return ShapeJSON, false
		}
		a.Message = clean(str("message", e), maxMessage)
		a.ErrorType = clean(str("type", e), 100)
		if str("type", obj) == "error" && a.ErrorType != "" {
			return ShapeAnthropic, true
		}
		_, code := e["code"]
		_, param := e["param"]
		if code || param {
			if c := str("code", e); c != "" {
				a.ErrorType = clean(c, 100)
			}
			return ShapeOpenAI, false
		}
		// Cloudflare's 413 in front of the API looks like this: the API's
		// edge, but not the API's envelope; only a request-id makes it ours.
		return ShapeJSON, false
	}
	if str("type", obj) == "model" && str("id", obj) != "" {
		a.ModelIDs = []string{clean(str("id", obj), 100)}
		return ShapeAnthropic, true
	}
	if raw, ok := obj["data"]; ok {
		var data []struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		}
		_, hasMore := obj["has_more"]
		if json.Unmarshal(raw, &data) == nil && (hasMore || (len(data) > 0 && data[0].Type == "model")) {
			for _, m := range data {
				if m.ID != "" && len(a.ModelIDs) < 1000 {
					a.ModelIDs = append(a.ModelIDs, clean(m.ID, 100))
				}
			}
			return ShapeAnthropic, true
		}
	}
	if raw, ok := obj["input_tokens"]; ok {
		var n int
		if json.Unmarshal(raw, &n) == nil {
			a.InputTokens = n
			return ShapeAnthropic, true
		}
	}
	for _, k := range []string{"message", "detail", "error_description"} {
		if s := str(k, obj); s != "" {
			a.Message = clean(s, maxMessage)
			break
		}
	}
	return ShapeJSON, false
}

// clean makes text from a server or the environment safe to keep and show:
// valid UTF-8, no control characters (a hostile server could move the
// cursor or recolour the terminal), whitespace runs collapsed, every
// credential masked by Redact, and at most n characters.
//
// Only what is kept is redacted, so a 1 MiB body costs what its first few
// hundred characters cost: the text is cut cleanMargin characters past n,
// back to a space, so that no word — no key — is cut in two before Redact
// sees it; a word longer than the margin that straddles the cut is left out
// whole. After Redact the text is cut to n, and a word the last cut would
// split is left out too, so no partial secret is shown that a redactor
// knowing the whole one could miss.
func clean(s string, n int) string {
	if s == "" {
		return ""
	}
	limit := n + cleanMargin
	var b strings.Builder
	space, runes, more := false, 0, false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b: // escape sequences go whole, as in Sanitize
			i = escEnd(s, i)
			continue
		case r == 0x9b:
			i = csiEnd(s, i+size)
			continue
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f:
			i = stringEnd(s, i+size)
			continue
		case r == utf8.RuneError:
			// Invalid UTF-8 is shown as U+FFFD.
		case unicode.IsSpace(r) || r == '\u2028' || r == '\u2029':
			space = true
			i += size
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || dropRune(r):
			// Dropped without a gap, so a key split by a zero-width
			// character is whole again and Redact sees all of it.
			i += size
			continue
		}
		if runes >= limit {
			more = true
			break
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			runes++
		}
		space = false
		b.WriteRune(r)
		runes++
		i += size
	}
	t := b.String()
	if more {
		t = dropLastWord(t)
	}
	t = Redact(t)
	if r := []rune(t); len(r) > n || more {
		if len(r) > n-1 {
			cut := string(r[:n-1])
			if r[n-1] != ' ' {
				cut = dropLastWord(cut)
			}
			t = cut
		}
		t = strings.TrimSpace(t) + "…"
	}
	return t
}

// cleanMargin is how far past its limit clean reads before it redacts:
// more than any key is long.
const cleanMargin = 256

// dropLastWord cuts s back to its last space, dropping the word the end of
// s may have cut; a single word is kept as it is.
func dropLastWord(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}
