package fix

import (
	"fmt"
	"slices"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// refusedForUse are the diagnoses of a credential Claude Code cannot use:
// with it out of the way, a /login subscription takes over.
var refusedForUse = []steps.Code{steps.Billing, steps.OrgDisabled, steps.SpendLimit, steps.KeyRejected,
	steps.KeyShadowed, steps.KeyDisabled, steps.KeyExpired, steps.PermissionDenied, steps.CredentialRestricted}

// subscription: Claude Code sends a failing key (or token) instead of the
// user's claude.ai subscription, and the subscription is what it would use
// next. Every line that sets the variable is commented out and the
// running shell's copy unset, so Claude Code falls back to /login; a
// settings file's env entry is named for the user to remove. The key is
// commented out, not deleted: the user may still want it for the API.
func (b *builder) subscription(d steps.Diagnosis) {
	r := b.r
	k := r.SubscriptionOverridden()
	if k == nil || k.Var == probe.VarHelper || !slices.Contains(refusedForUse, d.Code) {
		return
	}
	i := r.ClaudeWithout(k.Var)
	if i < 0 || (r.Candidates[i].Var != probe.VarClaudeLogin && r.Candidates[i].Var != probe.VarPrimaryKey) {
		return // something else would come first, not the subscription
	}
	why := "so Claude Code uses your claude.ai subscription"
	for _, c := range r.ClaudeSetters(k.Var) {
		switch {
		case c.Origin == probe.OriginEnv:
			b.unsetVar(d.Code, c.Var)
		case c.Origin == probe.OriginClaude:
			b.manual(d.Code, fmt.Sprintf("Remove %s from the env block of %s (line %d), %s", c.Var, label(c), c.Line, why), "", "")
		case !b.commentOut(d.Code, c, why):
			b.byHand(d.Code, c, "Comment out")
		}
	}
}
