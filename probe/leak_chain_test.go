package probe

import (
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// The leak property for the 2026 chain: an SDK profile's access and
// refresh tokens, a federation identity token and a minted token are
// masked in every wrapping an error message or a log line may put them in,
// by the redactor taught Report.Secrets (the refresh token, which fix401
// never keeps, by its pattern alone).
func TestChainTokensNeverLeak(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 29))
	wrappers := []func(k string) string{
		func(k string) string { return k },
		func(k string) string { return "Authorization: Bearer " + k },
		func(k string) string { return `{"access_token":"` + k + `","token_type":"Bearer"}` },
		func(k string) string {
			return `{"assertion":"` + k + `","grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer"}`
		},
		func(k string) string { return `failed to read identity token file "/var/run/secrets/token": ` + k },
		func(k string) string { return "prefix" + k + "suffix" },
		func(k string) string { return k[:len(k)/2] + "\n" + k[len(k)/2:] },
	}
	b64 := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	rnd := func(n int) string {
		out := make([]byte, n)
		for i := range out {
			out[i] = b64[rng.IntN(len(b64))]
		}
		return string(out)
	}
	for i := range 100 {
		home, dir := ktProject(t)
		cfg := filepath.Join(home, ".config", "anthropic")
		access := "sk-ant-oat01-" + rnd(80+rng.IntN(20)) + "AA"
		refresh := "sk-ant-ort01-" + rnd(80+rng.IntN(20)) + "AA"
		identity := "eyJ" + rnd(30) + "." + "eyJ" + rnd(200+rng.IntN(400)) + "." + rnd(86)
		minted := "sk-ant-oat01-" + rnd(93) + "AA"
		ktWrite(t, filepath.Join(cfg, "configs", "default.json"), `{"authentication":{"type":"user_oauth"}}`)
		ktWrite(t, filepath.Join(cfg, "credentials", "default.json"),
			`{"access_token":"`+access+`","refresh_token":"`+refresh+`","expires_at":`+strconv.FormatInt(time.Now().Unix()+3600, 10)+`}`)
		r := Prepare(&Env{Home: home, Dir: dir, Vars: map[string]string{
			VarFederationRule: "fdrl_01", VarOrganizationID: "00000000-0000-0000-0000-000000000001", VarIdentityToken: identity,
		}})
		if r.Federation == nil || r.Federation.assertion != identity {
			t.Fatalf("case %d: the identity token was not read", i)
		}
		r.Federation.minted = minted
		red := NewRedactor(r.Secrets()...)
		for _, tok := range []string{access, refresh, identity, minted} {
			for j, wrap := range wrappers {
				out := red.String(wrap(tok))
				if p, ok := redactLeak(out, tok); ok {
					t.Fatalf("case %d/%d: %q leaks %q of %.16s…", i, j, out, p, tok)
				}
			}
		}
	}
}
