package steps

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/creds"
)

// The rules of the SDK profile tier (`ant auth login`): a profile the SDK
// refuses, and a profile whose login expired.

// profileInUse returns the profile when the client would load it: it reads
// profiles and no variable before them in its chain holds a credential.
func profileInUse(r *probe.Report) *probe.Profile {
	p := r.Profile
	if p == nil || len(r.Client.Chain) == 0 {
		return nil
	}
	if k := r.ActiveKey(); k != nil && k.Origin != probe.OriginProfile {
		return nil
	}
	return p
}

func ruleProfileBroken(r *probe.Report) (Diagnosis, bool) {
	p := profileInUse(r)
	if p == nil || p.Broken == "" {
		return Diagnosis{}, false
	}
	// Only the Go SDK refuses a credentials file by its mode or a symlink.
	goRules := r.Client.ID == "go" || r.Client.From == probe.ClientAssumed
	if (p.Broken == probe.ProfileUnsafe || p.Broken == probe.ProfileSymlink) && !goRules {
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: ProfileBroken, Title: fmt.Sprintf("The SDK profile %q cannot be used: %s", p.Name, p.Detail)}
	switch p.Broken {
	case probe.ProfileMissing:
		d.Fix = fmt.Sprintf("Run `ant auth login` to create the profile %q, or set %s to a profile that exists (or unset it to use the active one).",
			p.Name, probe.VarProfile)
	case probe.ProfileBadName:
		d.Fix = fmt.Sprintf("Set %s to a profile name of letters, digits, '.', '_' and '-' only.", probe.VarProfile)
	case probe.ProfileUnknownType:
		d.Fix = fmt.Sprintf("Set authentication.type in %s to user_oauth or oidc_federation, or run `ant auth login` to write the profile again.", p.ConfigPath)
	case probe.ProfileUnsafe:
		d.Fix = fmt.Sprintf("Run `chmod 600 %s`: the Go SDK reads a credentials file only when no one else can.", p.CredentialsPath)
	case probe.ProfileSymlink:
		d.Fix = fmt.Sprintf("Put the real file at %s instead of a symlink (move it there), then run `chmod 600 %s`.", p.CredentialsPath, p.CredentialsPath)
	default:
		d.Fix = "Run `ant auth login` to write the profile again."
	}
	return d, true
}

func ruleTokenExpired(r *probe.Report) (Diagnosis, bool) {
	if f := federationInUse(r); f != nil && f.Expired(r.StartedAt) {
		return Diagnosis{Code: TokenExpired,
			Title: fmt.Sprintf("The identity token from %s expired %s, so the token exchange refuses it", f.TokenFrom, when(f.Claims.Exp, r.StartedAt)),
			Fix: "Fetch a fresh identity token before each run (your platform issues them for minutes to an hour); " +
				"the SDKs re-read the file on every exchange, so refreshing the file is enough."}, true
	}
	p := profileInUse(r)
	k := r.ActiveKey()
	if p == nil || k == nil || !p.Expired(r.StartedAt) {
		return Diagnosis{}, false
	}
	// With a refresh token and a client_id the SDK renews the login by
	// itself; it is the cause only when the API refused the token too.
	if p.CanRefresh && r.Auth.Accepted() {
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: TokenExpired,
		Title: fmt.Sprintf("The login of SDK profile %q (%s) expired %s", p.Name, k.Hint, when(p.ExpiresAt, r.StartedAt)),
		Fix:   "Run `ant auth login` to renew it."}
	if p.CanRefresh {
		d.Fix = "Run `ant auth login` to renew it: the SDK could not renew it with its refresh token."
	}
	return d, true
}

// when says a past moment absolutely and relative to now.
func when(t, now time.Time) string {
	ago := now.Sub(t).Round(time.Minute)
	rel := ""
	switch {
	case ago >= 48*time.Hour:
		rel = fmt.Sprintf("%d days ago", int(ago/(24*time.Hour)))
	case ago >= 2*time.Hour:
		rel = fmt.Sprintf("%d hours ago", int(ago/time.Hour))
	default:
		rel = fmt.Sprintf("%d minutes ago", int(ago/time.Minute))
	}
	return fmt.Sprintf("on %s (%s)", t.UTC().Format("2006-01-02 15:04 UTC"), rel)
}

// federationInUse returns the federation setup when the client would try
// it: it reads federation, and nothing before federation in its chain
// holds a credential.
func federationInUse(r *probe.Report) *probe.Federation {
	f := r.Federation
	chain := r.Client.Chain
	at := slices.Index(chain, creds.TierFederation)
	if f == nil || at < 0 {
		return nil
	}
	if k := r.ActiveKey(); k != nil && (k.Origin != probe.OriginProfile || slices.Index(chain, k.Var) < at) {
		return nil
	}
	return f
}

func ruleFederationIncomplete(r *probe.Report) (Diagnosis, bool) {
	f := federationInUse(r)
	if f == nil {
		return Diagnosis{}, false
	}
	if len(f.Missing) > 0 {
		return Diagnosis{Code: FederationIncomplete,
			Title: fmt.Sprintf("Federation is set up in part (%s set), so the SDK skips it: %s missing",
				strings.Join(f.Set, ", "), strings.Join(f.Missing, ", ")),
			Fix: fmt.Sprintf("Set %s: the rule id (fdrl_…) and the organization id are in the Console under Workload identity.",
				strings.Join(f.Missing, " and "))}, true
	}
	if f.TokenProblem != "" {
		d := Diagnosis{Code: FederationIncomplete, Title: "Federation cannot exchange: " + f.TokenWords()}
		switch f.TokenProblem {
		case probe.TokenMissing, probe.TokenEmpty, probe.TokenUnreadable:
			d.Fix = "Have your platform write the identity token to that file before the program starts (a projected service-account token, the GitHub Actions OIDC token), or point " + probe.VarIdentityFile + " at the file it writes."
		case probe.TokenTooLarge:
			d.Fix = "The exchange takes identity tokens up to 16 KiB: ask your platform for a token with fewer claims."
		default:
			d.Fix = "Put the JWT your platform issues in the file, nothing else (no JSON wrapper, no quotes)."
		}
		return d, true
	}
	return Diagnosis{}, false
}

// readsFederation reports whether the client tries federation at all.
func readsFederation(r *probe.Report) bool {
	return slices.Contains(r.Client.Chain, creds.TierFederation)
}

// historyURL is where the Console shows why an exchange was refused.
const historyURL = "https://platform.claude.com/settings/workload-identity-federation?tab=history"

func ruleFederationRejected(r *probe.Report) (Diagnosis, bool) {
	a := r.Exchange
	if !r.FederationWins() || a == nil || a.Err != nil || a.OK() || !a.Anthropic {
		return Diagnosis{}, false
	}
	f := r.Federation
	d := Diagnosis{Code: FederationRejected,
		Title: fmt.Sprintf("The token exchange refuses your identity token for rule %s: %d %s %q", f.RuleID, a.Status, a.ErrorType, a.Message)}
	var compare []string
	if c := f.Claims; c != nil {
		aud := strings.Join(c.Aud, ", ")
		if !c.AudienceOK() {
			compare = append(compare, fmt.Sprintf("its audience is %s, but rules usually match %s (on EKS, project the token with that audience)", aud, probe.FederationAud))
		}
		compare = append(compare,
			fmt.Sprintf("iss %s must equal the issuer's URL byte for byte", c.Iss),
			fmt.Sprintf("sub %s must match the rule's subject prefix (case-sensitive)", c.Sub),
			fmt.Sprintf("aud %s must equal the rule's audience", aud))
		if l := c.Lifetime(); l > probe.FederationMaxLife {
			compare = append(compare, fmt.Sprintf("it lives %s, over the issuer's 1h default", l))
		}
	}
	d.Fix = "Compare the token with the rule in the Console: " + strings.Join(compare, "; ") +
		". The exact reason is in the Console's Workload identity authentication history (" + historyURL + ")."
	if f.WorkspaceID == "" {
		d.Fix += " If the rule covers several workspaces, set ANTHROPIC_WORKSPACE_ID."
	}
	return d, true
}

// federationRow is the credentials row when federation is the credential
// in use: the exchange, then the minted token.
func federationRow(r *probe.Report, c ChecklistRow) ChecklistRow {
	ex := r.Exchange
	switch {
	case r.Federation.Expired(r.StartedAt):
		c.Status, c.Result = probe.Fail, "federation: the identity token has expired"
	case !r.Done[probe.ProbeFederation] || ex == nil:
		return pendingRow(c)
	case ex.Err != nil:
		c.Status, c.Result = probe.Skip, "federation: not judged (no answer from the token exchange)"
	case !ex.OK():
		c.Status, c.Result = probe.Fail, "federation: the token exchange refused the identity token: "+answerText(ex)
	case r.Auth.Accepted():
		c.Status, c.Result = probe.Pass, "federation: the minted token is accepted"
	case r.Auth != nil && r.Auth.Status == 401:
		c.Status, c.Result = probe.Fail, "federation: the minted token is rejected: "+answerText(r.Auth)
	default:
		c.Status, c.Result = probe.Skip, "federation: the minted token was not judged"
	}
	return c
}

// shadowedFederation is key_shadowed when the failing key in use, from a
// variable, hides a federation setup the SDK would use otherwise and that
// passes every local check. fix401 does not exchange its identity token
// then: a token with a jti can be exchanged once, and it is not the
// credential in use.
func shadowedFederation(r *probe.Report, k *probe.Candidate, bad *probe.Answer) (Diagnosis, bool) {
	f := r.Federation
	if k.Origin != probe.OriginEnv || !probe.ReadBySDK(k.Var) || !f.Complete() || !readsFederation(r) {
		return Diagnosis{}, false
	}
	if c := f.Claims; c == nil || f.Expired(r.StartedAt) || !c.AudienceOK() {
		return Diagnosis{}, false
	}
	if bad.Class() != probe.ClassInvalid && bad.Class() != probe.ClassTokenExpired {
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: KeyShadowed,
		Title: fmt.Sprintf("The key in use (%s, %s) is rejected, and it hides your Workload Identity Federation setup (rule %s), which the SDK would use otherwise",
			k.Hint, k.Source, f.RuleID),
		Fix: fmt.Sprintf("An API key variable comes before federation in the SDK's order. Run `unset %s`", k.Var)}
	if lines := shellOrigins(r, k); len(lines) > 0 {
		d.Fix += " and delete " + joinAnd(lines)
	}
	d.Fix += " and the SDK will use federation. (fix401 did not try the exchange: an identity token may be good for one exchange only.)"
	return d, true
}
