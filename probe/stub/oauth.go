package stub

// POST /v1/oauth/token: the Workload Identity Federation exchange
// (facts/wif-admin.md A1, A3). The stub accepts an assertion that passes
// the checks a rule makes and the scenario allows, mints an OAuth token it
// then accepts, and refuses everything else with the opaque 401
// "Authentication failed".

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// TokenPath is the token exchange endpoint.
const TokenPath = "/v1/oauth/token"

// GrantJWTBearer is the exchange's grant_type.
const GrantJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// FederationAudience is the audience the stub's federation rule matches
// unless Options.Audience says otherwise.
const FederationAudience = "https://api.anthropic.com"

// minted are the tokens the exchange issued, accepted as OAuth tokens by
// every stub in the process (a test may start several).
var minted sync.Map

// isMinted reports whether tok came from a stub's exchange.
func isMinted(tok string) bool { _, ok := minted.Load(tok); return ok }

// oauthToken answers the exchange.
func (x *exchange) oauthToken() {
	if x.r.Method != http.MethodPost {
		x.fail(apiError{http.StatusNotFound, "not_found_error", "Not found"})
		return
	}
	var req struct {
		GrantType        string `json:"grant_type"`
		Assertion        string `json:"assertion"`
		FederationRuleID string `json:"federation_rule_id"`
		OrganizationID   string `json:"organization_id"`
	}
	if json.Unmarshal(x.body, &req) != nil || req.GrantType != GrantJWTBearer || req.Assertion == "" ||
		!strings.HasPrefix(req.FederationRuleID, "fdrl_") || req.OrganizationID == "" {
		x.fail(apiError{http.StatusBadRequest, "invalid_request_error", "federation_rule_id is malformed or a required field is missing"})
		return
	}
	if !x.api.assertionOK(req.Assertion, req.OrganizationID) {
		x.auth = AuthRejected
		x.fail(apiError{http.StatusUnauthorized, "authentication_error", "Authentication failed"})
		return
	}
	x.auth = AuthAccepted
	tok := NewOAuthToken()
	minted.Store(tok, true)
	x.ok(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 600, "scope": "workspace:developer"})
}

// assertionOK is what the stub's federation rule checks: the organization,
// the size, an asymmetric alg with a kid, the audience, exp and iat with
// 30 s of skew and a lifetime of at most an hour. The signature is not
// checked: the stub has no issuer.
func (a *API) assertionOK(jwt, org string) bool {
	if org != OrganizationID || len(jwt) > 16<<10 || a.opts.Scenario == FederationRejected {
		return false
	}
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return false
	}
	var h struct{ Alg, Kid string }
	var c struct {
		Aud      json.RawMessage `json:"aud"`
		Exp, Iat int64
		Sub      string
	}
	dec := func(s string, v any) bool {
		b, err := base64.RawURLEncoding.DecodeString(s)
		return err == nil && json.Unmarshal(b, v) == nil
	}
	if !dec(parts[0], &h) || !dec(parts[1], &c) {
		return false
	}
	if h.Kid == "" || h.Alg == "none" || strings.HasPrefix(h.Alg, "HS") || c.Sub == "" {
		return false
	}
	now := time.Now().Unix()
	if c.Exp+30 < now || c.Iat-30 > now || c.Exp-c.Iat > 3600 {
		return false
	}
	want := a.opts.Audience
	if want == "" {
		want = FederationAudience
	}
	var one string
	var many []string
	switch {
	case json.Unmarshal(c.Aud, &one) == nil:
		return one == want
	case json.Unmarshal(c.Aud, &many) == nil:
		for _, s := range many {
			if s == want {
				return true
			}
		}
	}
	return false
}

// carriesJWT reports whether a request's headers or body hold something
// shaped like a JWT (base64url JSON header "eyJ…", three parts): how a test
// proves an identity token went nowhere but the exchange.
func carriesJWT(r *http.Request, body []byte) bool {
	has := func(s string) bool {
		i := strings.Index(s, "eyJ")
		return i >= 0 && strings.Count(s[i:], ".") >= 2
	}
	if has(string(body)) || has(r.URL.RawQuery) {
		return true
	}
	for _, vs := range r.Header {
		for _, v := range vs {
			if has(v) {
				return true
			}
		}
	}
	return false
}
