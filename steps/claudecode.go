package steps

// Claude Code as the client: its /login, an apiKeyHelper fix401 does not
// run, a login in the macOS Keychain, and a key that wins over a
// subscription.

import (
	"fmt"

	"github.com/fix401/fix401/probe"
)

// firstOf tries rules in order and returns the first match: one row of the
// code table with more than one way to find its code.
func firstOf(rules ...func(*probe.Report) (Diagnosis, bool)) func(*probe.Report) (Diagnosis, bool) {
	return func(r *probe.Report) (Diagnosis, bool) {
		for _, rule := range rules {
			if d, ok := rule(r); ok {
				return d, true
			}
		}
		return Diagnosis{}, false
	}
}

// unlessClaudeCode drops a rule's match when Claude Code is the client and
// the only refusal is "only authorized for use with Claude Code": fix401
// is not Claude Code, Claude Code itself may use the token.
func unlessClaudeCode(rule func(*probe.Report) (Diagnosis, bool)) func(*probe.Report) (Diagnosis, bool) {
	return func(r *probe.Report) (Diagnosis, bool) {
		if r.Client.IsClaudeCode() && firstOfClass(r, probe.ClassCodeOnly) != nil && firstOfClass(r, probe.ClassOAuthOff) == nil {
			return Diagnosis{}, false
		}
		return rule(r)
	}
}

// ruleClaudeHelper: Claude Code gets its key from an apiKeyHelper, which
// fix401 names and never runs.
func ruleClaudeHelper(r *probe.Report) (Diagnosis, bool) {
	h := r.HelperWins()
	if h == nil {
		return Diagnosis{}, false
	}
	cmd := probe.HelperCommand(h)
	d := Diagnosis{Code: KeyUnresolved,
		Title: fmt.Sprintf("Claude Code gets its key by running apiKeyHelper `%s` (%s); fix401 does not run commands, so it could not test that key", cmd, h.Source),
		Fix:   fmt.Sprintf("Run `%s | fix401 check --for claude-code --key-stdin` to test what it prints.", cmd)}
	switch r.HelperScope(r.Active) {
	case probe.ScopeManaged:
		d.Fix += " It is set in managed settings, which only an administrator can change."
	case probe.ScopeProject, probe.ScopeLocal:
		d.Fix += fmt.Sprintf(" It comes from the project's settings, not yours: remove it from %s if you did not put it there.", fileOf(h.Source))
	}
	return d, true
}

// ruleClaudeKeychain: nothing fix401 can test, and Claude Code's login is
// in the macOS Keychain.
func ruleClaudeKeychain(r *probe.Report) (Diagnosis, bool) {
	if !r.Client.IsClaudeCode() || r.Claude == nil || !r.Claude.Keychain || r.ActiveKey() != nil || r.FederationWins() {
		return Diagnosis{}, false
	}
	return Diagnosis{Code: NoKey,
		Title: "No credential fix401 can test: Claude Code keeps its /login in the macOS Keychain, which fix401 does not read",
		Fix:   "Run `claude /status` to see the account Claude Code uses; if it is signed out, run `/login` in Claude Code."}, true
}

// ruleClaudeLoginExpired: the /login token Claude Code would use has
// expired.
func ruleClaudeLoginExpired(r *probe.Report) (Diagnosis, bool) {
	k, cc := r.ActiveKey(), r.Claude
	if k == nil || k.Var != probe.VarClaudeLogin || !cc.Expired(r.StartedAt) {
		return Diagnosis{}, false
	}
	// With a refresh token Claude Code renews the login by itself; it is
	// the cause only when the API refused the token too.
	if cc.HasRefresh && r.Auth.Accepted() {
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: TokenExpired,
		Title: fmt.Sprintf("Claude Code's /login token (%s, %s) expired %s", k.Hint, fileOf(k.Source), when(cc.ExpiresAt, r.StartedAt)),
		Fix:   "Run `claude`, then `/login`, to sign in again."}
	if cc.HasRefresh {
		d.Fix = "Start `claude`: it renews the login with its refresh token. If it says \"Please run /login\", run `/login`."
	}
	return d, true
}

// ruleClaudeOK: the Claude Code token in use is accepted, and the only
// refusal is count_tokens saying it serves Claude Code alone, which it
// says to anything but Claude Code itself.
func ruleClaudeOK(r *probe.Report) (Diagnosis, bool) {
	k := r.ActiveKey()
	if !r.Client.IsClaudeCode() || k == nil || k.Kind != probe.KindOAuth || !r.Auth.Accepted() {
		return Diagnosis{}, false
	}
	for _, a := range []*probe.Answer{r.Auth, r.Quota, r.Model} {
		if a.Class().Refused() && a.Class() != probe.ClassCodeOnly {
			return Diagnosis{}, false
		}
	}
	return Diagnosis{Code: OK,
		Title: fmt.Sprintf("The API accepts %s from %s; count_tokens keeps it for Claude Code itself, which is expected", k.Hint, k.Source),
		Fix:   "Nothing to fix: Claude Code can use this login."}, true
}

// subscriptionFix adds to a diagnosis of a failing credential that Claude
// Code would use the /login subscription once the credential is out of
// the way, and where to take it out: `unset`, and each line that sets it.
func subscriptionFix(r *probe.Report, d Diagnosis) Diagnosis {
	k := r.SubscriptionOverridden()
	if k == nil || failingInUse(r) == nil || d.Code == OK {
		return d
	}
	plan := "your claude.ai subscription"
	if s := r.Claude.Subscription; s != "" {
		plan = fmt.Sprintf("your claude.ai %s subscription", upperFirst(s))
	}
	if k.Var == probe.VarHelper {
		d.Fix = fmt.Sprintf("Claude Code runs apiKeyHelper (%s) instead of using %s: remove apiKeyHelper from %s to use the subscription. ",
			k.Source, plan, fileOf(k.Source)) + d.Fix
		return d
	}
	var steps []string
	unset := false
	for _, c := range r.ClaudeSetters(k.Var) {
		switch {
		case c.Origin == probe.OriginEnv:
			unset = true
		case c.Origin == probe.OriginClaude && c.Line > 0:
			steps = append(steps, fmt.Sprintf("remove %s from the env block of %s (line %d)", k.Var, fileOf(c.Source), c.Line))
		case c.Line > 0:
			steps = append(steps, fmt.Sprintf("delete line %d of %s", c.Line, fileOf(c.Source)))
		default:
			steps = append(steps, "remove "+k.Var+" from "+c.Source)
		}
	}
	if unset {
		steps = append([]string{fmt.Sprintf("run `unset %s`", k.Var)}, steps...)
	}
	then := plan
	if i := r.ClaudeWithout(k.Var); i >= 0 {
		if n := &r.Candidates[i]; n.Var != probe.VarClaudeLogin && n.Var != probe.VarPrimaryKey {
			then = fmt.Sprintf("%s, not %s", probe.ClaudeWhat(n), plan)
		}
	}
	sub := fmt.Sprintf("Claude Code sends %s instead of %s.", probe.ClaudeWhat(k), plan)
	switch {
	case len(steps) == 0:
	case then == plan:
		sub += fmt.Sprintf(" To use the subscription, %s.", joinAnd(steps))
	default:
		sub += fmt.Sprintf(" Clearing it (%s) would leave %s first.", joinAnd(steps), then)
	}
	if d.Code == KeyShadowed && then == plan {
		d.Fix = sub // the shadowing fix says the same: one wording
		return d
	}
	d.Fix = sub + " Otherwise: " + d.Fix
	return d
}

// unlessHelper drops a rule's match when Claude Code's key comes from an
// apiKeyHelper: a credential exists, fix401 only cannot see it.
func unlessHelper(rule func(*probe.Report) (Diagnosis, bool)) func(*probe.Report) (Diagnosis, bool) {
	return func(r *probe.Report) (Diagnosis, bool) {
		if r.HelperWins() != nil {
			return Diagnosis{}, false
		}
		return rule(r)
	}
}

// loginWorks reports whether the API accepted Claude Code's /login token
// when it was tested as another credential.
func loginWorks(r *probe.Report) bool {
	for _, o := range r.Others {
		if r.Candidates[o.Index].Var == probe.VarClaudeLogin && o.Answer.Accepted() {
			return true
		}
	}
	return false
}

// claudeExplain replaces a code's explanation when Claude Code's
// apiKeyHelper is what the diagnosis is about.
func claudeExplain(r *probe.Report) string {
	if r.HelperWins() == nil {
		return ""
	}
	return "Claude Code's settings name a command, apiKeyHelper, that prints the key when Claude Code needs one. fix401 reads the command but never runs it."
}
