package probe

import (
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// fedJWT builds an unsigned identity token with the given header and
// claims; the signature part is filler, as fix401 never verifies it.
func fedJWT(t *testing.T, header, claims map[string]any) string {
	t.Helper()
	enc := func(v map[string]any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(header) + "." + enc(claims) + ".c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU"
}

func fedClaims(now time.Time, aud any, life time.Duration) map[string]any {
	return map[string]any{"iss": "https://token.actions.githubusercontent.com", "sub": "repo:acme/app:ref:refs/heads/main",
		"aud": aud, "iat": now.Unix(), "exp": now.Add(life).Unix(), "jti": "j1"}
}

var fedHeader = map[string]any{"alg": "RS256", "kid": "key-1", "typ": "JWT"}

func TestFederationSource(t *testing.T) {
	now := time.Unix(1764400000, 0)
	good := fedJWT(t, fedHeader, fedClaims(now, FederationAud, 5*time.Minute))
	full := func(extra map[string]string) map[string]string {
		v := map[string]string{VarFederationRule: "fdrl_01", VarOrganizationID: "00000000-0000-0000-0000-000000000001"}
		for k, x := range extra {
			v[k] = x
		}
		return v
	}
	cases := []struct {
		name    string
		vars    map[string]string
		file    string // content of the token file, when set
		missing []string
		problem string
		status  Status
		title   string
	}{
		{"nothing set", map[string]string{}, "", nil, "", "", ""},
		{"rule only", map[string]string{VarFederationRule: "fdrl_01"}, "", []string{VarOrganizationID, VarIdentityFile + " (or " + VarIdentityToken + ")"}, "", Fail, "in part"},
		{"literal token", full(map[string]string{VarIdentityToken: good}), "", nil, "", Pass, "fdrl_01"},
		{"file", full(nil), good + "\n", nil, "", Pass, VarIdentityFile},
		{"file missing", full(map[string]string{VarIdentityFile: "/nonexistent/fix401/token"}), "", nil, TokenMissing, Fail, "does not exist"},
		{"file empty", full(nil), "  \n", nil, TokenEmpty, Fail, "empty"},
		{"file too large", full(nil), strings.Repeat("a", MaxIdentityToken+1), nil, TokenTooLarge, Fail, "16 KiB"},
		{"not a JWT", full(nil), "hello", nil, TokenNotJWT, Fail, "not a JWT"},
		{"expired", full(map[string]string{VarIdentityToken: fedJWT(t, fedHeader, fedClaims(now.Add(-time.Hour), FederationAud, 5*time.Minute))}), "", nil, "", Fail, "expired"},
		{"within the skew", full(map[string]string{VarIdentityToken: fedJWT(t, fedHeader, fedClaims(now.Add(-5*time.Minute-20*time.Second), FederationAud, 5*time.Minute))}), "", nil, "", Pass, ""},
		{"EKS audience", full(map[string]string{VarIdentityToken: fedJWT(t, fedHeader, fedClaims(now, []string{"sts.amazonaws.com"}, 5*time.Minute))}), "", nil, "", Warn, "sts.amazonaws.com"},
		{"long-lived", full(map[string]string{VarIdentityToken: fedJWT(t, fedHeader, fedClaims(now, FederationAud, 2*time.Hour))}), "", nil, "", Warn, "2h0m0s"},
		{"HS256", full(map[string]string{VarIdentityToken: fedJWT(t, map[string]any{"alg": "HS256", "kid": "k"}, fedClaims(now, FederationAud, time.Minute))}), "", nil, "", Warn, "HS256"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home, dir := ktProject(t)
			if tc.file != "" {
				p := filepath.Join(home, "token")
				ktWrite(t, p, tc.file)
				tc.vars[VarIdentityFile] = p
			}
			env := &Env{Vars: tc.vars, Home: home, Dir: dir, Now: func() time.Time { return now }}
			r := Prepare(env)
			f := r.Federation
			if tc.status == "" {
				if f != nil {
					t.Fatalf("federation found with no variable: %+v", f)
				}
				return
			}
			if f == nil {
				t.Fatal("no federation")
			}
			if !slices.Equal(f.Missing, tc.missing) || f.TokenProblem != tc.problem {
				t.Errorf("Missing %q problem %q, want %q %q", f.Missing, f.TokenProblem, tc.missing, tc.problem)
			}
			res, ok := r.CheckByID(CheckFederation)
			if !ok || res.Status != tc.status || !strings.Contains(res.Title, tc.title) {
				t.Errorf("check = %s %q, want %s containing %q", res.Status, res.Title, tc.status, tc.title)
			}
			// The token itself never appears; its claims do.
			for _, c := range r.Checks() {
				text := c.Title + c.Detail + c.Fix
				if strings.Contains(text, "c2lnbmF0dXJl") || strings.Contains(text, good[:30]) {
					t.Errorf("check %s shows the identity token: %s", c.ID, text)
				}
			}
			if f.Claims != nil && tc.status == Pass && !strings.Contains(res.Detail, "sub=repo:acme/app:ref:refs/heads/main") {
				t.Errorf("detail lacks the claims: %q", res.Detail)
			}
			if f.assertion != "" && !slices.Contains(r.Secrets(), f.assertion) {
				t.Error("the identity token is not among the report's secrets")
			}
			if len(r.Candidates) != 0 {
				t.Errorf("the identity token became a candidate: %+v", r.Candidates)
			}
		})
	}
}

// A federation profile fills the rule and organization, and names the
// token file.
func TestFederationProfile(t *testing.T) {
	now := time.Unix(1764400000, 0)
	home, dir := ktProject(t)
	tok := filepath.Join(home, "wif", "token")
	ktWrite(t, tok, fedJWT(t, fedHeader, fedClaims(now, FederationAud, time.Minute)))
	ktWrite(t, filepath.Join(home, ".config", "anthropic", "configs", "default.json"), `{"version":"1.0","authentication":{"type":"oidc_federation",
"federation_rule_id":"fdrl_p","identity_token":{"source":"file","path":"`+tok+`"}},"organization_id":"00000000-0000-0000-0000-000000000002"}`)
	r := Prepare(&Env{Vars: map[string]string{}, Home: home, Dir: dir, Now: func() time.Time { return now }})
	f := r.Federation
	if f == nil || !f.Complete() || f.Profile != "default" || f.RuleID != "fdrl_p" || f.TokenPath != tok {
		t.Fatalf("federation = %+v", f)
	}
}
