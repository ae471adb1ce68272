package stub_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe/stub"
)

var requestIDRE = regexp.MustCompile(`^req_[A-Za-z0-9]{24}$`)

// call is one request a test sends.
type call struct {
	method string
	path   string
	key    string            // sent as x-api-key when non-empty
	bearer string            // sent as Authorization: Bearer when non-empty
	header map[string]string // extra headers; "anthropic-version" defaults to 2023-06-01
	body   string
}

// answer is what came back.
type answer struct {
	status int
	header http.Header
	body   []byte
	env    struct {
		Type  string `json:"type"`
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
		RequestID string `json:"request_id"`
	}
}

// noRedirect has no timeout: the stub answers on loopback, and a test must
// not fail because a busy machine was slow.
var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func send(t *testing.T, base string, c call) answer {
	t.Helper()
	if c.method == "" {
		c.method = http.MethodGet
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, base+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if c.key != "" {
		req.Header.Set("x-api-key", c.key)
	}
	if c.bearer != "" {
		req.Header.Set("authorization", "Bearer "+c.bearer)
	}
	req.Header.Set("anthropic-version", "2023-06-01")
	if c.body != "" {
		req.Header.Set("content-type", "application/json")
	}
	for k, v := range c.header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	if a.body, err = io.ReadAll(resp.Body); err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(a.body, &a.env)
	}
	return a
}

const countBody = `{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hi there"}]}`
const messageBody = `{"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"Hi there"}]}`

func TestScenarios(t *testing.T) {
	good, other := stub.NewAPIKey(), stub.NewAPIKey()
	oauth := stub.NewOAuthToken()
	beta := map[string]string{"anthropic-beta": "oauth-2025-04-20"}

	tests := []struct {
		name     string
		opts     stub.Options
		call     call
		status   int
		errType  string // empty: a 2xx answer, or not the API's envelope
		message  string // exact error.message; empty: not checked
		api      bool   // the API itself answered: request-id, cloudflare
		check    func(t *testing.T, a answer)
		scenario string // covered scenario; defaults to opts.Scenario or healthy
	}{
		{name: "healthy models", call: call{path: "/v1/models", key: good}, status: 200, api: true,
			check: func(t *testing.T, a answer) {
				var list struct {
					Data []struct {
						Type, ID string
					}
					HasMore bool   `json:"has_more"`
					FirstID string `json:"first_id"`
				}
				if err := json.Unmarshal(a.body, &list); err != nil || len(list.Data) == 0 || list.Data[0].Type != "model" || list.FirstID != list.Data[0].ID {
					t.Errorf("model list = %s (%v)", a.body, err)
				}
				if a.header.Get("anthropic-organization-id") == "" || a.header.Get("anthropic-ratelimit-requests-limit") == "" {
					t.Errorf("accepted answer lacks organization or rate-limit headers: %v", a.header)
				}
				if _, err := time.Parse(time.RFC3339, a.header.Get("anthropic-ratelimit-requests-reset")); err != nil {
					t.Errorf("reset is not RFC 3339: %v", err)
				}
			}},
		{name: "missing key", call: call{path: "/v1/models"}, status: 401, errType: "authentication_error",
			message: "x-api-key header is required", api: true,
			check: func(t *testing.T, a answer) {
				if a.header.Get("anthropic-organization-id") != "" {
					t.Error("a rejected key must not reveal an organization")
				}
			}},
		{name: "empty key", call: call{path: "/v1/models", header: map[string]string{"x-api-key": " "}}, status: 401,
			errType: "authentication_error", message: "x-api-key header is required", api: true},
		{name: "truncated key", call: call{path: "/v1/models", key: good[:60]}, status: 401,
			errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "api key as bearer", call: call{path: "/v1/models", bearer: good}, status: 200, api: true,
			check: func(t *testing.T, a answer) {
				if a.header.Get("anthropic-organization-id") == "" {
					t.Error("an accepted Bearer key reveals no organization")
				}
			}},
		{name: "api key as bearer, current version", call: call{path: "/v1/models", bearer: good,
			header: map[string]string{"anthropic-version": "2026-10-21"}}, status: 200, api: true},
		{name: "api key as bearer, lower-case scheme", call: call{path: "/v1/models", header: map[string]string{"authorization": "bearer " + good}},
			status: 200, api: true},
		{name: "truncated key as bearer", call: call{path: "/v1/models", bearer: good[:60]}, status: 401,
			errType: "authentication_error", message: "Invalid bearer token", api: true},
		{name: "admin key as bearer", call: call{path: "/v1/models", bearer: stub.NewAdminKey()}, status: 401,
			errType: "authentication_error", message: "Invalid bearer token", api: true},
		{name: "basic scheme", call: call{path: "/v1/models", header: map[string]string{"authorization": "Basic " + good}}, status: 401,
			errType: "authentication_error", message: "Invalid bearer token", api: true},
		{name: "x-api-key wins over bearer", call: call{path: "/v1/models", key: good[:60], bearer: good}, status: 401,
			errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "oauth without beta", call: call{path: "/v1/models", header: map[string]string{"authorization": "Bearer " + oauth}},
			status: 401, errType: "authentication_error", message: "OAuth authentication is currently not supported.", api: true},
		{name: "oauth with beta", call: call{path: "/v1/models", header: map[string]string{"authorization": "Bearer " + oauth, "anthropic-beta": "oauth-2025-04-20"}},
			status: 200, api: true},
		{name: "oauth among other betas", call: call{path: "/v1/models", bearer: oauth,
			header: map[string]string{"anthropic-beta": "context-1m-2025-08-07, oauth-2025-04-20"}}, status: 200, api: true},
		{name: "oauth as x-api-key", call: call{path: "/v1/models", key: oauth, header: beta}, status: 401,
			errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "admin key", call: call{path: "/v1/models", key: stub.NewAdminKey()}, status: 401,
			errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "missing version", call: call{path: "/v1/models", key: good, header: map[string]string{"anthropic-version": ""}},
			status: 400, errType: "invalid_request_error", message: "anthropic-version: header is required", api: true},
		{name: "unknown version", call: call{path: "/v1/models", key: good, header: map[string]string{"anthropic-version": "2024-13-01"}},
			status: 400, errType: "invalid_request_error", message: `anthropic-version: "2024-13-01" is not a valid version`, api: true},
		{name: "current version", call: call{path: "/v1/models", key: good, header: map[string]string{"anthropic-version": "2026-10-21"}},
			status: 200, api: true},
		{name: "first version", call: call{path: "/v1/models", key: good, header: map[string]string{"anthropic-version": "2023-01-01"}},
			status: 200, api: true},
		{name: "known beta", call: call{path: "/v1/models", key: good, header: map[string]string{"anthropic-beta": "context-1m-2025-08-07,files-api-2025-04-14"}},
			status: 200, api: true},
		{name: "unknown beta", call: call{path: "/v1/models", key: good, header: map[string]string{"anthropic-beta": "context-1m-2025-08-07, no-such-beta-2026-01-01"}},
			status: 400, errType: "invalid_request_error", api: true,
			message: "Unexpected value(s) `no-such-beta-2026-01-01` for the `anthropic-beta` header. Please consult our documentation at docs.anthropic.com or try again without the header."},
		{name: "unknown betas", call: call{path: "/v1/models", key: good, header: map[string]string{"anthropic-beta": "beta-a,beta-b"}},
			status: 400, errType: "invalid_request_error", api: true,
			message: "Unexpected value(s) `beta-a`, `beta-b` for the `anthropic-beta` header. Please consult our documentation at docs.anthropic.com or try again without the header."},
		{name: "unknown beta, bad key", call: call{path: "/v1/models", key: good[:60], header: map[string]string{"anthropic-beta": "beta-a"}},
			status: 401, errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "unknown path", call: call{path: "/v1/nothing", key: good}, status: 404, errType: "not_found_error", message: "Not Found", api: true},
		{name: "unknown path, no key", call: call{path: "/v1/nothing"}, status: 401, errType: "authentication_error",
			message: "x-api-key header is required", api: true},
		{name: "unknown path, bad key", call: call{path: "/nothing/at/all", key: good[:60]}, status: 401, errType: "authentication_error",
			message: "invalid x-api-key", api: true},
		{name: "wrong method", call: call{method: http.MethodDelete, path: "/v1/models", key: good}, status: 404, errType: "not_found_error", api: true},
		{name: "wrong method, no key", call: call{method: http.MethodPut, path: "/v1/messages"}, status: 401, errType: "authentication_error", api: true},
		{name: "unknown model", call: call{path: "/v1/models/claude-nope", key: good}, status: 404,
			errType: "not_found_error", message: "model: claude-nope", api: true},
		{name: "model by alias", call: call{path: "/v1/models/claude-sonnet-4-5", key: good}, status: 200, api: true,
			check: func(t *testing.T, a answer) {
				if !bytes.Contains(a.body, []byte(`"id":"claude-sonnet-4-5-`)) {
					t.Errorf("model = %s", a.body)
				}
			}},
		{name: "count tokens", call: call{method: "POST", path: "/v1/messages/count_tokens", key: good, body: countBody}, status: 200, api: true,
			check: func(t *testing.T, a answer) {
				var n struct {
					InputTokens int `json:"input_tokens"`
				}
				if err := json.Unmarshal(a.body, &n); err != nil || n.InputTokens < 1 {
					t.Errorf("count = %s", a.body)
				}
			}},
		{name: "message", call: call{method: "POST", path: "/v1/messages", key: good, body: messageBody}, status: 200, api: true,
			check: func(t *testing.T, a answer) {
				var m struct {
					ID, Type, Role string
					Content        []struct{ Type, Text string }
				}
				if err := json.Unmarshal(a.body, &m); err != nil || m.Type != "message" || !strings.HasPrefix(m.ID, "msg_") || len(m.Content) != 1 {
					t.Errorf("message = %s", a.body)
				}
			}},
		{name: "message without max_tokens", call: call{method: "POST", path: "/v1/messages", key: good, body: countBody}, status: 400,
			errType: "invalid_request_error", message: "max_tokens: Field required", api: true},
		{name: "message not json", call: call{method: "POST", path: "/v1/messages", key: good, body: "{"}, status: 400,
			errType: "invalid_request_error", api: true},
		{name: "valid keys: another key", opts: stub.Options{ValidKeys: []string{good}}, call: call{path: "/v1/models", key: other},
			status: 401, errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "valid keys: the key", opts: stub.Options{ValidKeys: []string{good}}, call: call{path: "/v1/models", key: good},
			status: 200, api: true},
		{name: "revoked keys", opts: stub.Options{RevokedKeys: []string{good}}, call: call{path: "/v1/models", key: good},
			status: 401, errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "browser without opt-in", call: call{path: "/v1/models", key: good, header: map[string]string{"origin": "https://app.example"}},
			status: 401, errType: "authentication_error", message: "CORS requests must set 'anthropic-dangerous-direct-browser-access' header", api: true},
		{name: "browser with opt-in", call: call{path: "/v1/models", key: good, header: map[string]string{"origin": "https://app.example", "anthropic-dangerous-direct-browser-access": "true"}},
			status: 200, api: true, check: func(t *testing.T, a answer) {
				if a.header.Get("access-control-allow-origin") != "*" {
					t.Error("no access-control-allow-origin")
				}
			}},

		{name: "revoked", opts: stub.Options{Scenario: stub.Revoked}, call: call{path: "/v1/models", key: good},
			status: 401, errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "revoked as bearer", opts: stub.Options{Scenario: stub.Revoked}, call: call{path: "/v1/models", bearer: good},
			status: 401, errType: "authentication_error", message: "Invalid bearer token", api: true},
		{name: "revoked, unknown path", opts: stub.Options{Scenario: stub.Revoked}, call: call{method: "POST", path: "/v1/complete", key: good, body: "{}"},
			status: 401, errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "revoked key as bearer", opts: stub.Options{RevokedKeys: []string{good}}, call: call{path: "/v1/models", bearer: good},
			status: 401, errType: "authentication_error", message: "Invalid bearer token", api: true},
		{name: "forbidden, unknown path", opts: stub.Options{Scenario: stub.Forbidden}, call: call{path: "/v1/nothing", key: good},
			status: 403, errType: "permission_error", api: true},
		{name: "billing, unknown path", opts: stub.Options{Scenario: stub.Billing}, call: call{path: "/v1/nothing", key: good},
			status: 404, errType: "not_found_error", api: true},
		{name: "forbidden", opts: stub.Options{Scenario: stub.Forbidden}, call: call{path: "/v1/models", key: good},
			status: 403, errType: "permission_error", api: true},
		{name: "forbidden oauth", opts: stub.Options{Scenario: stub.Forbidden},
			call:   call{path: "/v1/models", header: map[string]string{"authorization": "Bearer " + oauth, "anthropic-beta": "oauth-2025-04-20"}},
			status: 403, errType: "permission_error", message: "OAuth authentication is currently not allowed for this organization.", api: true},
		{name: "forbidden bad key", opts: stub.Options{Scenario: stub.Forbidden, ValidKeys: []string{good}}, call: call{path: "/v1/models", key: other},
			status: 401, errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "ip not allowed", opts: stub.Options{Scenario: stub.IPNotAllowed}, call: call{path: "/v1/models", bearer: good},
			status: 403, errType: "permission_error", message: "Your IP address isn't in this organization's allowed range.", api: true},
		{name: "workspace required", opts: stub.Options{Scenario: stub.WorkspaceNeeded}, call: call{path: "/v1/models", key: good},
			status: 400, errType: "invalid_request_error",
			message: "anthropic-workspace-id is required when authenticating with an identity-linked API key. Find your workspace ID in the Claude Console.", api: true},
		{name: "workspace malformed", opts: stub.Options{Scenario: stub.WorkspaceNeeded},
			call:   call{path: "/v1/models", key: good, header: map[string]string{"anthropic-workspace-id": "my-team"}},
			status: 400, errType: "invalid_request_error", message: "anthropic-workspace-id header must be a valid workspace ID.", api: true},
		{name: "workspace unknown", opts: stub.Options{Scenario: stub.WorkspaceNeeded},
			call:   call{path: "/v1/models", key: good, header: map[string]string{"anthropic-workspace-id": "wrkspc_01Other"}},
			status: 404, errType: "not_found_error", message: "Workspace `wrkspc_01Other` not found.", api: true},
		{name: "workspace given", opts: stub.Options{Scenario: stub.WorkspaceNeeded},
			call:   call{path: "/v1/models", key: good, header: map[string]string{"anthropic-workspace-id": stub.DefaultWorkspace}},
			status: 200, api: true, check: func(t *testing.T, a answer) {
				if a.header.Get("anthropic-workspace-id") != stub.DefaultWorkspace {
					t.Errorf("accepted answer names workspace %q", a.header.Get("anthropic-workspace-id"))
				}
			}},
		{name: "claude code only", opts: stub.Options{Scenario: stub.CodeOnly},
			call: call{method: "POST", path: "/v1/messages/count_tokens", body: `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"hi"}]}`,
				header: map[string]string{"authorization": "Bearer " + oauth, "anthropic-beta": "oauth-2025-04-20"}},
			status: 400, errType: "invalid_request_error",
			message: "This credential is only authorized for use with Claude Code and cannot be used for other API requests.", api: true},
		{name: "claude code only, models", opts: stub.Options{Scenario: stub.CodeOnly},
			call:   call{path: "/v1/models", header: map[string]string{"authorization": "Bearer " + oauth, "anthropic-beta": "oauth-2025-04-20"}},
			status: 200, api: true, scenario: stub.CodeOnly},
		{name: "subscription token, no credit scenario", opts: stub.Options{Scenario: stub.Billing, Subscriptions: []string{oauth}},
			call: call{method: "POST", path: "/v1/messages/count_tokens", body: countBody,
				header: map[string]string{"authorization": "Bearer " + oauth, "anthropic-beta": "oauth-2025-04-20"}},
			status: 400, errType: "invalid_request_error",
			message: "This credential is only authorized for use with Claude Code and cannot be used for other API requests.", api: true},
		{name: "subscription token, models", opts: stub.Options{Scenario: stub.Billing, Subscriptions: []string{oauth}},
			call:   call{path: "/v1/models", header: map[string]string{"authorization": "Bearer " + oauth, "anthropic-beta": "oauth-2025-04-20"}},
			status: 200, api: true},
		{name: "other oauth token, credit scenario", opts: stub.Options{Scenario: stub.Billing, Subscriptions: []string{"sk-ant-oat01-someoneelse"}},
			call: call{method: "POST", path: "/v1/messages/count_tokens", body: countBody,
				header: map[string]string{"authorization": "Bearer " + oauth, "anthropic-beta": "oauth-2025-04-20"}},
			status: 400, errType: "invalid_request_error", api: true, check: func(t *testing.T, a answer) {
				if !strings.Contains(a.env.Error.Message, "credit balance is too low") {
					t.Errorf("message %q", a.env.Error.Message)
				}
			}},
		{name: "org disabled", opts: stub.Options{Scenario: stub.OrgDisabled}, call: call{path: "/v1/models", key: good},
			status: 400, errType: "invalid_request_error", message: "This organization has been disabled.", api: true},
		{name: "billing models", opts: stub.Options{Scenario: stub.Billing}, call: call{path: "/v1/models", key: good},
			status: 200, api: true},
		{name: "billing count", opts: stub.Options{Scenario: stub.Billing}, call: call{method: "POST", path: "/v1/messages/count_tokens", key: good, body: countBody},
			status: 400, errType: "invalid_request_error", api: true, check: func(t *testing.T, a answer) {
				if !strings.Contains(a.env.Error.Message, "credit balance is too low") {
					t.Errorf("message = %q", a.env.Error.Message)
				}
			}},
		{name: "billing 402", opts: stub.Options{Scenario: stub.Billing402}, call: call{method: "POST", path: "/v1/messages", key: good, body: messageBody},
			status: 402, errType: "billing_error", api: true},
		{name: "rate limited", opts: stub.Options{Scenario: stub.RateLimited, RetryAfter: 3 * time.Second}, call: call{path: "/v1/models", key: good},
			status: 429, errType: "rate_limit_error", api: true, check: func(t *testing.T, a answer) {
				if got := a.header.Get("retry-after"); got != "3" {
					t.Errorf("retry-after = %q, want 3", got)
				}
				if got := a.header.Get("anthropic-ratelimit-requests-remaining"); got != "0" {
					t.Errorf("requests remaining = %q, want 0", got)
				}
			}},
		{name: "rate limited bad key", opts: stub.Options{Scenario: stub.RateLimited}, call: call{path: "/v1/models", key: good[:50]},
			status: 401, errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "spend limit models", opts: stub.Options{Scenario: stub.SpendLimit}, call: call{path: "/v1/models", key: good},
			status: 200, api: true},
		{name: "spend limit count", opts: stub.Options{Scenario: stub.SpendLimit}, call: call{method: "POST", path: "/v1/messages/count_tokens", key: good, body: countBody},
			status: 400, errType: "invalid_request_error", api: true, check: wantSpendLimit},
		{name: "spend limit message", opts: stub.Options{Scenario: stub.SpendLimit}, call: call{method: "POST", path: "/v1/messages", bearer: good, body: messageBody},
			status: 400, errType: "invalid_request_error", api: true, check: wantSpendLimit},
		{name: "tier cap", opts: stub.Options{Scenario: stub.TierCap}, call: call{path: "/v1/models", key: good},
			status: 429, errType: "rate_limit_error", api: true, check: func(t *testing.T, a answer) {
				if a.header.Get("retry-after") != "" {
					t.Error("a tier's monthly cap has no retry-after")
				}
				if got := a.header.Get("anthropic-ratelimit-requests-remaining"); got != "0" {
					t.Errorf("requests remaining = %q, want 0", got)
				}
				if strings.Contains(a.env.Error.Message, "specified API usage limits") {
					t.Errorf("the tier cap speaks of a spend limit: %q", a.env.Error.Message)
				}
			}},
		{name: "overloaded", opts: stub.Options{Scenario: stub.Overloaded}, call: call{method: "POST", path: "/v1/messages", key: good, body: messageBody},
			status: 529, errType: "overloaded_error", message: "Overloaded", api: true},
		{name: "server error", opts: stub.Options{Scenario: stub.ServerError}, call: call{path: "/v1/models", key: good},
			status: 500, errType: "api_error", api: true},
		{name: "outage models", opts: stub.Options{Scenario: stub.Outage}, call: call{path: "/v1/models", key: good},
			status: 500, errType: "api_error", api: true},
		{name: "outage count, no key", opts: stub.Options{Scenario: stub.Outage}, call: call{method: "POST", path: "/v1/messages/count_tokens", body: countBody},
			status: 529, errType: "overloaded_error", api: true},
		{name: "header stripped, bearer", opts: stub.Options{Scenario: stub.HeaderStripped}, call: call{path: "/v1/models", bearer: good},
			status: 401, errType: "authentication_error", message: "x-api-key header is required", api: true},
		{name: "header stripped, oauth", opts: stub.Options{Scenario: stub.HeaderStripped}, call: call{path: "/v1/models", bearer: oauth, header: beta},
			status: 401, errType: "authentication_error", message: "x-api-key header is required", api: true},
		{name: "header stripped, x-api-key", opts: stub.Options{Scenario: stub.HeaderStripped}, call: call{path: "/v1/models", key: good},
			status: 200, api: true},
		{name: "x-api-key stripped", opts: stub.Options{Scenario: stub.XAPIKeyStripped}, call: call{path: "/v1/models", key: good},
			status: 401, errType: "authentication_error", message: "x-api-key header is required", api: true},
		{name: "x-api-key stripped, bearer", opts: stub.Options{Scenario: stub.XAPIKeyStripped}, call: call{path: "/v1/models", bearer: good},
			status: 200, api: true},
		{name: "cors blocked", opts: stub.Options{Scenario: stub.CORSBlocked},
			call:   call{path: "/v1/models", key: good, header: map[string]string{"origin": "https://app.example", "anthropic-dangerous-direct-browser-access": "true"}},
			status: 401, errType: "authentication_error", api: true},
		{name: "slow", opts: stub.Options{Scenario: stub.Slow, Latency: 20 * time.Millisecond}, call: call{path: "/v1/models", key: good},
			status: 200, api: true},

		{name: "not anthropic", opts: stub.Options{Scenario: stub.NotAnthropic}, call: call{path: "/v1/models", key: good}, status: 200,
			check: func(t *testing.T, a answer) {
				if !strings.HasPrefix(a.header.Get("content-type"), "text/html") || !bytes.Contains(a.body, []byte("<html")) {
					t.Errorf("want an HTML page, got %q: %.60s", a.header.Get("content-type"), a.body)
				}
			}},
		{name: "redirect get", opts: stub.Options{Scenario: stub.Redirect}, call: call{path: "/v1/models", key: good}, status: 301,
			check: wantLocation},
		{name: "redirect post", opts: stub.Options{Scenario: stub.Redirect}, call: call{method: "POST", path: "/v1/messages", key: good, body: messageBody},
			status: 307, check: wantLocation},
		{name: "proxy auth", opts: stub.Options{Scenario: stub.ProxyAuth}, call: call{path: "/v1/models", key: good}, status: 407,
			check: func(t *testing.T, a answer) {
				if a.header.Get("proxy-authenticate") == "" {
					t.Error("no proxy-authenticate")
				}
			}},
		{name: "openai", opts: stub.Options{Scenario: stub.OpenAI}, call: call{path: "/v1/models", key: good}, status: 401,
			check: func(t *testing.T, a answer) {
				var o struct {
					Error struct{ Code string }
				}
				if err := json.Unmarshal(a.body, &o); err != nil || o.Error.Code != "invalid_api_key" || a.env.Type != "" {
					t.Errorf("want an OpenAI-shaped error, got %s", a.body)
				}
			}},
		{name: "key disabled", opts: stub.Options{Scenario: stub.KeyDisabled}, call: call{path: "/v1/models", key: good}, status: 401,
			errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "key expired", opts: stub.Options{Scenario: stub.KeyExpired}, call: call{path: "/v1/messages", method: "POST", body: messageBody, bearer: good},
			status: 401, errType: "authentication_error", message: "Invalid bearer token", api: true},
		{name: "key archived", opts: stub.Options{Scenario: stub.KeyArchived}, call: call{path: "/v1/models", key: good}, status: 401,
			errType: "authentication_error", message: "invalid x-api-key", api: true},
		{name: "key expiring still works", opts: stub.Options{Scenario: stub.KeyExpiring}, call: call{path: "/v1/models", key: good}, status: 200, api: true},
		{name: "region blocked", opts: stub.Options{Scenario: stub.RegionBlocked}, call: call{path: "/v1/models", key: good}, status: 403,
			check: func(t *testing.T, a answer) {
				if a.env.Error.Type != "forbidden" || a.env.Type != "" || a.header.Get("server") != "cloudflare" {
					t.Errorf("want Cloudflare's bare forbidden, got %s", a.body)
				}
			}},
		{name: "federation rejected", opts: stub.Options{Scenario: stub.FederationRejected},
			call:   call{method: "POST", path: stub.TokenPath, body: exchangeBody(identityToken(time.Now(), stub.FederationAudience))},
			status: 401, errType: "authentication_error", message: "Authentication failed", api: true},
		{name: "hang status page still answers", opts: stub.Options{Scenario: stub.Hang}, call: call{path: "/api/v2/summary.json"}, status: 200},
	}

	covered := map[string]bool{stub.Hang: true} // TestHang covers its API paths
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := stub.Start(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			a := send(t, srv.URL, tt.call)
			if a.status != tt.status {
				t.Fatalf("status = %d, want %d: %s", a.status, tt.status, a.body)
			}
			if tt.api {
				checkAPIAnswer(t, a)
			} else if a.header.Get("request-id") != "" {
				t.Errorf("something other than the API sent request-id %q", a.header.Get("request-id"))
			}
			if tt.errType != "" && a.env.Error.Type != tt.errType {
				t.Errorf("error.type = %q, want %q", a.env.Error.Type, tt.errType)
			}
			if tt.message != "" && a.env.Error.Message != tt.message {
				t.Errorf("error.message = %q, want %q", a.env.Error.Message, tt.message)
			}
			if tt.errType == "" && tt.api && a.env.Type == "error" {
				t.Errorf("unexpected error envelope: %s", a.body)
			}
			if tt.check != nil {
				tt.check(t, a)
			}
		})
		s := tt.opts.Scenario
		if s == "" {
			s = stub.Healthy
		}
		covered[s] = true
	}
	for _, s := range stub.Scenarios() {
		if !covered[s.Name] {
			t.Errorf("scenario %s has no test case", s.Name)
		}
	}
}

// checkAPIAnswer checks what every answer of the API itself carries.
func checkAPIAnswer(t *testing.T, a answer) {
	t.Helper()
	id := a.header.Get("request-id")
	if !requestIDRE.MatchString(id) {
		t.Errorf("request-id = %q", id)
	}
	if a.status >= 400 && a.env.RequestID != id {
		t.Errorf("body request_id %q != header %q", a.env.RequestID, id)
	}
	if a.status >= 400 && a.env.Type != "error" {
		t.Errorf("envelope type = %q: %s", a.env.Type, a.body)
	}
	if ct := a.header.Get("content-type"); ct != "application/json" {
		t.Errorf("content-type = %q", ct)
	}
	if a.header.Get("server") != "cloudflare" || a.header.Get("cf-ray") == "" {
		t.Errorf("server = %q, cf-ray = %q", a.header.Get("server"), a.header.Get("cf-ray"))
	}
	transient := a.status == 429 || a.status >= 500
	if got := a.header.Get("x-should-retry"); (got == "true") != transient {
		t.Errorf("x-should-retry = %q for %d", got, a.status)
	}
}

// wantSpendLimit: the org's own limit, with the day access returns.
func wantSpendLimit(t *testing.T, a answer) {
	t.Helper()
	re := regexp.MustCompile(`^You have reached your specified API usage limits\. You will regain access on \d{4}-\d{2}-01 at 00:00 UTC\.$`)
	if !re.MatchString(a.env.Error.Message) {
		t.Errorf("message = %q", a.env.Error.Message)
	}
	if a.header.Get("x-should-retry") != "" || a.header.Get("retry-after") != "" {
		t.Error("a spend limit is not worth retrying")
	}
}

func wantLocation(t *testing.T, a answer) {
	t.Helper()
	if loc := a.header.Get("location"); !strings.HasPrefix(loc, "https://") || strings.Contains(loc, "127.0.0.1") {
		t.Errorf("location = %q, want another host", loc)
	}
}

func TestUnknownScenario(t *testing.T) {
	if _, err := stub.Start(stub.Options{Scenario: "no-such"}); err == nil {
		t.Fatal("want an error for an unknown scenario")
	}
	if _, err := stub.Handler(stub.Options{Scenario: "no-such"}); err == nil {
		t.Fatal("want an error for an unknown scenario")
	}
}

func TestScenarioList(t *testing.T) {
	list := stub.Scenarios()
	if len(list) == 0 || list[0].Name != stub.Healthy {
		t.Fatalf("list starts with %v", list[:1])
	}
	seen := map[string]bool{}
	for _, s := range list {
		if seen[s.Name] || s.Description == "" {
			t.Errorf("scenario %q: duplicate or no description", s.Name)
		}
		seen[s.Name] = true
		if got, ok := stub.Lookup(s.Name); !ok || got != s {
			t.Errorf("Lookup(%q) = %v, %v", s.Name, got, ok)
		}
		if _, err := stub.Handler(stub.Options{Scenario: s.Name}); err != nil {
			t.Errorf("Handler(%q): %v", s.Name, err)
		}
	}
	list[0].Name = "changed"
	if stub.Scenarios()[0].Name != stub.Healthy {
		t.Error("Scenarios returns the package's own slice")
	}
}

func TestStatusPage(t *testing.T) {
	for _, tt := range []struct {
		scenario, indicator, api string
		incidents                int
	}{
		{stub.Healthy, "none", "operational", 0},
		{stub.Revoked, "none", "operational", 0},
		{stub.Outage, "major", "major_outage", 1},
	} {
		t.Run(tt.scenario, func(t *testing.T) {
			srv, err := stub.Start(stub.Options{Scenario: tt.scenario})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			a := send(t, srv.URL, call{path: "/api/v2/summary.json", header: map[string]string{"anthropic-version": ""}})
			if a.status != 200 || a.header.Get("request-id") != "" {
				t.Fatalf("status %d, request-id %q", a.status, a.header.Get("request-id"))
			}
			var s struct {
				Status     struct{ Indicator string }
				Components []struct{ Name, Status string }
				Incidents  []struct {
					Name, Impact string
				}
			}
			if err := json.Unmarshal(a.body, &s); err != nil {
				t.Fatal(err)
			}
			if s.Status.Indicator != tt.indicator || len(s.Incidents) != tt.incidents {
				t.Errorf("indicator %q, %d incidents", s.Status.Indicator, len(s.Incidents))
			}
			api := ""
			for _, c := range s.Components {
				if c.Name == stub.APIComponent {
					api = c.Status
				}
			}
			if api != tt.api {
				t.Errorf("API component status %q, want %q", api, tt.api)
			}
		})
	}
}

func TestModelPages(t *testing.T) {
	srv, err := stub.Start(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	key := stub.NewAPIKey()
	type page struct {
		Data []struct {
			ID string
		}
		HasMore bool    `json:"has_more"`
		FirstID *string `json:"first_id"`
		LastID  *string `json:"last_id"`
	}
	get := func(q string) page {
		t.Helper()
		a := send(t, srv.URL, call{path: "/v1/models" + q, key: key})
		var p page
		if err := json.Unmarshal(a.body, &p); err != nil || a.status != 200 {
			t.Fatalf("%s: %d %s", q, a.status, a.body)
		}
		return p
	}
	all := stub.Models()
	var ids []string
	p := get("?limit=2")
	for {
		if len(p.Data) == 0 || *p.FirstID != p.Data[0].ID || *p.LastID != p.Data[len(p.Data)-1].ID {
			t.Fatalf("page %+v", p)
		}
		for _, d := range p.Data {
			ids = append(ids, d.ID)
		}
		if !p.HasMore {
			break
		}
		p = get("?limit=2&after_id=" + *p.LastID)
	}
	if len(ids) != len(all) {
		t.Fatalf("paged through %d models, want %d", len(ids), len(all))
	}
	for i, m := range all {
		if ids[i] != m.ID {
			t.Errorf("model %d = %s, want %s", i, ids[i], m.ID)
		}
	}
	if a := send(t, srv.URL, call{path: "/v1/models?limit=0", key: key}); a.status != 400 {
		t.Errorf("limit=0: status %d", a.status)
	}
}

func TestStreamingMessage(t *testing.T) {
	srv, err := stub.Start(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	body := strings.Replace(messageBody, `{`, `{"stream":true,`, 1)
	a := send(t, srv.URL, call{method: "POST", path: "/v1/messages", key: stub.NewAPIKey(), body: body})
	if a.status != 200 || !strings.HasPrefix(a.header.Get("content-type"), "text/event-stream") {
		t.Fatalf("status %d, content-type %q", a.status, a.header.Get("content-type"))
	}
	var events []string
	sc := bufio.NewScanner(bytes.NewReader(a.body))
	for sc.Scan() {
		if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			events = append(events, name)
		} else if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok && !json.Valid([]byte(data)) {
			t.Errorf("data is not JSON: %s", data)
		}
	}
	if len(events) < 3 || events[0] != "message_start" || events[len(events)-1] != "message_stop" {
		t.Errorf("events = %v", events)
	}
}

func TestTooLarge(t *testing.T) {
	srv, err := stub.Start(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	big := `{"model":"claude-sonnet-4-5","pad":"` + strings.Repeat("x", stub.MaxBody) + `"}`
	a := send(t, srv.URL, call{method: "POST", path: "/v1/messages/count_tokens", key: stub.NewAPIKey(), body: big})
	if a.status != 413 || a.header.Get("request-id") != "" || a.env.Type != "" {
		t.Fatalf("status %d, request-id %q, body %s", a.status, a.header.Get("request-id"), a.body)
	}
}

func TestRequestLog(t *testing.T) {
	good, bad := stub.NewAPIKey(), stub.NewAPIKey()
	srv, err := stub.Start(stub.Options{ValidKeys: []string{good}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	send(t, srv.URL, call{path: "/v1/models", key: good})
	send(t, srv.URL, call{path: "/v1/models", key: bad})
	send(t, srv.URL, call{path: "/api/v2/summary.json"})
	send(t, srv.URL, call{path: "/v1/models", bearer: good, header: map[string]string{"anthropic-version": "2026-10-21"}})
	send(t, srv.URL, call{path: "/v1/models", key: good, header: map[string]string{"anthropic-version": "2099-01-01"}})
	reqs := srv.Requests()
	if len(reqs) != 5 {
		t.Fatalf("%d requests logged, want 5", len(reqs))
	}
	want := []struct {
		path, auth string
		status     int
		creds      []string
		bearer     bool
		version    string
	}{
		{"/v1/models", stub.AuthAccepted, 200, []string{"x-api-key"}, false, "2023-06-01"},
		{"/v1/models", stub.AuthRejected, 401, []string{"x-api-key"}, false, "2023-06-01"},
		{"/api/v2/summary.json", "", 200, nil, false, "2023-06-01"},
		{"/v1/models", stub.AuthAccepted, 200, []string{"authorization"}, true, "2026-10-21"},
		{"/v1/models", stub.AuthAccepted, 400, []string{"x-api-key"}, false, "unknown"},
	}
	for i, w := range want {
		r := reqs[i]
		if r.Path != w.path || r.Auth != w.auth || r.Status != w.status || !slices.Equal(r.Credentials, w.creds) ||
			r.Bearer != w.bearer || r.Version != w.version || !r.Has("Anthropic-Version") {
			t.Errorf("request %d = %+v, want %+v", i, r, w)
		}
		if (r.RequestID != "") != strings.HasPrefix(r.Path, "/v1/") {
			t.Errorf("request %d: request id %q", i, r.RequestID)
		}
	}
	dump := fmt.Sprintf("%+v", reqs)
	if strings.Contains(dump, good[20:]) || strings.Contains(dump, bad[20:]) || strings.Contains(dump, "2099") {
		t.Error("the request log holds a header value")
	}
}

// TestStrippedCredentials: the log says which credential header reached
// the API past each scenario's gateway, and which the client sent.
func TestStrippedCredentials(t *testing.T) {
	key := stub.NewAPIKey()
	for _, tt := range []struct {
		scenario string
		c        call
		reached  []string
		status   int
	}{
		{stub.HeaderStripped, call{path: "/v1/models", bearer: key}, nil, 401},
		{stub.HeaderStripped, call{path: "/v1/models", key: key}, []string{"x-api-key"}, 200},
		{stub.HeaderStripped, call{path: "/v1/models", key: key, bearer: key}, []string{"x-api-key"}, 200},
		{stub.XAPIKeyStripped, call{path: "/v1/models", key: key}, nil, 401},
		{stub.XAPIKeyStripped, call{path: "/v1/models", key: key, bearer: key}, []string{"authorization"}, 200},
		{stub.Healthy, call{path: "/v1/models", key: key, bearer: key}, []string{"authorization", "x-api-key"}, 200},
	} {
		srv, err := stub.Start(stub.Options{Scenario: tt.scenario})
		if err != nil {
			t.Fatal(err)
		}
		a := send(t, srv.URL, tt.c)
		srv.Close()
		r := srv.Requests()
		if a.status != tt.status || len(r) != 1 || !slices.Equal(r[0].Credentials, tt.reached) ||
			r[0].Has("x-api-key") != (tt.c.key != "") || r[0].Has("authorization") != (tt.c.bearer != "") {
			t.Errorf("%s, %+v: status %d, log %+v; want %d with %v reaching the API", tt.scenario, tt.c, a.status, r, tt.status, tt.reached)
		}
	}
}

// TestPreflight: a browser's CORS preflight is answered without a key, in
// every scenario where the API itself answers.
func TestPreflight(t *testing.T) {
	for _, scenario := range []string{stub.Healthy, stub.Revoked, stub.CORSBlocked, stub.HeaderStripped, stub.Outage} {
		srv, err := stub.Start(stub.Options{Scenario: scenario})
		if err != nil {
			t.Fatal(err)
		}
		a := send(t, srv.URL, call{method: http.MethodOptions, path: "/v1/messages", header: map[string]string{
			"anthropic-version":              "",
			"origin":                         "https://app.example",
			"access-control-request-method":  "POST",
			"access-control-request-headers": "authorization,anthropic-version,content-type",
		}})
		srv.Close()
		h := a.header
		if a.status != http.StatusNoContent || len(a.body) != 0 || h.Get("access-control-allow-origin") != "*" ||
			!strings.Contains(h.Get("access-control-allow-methods"), "POST") ||
			h.Get("access-control-allow-headers") != "authorization,anthropic-version,content-type" ||
			!requestIDRE.MatchString(h.Get("request-id")) || h.Get("server") != "cloudflare" {
			t.Errorf("%s: %d %v %q", scenario, a.status, h, a.body)
		}
		if r := srv.Requests(); len(r) != 1 || r[0].Auth != "" || r[0].Status != http.StatusNoContent {
			t.Errorf("%s: log %+v, want one preflight that met no authentication", scenario, r)
		}
	}
	srv, err := stub.Start(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	a := send(t, srv.URL, call{method: http.MethodOptions, path: "/v1/models", header: map[string]string{
		"access-control-request-headers": "x-api-key, x-evil: <script>",
	}})
	if a.status != http.StatusNoContent || !strings.Contains(a.header.Get("access-control-allow-headers"), "x-api-key") ||
		strings.Contains(a.header.Get("access-control-allow-headers"), "evil") {
		t.Errorf("a malformed request-headers list: %d, allow-headers %q", a.status, a.header.Get("access-control-allow-headers"))
	}
}

// TestHang: hang holds a request until its client gives up, then records
// it unanswered; the handler returns because the client left, before any
// Close. The client gives up once the stub has the request, not after a
// guessed delay.
func TestHang(t *testing.T) {
	srv, err := stub.Start(stub.Options{Scenario: stub.Hang})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, giveUp := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/v1/models", nil)
	req.Header.Set("x-api-key", stub.NewAPIKey())
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("hang answered %d", resp.StatusCode)
		} else if !errors.Is(err, context.Canceled) {
			err = fmt.Errorf("want the client's own cancel, got %w", err)
		} else {
			err = nil
		}
		errc <- err
	}()
	await(t, srv.Arrived(1), "the request to reach the hang handler")
	giveUp()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	await(t, srv.Finished(1), "the hang handler to notice its client had gone")
	if r := srv.Requests(); len(r) != 1 || r[0].Status != 0 || r[0].RequestID != "" {
		t.Errorf("log = %+v, want one unanswered request", r)
	}
	await(t, closed(srv.Close), "Close to return")
}

func TestTLS(t *testing.T) {
	srv, err := stub.StartTLS(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Fatalf("URL = %s", srv.URL)
	}
	untrusting := &http.Client{Transport: &http.Transport{}}
	_, err = untrusting.Get(srv.URL + "/v1/models")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("want an unknown-authority error, got %v", err)
	}
	if cn := unknown.Cert.Issuer.CommonName; cn != stub.InterceptCA {
		t.Errorf("issuer = %q, want %q", cn, stub.InterceptCA)
	}
	trusting := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: srv.CertPool()}, ForceAttemptHTTP2: true,
	}}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/models", nil)
	req.Header.Set("x-api-key", stub.NewAPIKey())
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := trusting.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	if plain, _ := stub.Start(stub.Options{}); plain.CertPool() != nil {
		plain.Close()
		t.Error("a plain server has a cert pool")
	} else {
		plain.Close()
	}
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logr, logw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := stub.Serve(ctx, "127.0.0.1:0", stub.Options{Scenario: stub.Revoked}, logw)
		logw.Close()
		done <- err
	}()
	// Serve says where it listens before it answers anything.
	lines := bufio.NewReader(logr)
	first, err := lines.ReadString('\n')
	if err != nil {
		t.Fatalf("Serve said nothing: %v", err)
	}
	base := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(first)
	if base == "" {
		t.Fatalf("Serve did not say where it listens: %q", first)
	}
	rest := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(lines)
		rest <- string(b)
	}()
	key := stub.NewAPIKey()
	a := send(t, base, call{path: "/v1/models", key: key, bearer: key})
	if a.status != 401 {
		t.Fatalf("status %d", a.status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	out := <-rest
	line := "GET /v1/models 401 " + a.header.Get("request-id")
	if !strings.Contains(out, line) {
		t.Errorf("log lacks %q:\n%s", line, out)
	}
	if strings.Contains(out, key[13:]) || strings.Contains(strings.ToLower(out), "bearer") || strings.Contains(out, "2023-06-01") {
		t.Errorf("the log holds a header value:\n%s", out)
	}
}

func TestServeRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{":8401", "0.0.0.0:0", "192.0.2.1:0", "example.com:80", "nonsense"} {
		if err := stub.Serve(context.Background(), addr, stub.Options{}, io.Discard); err == nil {
			t.Errorf("Serve(%q) did not refuse", addr)
		}
	}
}

func TestKeys(t *testing.T) {
	k := stub.NewAPIKey()
	if len(k) != 108 || !stub.WellFormedAPIKey(k) {
		t.Fatalf("NewAPIKey made a malformed key (%d chars)", len(k))
	}
	if stub.NewAPIKey() == k {
		t.Error("two keys are equal")
	}
	for name, bad := range map[string]string{
		"newline":  k + "\n",
		"short":    k[:107],
		"suffix":   k[:106] + "AB",
		"alphabet": k[:50] + "!" + k[51:],
		"admin":    stub.NewAdminKey(),
		"oauth":    stub.NewOAuthToken(),
		"empty":    "",
	} {
		if stub.WellFormedAPIKey(bad) {
			t.Errorf("%s: accepted as well-formed", name)
		}
	}
}

func TestPatternedKeyIsNeverIssued(t *testing.T) {
	srv, err := stub.Start(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	patterned := "sk-ant-api03-" + strings.Repeat("fix401-control-key-0000", 5)[:93] + "AA"
	for key, want := range map[string]int{stub.NewAPIKey(): 200, patterned: 401} {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/models", nil)
		req.Header.Set("x-api-key", key)
		req.Header.Set("anthropic-version", "2023-06-01")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("status %d, want %d", resp.StatusCode, want)
		}
	}
}
