package probe

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/fix401/fix401/probe/creds"
)

// ProbeFederation exchanges the identity token and tests the token minted.
const ProbeFederation = "federation"

// TokenPath is the federation token exchange, on the API's base URL.
const TokenPath = "/v1/oauth/token"

// federationBeta is what the SDKs send on the exchange.
const federationBeta = "oauth-2025-04-20,oidc-federation-2026-04-01"

// precedence is the client's chain as Prepare walks it: a complete
// federation setup ends the walk at its tier, so a profile after it is
// not chosen.
func (r *Report) precedence() []string {
	p := r.Client.Precedence()
	if i := slices.Index(p, creds.TierFederation); i >= 0 {
		if r.Federation.Complete() {
			return p[:i]
		}
		p = slices.Delete(p, i, i+1)
	}
	return p
}

// FederationWins reports whether the credential in use is the token the
// federation exchange mints: the client reads federation, the setup is
// complete, and nothing before it in the chain holds a credential.
func (r *Report) FederationWins() bool {
	return r.Active < 0 && r.Federation.Complete() && slices.Contains(r.Client.Chain, creds.TierFederation)
}

// Exchange posts the identity token to {base}/v1/oauth/token as the SDKs
// do, over HTTPS or to loopback only, and returns the answer and the token
// minted (a secret), or "" when none was.
func (c *Client) Exchange(ctx context.Context, f *Federation) (*Answer, string) {
	u := endpoint(c.base, TokenPath, TokenPath)
	if !keyAllowed(c.base) {
		return &Answer{Label: "exchange", Method: http.MethodPost, URL: clean(StripURLCredentials(u.String()), 500), Time: c.now(),
			Err: &NetError{Phase: PhaseInsecure, Message: "not sent: the base URL is plain HTTP to another machine, so the identity token would cross the network unencrypted"}}, ""
	}
	body := map[string]string{
		"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": f.assertion,
		"federation_rule_id": f.RuleID, "organization_id": f.OrganizationID,
	}
	if f.ServiceAccountID != "" {
		body["service_account_id"] = f.ServiceAccountID
	}
	if f.WorkspaceID != "" {
		body["workspace_id"] = f.WorkspaceID
	}
	b, err := json.Marshal(body)
	if err != nil {
		return &Answer{Label: "exchange", Method: http.MethodPost, Time: c.now(), Err: &NetError{Phase: PhaseOther, Message: "cannot encode the request"}}, ""
	}
	a, resp := c.do(ctx, request{label: "exchange", method: http.MethodPost, url: u, body: b, beta: federationBeta})
	if !a.OK() {
		return a, ""
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if json.Unmarshal(resp, &tok) != nil || !strings.EqualFold(tok.TokenType, "Bearer") || tok.AccessToken == "" {
		return a, ""
	}
	return a, tok.AccessToken
}

// federationPart runs the exchange and, with a token minted, the requests
// the key in use would get: the models list and a token count.
func federationPart(ctx context.Context, client *Client, f *Federation) Part {
	ex, tok := client.Exchange(ctx, f)
	var auth, quota *Answer
	if tok != "" {
		kc := client.Via(creds.HeaderBearer)
		auth = labelled("auth", kc.Models(ctx, tok))
		quota = labelled("quota", kc.CountTokens(ctx, tok))
	}
	return func(r *Report) {
		r.Exchange, r.Auth, r.Quota = ex, auth, quota
		if r.Federation != nil {
			r.Federation.minted = tok
		}
	}
}
