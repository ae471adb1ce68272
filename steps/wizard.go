package steps

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/creds"
	"github.com/fix401/fix401/probe/lint"
)

// ConsoleKeysURL is where API keys are created and listed.
const ConsoleKeysURL = "https://platform.claude.com/settings/keys"

// Check ids of the verify step, in the style of probe's ids.
const (
	CheckVerifyRequest     = "verify.request"
	CheckVerifyNewTerminal = "verify.new_terminal"
	CheckVerifyPasted      = "verify.pasted"
	CheckVerifyControl     = "verify.control"
	CheckVerifyRetries     = "verify.retries"
)

// AppView is the environment the user's app loads, read afresh for one
// run: the files as they are now (.env files, Claude Code's settings), and
// the variables of the terminal the app starts in. This terminal's
// variables are those of the shell that started fix401, as they were then
// — fix401 cannot see them change. A new terminal runs the shell start-up
// files again, as they are now. A key pasted into fix401 is in neither.
type AppView struct {
	// Here is the run of what an app started from this terminal loads.
	Here *probe.Report
	// New is the run of what an app started from a new terminal loads. It
	// is Here itself when the start-up files give a new terminal the same
	// credential variables, and nil when one of them sets a credential
	// from a command fix401 does not run.
	New *probe.Report
	// Shell lists the credential variables the start-up files touch.
	Shell []ShellVar
}

// ShellVar is one credential variable as the shell start-up files leave
// it, in this terminal and in a new one.
type ShellVar struct {
	Var string
	// Start is the start-up line this terminal's value came from, as the
	// files were when fix401 started ("~/.zshrc:41"); empty when no line
	// did: set by hand, by what started the shell, or not set at all.
	Start     string
	StartLine int
	// Now is the line that sets the variable in a new terminal, as the
	// files are now; empty when none does.
	Now     string
	NowLine int
	// Here and New are the value's hints in this terminal and in a new
	// one; empty when unset.
	Here, New string
	// Unknown: Now sets it from a command or another variable fix401 does
	// not evaluate, so a new terminal's value is not known.
	Unknown bool
	// Differs: the values differ, even where their hints look alike.
	Differs bool
}

// Changed reports whether a new terminal gets another value than this one.
func (v ShellVar) Changed() bool { return v.Unknown || v.Differs || v.Here != v.New }

// Input is what the wizard knows when it builds a page or picks the next
// step: the run on screen and what happened before it.
type Input struct {
	// Report is the current run; it may still be running.
	Report *probe.Report
	// First is the first run of the session: the "before" of the verify
	// step. Nil means Report is the first run.
	First *probe.Report
	// Tried lists the hints of the keys the user pasted, oldest first.
	Tried []string
	// SDKs are the Anthropic SDKs the project names (probe.FindSDKs).
	SDKs []probe.SDK
	// RetryLimit is how many retries a transient failure may get
	// (probe.Env.Retries); 0 means probe.DefaultRetries.
	RetryLimit int
	// Linted are the requests the user linted in the wizard (a pasted
	// curl command, a file). With Report.Lint they make the headers step's
	// "Your request"; one with the same File as a Report.Lint entry
	// replaces it.
	Linted []probe.LintResult
	// App is what the user's app loads, read afresh with this run; the
	// verify step and the summary judge the fix by it. Nil: Report is
	// what the app loads.
	App *AppView
	// FirstApp is App of the first run: the verify step's "before". Nil:
	// First (or Report) is.
	FirstApp *AppView
}

func (in Input) first() *probe.Report {
	if in.First != nil {
		return in.First
	}
	return in.Report
}

// Here is the run of what the user's app loads when started from this
// terminal.
func (in Input) Here() *probe.Report {
	if in.App != nil && in.App.Here != nil {
		return in.App.Here
	}
	return in.Report
}

// firstHere is Here of the first run.
func (in Input) firstHere() *probe.Report {
	if in.FirstApp != nil && in.FirstApp.Here != nil {
		return in.FirstApp.Here
	}
	return in.first()
}

// newTerminal is the run of a new terminal, and whether it is known: it
// is Here when nothing sets it apart.
func (in Input) newTerminal() (*probe.Report, bool) {
	if in.App == nil {
		return in.Here(), true
	}
	if in.App.New == nil {
		return nil, false
	}
	return in.App.New, true
}

// Rerun reports whether the app's environment shown was read after the
// first run.
func (in Input) Rerun() bool { return in.firstHere() != in.Here() }

// Fact is one labelled value of a page, like "Request id: req_…".
type Fact struct {
	Label string
	Value string
}

// CompareRow is one line of the verify step's before/after table.
type CompareRow struct {
	Label  string
	Before string
	After  string
}

// Onboarding is the path to a new key inside verify-key: where to create
// one, and what became of the keys pasted so far.
type Onboarding struct {
	Reason    string // why a new key is offered, in one sentence
	CreateURL string
	// Steps are the way to a new key, in order; the last one, the test,
	// is replaced by its result once a key is pasted.
	Steps []string
	// Pasted is the hint of the key being tested, when it was pasted.
	Pasted string
	// PastedStatus is Pending while it is tested, then Pass or Fail.
	PastedStatus probe.Status
	PastedResult string
	// Accepted means the pasted key works and may be saved to .env.
	Accepted bool
	// Shadows are the copies that would still win over the pasted key
	// once it is saved; only when Accepted.
	Shadows []Shadow
}

// Shadow is an older copy of a key that would win over a key saved in the
// project's .env, with the exact change that removes it.
type Shadow struct {
	Source string // "env ANTHROPIC_API_KEY", "~/.zshrc:41"
	Line   string // what is there, key masked: export ANTHROPIC_API_KEY=sk-ant-api03-abc...wxyz
	Change string // what to do: "unset ANTHROPIC_API_KEY", "delete line 41 of ~/.zshrc"
}

// Page is one step as the wizard shows it. Everything in it is derived
// from the Input; nothing is secret (keys appear only as hints).
type Page struct {
	Step    StepID
	Explain string
	Facts   []Fact
	Checks  []probe.Result
	// Status is the step's verdict: Pending while one of its checks runs,
	// else the worst of its checks.
	Status     probe.Status
	Conclusion string       // what the results mean here; empty while pending
	Verdict    probe.Status // how bad the conclusion is
	Advice     string       // the next move; empty when there is none
	Onboarding *Onboarding
	Shadows    []Shadow
	// ShadowsTitle heads Shadows: what the copies win over.
	ShadowsTitle string
	Compare      []CompareRow
	// Request is the headers step's "Your request": the lint of the
	// request the user's own code sends (RequestChecks). Its checks count
	// in the step's Status and verdict.
	Request []probe.Result
}

// Wizard is the position in the steps and the way back. It is a value:
// every move returns a new Wizard.
type Wizard struct {
	Step    StepID
	history []StepID
}

// NewWizard starts at the first step.
func NewWizard() Wizard { return Wizard{Step: Understand} }

// Next moves to the step NextStep picks, remembering the way back.
func (w Wizard) Next(in Input) Wizard {
	to := NextStep(in, w.Step)
	if to == w.Step {
		return w
	}
	return Wizard{Step: to, history: append(append([]StepID(nil), w.history...), w.Step)}
}

// Back returns to the step shown before this one; at the first step it
// stays.
func (w Wizard) Back() Wizard {
	if len(w.history) == 0 {
		if i := w.Step.Index(); i > 0 {
			return Wizard{Step: Order[i-1]}
		}
		return w
	}
	n := len(w.history) - 1
	return Wizard{Step: w.history[n], history: append([]StepID(nil), w.history[:n]...)}
}

// Goto jumps to a step, remembering the way back.
func (w Wizard) Goto(s StepID) Wizard {
	if s == w.Step || s.Index() < 0 {
		return w
	}
	return Wizard{Step: s, history: append(append([]StepID(nil), w.history...), w.Step)}
}

// CanBack reports whether Back moves.
func (w Wizard) CanBack() bool { return len(w.history) > 0 || w.Step.Index() > 0 }

// CanNext reports whether there is a step after this one.
func (w Wizard) CanNext() bool { return w.Step != Summary }

// Progress returns the step's 1-based position and the number of steps.
func (w Wizard) Progress() (n, total int) { return w.Step.Index() + 1, len(Order) }

// NextStep is the transition function: the step after from, given what has
// been measured. While the probes run it follows the guide's order; once
// they are done it skips what the results make pointless:
//
//   - from understand: the key works → verify; no key → verify-key (the
//     onboarding path); the key never reached the API → headers; a key that
//     the API accepts but something else blocks → that step;
//   - new-key is skipped when there is only one place with a key and
//     no key was pasted: there is no stale copy to find;
//   - summary is the last step.
func NextStep(in Input, from StepID) StepID {
	i := from.Index()
	if i < 0 || from == Summary {
		return Summary
	}
	r := in.Report
	if r == nil || !r.Finished() {
		return Order[i+1]
	}
	if from == Understand {
		d := Diagnose(r)
		switch {
		case d.Code == OK:
			return Verify
		case unjudged(d.Code):
			return Headers
		}
		if s := StepOfCode(d.Code); s.Index() > VerifyKey.Index() {
			return s
		}
		return VerifyKey
	}
	next := Order[i+1]
	for nothingToShow(in, next) {
		next = Order[next.Index()+1]
	}
	return next
}

// nothingToShow reports whether a step the guide would show next has
// nothing for this user: no stale copy to find, or, with no key at all,
// no permission to judge and no way for a key to be changed on the way.
func nothingToShow(in Input, s StepID) bool {
	r := in.Report
	noKey := r.ActiveKey() == nil && len(in.Tried) == 0
	switch s {
	case NewKey:
		return !hasStaleCopies(in)
	case Permissions:
		return noKey && Diagnose(r).Step != Permissions
	case Headers:
		if !noKey || Diagnose(r).Step == Headers || len(requestLints(in)) > 0 {
			return false
		}
		st := worst(checksOf(r, Headers))
		return st == probe.Pass || st == probe.Skip
	}
	return false
}

// hasStaleCopies reports whether the new-key step has anything to show: a
// pasted key, copies to remove, or a problem among the places keys are in
// (another key that works is news for the step of the diagnosis).
func hasStaleCopies(in Input) bool {
	r := in.Report
	if len(in.Tried) > 0 || len(Shadows(r)) > 0 || Diagnose(r).Step == NewKey {
		return true
	}
	for _, c := range checksOf(r, NewKey) {
		if c.ID == probe.CheckCandidates && workingKey(r) != nil {
			continue
		}
		if c.Status != probe.Pass && c.Status != probe.Skip {
			return true
		}
	}
	return false
}

// keyPlaces are the places a key was found in, a pasted key left out.
func keyPlaces(r *probe.Report) []probe.Candidate {
	var out []probe.Candidate
	for _, c := range r.Candidates {
		if c.Value != "" && c.Origin != probe.OriginStdin {
			out = append(out, c)
		}
	}
	return out
}

// NeedsOnboarding reports whether verify-key should offer a new key: there
// is none, the one in use cannot work, or the user already pasted one. A
// key that works but is not loaded needs loading, not replacing.
func NeedsOnboarding(in Input) bool {
	r := in.Report
	if len(in.Tried) > 0 || (r.ActiveKey() == nil && len(keyPlaces(r)) == 0) {
		return true
	}
	if !r.Finished() {
		return false
	}
	if r.ActiveKey() == nil {
		return workingKey(r) == nil
	}
	switch Diagnose(in.Report).Code {
	case KeyRejected, KeyWrongKind, NoKey, KeyExpired:
		return true
	case KeyMalformed:
		return !in.Report.CleanAuth.Accepted()
	}
	return false
}

// BuildPage returns the page of step s for the input.
func BuildPage(in Input, s StepID) Page {
	r := in.Report
	p := Page{Step: s, Explain: explain(in, s)}
	switch s {
	case Understand:
		p.Facts = understandFacts(r)
		p.Checks = checksOf(r, s)
	case Verify:
		p.Compare = Compare(in)
		p.Checks = verifyChecks(in)
	case Checklist:
		for _, row := range ChecklistRows(r, in.SDKs) {
			p.Checks = append(p.Checks, probe.Result{ID: row.ID, Status: row.Status, Title: row.Item})
		}
	case Summary:
	case VerifyKey:
		// Whether the key is accepted belongs to this step too: the guide's
		// first fix is checking the key against the API.
		p.Checks = checksOf(r, s, probe.CheckAuth, probe.CheckCandidates)
	case Headers:
		// The lint checks show under "Your request", not among the probes.
		for _, c := range checksOf(r, s) {
			if !strings.HasPrefix(c.ID, "lint.") {
				p.Checks = append(p.Checks, c)
			}
		}
		p.Request = RequestChecks(requestLints(in))
		p.Facts = providerFacts(r)
	case NewKey:
		// Which copy wins is the chain: shown here too, where stale copies
		// are hunted, when a profile or federation takes part in it.
		p.Checks = checksOf(r, s, probe.CheckChain)
	default:
		p.Checks = checksOf(r, s)
	}
	if s == VerifyKey && NeedsOnboarding(in) {
		p.Onboarding = onboarding(in)
	}
	if s == NewKey {
		p.Shadows, p.ShadowsTitle = Shadows(r), shadowsTitle(r)
	}
	if s == Permissions {
		p.Facts = keyRecordFacts(r)
	}
	p.Status = worst(p.all())
	if s == Verify {
		r = in.Here()
		if nt, ok := in.newTerminal(); ok && !nt.Finished() {
			return p
		}
	}
	if p.Status == probe.Pending || (!r.Finished() && s != Summary) {
		return p
	}
	p.Conclusion, p.Advice, p.Verdict = conclude(in, s, p)
	return p
}

// all is every check of the page, the request's included.
func (p Page) all() []probe.Result {
	if len(p.Request) == 0 {
		return p.Checks
	}
	return append(slices.Clip(p.Checks), p.Request...)
}

// requestLints is the run's lint results followed by the wizard's, a
// wizard result replacing the run's result for the same file.
func requestLints(in Input) []probe.LintResult {
	var out []probe.LintResult
	if in.Report != nil {
		out = append(out, in.Report.Lint...)
	}
	for _, l := range in.Linted {
		if i := slices.IndexFunc(out, func(o probe.LintResult) bool { return o.File == l.File }); i >= 0 {
			out[i] = l
			continue
		}
		out = append(out, l)
	}
	return out
}

// requestVerdict sums up the lint of the user's request when the probes
// found nothing: its fixes are on the page already, and the advice stays
// free to point at the root cause of the 401. A file that could not be
// read is no problem of the request.
func requestVerdict(cs []probe.Result) (string, probe.Status) {
	n, st := 0, probe.Warn
	for _, c := range cs {
		switch c.Status {
		case probe.Fail:
			n, st = n+1, probe.Fail
		case probe.Warn:
			n++
		}
	}
	if n == 0 {
		return "", probe.Skip
	}
	return fmt.Sprintf("The request your code sends has %s; the fixes are above.", CountWords(n, "problem", "problems")), st
}

// lintStatus maps a finding's severity to a check status: a note is shown
// dimmed and never changes a verdict.
var lintStatus = map[lint.Severity]probe.Status{lint.Error: probe.Fail, lint.Warn: probe.Warn, lint.Info: probe.Skip}

// RequestChecks turns lint results into the checks of the headers step's
// "Your request": one per finding, or one passing check for an input
// without findings, with the ids of check --lint (lint.<finding id>). A
// File that starts with "pasted " names text the user pasted.
func RequestChecks(ls []probe.LintResult) []probe.Result {
	var out []probe.Result
	for _, l := range ls {
		switch {
		case l.Err != "":
			out = append(out, probe.Result{ID: "lint.read", Status: probe.Error,
				Title: "Cannot lint " + l.File + ": " + l.Err})
		case len(l.Report.Findings) == 0:
			what := l.File
			if strings.HasPrefix(what, "pasted ") {
				what = "the " + what
			}
			out = append(out, probe.Result{ID: "lint.request", Status: probe.Pass, Title: "No problems found in " + what})
		}
		for _, f := range l.Report.Findings {
			where := l.File
			if f.Line > 0 {
				where = fmt.Sprintf("%s, line %d", l.File, f.Line)
			}
			st, ok := lintStatus[f.Severity]
			if !ok {
				st = probe.Warn
			}
			out = append(out, probe.Result{ID: "lint." + f.ID, Status: st, Title: where + ": " + f.Message, Fix: f.Fix})
		}
	}
	return out
}

// checksOf returns the checks shown on step s: its own and the extra ids.
func checksOf(r *probe.Report, s StepID, extra ...string) []probe.Result {
	var out []probe.Result
	for _, c := range r.Checks() {
		if StepOfCheck(c.ID) == s || slices.Contains(extra, c.ID) {
			out = append(out, c)
		}
	}
	return out
}

// severity orders statuses for a step's verdict.
var severity = map[probe.Status]int{probe.Skip: 0, probe.Pass: 1, probe.Warn: 2, probe.Error: 3, probe.Fail: 4}

func worst(cs []probe.Result) probe.Status {
	st := probe.Skip
	for _, c := range cs {
		if c.Status == probe.Pending {
			return probe.Pending
		}
		if severity[c.Status] > severity[st] {
			st = c.Status
		}
	}
	return st
}

func explain(in Input, s StepID) string {
	r := in.Report
	k := r.ActiveKey()
	if r.Finished() && s != Verify && s != Checklist && s != Summary {
		if d := Diagnose(r); d.Step == s && row(d.Code).Explain != "" {
			if e := claudeExplain(r); e != "" {
				return e
			}
			return row(d.Code).Explain
		}
	}
	switch s {
	case Understand:
		return explainUnderstand(r)
	case VerifyKey:
		n := len(r.Candidates)
		switch {
		case n == 0:
			return "The SDKs read ANTHROPIC_API_KEY. fix401 looked in your environment, .env files, " +
				"shell start-up files and Claude Code settings, and found no key."
		case k == nil:
			e := fmt.Sprintf("The SDKs read ANTHROPIC_API_KEY from the environment. fix401 found %s, "+
				"but none in this process's environment.", CountWords(n, "key", "keys"))
			if w := workingKey(r); w != nil {
				e += fmt.Sprintf(" The API accepts %s from %s: it only needs loading, not replacing.", w.Hint, w.Source)
			}
			return e
		}
		return fmt.Sprintf("Which key your code really sends, and whether it is clean: one stray space, quote "+
			"or newline is enough for a 401. The key in use is %s from %s.", k.Hint, k.Source)
	case Permissions:
		return "A key the API knows can still be blocked: by its workspace (403), a disabled organization, " +
			"billing or rate limits. " + permissionsDone(r)
	case Headers:
		via := "directly"
		if len(r.Env.Proxies) > 0 {
			via = "through " + r.Env.Proxies[0].Name + "=" + r.Env.Proxies[0].Value
		}
		return fmt.Sprintf("A good key still fails if it does not arrive intact. Requests went to %s %s; "+
			"here is every setting that changes what reaches the API.", r.Target.BaseURL, via)
	case NewKey:
		return "A new key helps only once every copy of the old one is gone: an exported variable beats " +
			".env, and a shell start-up file brings it back in every new terminal."
	case Checklist:
		return "What support will ask for, with this run's answers, and the tests that tell where " +
			"the fault lies."
	case Verify:
		const again = "fix401 sends the same smallest request again and shows it next to this one, " +
			"with a made-up key as a control."
		r = in.Here()
		switch d := Diagnose(r); {
		case in.Rerun():
			return "What your app loads now, read afresh — files re-read, this terminal's variables and a new " +
				"terminal's start-up files — and the smallest request sent with it, next to the first run, " +
				"with a made-up key that must be refused: if all behave, your change fixed it."
		case d.Code == OK:
			return "Your key already works. Here is the proof: the smallest request succeeds, and a made-up " +
				"key is refused cleanly."
		case d.Code == Incomplete:
			return "The smallest request again, and a made-up key that must be refused: the proof of a fix."
		case waitOnly(d.Code):
			return "Nothing to change on your side: wait, then press r. " + again
		case r.Auth.Accepted():
			return "The smallest request succeeds, but that is not all your code needs (below). After the fix, press r: " + again
		}
		return "After your change, press r: " + again
	case Summary:
		return "A summary for a support ticket or a teammate, with every secret removed."
	}
	return ""
}

// explainUnderstand says what the first step did, in the terms of what
// came of it: an error to capture, a success, no answer, or nothing sent.
func explainUnderstand(r *probe.Report) string {
	k, a := r.ActiveKey(), r.Auth
	if k == nil {
		if r.Insecure() {
			return "No key was found to send, and nothing else was sent: the base URL is plain HTTP to another machine."
		}
		return "No key was found to send, so fix401 asked " + r.Target.BaseURL +
			" with a made-up key, to see that the API is there and answers."
	}
	sent := fmt.Sprintf("the cheapest request there is, GET /v1/models, to %s with %s from %s", r.Target.BaseURL, k.Hint, k.Source)
	switch {
	case !r.Done[probe.ProbeAuth] || a == nil:
		return "fix401 is sending " + sent + "."
	case notSent(a):
		return "First, the exact error. fix401 tried " + sent + ", but it could not be sent."
	case a.Err != nil:
		return "First, the exact error. fix401 sent " + sent + ", and no answer came back."
	case a.Accepted():
		return "fix401 sent " + sent + ", and it succeeded."
	}
	return "First, the exact error. fix401 sent " + sent + ", and kept everything that came back."
}

// permissionsDone says what the permissions step asked, and of whom.
func permissionsDone(r *probe.Report) string {
	if !r.Done[probe.ProbeQuota] && r.ActiveKey() != nil {
		return "fix401 asks for a token count, which costs nothing, and reads the status page."
	}
	var asked string
	switch q := r.Quota; {
	case r.ActiveKey() == nil:
		asked = "With no key, fix401 asked the API nothing"
	case q == nil || notSent(q):
		asked = "The key could not be sent, so fix401 asked the API nothing"
	case q.Err != nil:
		asked = "fix401 asked for a token count, which costs nothing, but got no answer"
	default:
		asked = "fix401 asked for a token count, which costs nothing"
	}
	switch st := r.Status; {
	case !r.Done[probe.ProbeStatus]:
		return asked + ", and is reading the status page."
	case st == nil || st.Answer == nil || !st.Answer.OK():
		return asked + ", and could not read the status page."
	}
	return asked + ", and read the status page."
}

func understandFacts(r *probe.Report) []Fact {
	a := r.Auth
	if a == nil && r.ActiveKey() == nil {
		a = r.Control
	}
	if a == nil {
		return nil
	}
	var fs []Fact
	add := func(l, v string) {
		if v != "" {
			fs = append(fs, Fact{l, v})
		}
	}
	add("Request", requestWords(a, r.Target.BaseURL))
	switch {
	case notSent(a):
		// The request line says "not sent"; the check under it says why.
	case a.Err != nil:
		add("Result", netFailWords(a.Err))
	default:
		add("Status", statusWords(a.Status))
		add("Error type", a.ErrorType)
		add("Message", a.Message)
		add("Request id", orNone(a.RequestID))
	}
	add("Time", stamp(a.Time, r.Zone))
	if n := a.Attempts; n > 1 {
		add("Attempts", fmt.Sprint(n))
	}
	return fs
}

// requestWords is the request of the first step. A key that cannot be an
// HTTP header stops the request before it has a method or a URL: then it
// is the one that would have been sent.
func requestWords(a *probe.Answer, base string) string {
	method, u := a.Method, a.URL
	if method == "" && u == "" && base != "" {
		method, u = "GET", strings.TrimRight(base, "/")+"/v1/models"
		if b, err := url.Parse(base); err == nil {
			b.Path, b.RawPath = strings.TrimRight(b.Path, "/")+"/v1/models", ""
			b.Fragment, b.RawFragment = "", ""
			u = b.String()
		}
		u = probe.StripURLCredentials(u)
	}
	s := strings.TrimSpace(method + " " + u)
	if s != "" && notSent(a) {
		s += " — not sent"
	}
	return s
}

// notSent reports whether a request was stopped before it left: a key that
// cannot be a header, or plain HTTP to another machine.
func notSent(a *probe.Answer) bool {
	return a != nil && a.Err != nil && netFailLead(a.Err) == "not sent"
}

// stamp formats a moment as local time with the zone, the way a support
// engineer wants it.
func stamp(t time.Time, zone string) string {
	if t.IsZero() {
		return ""
	}
	s := t.Format("2006-01-02 15:04:05 MST")
	abbr, _ := t.Zone()
	if zone != "" && zone != abbr && !(abbr == "UTC" && strings.HasSuffix(zone, "UTC")) {
		s += " (" + zone + ")"
	}
	return s
}

func statusWords(code int) string {
	if code == 0 {
		return ""
	}
	return strings.TrimSpace(fmt.Sprintf("%d %s", code, httpText(code)))
}

func httpText(code int) string {
	switch code {
	case 200:
		return "OK"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 402:
		return "Payment Required"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 407:
		return "Proxy Authentication Required"
	case 429:
		return "Too Many Requests"
	case 500:
		return "Internal Server Error"
	case 529:
		return "Overloaded"
	}
	if code >= 300 && code < 400 {
		return "Redirect"
	}
	return ""
}

func onboarding(in Input) *Onboarding {
	r := in.Report
	o := &Onboarding{CreateURL: ConsoleKeysURL, Steps: []string{
		"Create a key at " + ConsoleKeysURL + " and copy it: the Console shows it only once.",
		"Press e and paste it. It stays hidden, and only in memory until you choose to save it.",
		"fix401 tests it against the API.",
	}}
	k := r.ActiveKey()
	switch {
	case k == nil && len(keyPlaces(r)) == 0:
		o.Reason = "There is no key your code can read yet."
	case k == nil:
		o.Reason = "None of the keys found is loaded here, and none of them works: a new one is needed."
	default:
		o.Reason = "This key cannot work: a new one is needed."
	}
	if k == nil || k.Origin != probe.OriginStdin {
		return o
	}
	o.Pasted = k.Hint
	switch {
	case !r.Done[probe.ProbeAuth]:
		o.PastedStatus = probe.Pending
		o.PastedResult = "testing…"
		o.Reason = "Testing the key you pasted against the API; nothing is saved yet."
	case r.Auth.Accepted():
		o.PastedStatus, o.Accepted = probe.Pass, true
		o.PastedResult = "the API accepts it"
		o.Shadows = Shadows(r)
		o.Reason = "The key you pasted works. Save it to the project's .env, then remove the old copies."
	default:
		o.PastedStatus = probe.Fail
		o.PastedResult = "rejected: " + exchangeWords(r.Auth)
		o.Reason = "The API rejects the key you pasted. Copy it again from the Console, or create another."
	}
	return o
}

// Shadows lists the copies of a key that stand in the way: variables
// exported in this environment (dotenv loaders never replace a set
// variable), the shell start-up lines that export them in every new
// terminal, and Claude Code's settings. A copy is listed only when it is
// stale — it holds another key than the one the API accepts — or when it
// wins over a different key in a .env file. With no key in use there is
// nothing to win over: a key that is only in a start-up file has to be
// loaded, not deleted.
func Shadows(r *probe.Report) []Shadow {
	if r.ActiveKey() == nil {
		return nil
	}
	working := workingKey(r)
	var dotenv []string
	for _, c := range r.Candidates {
		if c.Origin == probe.OriginDotenv && probe.ReadBySDK(c.Var) && c.Value != "" {
			dotenv = append(dotenv, c.Clean)
		}
	}
	var out []Shadow
	for _, c := range r.Candidates {
		if !probe.ReadBySDK(c.Var) || c.Value == "" {
			continue
		}
		stale := working != nil && c.Clean != working.Clean
		beats := working == nil && slices.ContainsFunc(dotenv, func(d string) bool { return d != c.Clean })
		if !stale && !beats {
			continue
		}
		switch c.Origin {
		case probe.OriginEnv:
			out = append(out, Shadow{Source: c.Source, Line: c.Var + "=" + c.Hint,
				Change: "unset " + c.Var + " (in this terminal, and wherever it is exported)"})
		case probe.OriginShell:
			line := c.Var + "=" + c.Hint
			if c.Exported {
				line = "export " + line
			}
			out = append(out, Shadow{Source: c.Source, Line: line,
				Change: fmt.Sprintf("delete line %d of %s, then open a new terminal", c.Line, fileOf(c.Source))})
		case probe.OriginClaude:
			out = append(out, Shadow{Source: c.Source, Line: c.Var + "=" + c.Hint,
				Change: "remove " + c.Var + " from " + fileOf(c.Source) + " (Claude Code sets it for every tool it runs)"})
		}
	}
	return out
}

// workingKey is the key the API accepts: the one in use, else another
// one found. Nil when none is known to work.
func workingKey(r *probe.Report) *probe.Candidate {
	if k := r.ActiveKey(); k != nil && r.Auth.Accepted() {
		return k
	}
	for _, o := range r.Others {
		if o.Answer.Accepted() && o.Index >= 0 && o.Index < len(r.Candidates) {
			return &r.Candidates[o.Index]
		}
	}
	return nil
}

// shadowTarget is what Shadows win over: the key in a .env file (its
// source), else the key that works.
func shadowTarget(r *probe.Report) (dotenv string, working *probe.Candidate) {
	working = workingKey(r)
	for _, c := range r.Candidates {
		if c.Origin == probe.OriginDotenv && probe.ReadBySDK(c.Var) && c.Value != "" &&
			(working == nil || working.Clean == c.Clean) {
			return c.Source, working
		}
	}
	return "", working
}

// shadowsTitle heads the list of Shadows.
func shadowsTitle(r *probe.Report) string {
	switch dotenv, w := shadowTarget(r); {
	case dotenv != "":
		return "Copies that win over the key in " + dotenv
	case w != nil:
		return "Copies that hold another key than the one that works (" + w.Hint + ")"
	}
	return "Stale copies"
}

// shadowsVerdict sums up n Shadows in a sentence.
func shadowsVerdict(r *probe.Report, n int) string {
	dotenv, _ := shadowTarget(r)
	if dotenv != "" {
		return fmt.Sprintf("%s would win over the key in %s.", CountWords(n, "stale copy", "stale copies"), dotenv)
	}
	if n == 1 {
		return "1 copy holds another key than the one that works."
	}
	return fmt.Sprintf("%d copies hold another key than the one that works.", n)
}

// Compare is the before/after table of the verify step: the first run's
// smallest request next to the current one.
func Compare(in Input) []CompareRow {
	b, a := in.firstHere(), in.Here()
	rows := []CompareRow{{Label: "Key"}, {Label: "From"}, {Label: "Status"}, {Label: "Error"}, {Label: "Request id"}, {Label: "Time"}}
	const status, errRow, reqID, when = 2, 3, 4, 5
	fill := func(r *probe.Report, set func(i int, v string)) {
		k, ans := r.ActiveKey(), r.Auth
		if k == nil {
			set(0, "(none)")
			set(1, "—")
		} else {
			set(0, k.Hint)
			set(1, k.Source)
		}
		if r.Done[probe.ProbeAuth] || k == nil {
			// No empty cell: a dash where a request had nothing to say.
			for i := errRow; i < len(rows); i++ {
				set(i, "—")
			}
		}
		switch {
		case k == nil:
			set(status, "not sent (no key)")
		case !r.Done[probe.ProbeAuth]:
			set(status, "checking…")
		case ans == nil:
			set(status, "not sent")
		case ans.Err != nil:
			set(status, netFailLead(ans.Err))
			set(errRow, probe.PhaseWords(ans.Err.Phase))
			set(when, stamp(ans.Time, r.Zone))
		default:
			set(status, statusWords(ans.Status))
			switch {
			case ans.ErrorType != "":
				set(errRow, ans.ErrorType)
			case !ans.Anthropic:
				set(errRow, "the answer is not the API's")
			default:
				set(errRow, "none")
			}
			set(reqID, orNone(ans.RequestID))
			set(when, stamp(ans.Time, r.Zone))
		}
	}
	fill(b, func(i int, v string) { rows[i].Before = v })
	if in.Rerun() {
		fill(a, func(i int, v string) { rows[i].After = v })
	}
	return rows
}

func verifyChecks(in Input) []probe.Result {
	r := in.Here()
	out := []probe.Result{requestCheck(in, r)}
	if c, ok := newTerminalCheck(in); ok {
		out = append(out, c)
	}
	if c, ok := pastedCheck(in); ok {
		out = append(out, c)
	}

	ctl := probe.Result{ID: CheckVerifyControl}
	switch a := r.Control; {
	case r.Insecure():
		ctl.Status, ctl.Title = probe.Skip, "Made-up key not sent: the base URL is insecure"
	case !r.Done[probe.ProbeControl]:
		ctl.Status, ctl.Title = probe.Pending, "Sending a made-up key…"
	case probe.MissingCredential(a):
		ctl.Status = probe.Fail
		ctl.Title = "The made-up key never arrived: the API says no " + creds.HeaderName(cmp.Or(r.Client.KeyHeader, creds.HeaderAPIKey)) + " header came with it"
	case a != nil && a.Anthropic && a.Status == 401 && a.ErrorType == "authentication_error":
		ctl.Status = probe.Pass
		ctl.Title = "A made-up key is refused cleanly: 401 authentication_error, nothing leaked"
	case a.OK():
		ctl.Status = probe.Fail
		ctl.Title = "A made-up key was accepted: whatever answers does not check keys"
	case a == nil || a.Err != nil || a.Status >= 500:
		// No verdict either way: the control needs an answer from the API.
		ctl.Status = probe.Error
		ctl.Title = "The made-up key check could not run: " + exchangeWords(a)
	default:
		ctl.Status = probe.Fail
		ctl.Title = "A made-up key did not get the API's clean 401: " + exchangeWords(a)
	}
	out = append(out, ctl)

	limit := in.RetryLimit
	if limit == 0 {
		limit = probe.DefaultRetries
	}
	limit = max(0, min(limit, probe.MaxRetries))
	ret := probe.Result{ID: CheckVerifyRetries}
	most, retried := 0, 0
	var timedOut []int // the attempts of each request that timed out
	for _, a := range r.Requests() {
		most = max(most, a.Attempts)
		if a.Attempts > 1 {
			retried++
		}
		if a.Err != nil && a.Err.Phase == probe.PhaseTimeout {
			timedOut = append(timedOut, max(1, a.Attempts))
		}
	}
	allowed := CountWords(limit+1, "attempt", "attempts")
	switch {
	case !r.Finished():
		ret.Status, ret.Title = probe.Pending, "Counting attempts…"
	case most > limit+1:
		ret.Status = probe.Fail
		ret.Title = fmt.Sprintf("A request took %d attempts, more than the limit of %d", most, limit+1)
	case len(timedOut) > 0:
		// A timeout is what a retry is for: say what became of them.
		ret.Status = probe.Pass
		lo, hi := slices.Min(timedOut), slices.Max(timedOut)
		after := "after " + CountWords(hi, "attempt", "attempts")
		switch {
		case lo != hi:
			after = fmt.Sprintf("after at most %d attempts", hi)
		case len(timedOut) > 1:
			after += " each"
		}
		ret.Title = fmt.Sprintf("Retries stayed bounded: %s timed out %s (limit: %s)",
			CountWords(len(timedOut), "request", "requests"), after, allowed)
	case retried == 0:
		ret.Status = probe.Pass
		ret.Title = fmt.Sprintf("No request needed a retry (limit: %s)", allowed)
	default:
		ret.Status = probe.Pass
		ret.Title = fmt.Sprintf("Retries stayed bounded: %s retried, at most %d attempts (limit: %s)",
			CountWords(retried, "request", "requests"), most, allowed)
	}
	out = append(out, ret)
	return out
}

// requestCheck is the smallest request of what an app started from this
// terminal loads.
func requestCheck(in Input, r *probe.Report) probe.Result {
	req := probe.Result{ID: CheckVerifyRequest}
	switch a, k := r.Auth, r.ActiveKey(); {
	case k == nil:
		req.Status, req.Title, req.Fix = probe.Fail, "This terminal: your app finds no key to send", "Press e to paste one."
		if d := Diagnose(r); workingKey(r) != nil && d.Code != Incomplete {
			req.Fix = whereToFix(d.Step, "where the fix is")
		}
	case !r.Done[probe.ProbeAuth]:
		req.Status, req.Title = probe.Pending, "Sending the smallest request again…"
	case a.Accepted():
		req.Status = probe.Pass
		req.Title = fmt.Sprintf("This terminal: your app loads %s from %s, and the smallest request succeeds (%s)",
			k.Hint, appSource(in, k, false), statusWords(a.Status))
		if a.RequestID != "" {
			req.Detail = "Traceable: request-id " + a.RequestID
		}
	case a.OK():
		req.Status = probe.Fail
		req.Title = fmt.Sprintf("The smallest request got %s, but not from the Anthropic API", statusWords(a.Status))
		req.Fix = whereToFix(StepOfCode(NotAnthropic), "fix the address or proxy there")
	default:
		req.Status = probe.Fail
		fails := "fails"
		if in.Rerun() && !in.firstHere().Auth.Accepted() {
			fails = "still fails"
		}
		req.Title = fmt.Sprintf("This terminal: your app loads %s from %s, and the smallest request %s: %s",
			k.Hint, appSource(in, k, false), fails, exchangeWords(a))
		if d := Diagnose(r); waitOnly(d.Code) {
			req.Fix = "Nothing to fix on your side: wait, then press r."
		} else if d.Code != Incomplete {
			req.Fix = whereToFix(d.Step, "where the fix is")
		}
	}
	return req
}

// appSource names where an app gets key k: the file and line, or, for a
// variable, the start-up line that exports it — in this terminal when it
// started, in a new one as the files are now.
func appSource(in Input, k *probe.Candidate, newTerminal bool) string {
	if k.Origin != probe.OriginEnv || in.App == nil {
		return k.Source
	}
	for _, v := range in.App.Shell {
		if v.Var != k.Var {
			continue
		}
		switch {
		case newTerminal && v.Now != "":
			return fmt.Sprintf("%s, exported by %s", k.Var, v.Now)
		case !newTerminal && v.Start != "":
			return fmt.Sprintf("%s, exported by %s when it started", k.Var, v.Start)
		}
	}
	if newTerminal {
		return k.Var + ", set outside the start-up files (inherited, if a new terminal gets it at all)"
	}
	return k.Var + ", exported before fix401 started"
}

// newTerminalCheck is what an app started from a new terminal loads, when
// fix401 read the app's environment.
func newTerminalCheck(in Input) (probe.Result, bool) {
	if in.App == nil {
		return probe.Result{}, false
	}
	c := probe.Result{ID: CheckVerifyNewTerminal}
	nt, known := in.newTerminal()
	if !known {
		c.Status = probe.Skip
		c.Title = "A new terminal: not tested"
		for _, v := range in.App.Shell {
			if v.Unknown {
				c.Title += fmt.Sprintf(": line %d of %s sets %s from a command or a variable fix401 does not evaluate",
					v.NowLine, fileOf(v.Now), v.Var)
				break
			}
		}
		return c, true
	}
	var changed []string
	for _, v := range in.App.Shell {
		switch {
		case !v.Changed():
		case v.New == "" && v.Start != "":
			changed = append(changed, fmt.Sprintf("%s no longer sets %s (line %d when this terminal started)", fileOf(v.Start), v.Var, v.StartLine))
		case v.New == "":
			changed = append(changed, fmt.Sprintf("no start-up file sets %s, which this terminal has", v.Var))
		case v.Here == "":
			changed = append(changed, fmt.Sprintf("line %d of %s sets %s, which this terminal lacks", v.NowLine, fileOf(v.Now), v.Var))
		default:
			changed = append(changed, fmt.Sprintf("line %d of %s sets %s to %s, not %s as here", v.NowLine, fileOf(v.Now), v.Var, v.New, v.Here))
		}
	}
	c.Detail = strings.Join(changed, "\n")
	k, a, same := nt.ActiveKey(), nt.Auth, nt == in.Here()
	switch {
	case k == nil && same:
		c.Status, c.Title = probe.Skip, "A new terminal: no key either"
	case k == nil:
		c.Status, c.Title = probe.Fail, "A new terminal: your app finds no key to send"
	case !nt.Done[probe.ProbeAuth]:
		c.Status, c.Title = probe.Pending, "Testing what a new terminal loads…"
	case same && a.Accepted():
		c.Status = probe.Pass
		c.Title = fmt.Sprintf("A new terminal: the same key, %s from %s", k.Hint, appSource(in, k, true))
	case same:
		// The line above has the verdict: this one only says it holds there too.
		c.Status = probe.Skip
		c.Title = fmt.Sprintf("A new terminal: the same key, %s from %s", k.Hint, appSource(in, k, true))
	case a.Accepted():
		c.Status = probe.Pass
		c.Title = fmt.Sprintf("A new terminal: your app loads %s from %s, and the API accepts it (%s)",
			k.Hint, appSource(in, k, true), statusWords(a.Status))
	default:
		c.Status = probe.Fail
		c.Title = fmt.Sprintf("A new terminal: your app loads %s from %s, and the smallest request fails: %s",
			k.Hint, appSource(in, k, true), exchangeWords(a))
	}
	return c, true
}

// pastedCheck says where the key last pasted into fix401 (or given on
// stdin) stands: tested in memory only, the key the app loads, or beaten
// by another. Only for a key the API accepted, and only once the app's
// environment was read.
func pastedCheck(in Input) (probe.Result, bool) {
	t := in.Report
	p := t.ActiveKey()
	if in.App == nil || p == nil || p.Origin != probe.OriginStdin || !t.Done[probe.ProbeAuth] || !t.Auth.Accepted() {
		return probe.Result{}, false
	}
	here := in.Here()
	what := "The key you pasted"
	if len(in.Tried) == 0 {
		what = "The key given on stdin"
	}
	c := probe.Result{ID: CheckVerifyPasted}
	var found []string
	for _, o := range here.Candidates {
		if o.Origin != probe.OriginStdin && probe.SameKey(o, *p) {
			found = append(found, o.Source)
		}
	}
	k := here.ActiveKey()
	switch {
	case k != nil && probe.SameKey(*k, *p):
		c.Status = probe.Pass
		c.Title = fmt.Sprintf("%s, %s, is the key your app loads here (%s)", what, p.Hint, k.Source)
	case len(found) == 0:
		c.Status = probe.Warn
		c.Title = fmt.Sprintf("%s, %s, works, but only in fix401's memory: nothing your app reads holds it", what, p.Hint)
		if len(in.Tried) > 0 {
			c.Fix = "Press w to save it to .env, then r."
		} else {
			c.Fix = "Put it where your app reads it (.env, or ANTHROPIC_API_KEY), then press r."
		}
	case k == nil:
		c.Status = probe.Fail
		c.Title = fmt.Sprintf("%s, %s, is in %s, which an app started here does not load", what, p.Hint, strings.Join(found, ", "))
	default:
		c.Status = probe.Fail
		if here.Auth.Accepted() {
			c.Status = probe.Warn // the key that wins works too
		}
		c.Title = fmt.Sprintf("%s, %s, is in %s, but %s wins over it (from %s)", what, p.Hint, strings.Join(found, ", "),
			k.Hint, appSource(in, k, false))
	}
	return c, true
}

// conclude says what a finished step means, how bad it is, and what to do
// next.
func conclude(in Input, s StepID, p Page) (conclusion, advice string, verdict probe.Status) {
	r := in.Report
	d := Diagnose(in.Report)
	switch s {
	case Summary:
		return "", "Press c to copy it, or s to save it to a file.", probe.Skip
	case Checklist:
		conclusion, verdict = ChecklistVerdict(ChecklistRows(r, in.SDKs), d)
		return conclusion, d.Fix, verdict
	case Verify:
		return concludeVerify(in, p)
	}
	if s == Understand {
		// The first step names the root cause, wherever it is fixed.
		if d.Step == Understand {
			return d.Title, d.Fix, verdictOf(d)
		}
		to := NextStep(in, Understand)
		if k := r.ActiveKey(); d.Code == OK && k != nil && k.Origin == probe.OriginStdin {
			// A key tested in memory fixes nothing until the app loads it.
			return d.Title, fmt.Sprintf("This key works, but your app does not read it from fix401. Press enter: %s "+
				"checks what your app loads.", stepRef(to)), verdictOf(d)
		}
		if d.Code == OK {
			return d.Title, fmt.Sprintf("Nothing to fix. Press enter: %s shows the proof.", stepRef(to)), verdictOf(d)
		}
		if waitOnly(d.Code) {
			return d.Title, fmt.Sprintf("Nothing to fix on your side. Press enter: %s has the details.", stepRef(to)), verdictOf(d)
		}
		return d.Title, fmt.Sprintf("Press enter: %s shows how to fix it.", stepRef(to)), verdictOf(d)
	}
	if d.Step == s {
		return d.Title, d.Fix, verdictOf(d)
	}
	for _, o := range d.Also {
		if o.Step != s {
			continue
		}
		if d.Code != OK && d.Step.Index() > s.Index() {
			return o.Title, fmt.Sprintf("The root cause is at %s: %s", stepRef(d.Step), lowerFirst(d.Title)), verdictOf(o)
		}
		return o.Title, o.Fix, verdictOf(o)
	}
	switch p.Status {
	case probe.Pass, probe.Skip:
		conclusion, verdict = fine[s], probe.Pass
		if s == Permissions && !r.Auth.Accepted() {
			conclusion = "Nothing to judge here yet: permissions, billing and limits show only once a key is accepted."
			verdict = probe.Skip
		}
		if s == NewKey && r.ActiveKey() == nil && len(keyPlaces(r)) == 0 {
			conclusion = "Nothing to remove: no key was found anywhere."
		}
		if s == Headers && (r.ActiveKey() == nil || notSent(r.Auth)) {
			// No key went out: only the made-up key's request can vouch for the way.
			conclusion = "Nothing on the way changes a request: no second credential, no other base URL, " +
				"and the API itself answered a made-up key."
		}
	default:
		for _, c := range p.Checks {
			if c.ID == probe.CheckCandidates && workingKey(r) != nil {
				continue // another key that works is good news, told where the diagnosis is
			}
			if c.Status == probe.Fail || c.Status == probe.Error || c.Status == probe.Warn {
				conclusion, advice, verdict = c.Title, c.Fix, c.Status
				break
			}
		}
		if conclusion == "" {
			conclusion, verdict = requestVerdict(p.Request)
		}
		if conclusion == "" {
			// Only a file that could not be read, shown with the request.
			conclusion, verdict = fine[s], probe.Pass
		}
	}
	if s == NewKey && len(p.Shadows) > 0 && (verdict == probe.Pass || verdict == probe.Skip) {
		// Copies to remove are never a clean bill.
		conclusion, verdict = shadowsVerdict(r, len(p.Shadows)), probe.Warn
	}
	if s == NewKey && len(p.Shadows) > 0 && advice == "" {
		advice = "Remove the copies above, or they keep winning."
	}
	if d.Code != OK && d.Step != s && d.Step.Index() > s.Index() && advice == "" {
		advice = fmt.Sprintf("The root cause is further on, at %s.", stepRef(d.Step))
	}
	if d.Code != OK && d.Step.Index() < s.Index() && advice == "" {
		advice = fmt.Sprintf("The root cause is back at %s: press %d.", stepRef(d.Step), d.Step.Index()+1)
	}
	if r.ActiveKey() == nil && s == VerifyKey && advice == "" {
		advice = "Press e to paste a key."
	}
	return conclusion, advice, verdict
}

// whereToFix sends the user to the step where a fix is made: the digits
// 1–8 jump there from anywhere.
func whereToFix(s StepID, what string) string {
	if s == Verify || s.Index() < 0 {
		return "Press r once you have made the change."
	}
	return fmt.Sprintf("Press %d for %s, %s; press r once you have made the change.", s.Index()+1, s.Title(), what)
}

// concludeVerify is the verify step's verdict, judged by what the user's
// app loads, read afresh — never by a key held only in fix401's memory:
// fixed, working from the start, working in one kind of terminal only, or
// what still stands in the way — which, when the key is accepted, is not
// the key.
func concludeVerify(in Input, p Page) (conclusion, advice string, verdict probe.Status) {
	r := in.Here()
	d := Diagnose(r)
	nt, known := in.newTerminal()
	distinct := known && nt != r
	var dn Diagnosis
	if distinct {
		dn = Diagnose(nt)
	}
	hereOK := d.Code == OK && passing(p.Checks, CheckVerifyRequest, CheckVerifyControl, CheckVerifyRetries)
	switch {
	case hereOK && distinct && dn.Code != OK:
		return "Works in this terminal, but not in a new one: " + newTerminalWhy(in, nt, dn), newTerminalFix(in, nt, dn), probe.Fail
	case hereOK && !known:
		return "Works in this terminal; what a new terminal loads could not be tested (above).",
			"Open a new terminal and run fix401 there to be sure.", probe.Warn
	case !hereOK && distinct && dn.Code == OK:
		k := nt.ActiveKey()
		return fmt.Sprintf("A new terminal works: your app loads %s from %s there. This terminal does not: %s.",
			k.Hint, appSource(in, k, true), hereWhy(in, r, d)), hereFix(in, r, d), probe.Warn
	}
	// From here on a new terminal, when it was tested, tells the same story.
	switch {
	case hereOK && in.Rerun() && Diagnose(in.firstHere()).Code != OK:
		what := "the request that failed now works"
		if in.firstHere().Auth.Accepted() {
			what = "nothing blocks the key any more"
		}
		where := ""
		if k := r.ActiveKey(); k != nil && in.App != nil {
			where = fmt.Sprintf(" your app loads %s from %s, in this terminal and in a new one;", k.Hint, appSource(in, k, false))
		}
		return "Fixed:" + where + " " + what + ", and a made-up key is still refused cleanly.",
			"Note the date and this configuration in the summary (next).", probe.Pass
	case hereOK:
		return "The key works, and a made-up key is refused cleanly.", "Keep this key in one place only.", probe.Pass
	case d.Code == OK:
		// The key works, but a check of this step did not pass.
		for _, c := range p.Checks {
			if c.Status != probe.Pass && c.Status != probe.Skip && c.ID != CheckVerifyPasted {
				return c.Title, c.Fix, c.Status
			}
		}
	case r.Auth.Accepted():
		what, ok := strings.CutPrefix(d.Title, "The key works, but ")
		if !ok {
			what = lowerFirst(d.Title)
		}
		return "The key is accepted, but " + what, d.Fix, verdictOf(d)
	case waitOnly(d.Code):
		return "Not working yet: " + lowerFirst(d.Title), d.Fix, verdictOf(d)
	}
	if v, k, ok := stillExported(in, r); ok {
		if dotenv, w := shadowTarget(r); dotenv != "" && w != nil {
			// A stale export beats the key that works: name both ways out.
			return fmt.Sprintf("Not fixed yet: %s, exported by line %d of %s, still wins over %s — in this terminal and in "+
					"every new one.", k.Hint, v.NowLine, fileOf(v.Now), dotenv),
				fmt.Sprintf("Delete line %d of %s (new terminals then load %s), and in this terminal quit fix401 and run "+
					"`unset %s`, or open a new one; then check again.", v.NowLine, fileOf(v.Now), dotenv, v.Var),
				verdictOf(d)
		}
		if d.Step == VerifyKey {
			// The key itself is at fault: say where it keeps coming from.
			return fmt.Sprintf("Not fixed yet: %s It comes from line %d of %s, in this terminal and in every new one.",
				strings.TrimSuffix(lowerFirst(d.Title), ".")+".", v.NowLine, fileOf(v.Now)), d.Fix, verdictOf(d)
		}
	}
	for _, c := range p.Checks {
		if c.ID == CheckVerifyPasted && c.Status != probe.Pass {
			return "Not fixed yet: " + lowerFirst(c.Title), cmp.Or(c.Fix, d.Fix), verdictOf(d)
		}
	}
	return "Not fixed yet: " + lowerFirst(d.Title), d.Fix, verdictOf(d)
}

// passing reports whether the checks with these ids passed (or were
// skipped).
func passing(cs []probe.Result, ids ...string) bool {
	for _, c := range cs {
		if slices.Contains(ids, c.ID) && c.Status != probe.Pass && c.Status != probe.Skip {
			return false
		}
	}
	return true
}

// shellVar returns what the start-up files do to a variable.
func (in Input) shellVar(name string) (ShellVar, bool) {
	if in.App == nil {
		return ShellVar{}, false
	}
	for _, v := range in.App.Shell {
		if v.Var == name {
			return v, true
		}
	}
	return ShellVar{}, false
}

// stillExported reports whether the key an app here loads is a variable
// this terminal got from a start-up line that still sets it the same way
// in every new terminal.
func stillExported(in Input, r *probe.Report) (ShellVar, *probe.Candidate, bool) {
	k := r.ActiveKey()
	if k == nil || k.Origin != probe.OriginEnv {
		return ShellVar{}, nil, false
	}
	v, ok := in.shellVar(k.Var)
	if !ok || v.Now == "" || v.Changed() {
		return ShellVar{}, nil, false
	}
	return v, k, true
}

// hereWhy says why an app started from this terminal fails while a new
// terminal works.
func hereWhy(in Input, r *probe.Report, d Diagnosis) string {
	k := r.ActiveKey()
	if k == nil {
		for _, v := range in.App.Shell {
			if v.Here == "" && v.Now != "" {
				return fmt.Sprintf("it started before line %d of %s set %s, so it has no key", v.NowLine, fileOf(v.Now), v.Var)
			}
		}
		return "an app started here finds no key"
	}
	if k.Origin == probe.OriginEnv {
		if v, ok := in.shellVar(k.Var); ok && v.Start != "" && v.Now == "" {
			return fmt.Sprintf("it still holds %s in %s, exported by line %d of %s when it started — fix401 cannot unset "+
				"a variable of the shell it runs in", k.Hint, k.Var, v.StartLine, fileOf(v.Start))
		}
		return fmt.Sprintf("it still holds %s in %s, exported before fix401 started", k.Hint, k.Var)
	}
	return lowerFirst(d.Title)
}

// hereFix is the way out for this terminal when a new one works.
func hereFix(in Input, r *probe.Report, d Diagnosis) string {
	k := r.ActiveKey()
	if k == nil {
		for _, v := range in.App.Shell {
			if v.Here == "" && v.Now != "" {
				return fmt.Sprintf("Open a new terminal, or run `source %s` in this one.", fileOf(v.Now))
			}
		}
		return d.Fix
	}
	if k.Origin == probe.OriginEnv {
		return fmt.Sprintf("Quit fix401 and run `unset %s` in this terminal, or carry on in a new one; run fix401 again there to confirm.", k.Var)
	}
	return d.Fix
}

// newTerminalWhy says why an app started from a new terminal fails while
// this one works.
func newTerminalWhy(in Input, nt *probe.Report, dn Diagnosis) string {
	k := nt.ActiveKey()
	if k == nil {
		return "an app started there finds no key."
	}
	if v, ok := in.shellVar(k.Var); ok && k.Origin == probe.OriginEnv && v.Now != "" {
		return fmt.Sprintf("line %d of %s exports %s there, and the API refuses it (%s).", v.NowLine, fileOf(v.Now), k.Hint,
			exchangeWords(nt.Auth))
	}
	return lowerFirst(dn.Title) + "."
}

// newTerminalFix is the way out when only a new terminal fails.
func newTerminalFix(in Input, nt *probe.Report, dn Diagnosis) string {
	if k := nt.ActiveKey(); k != nil && k.Origin == probe.OriginEnv {
		if v, ok := in.shellVar(k.Var); ok && v.Now != "" {
			return fmt.Sprintf("Delete line %d of %s, or put the key that works there.", v.NowLine, fileOf(v.Now))
		}
	}
	return dn.Fix
}

var fine = map[StepID]string{
	Understand:  "The API accepts the key.",
	VerifyKey:   "The key is found, clean, and of the right kind.",
	Permissions: "Nothing blocks this key: no 403, billing or rate-limit answer, and the status page is calm.",
	Headers:     "The key travels intact: no second credential, no other base URL, nothing on the way.",
	NewKey:      "No stale copy would shadow your key.",
}

// CountWords writes a count with its noun: "1 key", "3 keys".
func CountWords(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// exchangeWords says in a few words what one exchange brought back.
func exchangeWords(a *probe.Answer) string {
	switch {
	case a == nil:
		return "no request made"
	case a.Err != nil:
		return netFailWords(a.Err)
	}
	return answerText(a)
}

// netFailLead is "not sent" for a request stopped before it left, else "no
// answer".
func netFailLead(e *probe.NetError) string {
	if e.Phase == probe.PhaseInvalidHeader || e.Phase == probe.PhaseInsecure {
		return "not sent"
	}
	return "no answer"
}

// netFailWords says what became of a request that got no answer: "not sent:
// …" or "no answer: …", with the probe's own message when it has one.
func netFailWords(e *probe.NetError) string {
	lead := netFailLead(e)
	switch msg := e.Message; {
	case msg == "" && strings.HasPrefix(probe.PhaseWords(e.Phase), lead):
		return probe.PhaseWords(e.Phase)
	case msg == "":
		return lead + ": " + probe.PhaseWords(e.Phase)
	case strings.HasPrefix(msg, lead):
		return msg
	default:
		return lead + ": " + msg
	}
}

// stepRef names a step the way the header does: "5/8 Stale copies".
func stepRef(s StepID) string { return fmt.Sprintf("%d/%d %s", s.Index()+1, len(Order), s.Title()) }

// lowerFirst lowers the first letter of a sentence that is being quoted,
// unless it starts with a name such as ANTHROPIC_AUTH_TOKEN or TLS: a
// first word of one capital ("A key") is an ordinary word.
func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	if len(s) > 1 && s[1] != ' ' && (s[1] < 'a' || s[1] > 'z') {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
