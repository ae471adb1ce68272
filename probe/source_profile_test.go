package probe

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe/creds"
)

// An OAuth access token as `ant auth login` stores it (fake).
const profToken = "sk-ant-oat01-PROFILEtokenPROFILEtokenPROFILEtokenPROFILEtokenPROFILEtoken0123456789abcdefAA"

func profWrite(t *testing.T, dir, name, typ string, expires int64) {
	t.Helper()
	ktWrite(t, filepath.Join(dir, "configs", name+".json"),
		`{"version":"1.0","authentication":{"type":"`+typ+`"},"organization_id":"00000000-0000-0000-0000-000000000001","workspace_id":"wrkspc_01","base_url":"https://api.anthropic.com"}`)
	ktWrite(t, filepath.Join(dir, "credentials", name+".json"),
		`{"version":"1.0","type":"oauth_token","access_token":"`+profToken+`","refresh_token":"sk-ant-ort01-REFRESH","expires_at":`+strconv.FormatInt(expires, 10)+`}`)
}

// The config directory and the profile name are resolved as the SDKs do:
// ANTHROPIC_CONFIG_DIR, else XDG_CONFIG_HOME/anthropic, else
// ~/.config/anthropic; ANTHROPIC_PROFILE, else active_config, else default.
func TestProfileResolution(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("APPDATA layout")
	}
	home, dir := ktProject(t)
	cfgHome := filepath.Join(home, ".config", "anthropic")
	xdg := filepath.Join(home, "xdg")
	explicitDir := filepath.Join(home, "cfg")
	profWrite(t, cfgHome, "default", ProfileUserOAuth, 4102444800)
	profWrite(t, cfgHome, "work", ProfileUserOAuth, 4102444800)
	profWrite(t, filepath.Join(xdg, "anthropic"), "default", ProfileUserOAuth, 4102444800)
	profWrite(t, explicitDir, "default", ProfileUserOAuth, 4102444800)

	cases := []struct {
		name     string
		vars     map[string]string
		active   string // active_config in ~/.config/anthropic
		dir      string
		dirFrom  string
		profile  string
		nameFrom string
		tier     string
	}{
		{"home default", nil, "", cfgHome, "home", "default", "default", creds.TierProfileActive},
		{"xdg", map[string]string{"XDG_CONFIG_HOME": xdg}, "", filepath.Join(xdg, "anthropic"), "XDG_CONFIG_HOME", "default", "default", creds.TierProfileActive},
		{"config dir beats xdg", map[string]string{"XDG_CONFIG_HOME": xdg, VarConfigDir: explicitDir}, "", explicitDir, VarConfigDir, "default", "default", creds.TierProfileActive},
		{"active_config", nil, " work\n", cfgHome, "home", "work", "active_config", creds.TierProfileActive},
		{"ANTHROPIC_PROFILE beats active_config", map[string]string{VarProfile: "default"}, "work\n", cfgHome, "home", "default", VarProfile, creds.TierProfileNamed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(filepath.Join(cfgHome, "active_config"))
			if tc.active != "" {
				ktWrite(t, filepath.Join(cfgHome, "active_config"), tc.active)
			}
			vars := map[string]string{}
			for k, v := range tc.vars {
				vars[k] = v
			}
			found := DiscoverAll(&Env{Vars: vars, Home: home, Dir: dir})
			p := found.Profile
			if p == nil {
				t.Fatal("no profile")
			}
			if p.Dir != tc.dir || p.DirFrom != tc.dirFrom || p.Name != tc.profile || p.NameFrom != tc.nameFrom || p.Tier != tc.tier {
				t.Errorf("profile = %s (%s) %s (%s) tier %s, want %s (%s) %s (%s) tier %s",
					p.Dir, p.DirFrom, p.Name, p.NameFrom, p.Tier, tc.dir, tc.dirFrom, tc.profile, tc.nameFrom, tc.tier)
			}
			if p.Broken != "" || !p.Found || p.Type != ProfileUserOAuth || p.OrganizationID == "" || p.WorkspaceID != "wrkspc_01" || !p.HasRefresh {
				t.Errorf("profile read wrong: %+v", p)
			}
			var c *Candidate
			for i := range found.Candidates {
				if found.Candidates[i].Origin == OriginProfile {
					c = &found.Candidates[i]
				}
			}
			if c == nil || c.Value != profToken || c.Kind != KindOAuth || c.Var != tc.tier || c.Path != filepath.Join(p.Dir, "credentials", p.Name+".json") {
				t.Fatalf("profile candidate = %+v", c)
			}
			if strings.Contains(c.Source, "oat01") || strings.Contains(c.Hint, profToken[20:40]) {
				t.Errorf("source or hint shows the token: %q %q", c.Source, c.Hint)
			}
		})
	}
}

// The profile's token is used only when no variable of the chain is set,
// and a refresh token is never a candidate.
func TestChooseActiveProfile(t *testing.T) {
	home, dir := ktProject(t)
	profWrite(t, filepath.Join(home, ".config", "anthropic"), "default", ProfileUserOAuth, 4102444800)
	goV2, _ := creds.Lookup("go", "v2")

	env := &Env{Vars: map[string]string{}, Home: home, Dir: dir}
	cs := Discover(env)
	for _, c := range cs {
		if strings.Contains(c.Value, "ort01") {
			t.Fatalf("the refresh token became a candidate: %s", c.Source)
		}
	}
	i := ChooseActive(env, cs, goV2.Precedence()...)
	if i < 0 || cs[i].Origin != OriginProfile {
		t.Fatalf("without a key, ChooseActive = %d, want the profile", i)
	}
	if j := ChooseActive(env, cs, creds.Curl().Precedence()...); j >= 0 {
		t.Errorf("curl reads no profile, but ChooseActive = %d", j)
	}

	env.Vars[VarAPIKey] = "sk-ant-api03-" + strings.Repeat("k", 93) + "AA"
	cs = Discover(env)
	if i := ChooseActive(env, cs, goV2.Precedence()...); i < 0 || cs[i].Origin != OriginEnv {
		t.Fatalf("with ANTHROPIC_API_KEY set, ChooseActive = %d, want the variable", i)
	}
}

// What the Go SDK refuses is broken, with the reason; a missing default
// profile is quiet.
func TestProfileBroken(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permission bits")
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, cfg string) map[string]string
		want  string
	}{
		{"missing default is quiet", func(t *testing.T, cfg string) map[string]string { return nil }, ""},
		{"named profile missing", func(t *testing.T, cfg string) map[string]string {
			return map[string]string{VarProfile: "prod"}
		}, ProfileMissing},
		{"bad name", func(t *testing.T, cfg string) map[string]string {
			return map[string]string{VarProfile: "../etc"}
		}, ProfileBadName},
		{"unknown type", func(t *testing.T, cfg string) map[string]string {
			profWrite(t, cfg, "default", "api_key", 4102444800)
			return nil
		}, ProfileUnknownType},
		{"readable by group", func(t *testing.T, cfg string) map[string]string {
			profWrite(t, cfg, "default", ProfileUserOAuth, 4102444800)
			if err := os.Chmod(filepath.Join(cfg, "credentials", "default.json"), 0o640); err != nil {
				t.Fatal(err)
			}
			return nil
		}, ProfileUnsafe},
		{"symlink", func(t *testing.T, cfg string) map[string]string {
			profWrite(t, cfg, "real", ProfileUserOAuth, 4102444800)
			ktWrite(t, filepath.Join(cfg, "configs", "default.json"), `{"authentication":{"type":"user_oauth"}}`)
			if err := os.Symlink(filepath.Join(cfg, "credentials", "real.json"), filepath.Join(cfg, "credentials", "default.json")); err != nil {
				t.Fatal(err)
			}
			return nil
		}, ProfileSymlink},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home, dir := ktProject(t)
			cfg := filepath.Join(home, ".config", "anthropic")
			vars := tc.setup(t, cfg)
			if vars == nil {
				vars = map[string]string{}
			}
			found := DiscoverAll(&Env{Vars: vars, Home: home, Dir: dir})
			if found.Profile == nil || found.Profile.Broken != tc.want {
				t.Fatalf("Broken = %+v, want %q", found.Profile, tc.want)
			}
			if tc.want != "" && found.Profile.Detail == "" {
				t.Error("a broken profile without a detail")
			}
			if strings.Contains(found.Profile.Detail, "../etc") {
				t.Errorf("detail repeats the bad name: %q", found.Profile.Detail)
			}
			if tc.want == ProfileSymlink {
				for _, c := range found.Candidates {
					if c.Origin == OriginProfile {
						t.Error("a token was read through a symlink")
					}
				}
			}
		})
	}
}

// Expired is from expires_at, in Unix seconds.
func TestProfileExpired(t *testing.T) {
	home, dir := ktProject(t)
	profWrite(t, filepath.Join(home, ".config", "anthropic"), "default", ProfileUserOAuth, 1764400000)
	p := DiscoverAll(&Env{Vars: map[string]string{}, Home: home, Dir: dir}).Profile
	if p == nil || !p.ExpiresAt.Equal(time.Unix(1764400000, 0)) {
		t.Fatalf("ExpiresAt = %+v", p)
	}
	// The SDKs stop using a token 30 s before expires_at.
	if !p.Expired(time.Unix(1764400000-30, 0)) || p.Expired(time.Unix(1764400000-31, 0)) {
		t.Error("Expired is wrong at the boundary")
	}
	// A refresh token without a client_id renews nothing (Go SDK UserOAuth).
	if !p.HasRefresh || p.CanRefresh {
		t.Errorf("HasRefresh %v CanRefresh %v, want true false", p.HasRefresh, p.CanRefresh)
	}
	ktWrite(t, filepath.Join(home, ".config", "anthropic", "configs", "default.json"), `{"authentication":{"type":"user_oauth","client_id":"c"}}`)
	if p := DiscoverAll(&Env{Vars: map[string]string{}, Home: home, Dir: dir}).Profile; !p.CanRefresh {
		t.Error("a client_id and a refresh token: CanRefresh false")
	}
}

// key.profile shows the profile's type, organization, workspace, base URL
// and expiry, and warns when the SDK would send elsewhere than fix401 probed.
func TestCheckProfile(t *testing.T) {
	now := time.Unix(1764400000, 0)
	home, dir := ktProject(t)
	profWrite(t, filepath.Join(home, ".config", "anthropic"), "default", ProfileUserOAuth, now.Add(2*time.Hour).Unix())
	r := Prepare(&Env{Vars: map[string]string{}, Home: home, Dir: dir, Now: func() time.Time { return now }})
	c, ok := r.CheckByID(CheckProfile)
	if !ok || c.Status != Pass || !strings.Contains(c.Title, `"default" (user_oauth)`) {
		t.Fatalf("key.profile = %+v", c)
	}
	for _, want := range []string{"organization 00000000-0000-0000-0000-000000000001", "workspace wrkspc_01", "base URL https://api.anthropic.com", "(in 2h0m0s)"} {
		if !strings.Contains(c.Detail, want) {
			t.Errorf("detail %q lacks %q", c.Detail, want)
		}
	}
	r = Prepare(&Env{Vars: map[string]string{}, Home: home, Dir: dir, BaseURL: "https://gateway.example", Now: func() time.Time { return now }})
	if c, _ := r.CheckByID(CheckProfile); c.Status != Warn || !strings.Contains(c.Title, "not https://gateway.example") {
		t.Errorf("another base URL: %+v", c)
	}
}

// What else the Go SDK refuses in a user_oauth profile, and what it
// tolerates in a federation profile, whose credentials file is a cache.
func TestProfileCredentialsRules(t *testing.T) {
	now := time.Unix(1764400000, 0)
	cases := []struct {
		name, config, creds string
		mode                os.FileMode
		broken              string
		candidate           bool
	}{
		{"no credentials file", `{"authentication":{"type":"user_oauth"}}`, "", 0, ProfileNoLogin, false},
		{"no access_token", `{"authentication":{"type":"user_oauth"}}`, `{"expires_at":1}`, 0o600, ProfileNoLogin, false},
		{"client_id without refresh_token", `{"authentication":{"type":"user_oauth","client_id":"c"}}`, `{"access_token":"` + profToken + `"}`, 0o600, ProfileNoRefresh, true},
		{"federation cache readable by others", `{"authentication":{"type":"oidc_federation","federation_rule_id":"fdrl_1"},"organization_id":"o"}`,
			`{"access_token":"` + profToken + `","expires_at":` + strconv.FormatInt(now.Add(time.Hour).Unix(), 10) + `}`, 0o644, "", false},
		{"stale federation cache", `{"authentication":{"type":"oidc_federation","federation_rule_id":"fdrl_1"},"organization_id":"o"}`,
			`{"access_token":"` + profToken + `","expires_at":` + strconv.FormatInt(now.Unix(), 10) + `}`, 0o600, "", false},
		{"fresh federation cache", `{"authentication":{"type":"oidc_federation","federation_rule_id":"fdrl_1"},"organization_id":"o"}`,
			`{"access_token":"` + profToken + `","expires_at":` + strconv.FormatInt(now.Add(time.Hour).Unix(), 10) + `}`, 0o600, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home, dir := ktProject(t)
			cfg := filepath.Join(home, ".config", "anthropic")
			ktWrite(t, filepath.Join(cfg, "configs", "default.json"), tc.config)
			if tc.creds != "" {
				p := filepath.Join(cfg, "credentials", "default.json")
				ktWrite(t, p, tc.creds)
				if err := os.Chmod(p, tc.mode); err != nil {
					t.Fatal(err)
				}
			}
			found := DiscoverAll(&Env{Vars: map[string]string{}, Home: home, Dir: dir, Now: func() time.Time { return now }})
			if found.Profile == nil || found.Profile.Broken != tc.broken {
				t.Fatalf("Broken = %+v, want %q", found.Profile, tc.broken)
			}
			has := false
			for _, c := range found.Candidates {
				has = has || c.Origin == OriginProfile
			}
			if has != tc.candidate {
				t.Errorf("candidate %v, want %v", has, tc.candidate)
			}
		})
	}
}
