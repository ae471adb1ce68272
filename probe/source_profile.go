package probe

// The SDK profile source: the profile `ant auth login` writes under the
// SDKs' config directory, resolved exactly as the SDKs resolve it
// (facts/wif-admin.md A2). Its files are only read, never written.

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/fix401/fix401/probe/creds"
)

// Variables that choose the SDK profile.
const (
	VarConfigDir = "ANTHROPIC_CONFIG_DIR"
	VarProfile   = "ANTHROPIC_PROFILE"
)

// Profile authentication types (configs/<p>.json authentication.type).
const (
	ProfileUserOAuth  = "user_oauth"
	ProfileFederation = "oidc_federation"
)

// Why a profile is broken: the SDK refuses it (Profile.Broken).
const (
	ProfileMissing     = "missing"      // ANTHROPIC_PROFILE names a profile with no configs/<p>.json
	ProfileBadName     = "bad_name"     // the name is not ^[A-Za-z0-9_.-]+$, or is . or ..
	ProfileBadJSON     = "bad_json"     // configs/<p>.json is not JSON
	ProfileUnknownType = "unknown_type" // authentication.type is not user_oauth or oidc_federation
	ProfileSymlink     = "symlink"      // credentials/<p>.json is a symlink
	ProfileUnsafe      = "unsafe_mode"  // credentials/<p>.json is readable by group or other
	ProfileUnreadable  = "unreadable"   // a file exists but cannot be read
	ProfileNoLogin     = "no_login"     // user_oauth: no credentials file, or no access_token in it
	ProfileNoRefresh   = "no_refresh"   // user_oauth: a client_id but no refresh_token
)

// Profile is the SDK profile the SDKs would load, as found. The access
// token, when there is one, is a Candidate; the refresh token is kept only
// in an unexported field, for the redactor, and never sent.
type Profile struct {
	Dir     string // the config directory
	DirFrom string // what chose it: ANTHROPIC_CONFIG_DIR, XDG_CONFIG_HOME, APPDATA, home
	Name    string
	// NameFrom is what chose the name: ANTHROPIC_PROFILE, active_config,
	// or default. Only ANTHROPIC_PROFILE makes a miss an error.
	NameFrom string
	Tier     string // creds.TierProfileNamed or creds.TierProfileActive

	ConfigPath      string
	CredentialsPath string
	Found           bool // configs/<p>.json exists

	Type           string // authentication.type
	OrganizationID string
	WorkspaceID    string
	BaseURL        string
	// Federation profile: the rule, the service account and the identity
	// token file it names.
	FederationRuleID  string
	ServiceAccountID  string
	IdentityTokenSrc  string
	IdentityTokenPath string

	HasCredentials bool // credentials/<p>.json was read
	HasAccess      bool // it holds an access token
	HasRefresh     bool // it holds a refresh token (never sent, never shown)
	// CanRefresh: a user_oauth profile with a client_id and a refresh
	// token, which the SDK renews by itself; without a client_id the Go
	// SDK treats the access token as static and fails once it expires.
	CanRefresh bool
	ExpiresAt  time.Time // zero when the file has no expires_at

	// Broken, when set, is why the SDK refuses the profile (Profile*
	// constants); Detail says it in sanitized words.
	Broken string
	Detail string
	Mode   fs.FileMode // credentials file's permission bits, for ProfileUnsafe

	refresh string // the refresh token: a secret, only for Report.Secrets
}

// Expired reports whether the profile's access token has expired at now.
// The Go SDK counts a token as expired 30 s early (MandatoryRefreshThreshold).
func (p *Profile) Expired(now time.Time) bool {
	return p != nil && p.HasAccess && !p.ExpiresAt.IsZero() && !now.Add(profileSkew).Before(p.ExpiresAt)
}

// profileSkew is how long before expires_at the SDKs stop using a token.
const profileSkew = 30 * time.Second

// profileSource yields the access token of the profile the SDKs would
// load, and records the profile on the discovery.
type profileSource struct{}

func (profileSource) Name() string { return string(OriginProfile) }

func (profileSource) Find(d *discovery) []Candidate {
	p, c := d.profile()
	d.prof = p
	return c
}

// profileName is the SDKs' profile name rule (Go, TypeScript).
var profileName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// configDir resolves the SDK config directory the way the Go SDK does:
// $ANTHROPIC_CONFIG_DIR, else $XDG_CONFIG_HOME/anthropic, else
// ~/.config/anthropic (%APPDATA%\Anthropic on Windows).
func configDir(env *Env, home string) (dir, from string) {
	if v := env.Vars[VarConfigDir]; v != "" {
		return absPath(v), VarConfigDir
	}
	if runtime.GOOS == "windows" {
		if v := env.Vars["APPDATA"]; v != "" {
			return filepath.Join(v, "Anthropic"), "APPDATA"
		}
		return "", "" // the Go SDK has no fallback here
	} else if v := env.Vars["XDG_CONFIG_HOME"]; v != "" {
		return filepath.Join(v, "anthropic"), "XDG_CONFIG_HOME"
	}
	if home == "" {
		return "", ""
	}
	return filepath.Join(home, ".config", "anthropic"), "home"
}

// maxProfileFile bounds each profile file read: they are a few hundred
// bytes.
const maxProfileFile = 64 << 10

// readSmall reads a regular file of at most maxProfileFile bytes without
// following a symlink. exists is false for a missing file.
func readSmall(path string) (data []byte, info fs.FileInfo, exists bool, err error) {
	info, err = os.Lstat(path)
	if err != nil {
		return nil, nil, !os.IsNotExist(err), err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return nil, info, true, nil
	}
	if !info.Mode().IsRegular() {
		return nil, info, true, fmt.Errorf("not a regular file")
	}
	if info.Size() > maxProfileFile {
		return nil, info, true, fmt.Errorf("larger than %d KiB", maxProfileFile>>10)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, info, true, err
	}
	defer f.Close()
	data, err = readBounded(f, maxProfileFile)
	return data, info, true, err
}

// profile resolves the profile and reads its files.
func (d *discovery) profile() (*Profile, []Candidate) {
	dir, from := configDir(d.env, d.home)
	if dir == "" {
		return nil, nil
	}
	p := &Profile{Dir: dir, DirFrom: from, Tier: creds.TierProfileActive}
	switch {
	case d.env.Vars[VarProfile] != "":
		p.Name, p.NameFrom, p.Tier = d.env.Vars[VarProfile], VarProfile, creds.TierProfileNamed
	default:
		p.Name, p.NameFrom = "default", "default"
		if data, _, _, err := readSmall(filepath.Join(dir, "active_config")); err == nil && data != nil {
			if n := strings.TrimSpace(string(data)); n != "" {
				p.Name, p.NameFrom = n, "active_config"
			}
		}
	}
	explicit := p.NameFrom == VarProfile
	if !profileName.MatchString(p.Name) || p.Name == "." || p.Name == ".." {
		p.Broken, p.Detail = ProfileBadName, fmt.Sprintf("the profile name from %s is not a valid profile name", p.NameFrom)
		p.Name = Hint(p.Name)
		return p, nil
	}
	p.ConfigPath = filepath.Join(dir, "configs", p.Name+".json")
	data, _, exists, err := readSmall(p.ConfigPath)
	switch {
	case !exists && explicit:
		p.Broken, p.Detail = ProfileMissing, fmt.Sprintf("%s names the profile %q, but %s does not exist", VarProfile, p.Name, d.label(p.ConfigPath, 0, false))
		return p, nil
	case !exists:
		return p, nil // a missing active profile is quiet
	case err != nil || data == nil:
		p.Found = true
		p.Broken, p.Detail = ProfileUnreadable, fmt.Sprintf("%s cannot be read", d.label(p.ConfigPath, 0, false))
		return p, nil
	}
	p.Found = true
	var cfg struct {
		Auth *struct {
			Type             string `json:"type"`
			ClientID         string `json:"client_id"`
			CredentialsPath  string `json:"credentials_path"`
			FederationRuleID string `json:"federation_rule_id"`
			ServiceAccountID string `json:"service_account_id"`
			IdentityToken    *struct {
				Source string `json:"source"`
				Path   string `json:"path"`
			} `json:"identity_token"`
		} `json:"authentication"`
		OrganizationID string `json:"organization_id"`
		WorkspaceID    string `json:"workspace_id"`
		BaseURL        string `json:"base_url"`
	}
	if json.Unmarshal(data, &cfg) != nil {
		p.Broken, p.Detail = ProfileBadJSON, fmt.Sprintf("%s is not valid JSON", d.label(p.ConfigPath, 0, false))
		return p, nil
	}
	p.OrganizationID, p.WorkspaceID, p.BaseURL = clipText(cfg.OrganizationID), clipText(cfg.WorkspaceID), clipText(cfg.BaseURL)
	if cfg.Auth != nil {
		p.Type = clipText(cfg.Auth.Type)
		p.FederationRuleID, p.ServiceAccountID = clipText(cfg.Auth.FederationRuleID), clipText(cfg.Auth.ServiceAccountID)
		if t := cfg.Auth.IdentityToken; t != nil {
			p.IdentityTokenSrc, p.IdentityTokenPath = clipText(t.Source), t.Path
		}
	}
	switch p.Type {
	case ProfileUserOAuth, ProfileFederation:
	default:
		p.Broken = ProfileUnknownType
		p.Detail = fmt.Sprintf("authentication.type %q in %s is not a known authentication type (user_oauth, oidc_federation)", p.Type, d.label(p.ConfigPath, 0, false))
		if p.Type == "" {
			p.Detail = fmt.Sprintf("%s has no authentication.type", d.label(p.ConfigPath, 0, false))
		}
		return p, nil
	}
	clientID := cfg.Auth.ClientID != ""
	defer func() { p.CanRefresh = p.HasRefresh && clientID && p.Type == ProfileUserOAuth }()
	p.CredentialsPath = filepath.Join(dir, "credentials", p.Name+".json")
	if cfg.Auth.CredentialsPath != "" {
		p.CredentialsPath = absPath(cfg.Auth.CredentialsPath)
	}
	return p, d.profileCredentials(p, clientID)
}

// clipText keeps a non-secret profile field short enough to show.
func clipText(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// profileCredentials reads credentials/<p>.json as the Go SDK does: never
// through a symlink, and not when group or other may read it (the Go SDK
// refuses it; fix401 still reads it, as its owner, to show the token).
// For a federation profile the file is only a cache of the minted token:
// the SDK uses it while fresh and otherwise exchanges afresh, so an
// unsafe, stale or missing cache breaks nothing and yields no candidate.
func (d *discovery) profileCredentials(p *Profile, clientID bool) []Candidate {
	where := d.label(p.CredentialsPath, 0, false)
	data, info, exists, err := readSmall(p.CredentialsPath)
	cache := p.Type == ProfileFederation
	unsafe := exists && info != nil && (info.Mode()&fs.ModeSymlink != 0 || runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0)
	switch {
	case cache && (!exists || unsafe || err != nil || data == nil):
		return nil
	case !exists:
		p.Broken, p.Detail = ProfileNoLogin, fmt.Sprintf("%s does not exist: no login is stored", where)
		return nil
	case info != nil && info.Mode()&fs.ModeSymlink != 0:
		p.Broken, p.Detail = ProfileSymlink, fmt.Sprintf("%s is a symlink; the Go SDK refuses to read it", where)
		return nil
	case err != nil || data == nil:
		p.Broken, p.Detail = ProfileUnreadable, fmt.Sprintf("%s cannot be read", where)
		return nil
	}
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		p.Broken, p.Mode = ProfileUnsafe, info.Mode().Perm()
		p.Detail = fmt.Sprintf("%s has permissions %#o: group or other can read it, so the Go SDK refuses it", where, info.Mode().Perm())
	}
	var cf struct {
		AccessToken  string          `json:"access_token"`
		RefreshToken string          `json:"refresh_token"`
		ExpiresAt    json.RawMessage `json:"expires_at"`
	}
	if json.Unmarshal(data, &cf) != nil {
		if p.Broken == "" {
			p.Broken, p.Detail = ProfileBadJSON, fmt.Sprintf("%s is not valid JSON", where)
		}
		return nil
	}
	p.HasCredentials = true
	p.HasRefresh, p.refresh = cf.RefreshToken != "", cf.RefreshToken
	var secs float64
	if json.Unmarshal(cf.ExpiresAt, &secs) == nil && secs > 0 && secs < 1e11 {
		p.ExpiresAt = time.Unix(int64(secs), 0)
	}
	switch {
	case cache && cf.AccessToken == "":
		return nil
	case cf.AccessToken == "" && p.Broken == "":
		p.Broken, p.Detail = ProfileNoLogin, fmt.Sprintf("%s holds no access_token", where)
		return nil
	case cf.AccessToken == "":
		return nil
	case clientID && !p.HasRefresh && p.Broken == "":
		p.Broken, p.Detail = ProfileNoRefresh, fmt.Sprintf("the profile has a client_id but %s holds no refresh_token", where)
	}
	p.HasAccess = true
	now := time.Now
	if d.env.Now != nil {
		now = d.env.Now
	}
	if cache && p.Expired(now()) {
		p.HasAccess = false // a stale cache: the SDK exchanges afresh
		return nil
	}
	c := finish(Candidate{Source: "profile " + p.Name + " (" + where + ")", Origin: OriginProfile, Var: p.Tier,
		Path: p.CredentialsPath, Exported: true, Value: cf.AccessToken, Raw: cf.AccessToken})
	return []Candidate{c}
}
