package steps

import "github.com/fix401/fix401/probe"

// StepID names a step of the wizard; it is also the "step" of the JSON.
type StepID string

// The steps, in the guide's order.
const (
	Understand  StepID = "understand"
	VerifyKey   StepID = "verify-key"
	Permissions StepID = "permissions"
	Headers     StepID = "headers"
	NewKey      StepID = "new-key"
	Checklist   StepID = "checklist"
	Verify      StepID = "verify"
	Summary     StepID = "summary"
)

// Order lists the steps in the guide's order.
var Order = []StepID{Understand, VerifyKey, Permissions, Headers, NewKey, Checklist, Verify, Summary}

// Title returns a step's short title, as shown in the header ("3/8 Permissions").
func (s StepID) Title() string {
	switch s {
	case Understand:
		return "The error"
	case VerifyKey:
		return "Your key"
	case Permissions:
		return "Permissions"
	case Headers:
		return "Headers & network"
	case NewKey:
		return "Stale copies"
	case Checklist:
		return "Checklist"
	case Verify:
		return "Verify the fix"
	case Summary:
		return "Summary"
	}
	return string(s)
}

// Index returns the 0-based position of s in Order, or -1.
func (s StepID) Index() int {
	for i, o := range Order {
		if o == s {
			return i
		}
	}
	return -1
}

// StepOfCheck returns the step whose screen shows a check.
func StepOfCheck(id string) StepID {
	switch id {
	case probe.CheckAuth:
		return Understand
	case probe.CheckKeyFound, probe.CheckKeyFormat, probe.CheckKeyKind, probe.CheckKeyCleaned, probe.CheckKeyFiles,
		probe.CheckChain, probe.CheckFederation, probe.CheckExchange, probe.CheckProfile,
		probe.CheckClaudeLogin, probe.CheckClaudeHelper:
		return VerifyKey
	case probe.CheckPermissions, probe.CheckQuota, probe.CheckModel, probe.CheckStatusPage, probe.CheckKeyRecord:
		return Permissions
	case probe.CheckKeySources, probe.CheckCandidates:
		return NewKey
	case probe.CheckCI:
		return VerifyKey
	}
	return Headers // env.*, net.*, api.origin, api.control, lint.*
}

// marks are the status glyphs every output uses — wizard, text and the
// summary — so the glyph and its word carry the meaning without colour.
var marks = map[probe.Status]string{
	probe.Pass:    "[✓]",
	probe.Warn:    "[!]",
	probe.Fail:    "[✗]",
	probe.Error:   "[?]",
	probe.Skip:    "[-]",
	probe.Pending: "[…]",
}

// Mark returns the glyph for a check status: [✓] pass, [!] warn, [✗] fail,
// [?] the check itself broke, [-] skipped, […] still running.
func Mark(s probe.Status) string { return marks[s] }
