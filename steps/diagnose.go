// Package steps is the guide: the ordered steps of the wizard, which checks
// each shows, how measurements become one diagnosis and advice, the
// checklist and the summary. It is pure: no terminal, no I/O.
package steps

import (
	"fmt"
	"strings"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/creds"
)

// Code is a diagnosis code (DESIGN.md), stable for scripts.
type Code string

// Diagnosis codes, in precedence order: the first that matches wins.
const (
	InsecureBaseURL      Code = "insecure_base_url"
	NetworkUnreachable   Code = "network_unreachable"
	TLSUntrusted         Code = "tls_untrusted"
	RegionBlocked        Code = "region_blocked"
	NotAnthropic         Code = "not_anthropic"
	HeaderStripped       Code = "header_stripped"
	NoKey                Code = "no_key"
	KeyNotLoaded         Code = "key_not_loaded"
	KeyUnresolved        Code = "key_unresolved"
	KeyWrongKind         Code = "key_wrong_kind"
	KeyMalformed         Code = "key_malformed"
	KeyShadowed          Code = "key_shadowed"
	AuthConflict         Code = "auth_conflict"
	KeyExpired           Code = "key_expired"
	KeyDisabled          Code = "key_disabled"
	KeyRejected          Code = "key_rejected"
	CredentialRestricted Code = "credential_restricted"
	IPNotAllowed         Code = "ip_not_allowed"
	WorkspaceRequired    Code = "workspace_required"
	PermissionDenied     Code = "permission_denied"
	OrgDisabled          Code = "org_disabled"
	SpendLimit           Code = "spend_limit"
	Billing              Code = "billing"
	RateLimited          Code = "rate_limited"
	ServiceDegraded      Code = "service_degraded"
	ModelNotFound        Code = "model_not_found"
	OK                   Code = "ok"
	ProfileBroken        Code = "profile_broken"
	FederationIncomplete Code = "federation_incomplete"
	FederationRejected   Code = "federation_rejected"
	TokenExpired         Code = "token_expired"
	// Unexplained is the fallback when no rule matches: an answer none of
	// the codes above describes. It is never mistaken for a key problem.
	Unexplained Code = "unexplained"
	// Incomplete means the probes have not all finished.
	Incomplete Code = "incomplete"
)

// Diagnosis is the most specific root cause found, with advice written for
// this finding. Also holds the other causes that matched, in order.
type Diagnosis struct {
	Code  Code
	Title string
	Fix   string
	Step  StepID
	Also  []Diagnosis
}

// Diagnose returns one diagnosis for a finished report, by the precedence
// of DESIGN.md. A report whose probes are still running gives Incomplete.
func Diagnose(r *probe.Report) Diagnosis {
	if !r.Finished() {
		return Diagnosis{Code: Incomplete, Title: "Still checking…", Step: Understand}
	}
	var found []Diagnosis
	for _, row := range codeTable {
		if row.Match == nil {
			continue
		}
		if d, ok := row.Match(r); ok {
			found = append(found, d)
		}
	}
	if len(found) == 0 {
		a := r.Auth
		if ref := refusedInUse(r); ref != nil {
			a = ref
		}
		d := Diagnosis{Code: Unexplained, Step: Understand,
			Title: "The API answered in a way fix401 cannot explain",
			Fix:   "Send the summary (fix401 report) with its request ids to Anthropic support."}
		if a != nil && a.Err == nil {
			d.Title = fmt.Sprintf("The API answered HTTP %d %s %q, which fix401 cannot explain", a.Status, a.ErrorType, a.Message)
			if a != r.Auth {
				d.Title = fmt.Sprintf("%s %s was refused: HTTP %d %s %q, which fix401 cannot explain",
					a.Method, pathOf(a.URL), a.Status, a.ErrorType, a.Message)
			}
			if a.Status == 404 && a == r.Auth {
				d.Fix = "A 404 on /v1/models usually means the base URL has an extra path (such as /v1); use https://api.anthropic.com."
				d.Step = Headers
			}
		}
		found = append(found, d)
	}
	// ok only stands when nothing else matched.
	if found[0].Code != OK {
		kept := found[:0]
		for _, d := range found {
			if d.Code != OK {
				kept = append(kept, d)
			}
		}
		found = kept
	}
	found = dropSuperseded(found)
	d := found[0]
	d.Step = StepOfCode(d.Code)
	if d.Code == Unexplained && found[0].Step != "" {
		d.Step = found[0].Step
	}
	for _, o := range found[1:] {
		o.Step = StepOfCode(o.Code)
		d.Also = append(d.Also, o)
	}
	return subscriptionFix(r, d)
}

// netPhases are transport failures that mean "could not reach the API".
var netPhases = map[string]bool{"dns": true, "tcp": true, "timeout": true, "proxy": true, "other": true, "tls": true, probe.PhaseBadURL: true}

// reference is the answer that tells whether the API can be reached: the
// control request always carries a clean key, so its failure is never the
// key's fault.
func reference(r *probe.Report) *probe.Answer {
	if r.Control != nil {
		return r.Control
	}
	return r.Auth
}

func ruleInsecure(r *probe.Report) (Diagnosis, bool) {
	if !r.Insecure() {
		return Diagnosis{}, false
	}
	return Diagnosis{Code: InsecureBaseURL,
		Title: fmt.Sprintf("The base URL %s is plain HTTP to another machine, so the key was not sent", r.Target.BaseURL),
		Fix:   fixBaseURL(r, "use https://api.anthropic.com (or an https:// gateway)")}, true
}

func fixBaseURL(r *probe.Report, what string) string {
	switch r.Target.BaseURLSource {
	case "env:ANTHROPIC_BASE_URL":
		return "Unset ANTHROPIC_BASE_URL, or " + what + "."
	case "flag":
		return "Pass --base-url again and " + what + "."
	case probe.SourceProfile:
		return "The SDK profile sets base_url (in " + r.Profile.ConfigPath + "): remove it, or " + what + "."
	}
	return strings.ToUpper(what[:1]) + what[1:] + "."
}

func ruleNetwork(r *probe.Report) (Diagnosis, bool) {
	a := reference(r)
	if a == nil || a.Err == nil || !netPhases[a.Err.Phase] {
		return Diagnosis{}, false
	}
	host := r.Target.BaseURL
	if r.Net != nil && r.Net.Host != "" {
		host = r.Net.Host
	}
	d := Diagnosis{Code: NetworkUnreachable}
	switch a.Err.Phase {
	case "dns":
		d.Title = fmt.Sprintf("%s does not resolve: no request reached the API", host)
		d.Fix = "Check your connection, VPN and DNS; this says nothing about your key."
	case "timeout":
		d.Title = fmt.Sprintf("%s did not answer in time", host)
		d.Fix = "Check your connection or try another network; a timeout says nothing about your key."
		if r.Net != nil && r.Net.Err == nil && r.Net.Host != "" {
			// The connection was made: something accepted it and then sat
			// on the request. That is a server, not the network.
			d.Title = fmt.Sprintf("%s accepted the connection, then never answered: %s", host, a.Err.Message)
			switch {
			case r.Net.Proxy != "":
				d.Fix = fmt.Sprintf("The proxy %s took the request and no answer came back; check the proxy, or bypass it for %s (NO_PROXY). Your key was never judged.", r.Net.Proxy, host)
			case r.Target.BaseURLSource != "default" && r.Target.BaseURLSource != probe.SourceDemo:
				d.Fix = fmt.Sprintf("%s is not api.anthropic.com: a gateway there takes requests and does not answer. Check it, or unset ANTHROPIC_BASE_URL to go direct. Your key was never judged.", host)
			default:
				d.Fix = "Something that speaks for the API holds requests without answering (a firewall or TLS inspector can do this). Try another network; your key was never judged."
			}
		}
	case probe.PhaseBadURL:
		d.Title = "No request could be made: " + a.Err.Message
		d.Fix = fixBaseURL(r, "write it in full, like https://api.anthropic.com")
		return d, true
	case "proxy":
		d.Title = upperFirst(a.Err.Message)
		d.Fix = "Check HTTPS_PROXY, or try without the proxy (unset HTTPS_PROXY) if your network allows it."
	default:
		d.Title = upperFirst(a.Err.Message)
		if !strings.Contains(a.Err.Message, host) {
			d.Title = fmt.Sprintf("Cannot connect to %s: %s", host, a.Err.Message)
		}
		d.Fix = "A firewall, VPN or proxy is in the way; try another network. Your key was never judged."
	}
	if len(r.Env.Proxies) > 0 && a.Err.Phase != "proxy" {
		d.Fix += " Traffic goes through " + r.Env.Proxies[0].Name + "=" + r.Env.Proxies[0].Value + "."
	}
	return d, true
}

func ruleTLS(r *probe.Report) (Diagnosis, bool) {
	var issuer string
	found := false
	for _, a := range []*probe.Answer{reference(r), r.Auth} {
		if a != nil && a.Err != nil && a.Err.Phase == "tls_untrusted" {
			issuer, found = a.Err.Issuer, true
		}
	}
	if r.Net != nil && r.Net.Err != nil && r.Net.Err.Phase == "tls_untrusted" {
		if issuer == "" {
			issuer = r.Net.Err.Issuer
		}
		found = found || reference(r) == nil
	}
	if !found {
		return Diagnosis{}, false
	}
	if issuer == "" {
		issuer = "an unknown issuer"
	}
	return Diagnosis{Code: TLSUntrusted,
		Title: fmt.Sprintf("The API's certificate is not trusted: it was issued by %s", issuer),
		Fix: "Something on your network (a corporate proxy or antivirus) intercepts TLS. Add its CA certificate " +
			"(SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE) or ask IT to exempt api.anthropic.com."}, true
}

func ruleNotAnthropic(r *probe.Report) (Diagnosis, bool) {
	c, _ := r.CheckByID(probe.CheckOrigin)
	if c.Status != probe.Fail {
		if a := r.Control; a.OK() {
			// The real API never accepts a key no account owns.
			return Diagnosis{Code: NotAnthropic,
				Title: fmt.Sprintf("Whatever answers at %s accepted a made-up key: it does not check keys, so it is not the Anthropic API", r.Target.BaseURL),
				Fix:   fixBaseURL(r, "point it at https://api.anthropic.com; a gateway or mock answers now")}, true
		}
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: NotAnthropic, Title: strings.TrimPrefix(c.Title, "Not the API: ")}
	d.Title = "Something other than the Anthropic API answered: " + d.Title
	switch {
	case r.Target.BaseURLSource == "env:ANTHROPIC_BASE_URL":
		d.Fix = fmt.Sprintf("ANTHROPIC_BASE_URL sends requests to %s. Unset it, or point it at https://api.anthropic.com.", r.Target.BaseURL)
	case len(r.Env.Proxies) > 0:
		d.Fix = fmt.Sprintf("Requests go through %s=%s. Bypass the proxy for api.anthropic.com (NO_PROXY) or ask its owner to allow it.",
			r.Env.Proxies[0].Name, r.Env.Proxies[0].Value)
	default:
		d.Fix = c.Fix
	}
	return d, true
}

// ruleHeaderStripped: the header the client puts the key in does not reach
// the API. Either the API says no credential arrived although one was
// sent, or the key fails sent the client's way and works sent the other way.
func ruleHeaderStripped(r *probe.Report) (Diagnosis, bool) {
	if !r.HeaderStripped() {
		return Diagnosis{}, false
	}
	k, h := r.ActiveKey(), r.KeyHeader()
	switched := k != nil && r.AltAuth.Accepted()
	name := creds.HeaderName(h)
	d := Diagnosis{Code: HeaderStripped}
	client := "your client"
	if r.Client.From != probe.ClientAssumed && r.Client.Name != "" {
		client = r.Client.Name
	}
	if switched {
		d.Title = fmt.Sprintf("The %s header never reaches the API intact: %s sends the key there and gets %d, the same key sent as %s works",
			name, client, r.Auth.Status, creds.HeaderName(r.Client.AltHeader(k)))
	} else {
		d.Title = fmt.Sprintf("The API says no credential arrived, although fix401 sent the key in %s, as %s does", name, client)
	}
	d.Fix = fmt.Sprintf("A proxy or gateway on the way drops or rewrites %s.", name)
	switch {
	case len(r.Env.Proxies) > 0:
		d.Fix += fmt.Sprintf(" Traffic goes through %s=%s: let it pass %s, or bypass it for api.anthropic.com (NO_PROXY).",
			r.Env.Proxies[0].Name, r.Env.Proxies[0].Value, name)
	case r.Target.BaseURLSource != "default":
		d.Fix += fmt.Sprintf(" Requests go to %s: configure it to forward %s, or use https://api.anthropic.com.", r.Target.BaseURL, name)
	}
	return d, true
}

func ruleNoKey(r *probe.Report) (Diagnosis, bool) {
	if r.Federation != nil && readsFederation(r) {
		return Diagnosis{}, false
	}
	if p := r.Profile; p != nil && (p.Found || p.Broken != "") && len(r.Client.Chain) > 0 {
		return Diagnosis{}, false
	}
	for _, c := range r.Candidates {
		if c.Value != "" && (c.Origin != probe.OriginProfile || len(r.Client.Chain) > 0) {
			return Diagnosis{}, false
		}
	}
	return Diagnosis{Code: NoKey,
		Title: "No API key anywhere: not in the environment, .env files, shell start-up files or Claude Code settings",
		Fix: "Create a key at https://platform.claude.com/settings/keys, then paste it into the wizard (`fix401`, key e) " +
			"to test and save it, or export ANTHROPIC_API_KEY yourself."}, true
}

func ruleNotLoaded(r *probe.Report) (Diagnosis, bool) {
	if r.ActiveKey() != nil {
		return Diagnosis{}, false
	}
	var misnamed *probe.Candidate
	for i := range r.Candidates {
		c := &r.Candidates[i]
		if c.Value == "" || c.Origin == probe.OriginProfile {
			continue
		}
		if !probe.ReadBySDK(c.Var) {
			if misnamed == nil {
				misnamed = c
			}
			continue
		}
		d := Diagnosis{Code: KeyNotLoaded,
			Title: fmt.Sprintf("A key (%s) is in %s, but this process does not see it", c.Hint, c.Source)}
		switch {
		case c.Encoding == probe.EncUTF16LE || c.Encoding == probe.EncUTF16BE:
			d.Title = fmt.Sprintf("A key (%s) is in %s, but the file is saved as UTF-16, which no dotenv loader reads", c.Hint, c.Source)
			d.Fix = fmt.Sprintf("Save %s as UTF-8 (PowerShell's > writes UTF-16: use `Set-Content -Encoding utf8`, or your editor's \"Save with encoding\").", fileOf(c.Source))
		case c.Origin == probe.OriginShell && !c.Exported:
			d.Fix = fmt.Sprintf("Line %d of %s sets %s without `export`: add `export` and open a new terminal.", c.Line, fileOf(c.Source), c.Var)
		case c.Origin == probe.OriginShell:
			d.Fix = fmt.Sprintf("Open a new terminal, or run `source %s`. IDEs and services do not read shell files: set the key there too.", fileOf(c.Source))
		case c.Origin == probe.OriginClaude:
			d.Fix = "Claude Code's settings only reach Claude Code. Export ANTHROPIC_API_KEY for your own programs."
		default:
			d.Fix = fmt.Sprintf("Export %s in the environment your program runs in.", c.Var)
		}
		return d, true
	}
	if misnamed != nil {
		return Diagnosis{Code: KeyNotLoaded,
			Title: fmt.Sprintf("A key (%s) is in %s as %s, a name no SDK reads", misnamed.Hint, misnamed.Source, misnamed.Var),
			Fix:   fmt.Sprintf("Rename %s to ANTHROPIC_API_KEY in %s.", misnamed.Var, placeOf(misnamed))}, true
	}
	return Diagnosis{}, false
}

func ruleWrongKind(r *probe.Report) (Diagnosis, bool) {
	k := r.ActiveKey()
	if k == nil {
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: KeyWrongKind}
	if k.Var == "ANTHROPIC_AUTH_TOKEN" && k.Kind == probe.KindAPI {
		if r.Auth.Accepted() {
			return Diagnosis{}, false // the API takes API keys as Bearer tokens since 2026
		}
		d.Title = fmt.Sprintf("An API key (%s) sits in ANTHROPIC_AUTH_TOKEN, which clients send as a Bearer token, and the API refused it", k.Hint)
		d.Fix = fmt.Sprintf("Move it to ANTHROPIC_API_KEY and remove ANTHROPIC_AUTH_TOKEN (%s).", placeOf(k))
		return d, true
	}
	switch k.Kind {
	case probe.KindAdmin:
		d.Title = fmt.Sprintf("%s from %s is an Admin API key; the Messages API does not take it", k.Hint, k.Source)
		d.Fix = fmt.Sprintf("Create a regular API key in the Console and put it in %s.", placeOf(k))
	case probe.KindOAuth:
		if k.Var != "ANTHROPIC_API_KEY" {
			return Diagnosis{}, false // a token where tokens belong
		}
		d.Title = fmt.Sprintf("%s from %s is an OAuth token, not an API key", k.Hint, k.Source)
		d.Fix = "SDKs send %s as an API key, which an OAuth token cannot pass. Use an API key from the Console, " +
			"or put the token in ANTHROPIC_AUTH_TOKEN."
		d.Fix = fmt.Sprintf(d.Fix, k.Var)
	case probe.KindOther:
		d.Title = fmt.Sprintf("The key in %s is %s, not an Anthropic one", k.Source, probe.ProviderKey(k.Provider))
		d.Fix = fmt.Sprintf("Put an Anthropic key (it starts with sk-ant-api03-) in %s.", placeOf(k))
	default:
		return Diagnosis{}, false
	}
	return d, true
}

func ruleMalformed(r *probe.Report) (Diagnosis, bool) {
	k := r.ActiveKey()
	// A key the API accepts is not malformed, whatever its shape: formats
	// change, and the verdict must follow the API, not our expectations.
	if k == nil || !probe.Malformed(k.Issues) || r.Auth.Accepted() {
		return Diagnosis{}, false
	}
	lead := k.Issues[0]
	if !r.CleanAuth.Accepted() {
		// When even the cleaned key fails, the stray characters are not the
		// whole story: lead with what no cleaning can mend.
		lead = worstIssue(k.Issues)
	}
	d := Diagnosis{Code: KeyMalformed, Title: fmt.Sprintf("The key from %s %s", k.Source, lead.Detail)}
	d.Fix = fmt.Sprintf("Rewrite %s as a single plain line with the key and nothing else.", placeOf(k))
	switch {
	case r.CleanAuth.Accepted():
		d.Title += "; without that, the API accepts it"
		d.Fix = fmt.Sprintf("The key itself is good. Remove the stray characters in %s.", placeOf(k))
	case lead.Code == probe.IssueTruncated || lead.Code == probe.IssueLength:
		d.Fix = "The key was cut off when copied. Copy it again in full, or create a new one in the Console: a key is shown only once."
	case lead.Code == probe.IssueMasked || lead.Code == probe.IssuePlaceholder:
		d.Fix = fmt.Sprintf("That is not the key itself. Create a key in the Console, copy it when it is shown, and put it in %s.", placeOf(k))
	}
	return d, true
}

// worstIssue picks the hygiene issue that cleaning cannot mend, if any.
func worstIssue(issues []probe.Issue) probe.Issue {
	for _, code := range []string{probe.IssueMasked, probe.IssuePlaceholder, probe.IssueTruncated, probe.IssueLength, probe.IssueAlphabet} {
		for _, is := range issues {
			if is.Code == code {
				return is
			}
		}
	}
	return issues[0]
}

func ruleShadowed(r *probe.Report) (Diagnosis, bool) {
	k := r.ActiveKey()
	if k != nil && k.Origin == probe.OriginDotenv {
		for _, c := range r.Candidates {
			if c.Origin == probe.OriginEnv && c.Var == k.Var && c.Value == "" {
				// dotenv loaders treat a set-but-empty variable as set.
				return Diagnosis{Code: KeyShadowed,
					Title: fmt.Sprintf("%s is exported but empty, so dotenv loaders never read the key in %s", k.Var, k.Source),
					Fix:   fmt.Sprintf("Run `unset %s` (and remove the empty export from your shell start-up files).", k.Var)}, true
			}
		}
	}
	bad := failingInUse(r)
	if k == nil || bad == nil {
		return Diagnosis{}, false
	}
	org := orgOf(r)
	keyLevel := bad.Class() == probe.ClassInvalid || bad.Class() == probe.ClassTokenExpired
	for _, o := range r.Others {
		if !o.Answer.Accepted() {
			continue
		}
		// A refusal that holds for the whole organization (billing, a
		// disabled org) is only escaped by a key of another organization.
		if !keyLevel && (org == "" || o.Answer.OrgID == "" || o.Answer.OrgID == org) {
			continue
		}
		good := r.Candidates[o.Index]
		if good.Origin == probe.OriginProfile && len(r.Client.Chain) == 0 {
			continue // this client never reads a profile
		}
		how := "is rejected"
		if bad.Status != 401 {
			how = fmt.Sprintf("fails (%d %s)", bad.Status, bad.ErrorType)
		}
		d := Diagnosis{Code: KeyShadowed,
			Title: fmt.Sprintf("The key in use (%s, %s) %s, but %s in %s works", k.Hint, k.Source, how, good.Hint, good.Source)}
		if !keyLevel {
			d.Title += fmt.Sprintf(": it belongs to another organization (%s, not %s)", o.Answer.OrgID, org)
		}
		switch {
		case k.Origin == probe.OriginEnv && good.Origin == probe.OriginProfile:
			d.Fix = fmt.Sprintf("%s comes before SDK profiles in the SDK's order. Run `unset %s`", k.Var, k.Var)
			if lines := shellOrigins(r, k); len(lines) > 0 {
				d.Fix += " and delete " + joinAnd(lines)
			}
			d.Fix += " and the SDK will use your profile."
		case k.Origin == probe.OriginEnv:
			d.Fix = fmt.Sprintf("An old %s in your environment overrides %s (dotenv loaders never replace a set variable). Run `unset %s`",
				k.Var, good.Source, k.Var)
			if lines := shellOrigins(r, k); len(lines) > 0 {
				d.Fix += " and delete " + joinAnd(lines)
			}
			d.Fix += "."
		default:
			d.Fix = fmt.Sprintf("Replace the key in %s with the working one, or delete that line.", placeOf(k))
		}
		return d, true
	}
	return shadowedFederation(r, k, bad)
}

// failingInUse returns the first answer that shows the credential in use itself
// fails (401, 403, a disabled org, no credit, a spend limit), not a passing
// condition such as a rate limit or an outage; nil when none does.
func failingInUse(r *probe.Report) *probe.Answer {
	for _, a := range []*probe.Answer{r.Auth, r.Quota} {
		switch a.Class() {
		case probe.ClassInvalid, probe.ClassTokenExpired, probe.ClassPermission, probe.ClassIPNotAllowed,
			probe.ClassOAuthOff, probe.ClassCodeOnly, probe.ClassOrgDisabled, probe.ClassCreditLow,
			probe.ClassBilling, probe.ClassSpendLimit, probe.ClassWorkspace:
			return a
		}
	}
	return nil
}

// shellOrigins lists every shell start-up line that exports the same key
// as the environment ("line 41 of ~/.zshrc"): a stale key comes back from
// each of them, whichever shell the user opens next.
func shellOrigins(r *probe.Report, k *probe.Candidate) []string {
	var out []string
	for i := range r.Candidates {
		c := &r.Candidates[i]
		if c.Origin == probe.OriginShell && c.Var == k.Var && c.Clean == k.Clean {
			out = append(out, fmt.Sprintf("line %d of %s", c.Line, fileOf(c.Source)))
		}
	}
	return out
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// ruleAuthConflict: a second credential goes out beside the key, for a
// client that really sends both (the client table). A client that ignores
// the token gets a warning in env.auth_token instead. When no client is
// named, only a key that fails is blamed on the pair.
func ruleAuthConflict(r *probe.Report) (Diagnosis, bool) {
	k := r.ActiveKey()
	if !r.Env.AuthToken || k == nil || k.Var != probe.VarAPIKey {
		return Diagnosis{}, false
	}
	ci := r.Client
	unknown := ci.Both == "" && (ci.From == probe.ClientAssumed || ci.KeyHeader == "")
	if !ci.SendsBoth() && !(unknown && !r.Auth.Accepted()) {
		return Diagnosis{}, false
	}
	title := fmt.Sprintf("ANTHROPIC_AUTH_TOKEN is set as well as the API key: the %s sends both credentials, a known cause of 401s", ci.Name)
	if unknown {
		title = "ANTHROPIC_AUTH_TOKEN is set as well as the API key: older Python and TypeScript SDKs send both credentials, a known cause of 401s"
	}
	d := Diagnosis{Code: AuthConflict, Title: title, Fix: "Run `unset ANTHROPIC_AUTH_TOKEN`"}
	for _, c := range r.Candidates {
		if c.Var == "ANTHROPIC_AUTH_TOKEN" && c.Origin != probe.OriginEnv && c.Line > 0 {
			d.Fix += fmt.Sprintf(" and delete line %d of %s", c.Line, fileOf(c.Source))
			break
		}
	}
	d.Fix += "; keep only ANTHROPIC_API_KEY."
	return d, true
}

func ruleRejected(r *probe.Report) (Diagnosis, bool) {
	k, a := r.ActiveKey(), r.Auth
	if k == nil && r.FederationWins() && r.Exchange.OK() &&
		(a.Class() == probe.ClassInvalid || a.Class() == probe.ClassTokenExpired) {
		// The exchange worked, and the API then refused the token it minted.
		return Diagnosis{Code: KeyRejected,
			Title: fmt.Sprintf("Federation rule %s minted a token, and the API refused it: 401 %q", r.Federation.RuleID, a.Message),
			Fix: "The identity token is fine; what the minted token may do is not. Check the rule's scope in the Console " +
				"(its workspaces and service account) and that the service account is still active."}, true
	}
	if k == nil {
		return Diagnosis{}, false
	}
	switch a.Class() {
	case probe.ClassInvalid, probe.ClassTokenExpired, probe.ClassCORS:
	default:
		return Diagnosis{}, false
	}
	d := Diagnosis{Code: KeyRejected,
		Title: fmt.Sprintf("The API rejects %s from %s: %s", k.Hint, k.Source, a.Message)}
	if a.RequestID != "" {
		d.Title += " (" + a.RequestID + ")"
	}
	d.Fix = fmt.Sprintf("Find %s in the Console's key list: if it is missing, revoked or expired, create a new key and put it in %s.",
		k.Hint, placeOf(k))
	return archivedRejection(r, d), true
}

func answers(r *probe.Report) []*probe.Answer {
	var out []*probe.Answer
	for _, a := range []*probe.Answer{r.Auth, r.Quota, r.Model} {
		if a != nil && a.Err == nil && a.Anthropic {
			out = append(out, a)
		}
	}
	return out
}

func rulePermission(r *probe.Report) (Diagnosis, bool) {
	for _, a := range answers(r) {
		if a.Class() == probe.ClassPermission {
			return Diagnosis{Code: PermissionDenied,
				Title: fmt.Sprintf("The key is valid but not allowed: 403 %s %q", a.ErrorType, a.Message),
				Fix:   "Check the key's workspace and your organization role in the Console, or use a key from the right workspace."}, true
		}
	}
	return Diagnosis{}, false
}

func ruleOrgDisabled(r *probe.Report) (Diagnosis, bool) {
	for _, a := range answers(r) {
		if a.Class() == probe.ClassOrgDisabled {
			return Diagnosis{Code: OrgDisabled,
				Title: "Your organization is disabled: " + a.Message,
				Fix:   "A new key will not help. Contact Anthropic support with the request id " + orNone(a.RequestID) + "."}, true
		}
	}
	return Diagnosis{}, false
}

func ruleBilling(r *probe.Report) (Diagnosis, bool) {
	for _, a := range answers(r) {
		if c := a.Class(); c == probe.ClassCreditLow || c == probe.ClassBilling {
			d := Diagnosis{Code: Billing,
				Title: fmt.Sprintf("The key works, but billing blocks requests: %d %q", a.Status, a.Message),
				Fix:   "Add credits or a payment method in the Console (Settings → Billing); the key itself is fine."}
			if org := orgOf(r); org != "" {
				d.Fix = fmt.Sprintf("Add credits to organization %s, the one this key bills to (Console → Settings → Billing); the key itself is fine.", org)
			}
			if c == probe.ClassCreditLow {
				d.Fix += " A Claude Pro or Max plan does not fund the API: API usage is prepaid separately."
			}
			return d, true
		}
	}
	return Diagnosis{}, false
}

func ruleRateLimited(r *probe.Report) (Diagnosis, bool) {
	for _, a := range answers(r) {
		if a.Class() == probe.ClassRateLimited {
			d := Diagnosis{Code: RateLimited, Title: "The key works, but requests are rate limited (429)"}
			if a.RetryAfter != "" {
				d.Fix = fmt.Sprintf("Wait %ss and retry with backoff; check your tier's limits in the Console.", a.RetryAfter)
			} else {
				d.Fix = "No retry-after came back, which points at a spend limit: check Limits in the Console."
			}
			return d, true
		}
	}
	return Diagnosis{}, false
}

func ruleDegraded(r *probe.Report) (Diagnosis, bool) {
	for _, a := range answers(r) {
		if a.Class() == probe.ClassService {
			d := Diagnosis{Code: ServiceDegraded,
				Title: fmt.Sprintf("The API is failing: %d %s (after %s)", a.Status, a.ErrorType, attempts(a.Attempts)),
				Fix:   "This is on Anthropic's side. Wait and retry with backoff; do not rotate your key for this."}
			if s := r.Status; s != nil && s.Description != "" && s.Indicator != "none" {
				d.Fix = "The status page says: " + s.Description + ". " + d.Fix
			}
			return d, true
		}
	}
	if c, _ := r.CheckByID(probe.CheckStatusPage); c.Status == probe.Fail {
		return Diagnosis{Code: ServiceDegraded, Title: c.Title,
			Fix: "Wait for the incident to end (status.claude.com) before changing keys or code."}, true
	}
	return Diagnosis{}, false
}

func ruleModel(r *probe.Report) (Diagnosis, bool) {
	if a := r.Model; a.Class() == probe.ClassNotFound && r.Auth.Accepted() {
		return Diagnosis{Code: ModelNotFound,
			Title: fmt.Sprintf("The key works, but the model %q does not exist for it", r.Target.Model),
			Fix:   "Use a model id this key can use, such as " + firstModel(r) + ": `GET /v1/models` lists them all (the curl command in `fix401 report` sends it)."}, true
	}
	return Diagnosis{}, false
}

// ruleOK: ok only when every request made with the credential in use, as
// the client sends it, was accepted. The made-up key's answer, other keys'
// answers, the key sent the other way and the status page do not count.
func ruleOK(r *probe.Report) (Diagnosis, bool) {
	k := r.ActiveKey()
	if k == nil && r.FederationWins() && r.Exchange.OK() && r.Auth.Accepted() && refusedInUse(r) == nil {
		return Diagnosis{Code: OK,
			Title: fmt.Sprintf("The API accepts the token that federation rule %s minted for your identity token", r.Federation.RuleID),
			Fix:   "Nothing to fix. Keep the identity token file fresh: the SDKs re-read it on every exchange."}, true
	}
	if k == nil || !r.Auth.Accepted() || refusedInUse(r) != nil {
		return Diagnosis{}, false
	}
	return expiryNote(r, Diagnosis{Code: OK,
		Title: fmt.Sprintf("The API accepts %s from %s", k.Hint, k.Source),
		Fix:   "Nothing to fix. Keep this key in one place only."}), true
}

// refusedInUse returns the first request made with the credential in use
// that the API (or its edge) refused, or nil.
func refusedInUse(r *probe.Report) *probe.Answer {
	for _, a := range []*probe.Answer{r.Auth, r.Quota, r.Model} {
		if a.Class().Refused() {
			return a
		}
	}
	return nil
}

// orgOf is the organization the key in use belongs to, as the API named it.
func orgOf(r *probe.Report) string {
	for _, a := range []*probe.Answer{r.Auth, r.Quota, r.Model} {
		if a != nil && a.OrgID != "" {
			return a.OrgID
		}
	}
	return ""
}

// pathOf is a request URL's path: /v1/messages/count_tokens.
func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			return u[j:]
		}
		return "/"
	}
	return u
}

func firstModel(r *probe.Report) string {
	if r.Auth != nil && len(r.Auth.ModelIDs) > 0 {
		return r.Auth.ModelIDs[0]
	}
	return "one listed in the Console"
}

func attempts(n int) string {
	if n <= 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}

func orNone(s string) string {
	if s == "" {
		return "(none returned)"
	}
	return s
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// placeOf names where to change a key: the file and line, or the variable.
func placeOf(k *probe.Candidate) string {
	switch {
	case k.Origin == probe.OriginStdin:
		return "the place you copied it from"
	case k.Line > 0:
		return fmt.Sprintf("line %d of %s", k.Line, fileOf(k.Source))
	case k.Origin == probe.OriginEnv:
		return k.Var
	}
	return k.Source
}

// fileOf strips a ":line" suffix from a source label.
func fileOf(source string) string {
	if i := strings.LastIndexByte(source, ':'); i > 0 {
		return source[:i]
	}
	return source
}
