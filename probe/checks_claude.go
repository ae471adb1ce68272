package probe

// The checks shown when Claude Code is the client: its /login and the
// apiKeyHelper settings it would run.

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Check ids of Claude Code's stores.
const (
	CheckClaudeLogin  = "claude.login"
	CheckClaudeHelper = "claude.helper"
)

// Scope words for an apiKeyHelper's settings file.
var helperScopeWords = map[string]string{
	ScopeManaged: "managed settings (an administrator's)",
	ScopeLocal:   "the project's local settings",
	ScopeProject: "the project's shared settings (committed with the repository)",
	ScopeUser:    "your own settings",
}

// HelperCommand is an apiKeyHelper's command as it may be shown: one line,
// at most 80 characters.
func HelperCommand(c *Candidate) string {
	cmd := strings.Join(strings.Fields(c.Raw), " ")
	if len(cmd) > 80 {
		cmd = cmd[:77] + "..."
	}
	return cmd
}

// claudeKeyFound is key.found when Claude Code is the client and its
// credential is one fix401 cannot test: an apiKeyHelper, or a login kept
// in the macOS Keychain. ok is false otherwise.
func (r *Report) claudeKeyFound() (Result, bool) {
	if !r.Client.IsClaudeCode() {
		return Result{}, false
	}
	if h := r.HelperWins(); h != nil {
		return Result{ID: CheckKeyFound, Status: Warn,
			Title: fmt.Sprintf("Claude Code gets its key by running apiKeyHelper from %s: `%s`; fix401 does not run it", h.Source, HelperCommand(h)),
			Fix:   fmt.Sprintf("Test what it prints: `%s | fix401 check --for claude-code --key-stdin`.", HelperCommand(h))}, true
	}
	if r.noCredential() && r.Claude != nil && r.Claude.Keychain {
		return Result{ID: CheckKeyFound, Status: Warn,
			Title: "Claude Code's /login is in the macOS Keychain, which fix401 does not read",
			Fix:   "`claude /status` shows the account Claude Code signs in with; run `/login` in Claude Code if it has none."}, true
	}
	if k := r.ActiveKey(); k != nil {
		return Result{ID: CheckKeyFound, Status: Pass,
			Title: fmt.Sprintf("Claude Code sends %s: %s", k.Hint, ClaudeWhat(k))}, true
	}
	return Result{}, false
}

// ClaudeWhat names a credential Claude Code uses and where it is:
// "ANTHROPIC_API_KEY from the environment", "ANTHROPIC_API_KEY from
// .env:2", "the /login token in ~/.claude/.credentials.json:3".
func ClaudeWhat(k *Candidate) string {
	switch {
	case k.Origin == OriginEnv:
		return k.Var + " from the environment"
	case k.Origin == OriginStdin:
		return "the key given on stdin"
	case k.Var == VarClaudeLogin:
		return "the /login token in " + k.Source
	case k.Var == VarPrimaryKey:
		return "the /login key (primaryApiKey) in " + k.Source
	case k.Origin == OriginProfile:
		return "the " + k.Source
	}
	return k.Var + " from " + k.Source
}

// SubscriptionOverridden returns the credential in use when Claude Code
// would use it instead of a /login subscription that is there: an API
// key or token from the environment, a .env file or a settings env block,
// or an apiKeyHelper. Nil otherwise.
func (r *Report) SubscriptionOverridden() *Candidate {
	k := r.ActiveKey()
	if !r.Client.IsClaudeCode() || k == nil || !r.Claude.Subscribed() || k.Origin == OriginStdin {
		return nil
	}
	// CLAUDE_CODE_OAUTH_TOKEN is a subscription token itself (claude
	// setup-token).
	if k.Var == VarClaudeLogin || k.Var == VarPrimaryKey || k.Var == VarOAuthToken {
		return nil
	}
	return k
}

// checkClaudeLogin says what Claude Code's /login holds and whether
// Claude Code would use it.
func (r *Report) checkClaudeLogin() Result {
	cc := r.Claude
	res := Result{ID: CheckClaudeLogin}
	if cc == nil {
		res.Status, res.Title = Skip, "Claude Code /login: not read"
		return res
	}
	plan := "a claude.ai subscription"
	if cc.Subscription != "" {
		plan = fmt.Sprintf("a claude.ai %s subscription", upperFirstWord(cc.Subscription))
	}
	k := r.ActiveKey()
	inUse := k != nil && k.Var == VarClaudeLogin
	switch {
	case cc.HasLogin && cc.Expired(r.StartedAt):
		res.Status, res.Title = Warn, fmt.Sprintf("Claude Code /login: %s, its token expired %s", plan, ago(cc.ExpiresAt, r.StartedAt))
		if inUse {
			res.Status = Fail
		}
		if cc.HasRefresh {
			res.Detail = "Claude Code renews it with its refresh token when it next starts; if that fails it asks you to run /login."
		}
	case cc.HasLogin:
		res.Status, res.Title = Pass, fmt.Sprintf("Claude Code /login: %s in %s", plan, r.label(cc.CredentialsPath))
		if !cc.ExpiresAt.IsZero() {
			res.Title += ", token valid until " + cc.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
		}
	case cc.Keychain:
		res.Status, res.Title = Warn, "Claude Code /login: a claude.ai account is signed in (~/.claude.json); its token is in the macOS Keychain, which fix401 does not read"
		res.Fix = "`claude /status` shows the login Claude Code uses."
	case cc.OAuthAccount:
		res.Status, res.Title = Warn, "Claude Code /login: ~/.claude.json records a claude.ai account, but ~/.claude/.credentials.json holds no token"
		res.Fix = "Run `/login` in Claude Code to sign in again."
	case cc.PrimaryKey:
		res.Status, res.Title = Pass, "Claude Code /login: a Console account's key in ~/.claude.json"
	default:
		res.Status, res.Title = Skip, "Claude Code /login: no login found (~/.claude/.credentials.json, ~/.claude.json)"
	}
	if len(cc.Scopes) > 0 && cc.HasLogin {
		res.Detail = strings.TrimSpace("Scopes: " + strings.Join(cc.Scopes, ", ") + ". " + res.Detail)
	}
	if o := r.SubscriptionOverridden(); o != nil {
		res.Status = Warn
		res.Title = fmt.Sprintf("Claude Code uses %s, not %s", ClaudeWhat(o), plan)
		if o.Kind == KindAPI {
			res.Title += ": it bills the key's API organization, not the plan"
		}
		if o.Var == VarHelper {
			res.Title = fmt.Sprintf("Claude Code runs apiKeyHelper from %s instead of using %s", o.Source, plan)
		}
		if o.Origin == OriginDotenv {
			res.Detail = strings.TrimSpace(res.Detail + " Bun, which Claude Code runs on, loads " + filepath.Base(o.Path) + " from the directory claude starts in.")
		}
	}
	return res
}

// checkClaudeHelper lists the apiKeyHelper settings and flags one set
// outside the user's own settings: an administrator's or the project's
// command then decides the key.
func (r *Report) checkClaudeHelper() Result {
	res := Result{ID: CheckClaudeHelper, Status: Pass}
	var lines []string
	var foreign *Candidate
	scope := ""
	for _, h := range r.Claude.Helpers {
		c := &r.Candidates[h.Index]
		lines = append(lines, fmt.Sprintf("%s: `%s` (%s)", c.Source, HelperCommand(c), helperScopeWords[h.Scope]))
		if h.Scope != ScopeUser && foreign == nil {
			foreign, scope = c, h.Scope
		}
	}
	res.Detail = strings.Join(lines, "\n")
	first := &r.Candidates[r.Claude.Helpers[0].Index]
	res.Title = fmt.Sprintf("apiKeyHelper in %s: Claude Code runs `%s` for its key (fix401 does not)", first.Source, HelperCommand(first))
	if foreign != nil {
		res.Status = Warn
		res.Title = fmt.Sprintf("apiKeyHelper is set in %s, %s: `%s`", foreign.Source, helperScopeWords[scope], HelperCommand(foreign))
		if len(lines) == 1 {
			res.Detail = ""
		}
	}
	return res
}

// label names a file for people, under ~ when it is there.
func (r *Report) label(path string) string {
	if home := r.homeDir(); home != "" && strings.HasPrefix(path, home+"/") {
		return "~/" + strings.TrimPrefix(path, home+"/")
	}
	return path
}

func (r *Report) homeDir() string {
	if r.Claude == nil || r.Claude.CredentialsPath == "" {
		return ""
	}
	return strings.TrimSuffix(r.Claude.CredentialsPath, "/.claude/.credentials.json")
}

// ago says a past moment absolutely and how long ago.
func ago(t, now time.Time) string {
	d := now.Sub(t).Round(time.Minute)
	rel := fmt.Sprintf("%d minutes ago", int(d/time.Minute))
	switch {
	case d >= 48*time.Hour:
		rel = fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
	case d >= 2*time.Hour:
		rel = fmt.Sprintf("%d hours ago", int(d/time.Hour))
	}
	return fmt.Sprintf("on %s (%s)", t.UTC().Format("2006-01-02 15:04 UTC"), rel)
}

func upperFirstWord(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// claudeHint is added to the client check inside a Claude Code shell.
func claudeHint(r *Report) string {
	if !r.Env.InClaudeCode {
		return ""
	}
	return " This shell was started by Claude Code: to check the credential Claude Code itself uses, run `fix401 check --for claude-code` in the terminal you start claude from."
}

// claudeAuthConflict is env.auth_token when Claude Code uses
// ANTHROPIC_AUTH_TOKEN while an API key is set where it reads one too: it
// sends the token, ignores the key and warns "Auth conflict".
func (r *Report) claudeAuthConflict() (Result, bool) {
	k := r.ActiveKey()
	if !r.Client.IsClaudeCode() || r.Claude == nil || k == nil || k.Var != VarAuthToken {
		return Result{}, false
	}
	for _, c := range r.ClaudeSetters(VarAPIKey) {
		if c.Value != "" && c.Origin != OriginShell {
			return Result{ID: CheckAuthToken, Status: Warn,
				Title: fmt.Sprintf("ANTHROPIC_AUTH_TOKEN (%s) and ANTHROPIC_API_KEY (%s) are both set: Claude Code sends the token, ignores the key and warns \"Auth conflict\"", k.Source, c.Source),
				Fix:   "Keep one of them: unset the one you do not mean Claude Code to use."}, true
		}
	}
	return Result{}, false
}
