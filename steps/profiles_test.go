package steps

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
)

// profile writes the SDK profile name as `ant auth login` does, with a
// refresh token, and its credentials file at mode.
func (w *world) profile(name, tok string, expires time.Time, mode os.FileMode) {
	w.t.Helper()
	w.file(".config/anthropic/configs/"+name+".json",
		`{"version":"1.0","authentication":{"type":"user_oauth"},"organization_id":"`+stub.OrganizationID+`","base_url":"`+w.env.BaseURL+`"}`)
	creds := ".config/anthropic/credentials/" + name + ".json"
	w.file(creds, `{"version":"1.0","access_token":"`+tok+`","expires_at":`+strconv.FormatInt(expires.Unix(), 10)+`}`)
	if err := os.Chmod(filepath.Join(w.env.Home, creds), mode); err != nil {
		w.t.Fatal(err)
	}
}

// The fixes of the profile tier name the file and the command.
func TestProfileFixes(t *testing.T) {
	tests := []struct {
		name  string
		setup func(w *world)
		code  Code
		want  []string
	}{
		{"group-readable credentials", func(w *world) {
			w.profile("default", w.key(stub.NewOAuthToken()), time.Now().Add(time.Hour), 0o644)
		}, ProfileBroken, []string{"chmod 600 ", filepath.Join(".config", "anthropic", "credentials", "default.json")}},
		{"named profile missing", func(w *world) {
			w.env.Vars["ANTHROPIC_PROFILE"] = "prod"
		}, ProfileBroken, []string{`"prod"`, "ant auth login"}},
		{"expired login", func(w *world) {
			tok := w.key(stub.NewOAuthToken())
			w.env.Vars["FIX401_TEST_REVOKED"] = tok
			w.profile("default", tok, time.Now().Add(-50*time.Hour), 0o600)
		}, TokenExpired, []string{"2 days ago", "ant auth login"}},
		{"API key shadows a working profile", func(w *world) {
			w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
			w.env.Vars["FIX401_TEST_REVOKED"] = w.env.Vars["ANTHROPIC_API_KEY"]
			w.profile("default", w.key(stub.NewOAuthToken()), time.Now().Add(time.Hour), 0o600)
		}, KeyShadowed, []string{"unset ANTHROPIC_API_KEY", "the SDK will use your profile"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			tt.setup(w)
			revoked := w.env.Vars["FIX401_TEST_REVOKED"]
			delete(w.env.Vars, "FIX401_TEST_REVOKED")
			w.serve(stub.Options{RevokedKeys: []string{revoked}}, false)
			r := probe.Run(context.Background(), w.env)
			d := Diagnose(r)
			if d.Code != tt.code {
				t.Fatalf("diagnosis %s (%s), want %s\nchecks:\n%s", d.Code, d.Title, tt.code, dump(r))
			}
			for _, s := range tt.want {
				if !strings.Contains(d.Title+" "+d.Fix, s) {
					t.Errorf("%q not in %q / %q", s, d.Title, d.Fix)
				}
			}
		})
	}
}

// A curl-style client reads no profile: an API key that fails is not
// "shadowing" it, and a profile alone is no key for it.
func TestCurlReadsNoProfile(t *testing.T) {
	w := newWorld(t)
	w.serve(stub.Options{}, false)
	w.env.For = "curl"
	w.profile("default", w.key(stub.NewOAuthToken()), time.Now().Add(time.Hour), 0o600)
	r := probe.Run(context.Background(), w.env)
	if d := Diagnose(r); d.Code != NoKey {
		t.Fatalf("diagnosis %s (%s), want no_key for curl", d.Code, d.Title)
	}
}

// identityJWT is an unsigned identity token issued at iat for five minutes.
func identityJWT(iat time.Time, aud string) string {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	claims := `{"iss":"https://token.actions.githubusercontent.com","sub":"repo:acme/app:ref:refs/heads/main","aud":"` + aud +
		`","iat":` + strconv.FormatInt(iat.Unix(), 10) + `,"exp":` + strconv.FormatInt(iat.Add(5*time.Minute).Unix(), 10) + `}`
	return enc(`{"alg":"RS256","kid":"k1"}`) + "." + enc(claims) + "." + enc("signature-signature-signature")
}

// federation sets the federation variables with the identity token in a
// file.
func (w *world) federation(jwt string) {
	w.t.Helper()
	w.file("wif/token", jwt)
	w.env.Vars["ANTHROPIC_FEDERATION_RULE_ID"] = "fdrl_01"
	w.env.Vars["ANTHROPIC_ORGANIZATION_ID"] = stub.OrganizationID
	w.env.Vars["ANTHROPIC_IDENTITY_TOKEN_FILE"] = filepath.Join(w.env.Home, "wif", "token")
}

// federation_incomplete names exactly the missing variables.
func TestFederationIncompleteNamesWhatIsMissing(t *testing.T) {
	w := newWorld(t)
	w.serve(stub.Options{}, false)
	w.env.Vars["ANTHROPIC_FEDERATION_RULE_ID"] = "fdrl_01"
	r := probe.Run(context.Background(), w.env)
	d := Diagnose(r)
	if d.Code != FederationIncomplete || !strings.Contains(d.Title, "ANTHROPIC_ORGANIZATION_ID, ANTHROPIC_IDENTITY_TOKEN_FILE (or ANTHROPIC_IDENTITY_TOKEN) missing") ||
		strings.Contains(d.Title, "ANTHROPIC_FEDERATION_RULE_ID missing") {
		t.Fatalf("diagnosis %s %q", d.Code, d.Title)
	}
	// An API key variable shadows federation entirely.
	w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
	if d := Diagnose(probe.Run(context.Background(), w.env)); d.Code != OK {
		t.Fatalf("with an API key, diagnosis %s %q, want ok", d.Code, d.Title)
	}
}

// The identity token goes to /v1/oauth/token and nowhere else; the refusal
// shows the claims beside what the rule must match, and where the reason
// is; no output holds a piece of the identity token or the minted token.
func TestFederationThroughTheStub(t *testing.T) {
	for _, tc := range []struct {
		name string
		aud  string
		code Code
		want []string
	}{
		{"accepted", "https://api.anthropic.com", OK, []string{"fdrl_01"}},
		{"wrong audience", "sts.amazonaws.com", FederationRejected,
			[]string{"Authentication failed", "sts.amazonaws.com", "sub repo:acme/app:ref:refs/heads/main", "authentication history", historyURL}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			s := w.serve(stub.Options{}, false)
			jwt := identityJWT(time.Now(), tc.aud)
			w.federation(jwt)
			r := probe.Run(context.Background(), w.env)
			d := Diagnose(r)
			if d.Code != tc.code {
				t.Fatalf("diagnosis %s (%s), want %s\n%s", d.Code, d.Title, tc.code, dump(r))
			}
			for _, x := range tc.want {
				if !strings.Contains(d.Title+" "+d.Fix, x) {
					t.Errorf("%q not in %q / %q", x, d.Title, d.Fix)
				}
			}
			exchanges := 0
			for _, q := range s.Requests() {
				if q.Path == stub.TokenPath {
					exchanges++
					continue
				}
				if q.JWT {
					t.Errorf("%s %s carried the identity token", q.Method, q.Path)
				}
			}
			if exchanges != 1 {
				t.Errorf("%d exchanges, want 1", exchanges)
			}
			secrets := r.Secrets()
			if tc.code == OK && !slices.ContainsFunc(secrets, func(s string) bool { return strings.HasPrefix(s, "sk-ant-oat01-") }) {
				t.Error("the minted token is not among the report's secrets")
			}
			b, err := json.Marshal(ToJSON(r, d, "test"))
			if err != nil {
				t.Fatal(err)
			}
			out := string(b) + d.Title + d.Fix
			for _, c := range r.Checks() {
				out += c.Title + c.Detail + c.Fix
			}
			for _, sec := range append(secrets, jwt) {
				if len(sec) < 20 {
					continue
				}
				body := sec[13:]
				for i := 0; i+probe.MinPiece <= len(body); i++ {
					if strings.Contains(out, body[i:i+probe.MinPiece]) {
						t.Fatalf("output holds a piece of a secret: %q", body[i:i+probe.MinPiece])
					}
				}
			}
		})
	}
}

// credentials[] gives every credential its role for the client, and
// key.chain lists the chain, winner first, by hint and source only.
func TestCredentialRoles(t *testing.T) {
	w := newWorld(t)
	w.serve(stub.Options{}, false)
	env := w.key(stub.NewAPIKey())
	w.env.Vars["ANTHROPIC_API_KEY"] = env
	w.file("project/.env", "ANTHROPIC_API_KEY="+w.key(stub.NewAPIKey())+"\n")
	w.file(".zshrc", "export ANTHROPIC_API_KEY="+w.key(stub.NewAPIKey())+"\n")
	w.profile("default", w.key(stub.NewOAuthToken()), time.Now().Add(time.Hour), 0o600)
	w.env.Vars["ANTHROPIC_FEDERATION_RULE_ID"] = "fdrl_01" // incomplete: never read
	r := probe.Run(context.Background(), w.env)
	j := ToJSON(r, Diagnose(r), "test")
	roles := map[string]string{}
	for _, c := range j.Credentials {
		roles[c.Source] = c.Role + "/" + c.Result
	}
	want := map[string]string{
		"env:ANTHROPIC_API_KEY":   "winner/accepted",
		".env:1":                  "overridden/accepted",
		"~/.zshrc:1":              "unused/accepted",
		"federation rule fdrl_01": "unused/incomplete",
	}
	for src, role := range want {
		if roles[src] != role {
			t.Errorf("%s: %q, want %q (all: %v)", src, roles[src], role, roles)
		}
	}
	var prof string
	for src, role := range roles {
		if strings.HasPrefix(src, "profile default") {
			prof = role
		}
	}
	if prof != "overridden/accepted" {
		t.Errorf("profile: %q, want overridden/accepted (all: %v)", prof, roles)
	}
	c, ok := r.CheckByID(probe.CheckChain)
	if !ok || !strings.Contains(c.Title, "env ANTHROPIC_API_KEY wins") || !strings.HasPrefix(c.Detail, "winner") {
		t.Fatalf("key.chain = %+v", c)
	}
	if strings.Contains(c.Detail, env[20:40]) {
		t.Error("key.chain shows more than the hint")
	}
}

// A rejected API key hides a federation setup that passes every local
// check: key_shadowed, and the identity token is not exchanged.
func TestKeyShadowsFederation(t *testing.T) {
	w := newWorld(t)
	key := w.key(stub.NewAPIKey())
	s := w.serve(stub.Options{RevokedKeys: []string{key}}, false)
	w.env.Vars["ANTHROPIC_API_KEY"] = key
	w.federation(w.key(identityJWT(time.Now(), "https://api.anthropic.com")))
	r := probe.Run(context.Background(), w.env)
	d := Diagnose(r)
	if d.Code != KeyShadowed || !strings.Contains(d.Fix, "unset ANTHROPIC_API_KEY") || !strings.Contains(d.Fix, "the SDK will use federation") {
		t.Fatalf("diagnosis %s %q / %q", d.Code, d.Title, d.Fix)
	}
	for _, q := range s.Requests() {
		if q.Path == stub.TokenPath || q.JWT {
			t.Errorf("%s %s: the identity token was sent while the key is in use", q.Method, q.Path)
		}
	}
	// With a token meant for another audience, nothing is promised.
	w.federation(w.key(identityJWT(time.Now(), "sts.amazonaws.com")))
	if d := Diagnose(probe.Run(context.Background(), w.env)); d.Code == KeyShadowed {
		t.Errorf("a wrong-audience federation setup is called a way out: %q", d.Fix)
	}
}

// The chain is on screen in the wizard: step 2 (which credential is used)
// and step 5 (which copy wins), once a profile takes part in it.
func TestWizardShowsTheChain(t *testing.T) {
	w := newWorld(t)
	tok := w.key(stub.NewOAuthToken())
	w.serve(stub.Options{}, false)
	w.profile("default", tok, time.Now().Add(3*time.Hour), 0o600)
	r := probe.Run(context.Background(), w.env)
	for _, s := range []StepID{VerifyKey, NewKey} {
		found := false
		for _, c := range BuildPage(Input{Report: r}, s).Checks {
			if c.ID == probe.CheckChain && strings.Contains(c.Title, "profile default") {
				found = true
			}
		}
		if !found {
			t.Errorf("step %s does not show the credential chain", s)
		}
	}
}

// A profile's workspace_id goes with its token, as the SDKs send it.
func TestProfileWorkspaceIsSent(t *testing.T) {
	w := newWorld(t)
	tok := w.key(stub.NewOAuthToken())
	s := w.serve(stub.Options{}, false)
	w.profile("default", tok, time.Now().Add(3*time.Hour), 0o600)
	w.file(".config/anthropic/configs/default.json",
		`{"version":"1.0","authentication":{"type":"user_oauth"},"organization_id":"`+stub.OrganizationID+
			`","workspace_id":"wrkspc_01Profile","base_url":"`+w.env.BaseURL+`"}`)
	probe.Run(context.Background(), w.env)
	sent := 0
	for _, q := range s.Requests() {
		if q.Path == "/v1/models" && q.Bearer {
			if !q.Has("anthropic-workspace-id") {
				t.Errorf("%s %s without the profile's workspace", q.Method, q.Path)
			}
			sent++
		}
	}
	if sent == 0 {
		t.Fatal("the profile's token was never sent")
	}
}

// A profile's base_url is where the SDK sends the profile's requests, before
// ANTHROPIC_BASE_URL: fix401 probes it there too.
func TestProfileBaseURLIsProbed(t *testing.T) {
	w := newWorld(t)
	tok := w.key(stub.NewOAuthToken())
	decoy := w.serve(stub.Options{}, false) // ANTHROPIC_BASE_URL points here
	prof := w.serve(stub.Options{}, false)  // the profile's base_url
	w.env.BaseURL, w.env.StatusURL = "", prof.URL
	w.env.Vars["ANTHROPIC_BASE_URL"] = decoy.URL
	w.profile("default", tok, time.Now().Add(3*time.Hour), 0o600)
	w.file(".config/anthropic/configs/default.json",
		`{"version":"1.0","authentication":{"type":"user_oauth"},"organization_id":"`+stub.OrganizationID+`","base_url":"`+prof.URL+`"}`)
	r := probe.Run(context.Background(), w.env)
	if r.Target.BaseURL != prof.URL || r.Target.BaseURLSource != probe.SourceProfile {
		t.Fatalf("target %+v, want the profile's base_url", r.Target)
	}
	for _, q := range decoy.Requests() {
		t.Errorf("ANTHROPIC_BASE_URL got %s %s", q.Method, q.Path)
	}
	if d := Diagnose(r); d.Code != OK {
		t.Errorf("%s %q", d.Code, d.Title)
	}
}
