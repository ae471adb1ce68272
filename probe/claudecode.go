package probe

// Claude Code as a client: when it is the client in use, how it picks the
// credential it sends (its precedence, over its own stores), and what its
// /login holds. The stores are read by the claude source
// (source_claude.go); this file decides.

import (
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/fix401/fix401/probe/creds"
)

// Names of credentials in Claude Code's stores that are not variables.
const (
	// VarPrimaryKey is ~/.claude.json's primaryApiKey: the Console key a
	// /login with a Console account created. It counts as /login.
	VarPrimaryKey = "primaryApiKey"
	// VarClaudeLogin is the /login token of ~/.claude/.credentials.json
	// (claudeAiOauth.accessToken): a claude.ai subscription.
	VarClaudeLogin = creds.TierClaudeLogin
	// VarInClaudeCode is set in every shell Claude Code starts.
	VarInClaudeCode = "CLAUDECODE"
)

// goos is runtime.GOOS, a variable so tests can play macOS, where the
// /login lives in the Keychain.
var goos = runtime.GOOS

// ClaudeCode is what Claude Code's own stores say, read only when Claude
// Code is the client. Its tokens are never shown; the access token is a
// Candidate, the refresh token only kept for Report.Secrets.
type ClaudeCode struct {
	// CredentialsPath is ~/.claude/.credentials.json; HasLogin is set when
	// it holds claudeAiOauth.accessToken.
	CredentialsPath string
	HasLogin        bool
	HasRefresh      bool
	ExpiresAt       time.Time // zero when expiresAt is missing
	Scopes          []string
	Subscription    string // subscriptionType: pro, max, team, enterprise; empty when unknown

	// ConfigPath is ~/.claude.json; OAuthAccount is set when it records a
	// signed-in claude.ai account (oauthAccount), PrimaryKey when it holds
	// primaryApiKey.
	ConfigPath   string
	OAuthAccount bool
	PrimaryKey   bool

	// Keychain: macOS, signed in (oauthAccount) and no credentials file:
	// the login is in the Keychain, which fix401 does not read.
	Keychain bool

	// Helpers are the apiKeyHelper settings found, highest scope first;
	// Claude Code runs the first.
	Helpers []ClaudeHelper

	scopes  map[string]string // settings file → its scope
	dir     string            // the project, absolute: where Bun reads .env files
	nodeEnv string            // NODE_ENV as set, for Bun's .env.$NODE_ENV (bunEnvFiles: "development" when unset)
	refresh string            // the refresh token, a secret
}

// ClaudeHelper is one apiKeyHelper setting.
type ClaudeHelper struct {
	Index int    // into Candidates
	Scope string // ScopeManaged, ScopeLocal, ScopeProject, ScopeUser
}

// Subscribed reports whether a /login subscription is there to be used:
// a token in .credentials.json, or a claude.ai account that keeps its
// token in the Keychain.
func (cc *ClaudeCode) Subscribed() bool {
	return cc != nil && (cc.HasLogin || cc.OAuthAccount)
}

// Expired reports whether the /login access token has expired at now.
func (cc *ClaudeCode) Expired(now time.Time) bool {
	return cc != nil && cc.HasLogin && !cc.ExpiresAt.IsZero() && !now.Before(cc.ExpiresAt)
}

func (cc *ClaudeCode) secrets() []string {
	if cc == nil {
		return nil
	}
	return []string{cc.refresh}
}

// IsClaudeCode reports whether Claude Code is the client in use.
func (ci ClientInfo) IsClaudeCode() bool { return ci.ID == creds.ClaudeCode }

// CLAUDECODE alone never makes Claude Code the client (ResolveClient
// reads --for and the project only): it is set in every shell Claude Code
// starts, where people run and debug their own apps, and Claude Code
// exports its credential variables there empty, so the environment fix401
// sees is not the one Claude Code reads. checkClient suggests
// --for claude-code instead.

// bunEnvFiles are the .env files Bun loads into Claude Code from the
// directory it starts in, most important first: .env.local is skipped
// when NODE_ENV is test.
func bunEnvFiles(nodeEnv string) []string {
	if nodeEnv == "" || strings.ContainsAny(nodeEnv, `/\`) {
		nodeEnv = "development" // unset, or no file name
	}
	out := []string{".env." + nodeEnv + ".local"}
	if nodeEnv != "test" {
		out = append(out, ".env.local")
	}
	return append(out, ".env."+nodeEnv, ".env")
}

// claudeVar returns the candidate Claude Code reads name from, or -1:
// settings env blocks first (managed, local, project, user: Claude Code
// copies them over its environment), then the environment it was started
// in, then the .env files Bun loads from the current directory (they never
// replace a variable already set). The first place that sets the variable
// decides, even when it sets it empty.
func (cc *ClaudeCode) claudeVar(c []Candidate, name string) int {
	for i := range c {
		if c[i].Origin == OriginClaude && c[i].Var == name && c[i].Path != "" && isSettings(c[i].Path) {
			return i
		}
	}
	for i := range c {
		if c[i].Origin == OriginEnv && c[i].Var == name {
			return i
		}
	}
	best, bestRank := -1, 0
	files := bunEnvFiles(cc.nodeEnv)
	for i := range c {
		if c[i].Origin != OriginDotenv || c[i].Var != name || filepath.Dir(c[i].Path) != cc.dir || unloadable(c[i]) {
			continue
		}
		rank := slices.Index(files, filepath.Base(c[i].Path))
		if rank < 0 {
			continue
		}
		if best < 0 || rank < bestRank || rank == bestRank && c[i].Line > c[best].Line {
			best, bestRank = i, rank
		}
	}
	return best
}

// isSettings reports whether path is a settings file (not ~/.claude.json
// or the credentials file).
func isSettings(path string) bool {
	b := filepath.Base(path)
	return b != ".claude.json" && b != ".credentials.json"
}

// choose is ChooseActive for Claude Code: the stdin key when
// given, else the first tier of prec that holds a credential. A winning
// apiKeyHelper is returned although it has no value: fix401 does not run
// it, and nothing after it is used.
func (cc *ClaudeCode) choose(env *Env, c []Candidate, prec []string) int {
	if env != nil && env.HasStdinKey {
		for i := range c {
			if c[i].Origin == OriginStdin && !c[i].Foreign {
				return i
			}
		}
	}
	for _, name := range prec {
		switch name {
		case creds.VarAuthToken, creds.VarAPIKey, creds.VarOAuthToken:
			if i := cc.claudeVar(c, name); i >= 0 && c[i].Value != "" && !c[i].Foreign {
				return i
			}
		case creds.TierHelper:
			for i := range c {
				if c[i].Origin == OriginClaude && c[i].Var == VarHelper && !c[i].Foreign {
					return i
				}
			}
		case creds.TierProfileNamed, creds.TierProfileActive:
			for i := range c {
				if c[i].Origin == OriginProfile && c[i].Var == name && c[i].Value != "" {
					return i
				}
			}
		case creds.TierClaudeLogin:
			for _, v := range []string{VarClaudeLogin, VarPrimaryKey} {
				for i := range c {
					if c[i].Origin == OriginClaude && c[i].Var == v && c[i].Value != "" && !c[i].Foreign {
						return i
					}
				}
			}
		}
	}
	return -1
}

// choose picks the credential in use among c for the client: Claude Code's
// rules for Claude Code, ChooseActive's for everything else.
func (r *Report) choose(env *Env, c []Candidate) int {
	if r.Client.IsClaudeCode() && r.Claude != nil {
		return r.Claude.choose(env, c, r.precedence())
	}
	return ChooseActive(env, c, r.precedence()...)
}

// HelperWins returns the apiKeyHelper Claude Code runs to get its key, when
// that is the credential in use (and fix401 cannot test it), or nil.
func (r *Report) HelperWins() *Candidate {
	k := r.ActiveKey()
	if k == nil || !r.Client.IsClaudeCode() || k.Var != VarHelper || k.Origin != OriginClaude {
		return nil
	}
	return k
}

// Testable reports whether the credential in use has a value to send.
// Only a winning apiKeyHelper has none: fix401 does not run it.
func (r *Report) Testable() bool {
	k := r.ActiveKey()
	return k != nil && r.HelperWins() == nil
}

// HelperScope is the scope of the settings file a helper candidate is
// from, or "".
func (r *Report) HelperScope(i int) string {
	if r.Claude == nil {
		return ""
	}
	for _, h := range r.Claude.Helpers {
		if h.Index == i {
			return h.Scope
		}
	}
	return ""
}

// newClaudeCode starts the record of Claude Code's stores for d.
func (d *discovery) newClaudeCode() *ClaudeCode {
	return &ClaudeCode{dir: d.dir, nodeEnv: d.env.Vars["NODE_ENV"]}
}

// overridden reports whether the client reads candidate i but something
// before it in its chain wins: alone, it would be chosen.
func (r *Report) overridden(i int) bool {
	one := r.Candidates[i : i+1]
	if r.Client.IsClaudeCode() && r.Claude != nil {
		return r.Claude.choose(nil, one, r.Client.Precedence()) == 0
	}
	return ChooseActive(nil, one, r.Client.Precedence()...) == 0
}

// helpers records the apiKeyHelper candidates among c with their scope.
func (cc *ClaudeCode) helpers(c []Candidate) {
	cc.Helpers = nil
	for i := range c {
		if c[i].Origin == OriginClaude && c[i].Var == VarHelper {
			cc.Helpers = append(cc.Helpers, ClaudeHelper{Index: i, Scope: cc.scopes[c[i].Path]})
		}
	}
}

// ClaudeWithout returns the index of the credential Claude Code would use
// if every place that sets variable name were cleared, or -1: what an
// `unset` and deleting those lines would leave.
func (r *Report) ClaudeWithout(name string) int {
	if !r.Client.IsClaudeCode() || r.Claude == nil {
		return -1
	}
	c := make([]Candidate, len(r.Candidates))
	for i, k := range r.Candidates {
		if k.Var == name {
			k.Var = "" // cleared: no tier reads it
		}
		c[i] = k
	}
	return r.Claude.choose(nil, c, r.precedence())
}

// ClaudeSetters lists every candidate Claude Code could read variable name
// from, or that puts it back into the next shell: settings env blocks, the
// environment, the .env files Bun loads from the current directory, and
// shell start-up files that export it.
func (r *Report) ClaudeSetters(name string) []*Candidate {
	var out []*Candidate
	for i := range r.Candidates {
		c := &r.Candidates[i]
		if c.Var != name {
			continue
		}
		switch {
		case c.Origin == OriginEnv, c.Origin == OriginShell,
			c.Origin == OriginClaude && isSettings(c.Path),
			c.Origin == OriginDotenv && r.Claude != nil && filepath.Dir(c.Path) == r.Claude.dir && slices.Contains(bunEnvFiles(r.Claude.nodeEnv), filepath.Base(c.Path)):
			out = append(out, c)
		}
	}
	return out
}
