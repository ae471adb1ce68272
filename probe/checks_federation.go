package probe

import (
	"fmt"
	"strings"
	"time"
)

// CheckFederation is the Workload Identity Federation setup and its
// identity token, judged locally before any request.
const CheckFederation = "federation.token"

// checkFederation judges the federation setup: a partial set of variables,
// an identity token that is missing, empty, too large or not a JWT, an
// expired one; warnings for an audience other than the API's, a lifetime
// over an hour, a symmetric or absent algorithm, no kid.
func (r *Report) checkFederation() Result {
	f := r.Federation
	res := Result{ID: CheckFederation}
	if len(f.Missing) > 0 {
		res.Status, res.Title = Fail, "Federation is set up in part: "+strings.Join(f.Missing, ", ")+" missing"
		res.Detail = "The SDKs exchange an identity token only with a rule, an organization and a token; with part of them they skip federation silently."
		return res
	}
	if f.TokenProblem != "" {
		res.Status, res.Title = Fail, "Federation: "+f.TokenWords()
		return res
	}
	c := f.Claims
	res.Detail = f.ClaimWords()
	now := r.StartedAt
	if f.Expired(now) {
		res.Status = Fail
		res.Title = fmt.Sprintf("Federation: the identity token from %s expired %s ago", f.TokenFrom, now.Sub(c.Exp).Round(time.Second))
		return res
	}
	var warn []string
	if !c.AudienceOK() {
		warn = append(warn, fmt.Sprintf("its audience is %s, not %s", orUnknown(strings.Join(c.Aud, ", ")), FederationAud))
	}
	if l := c.Lifetime(); l > FederationMaxLife {
		warn = append(warn, fmt.Sprintf("it lives %s, over the issuer's default maximum of 1h", l))
	}
	switch a := strings.ToUpper(c.Alg); {
	case a == "" || a == "NONE" || strings.HasPrefix(a, "HS"):
		warn = append(warn, fmt.Sprintf("its algorithm %q is not an asymmetric one", c.Alg))
	}
	if c.Kid == "" {
		warn = append(warn, "its header has no kid")
	}
	if len(warn) > 0 {
		res.Status = Warn
		res.Title = "Federation: the identity token may be refused: " + strings.Join(warn, "; ")
		return res
	}
	res.Status = Pass
	res.Title = fmt.Sprintf("Federation: rule %s, identity token from %s", f.RuleID, f.TokenFrom)
	return res
}

// ClaimWords lists the identity token's claims a federation rule matches,
// never the token.
func (f *Federation) ClaimWords() string {
	c := f.Claims
	if c == nil {
		return ""
	}
	ts := func(t time.Time) string {
		if t.IsZero() {
			return "(none)"
		}
		return t.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	return fmt.Sprintf("iss=%s sub=%s aud=%s exp=%s iat=%s alg=%s kid=%s",
		orUnknown(c.Iss), orUnknown(c.Sub), orUnknown(strings.Join(c.Aud, ",")), ts(c.Exp), ts(c.Iat), orUnknown(c.Alg), orUnknown(c.Kid))
}

// CheckExchange is the federation token exchange and the minted token.
const CheckExchange = "api.exchange"

// checkExchange reports the exchange at /v1/oauth/token: refused (with the
// claims to compare with the rule), or a token minted and what the API
// said of it.
func (r *Report) checkExchange() Result {
	if !r.Done[ProbeFederation] {
		return pending(CheckExchange, "Exchanging the identity token at "+TokenPath+"…")
	}
	a := r.Exchange
	res := Result{ID: CheckExchange, Duration: dur(a)}
	switch {
	case a == nil:
		res.Status, res.Title = Error, "The token exchange did not run"
	case a.Err != nil:
		res.Status, res.Title = Error, "No answer from the token exchange: "+answerWords(a)
	case a.OK() && r.Federation.minted == "":
		res.Status, res.Title = Fail, fmt.Sprintf("The token exchange answered HTTP %d without a Bearer access_token", a.Status)
	case a.OK():
		res.Status = Pass
		res.Title = "The token exchange minted a token"
		if r.Auth != nil {
			res.Title += "; the API " + map[bool]string{true: "accepts it", false: "refuses it: " + answerWords(r.Auth)}[r.Auth.Accepted()]
		}
		if r.Federation.Claims != nil && r.Federation.Claims.Jti {
			res.Detail = "The identity token carries a jti, so this exchange used it up: your program needs a fresh one."
		}
	default:
		res.Status = Fail
		res.Title = fmt.Sprintf("The token exchange refuses the identity token: %d %s %q", a.Status, a.ErrorType, a.Message)
		res.Detail = r.Federation.ClaimWords()
	}
	if a != nil && a.RequestID != "" {
		res.Detail = strings.TrimSpace(res.Detail + " request-id " + a.RequestID)
	}
	return res
}

// CheckProfile is the SDK profile the SDKs would load: where it is, its
// type, organization, workspace, base URL and token expiry.
const CheckProfile = "key.profile"

func (r *Report) checkProfile() Result {
	p := r.Profile
	res := Result{ID: CheckProfile, Status: Pass}
	res.Title = fmt.Sprintf("SDK profile %q (%s) in %s, chosen by %s", p.Name, orUnknown(p.Type), p.Dir, p.NameFrom)
	var facts []string
	add := func(label, v string) {
		if v != "" {
			facts = append(facts, label+" "+v)
		}
	}
	add("organization", p.OrganizationID)
	add("workspace", p.WorkspaceID)
	add("base URL", p.BaseURL)
	add("rule", p.FederationRuleID)
	now := r.StartedAt
	switch {
	case p.Broken != "":
		res.Status, res.Title = Fail, fmt.Sprintf("SDK profile %q: %s", p.Name, p.Detail)
	case p.Expired(now):
		res.Status = Warn
		facts = append(facts, "token expired "+p.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))
		res.Title += ": its login has expired"
	case !p.ExpiresAt.IsZero():
		facts = append(facts, fmt.Sprintf("token expires %s (in %s)", p.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"), p.ExpiresAt.Sub(now).Round(time.Minute)))
	case p.Type == ProfileUserOAuth && !p.HasAccess:
		res.Status = Warn
		res.Title += ": no login stored (run `ant auth login`)"
	}
	if p.BaseURL != "" && trimURL(p.BaseURL) != trimURL(r.Target.BaseURL) && res.Status == Pass {
		res.Status = Warn
		res.Title += fmt.Sprintf(": the SDK sends its requests to %s, not %s, which fix401 probed", p.BaseURL, r.Target.BaseURL)
	}
	res.Detail = strings.Join(facts, ", ")
	return res
}
