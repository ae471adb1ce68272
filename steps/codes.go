package steps

import "github.com/fix401/fix401/probe"

// codeRow is everything fix401 knows about one diagnosis code. The table
// below is the only list of codes: precedence, steps, severity, what a code
// supersedes, and which codes never judged the key are all read from it.
type codeRow struct {
	Code Code
	// Step is where the diagnosis is explained and fixed.
	Step StepID
	// Severity is the verdict the diagnosis gives: Fail, Warn for what
	// passes by itself (a rate limit, an incident), Pass for ok.
	Severity probe.Status
	// Unjudged: the key never reached anything that judges keys, so the
	// wizard goes to the headers step rather than the key.
	Unjudged bool
	// WaitOnly: nothing on the user's side fixes it.
	WaitOnly bool
	// Supersedes lists codes dropped when this one is found too: their
	// advice would contradict the real fix.
	Supersedes []Code
	// Match finds the code in a finished report.
	Match func(*probe.Report) (Diagnosis, bool)
	// Explain, when set, is what the step of the diagnosis says first when
	// this code is found: what the answer means, before the fix.
	Explain string
}

// explainsRejection are the codes that explain a 401 better than
// key_rejected's "find the key in the Console, create a new one".
var explainsRejection = []Code{KeyRejected}

// codeTable is in DESIGN.md's precedence order: the first match wins.
// Unexplained, the fallback, has no Match and stays last.
var codeTable = []codeRow{
	{Code: InsecureBaseURL, Step: Headers, Severity: probe.Fail, Unjudged: true, Supersedes: explainsRejection, Match: ruleInsecure},
	{Code: NetworkUnreachable, Step: Headers, Severity: probe.Fail, Unjudged: true, Supersedes: explainsRejection, Match: ruleNetwork},
	{Code: TLSUntrusted, Step: Headers, Severity: probe.Fail, Unjudged: true, Supersedes: explainsRejection, Match: ruleTLS},
	{Code: RegionBlocked, Step: Headers, Severity: probe.Fail, Unjudged: true, Supersedes: []Code{KeyRejected, NotAnthropic}, Match: ruleRegionBlocked,
		Explain: "Cloudflare, in front of the API, answered for it: the request was turned away by where it came from, before any key was looked at."},
	{Code: NotAnthropic, Step: Headers, Severity: probe.Fail, Unjudged: true, Supersedes: explainsRejection, Match: ruleNotAnthropic},
	{Code: HeaderStripped, Step: Headers, Severity: probe.Fail, Unjudged: true, Supersedes: explainsRejection, Match: ruleHeaderStripped},
	{Code: ProviderOverride, Step: Headers, Severity: probe.Fail, Unjudged: true, Match: ruleProviderOverride, Explain: providerExplain},
	{Code: CISecretUnavailable, Step: VerifyKey, Severity: probe.Fail, Supersedes: []Code{NoKey}, Match: ruleCISecret,
		Explain: "CI services hold secrets back from runs that could leak them: a fork's pull request, Dependabot, a branch that is not protected. The variable is then empty, as if no key had ever been set."},
	{Code: NoKey, Step: VerifyKey, Severity: probe.Fail, Match: firstOf(ruleClaudeKeychain, unlessHelper(ruleNoKeyCI))},
	{Code: FederationIncomplete, Step: VerifyKey, Severity: probe.Fail, Supersedes: explainsRejection, Match: ruleFederationIncomplete,
		Explain: "Workload Identity Federation trades a token from your platform (GitHub Actions, Kubernetes, a cloud) for a short-lived Anthropic token. The SDKs try it only when the rule, the organization and the identity token are all there."},
	{Code: ProfileBroken, Step: VerifyKey, Severity: probe.Fail, Supersedes: explainsRejection, Match: ruleProfileBroken,
		Explain: "The SDKs keep the login of `ant auth login` as a profile: a settings file and a credentials file under their config directory. This one cannot be used as it is."},
	{Code: KeyNotLoaded, Step: VerifyKey, Severity: probe.Fail, Match: ruleNotLoaded},
	{Code: KeyUnresolved, Step: VerifyKey, Severity: probe.Fail, Supersedes: []Code{KeyRejected, KeyMalformed}, Match: firstOf(ruleUnresolved, ruleClaudeHelper),
		Explain: "The variable holds directions to a key, not a key: something was meant to replace them before your program started, and nothing did."},
	{Code: KeyWrongKind, Step: VerifyKey, Severity: probe.Fail, Supersedes: explainsRejection, Match: ruleWrongKind},
	{Code: KeyMalformed, Step: VerifyKey, Severity: probe.Fail, Supersedes: explainsRejection, Match: ruleMalformed},
	{Code: KeyShadowed, Step: NewKey, Severity: probe.Fail, Supersedes: explainsRejection, Match: ruleShadowed},
	{Code: AuthConflict, Step: Headers, Severity: probe.Fail, Match: ruleAuthConflict},
	{Code: FederationRejected, Step: VerifyKey, Severity: probe.Fail, Supersedes: explainsRejection, Match: ruleFederationRejected,
		Explain: "The token exchange answers every refusal with the same words, on purpose: the reason is recorded only in the Console. What fix401 can show is what your identity token claims, to compare with the rule."},
	{Code: TokenExpired, Step: VerifyKey, Severity: probe.Fail, Supersedes: explainsRejection, Match: firstOf(ruleTokenExpired, ruleClaudeLoginExpired)},
	{Code: KeyExpired, Step: Permissions, Severity: probe.Fail, Supersedes: explainsRejection, Match: ruleKeyExpired,
		Explain: "The Admin API keeps a record of every key: this one has passed its expiry date. The API answers an expired key with the same 401 as a wrong one, and an expired key cannot be switched back on."},
	{Code: KeyDisabled, Step: Permissions, Severity: probe.Fail, Supersedes: explainsRejection, Match: ruleKeyDisabled,
		Explain: "The Admin API keeps a record of every key: this one was disabled in the Console. The API answers a disabled key with the same 401 as a wrong one, but disabling can be undone."},
	{Code: KeyRejected, Step: VerifyKey, Severity: probe.Fail, Match: ruleRejected},
	{Code: CredentialRestricted, Step: Permissions, Severity: probe.Fail, Match: unlessClaudeCode(ruleRestricted),
		Explain: "The credential is real, but it is only good for one client, or your organization has switched this kind of sign-in off."},
	{Code: IPNotAllowed, Step: Permissions, Severity: probe.Fail, Match: ruleIPNotAllowed,
		Explain: "Your organization only accepts requests from listed IP addresses. The key is fine; the address the request came from is not on the list."},
	{Code: WorkspaceRequired, Step: Permissions, Severity: probe.Fail, Match: ruleWorkspace,
		Explain: "Keys tied to a person or a service account can act in several workspaces, so every request must say which one."},
	{Code: PermissionDenied, Step: Permissions, Severity: probe.Fail, Match: rulePermission},
	{Code: OrgDisabled, Step: Permissions, Severity: probe.Fail, Match: ruleOrgDisabled},
	{Code: SpendLimit, Step: Permissions, Severity: probe.Fail, Match: ruleSpendLimit,
		Explain: "Your organization set itself a monthly spend limit, and this month's usage reached it. Nothing is wrong with the key or the payment method."},
	{Code: Billing, Step: Permissions, Severity: probe.Fail, Match: ruleBilling},
	{Code: RateLimited, Step: Permissions, Severity: probe.Warn, WaitOnly: true, Match: ruleRateLimited},
	{Code: ServiceDegraded, Step: Permissions, Severity: probe.Warn, WaitOnly: true, Match: ruleDegraded},
	{Code: ModelNotFound, Step: Permissions, Severity: probe.Fail, Match: ruleModel},
	{Code: OK, Step: Verify, Severity: probe.Pass, Match: firstOf(ruleOK, ruleClaudeOK)},
	{Code: Unexplained, Step: Understand, Severity: probe.Fail},
}

// row returns the table's row for c; Incomplete and unknown codes get a
// row with no match that sends to the first step.
func row(c Code) codeRow {
	for _, r := range codeTable {
		if r.Code == c {
			return r
		}
	}
	return codeRow{Code: c, Step: Understand, Severity: probe.Fail}
}

// Codes lists every diagnosis code in precedence order.
func Codes() []Code {
	out := make([]Code, len(codeTable))
	for i, r := range codeTable {
		out[i] = r.Code
	}
	return out
}

// StepOfCode returns the step where a diagnosis is explained and fixed.
func StepOfCode(c Code) StepID { return row(c).Step }

// verdictOf is how bad a diagnosis is: a pass only when the key works; a
// warning for what passes by itself (a rate limit, an incident).
func verdictOf(d Diagnosis) probe.Status { return row(d.Code).Severity }

// unjudged reports whether the key never reached anything that judges
// keys: sending the user to check the key first would send them the wrong
// way.
func unjudged(c Code) bool { return row(c).Unjudged }

// waitOnly reports whether no change on the user's side fixes c.
func waitOnly(c Code) bool { return row(c).WaitOnly }

// dropSuperseded removes every code that a code found supersedes.
func dropSuperseded(found []Diagnosis) []Diagnosis {
	gone := map[Code]bool{}
	for _, d := range found {
		for _, c := range row(d.Code).Supersedes {
			gone[c] = true
		}
	}
	kept := found[:0:0]
	for _, d := range found {
		if !gone[d.Code] {
			kept = append(kept, d)
		}
	}
	return kept
}
