package stub_test

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/fix401/fix401/probe/stub"
)

// identityToken is an unsigned identity token issued at iat for five
// minutes, for audience aud.
func identityToken(iat time.Time, aud string) string {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	claims := `{"iss":"https://token.actions.githubusercontent.com","sub":"repo:acme/app:ref:refs/heads/main","aud":"` + aud +
		`","iat":` + strconv.FormatInt(iat.Unix(), 10) + `,"exp":` + strconv.FormatInt(iat.Add(5*time.Minute).Unix(), 10) + `}`
	return enc(`{"alg":"RS256","kid":"k1"}`) + "." + enc(claims) + "." + enc("signature")
}

func exchangeBody(assertion string) string {
	b, _ := json.Marshal(map[string]string{"grant_type": stub.GrantJWTBearer, "assertion": assertion,
		"federation_rule_id": "fdrl_01", "organization_id": stub.OrganizationID})
	return string(b)
}

// The exchange mints a token for an assertion the rule matches, which the
// API then accepts; every refusal is the same opaque 401.
func TestTokenExchange(t *testing.T) {
	srv, err := stub.Start(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	a := send(t, srv.URL, call{method: "POST", path: stub.TokenPath, body: exchangeBody(identityToken(time.Now(), stub.FederationAudience))})
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if a.status != 200 || json.Unmarshal(a.body, &tok) != nil || tok.TokenType != "Bearer" || tok.ExpiresIn <= 0 || len(tok.AccessToken) < 20 || tok.AccessToken[:13] != "sk-ant-oat01-" {
		t.Fatalf("exchange: %d %s", a.status, a.body)
	}
	if m := send(t, srv.URL, call{path: "/v1/models", bearer: tok.AccessToken, header: map[string]string{"anthropic-beta": "oauth-2025-04-20"}}); m.status != 200 {
		t.Fatalf("the minted token is refused: %d %s", m.status, m.body)
	}
	for name, assertion := range map[string]string{
		"wrong audience": identityToken(time.Now(), "sts.amazonaws.com"),
		"expired":        identityToken(time.Now().Add(-time.Hour), stub.FederationAudience),
		"not a JWT":      "hello",
	} {
		a := send(t, srv.URL, call{method: "POST", path: stub.TokenPath, body: exchangeBody(assertion)})
		if a.status != 401 || a.env.Error.Type != "authentication_error" || a.env.Error.Message != "Authentication failed" {
			t.Errorf("%s: %d %s", name, a.status, a.body)
		}
	}
	for _, r := range srv.Requests() {
		if r.JWT && r.Path != stub.TokenPath {
			t.Errorf("%s %s carried a JWT", r.Method, r.Path)
		}
	}
}
