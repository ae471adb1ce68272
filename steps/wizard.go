package steps

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/lint"
)

// ConsoleKeysURL is where API keys are created and listed.
const ConsoleKeysURL = "https://platform.claude.com/settings/keys"

// Check ids of the verify step, in the style of probe's ids.
const (
	CheckVerifyRequest = "verify.request"
	CheckVerifyControl = "verify.control"
	CheckVerifyRetries = "verify.retries"
)

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
}

func (in Input) first() *probe.Report {
	if in.First != nil {
		return in.First
	}
	return in.Report
}

// Rerun reports whether the current run is not the first one.
func (in Input) Rerun() bool { return in.First != nil && in.First != in.Report }

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
	// Pasted is the hint of the key being tested, when it was pasted.
	Pasted string
	// PastedStatus is Pending while it is tested, then Pass or Fail.
	PastedStatus probe.Status
	PastedResult string
	// Accepted means the pasted key works and may be saved to .env.
	Accepted bool
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
	Compare    []CompareRow
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

// transport are the codes where the key was never judged: sending the user
// to check the key first would send them the wrong way.
var transport = map[Code]bool{
	InsecureBaseURL: true, NetworkUnreachable: true, TLSUntrusted: true, NotAnthropic: true, HeaderStripped: true,
}

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
		case transport[d.Code]:
			return Headers
		}
		if s := StepOfCode(d.Code); s.Index() > VerifyKey.Index() {
			return s
		}
		return VerifyKey
	}
	next := Order[i+1]
	if next == NewKey && !hasStaleCopies(in) {
		return Checklist
	}
	return next
}

// hasStaleCopies reports whether the new-key step has anything to show.
func hasStaleCopies(in Input) bool {
	r := in.Report
	if len(in.Tried) > 0 || len(r.Others) > 0 {
		return true
	}
	places := 0
	for _, c := range r.Candidates {
		if c.Value != "" && c.Origin != probe.OriginStdin {
			places++
		}
	}
	return places > 1
}

// NeedsOnboarding reports whether verify-key should offer a new key: there
// is none, the one in use cannot work, or the user already pasted one.
func NeedsOnboarding(in Input) bool {
	if len(in.Tried) > 0 || in.Report.ActiveKey() == nil {
		return true
	}
	if !in.Report.Finished() {
		return false
	}
	switch Diagnose(in.Report).Code {
	case KeyRejected, KeyWrongKind, NoKey:
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
	default:
		p.Checks = checksOf(r, s)
	}
	if s == VerifyKey && NeedsOnboarding(in) {
		p.Onboarding = onboarding(in)
	}
	if s == NewKey {
		p.Shadows = Shadows(r)
	}
	p.Status = worst(p.all())
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
	switch s {
	case Understand:
		if k == nil {
			return "First, the exact error. No key was found to send, so fix401 asked " + r.Target.BaseURL +
				" with a made-up key, to see that the API is there and answers."
		}
		if notSent(r.Auth) {
			return fmt.Sprintf("First, the exact error. fix401 tried the cheapest request there is, GET /v1/models, "+
				"to %s with %s from %s, but it could not be sent.", r.Target.BaseURL, k.Hint, k.Source)
		}
		return fmt.Sprintf("First, the exact error. fix401 sent the cheapest request there is, GET /v1/models, "+
			"to %s with %s from %s, and kept everything that came back.", r.Target.BaseURL, k.Hint, k.Source)
	case VerifyKey:
		n := len(r.Candidates)
		switch {
		case n == 0:
			return "The SDKs read ANTHROPIC_API_KEY. fix401 looked in your environment, .env files, " +
				"shell start-up files and Claude Code settings, and found no key."
		case k == nil:
			return fmt.Sprintf("The SDKs read ANTHROPIC_API_KEY from the environment. fix401 found %s, "+
				"but none in this process's environment.", CountWords(n, "key", "keys"))
		}
		return fmt.Sprintf("Which key your code really sends, and whether it is clean: one stray space, quote "+
			"or newline is enough for a 401. The key in use is %s from %s.", k.Hint, k.Source)
	case Permissions:
		return "A key the API knows can still be blocked: by its workspace (403), a disabled organization, " +
			"billing or rate limits. fix401 asked for a token count, which costs nothing, and read the status page."
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
		if !in.Rerun() && in.first().Auth.Accepted() {
			return "Your key already works. Here is the proof: the smallest request succeeds, and a key " +
				"that must fail does fail, cleanly."
		}
		if in.Rerun() {
			return "The same smallest request again, next to the first one, and a key that must fail: " +
				"if both behave, your change fixed it."
		}
		return "After your change, press r: fix401 sends the same smallest request again and shows it " +
			"next to the first one, with a key that must fail as a control."
	case Summary:
		return "A summary for a support ticket or a teammate, with every secret removed."
	}
	return ""
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
	if a.Err != nil {
		add("Result", "no answer: "+strings.ReplaceAll(a.Err.Phase, "_", " ")+", "+a.Err.Message)
	} else {
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
	return a != nil && a.Err != nil && (a.Err.Phase == probe.PhaseInvalidHeader || a.Err.Phase == probe.PhaseInsecure)
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
	o := &Onboarding{CreateURL: ConsoleKeysURL}
	k := r.ActiveKey()
	switch {
	case k == nil:
		o.Reason = "You have no key yet that your code can read. Create one, paste it here, and fix401 tests it before saving anything."
	default:
		o.Reason = "This key cannot work. Create a new one, paste it here, and fix401 tests it before saving anything."
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
		o.Reason = "The key you pasted works. Save it to the project's .env, then remove the old copies."
	default:
		o.PastedStatus = probe.Fail
		o.PastedResult = "rejected: " + exchangeWords(r.Auth)
		o.Reason = "The API rejects the key you pasted. Copy it again from the Console, or create another."
	}
	return o
}

// Shadows lists the copies of a key that would win over one saved in the
// project's .env: variables exported in this environment (dotenv loaders
// never replace a set variable) and the shell start-up lines that export
// them in every new terminal.
func Shadows(r *probe.Report) []Shadow {
	var out []Shadow
	for _, c := range r.Candidates {
		if !probe.ReadBySDK(c.Var) || c.Value == "" {
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

// Compare is the before/after table of the verify step: the first run's
// smallest request next to the current one.
func Compare(in Input) []CompareRow {
	b, a := in.first(), in.Report
	rows := []CompareRow{{Label: "Key"}, {Label: "Status"}, {Label: "Error"}, {Label: "Request id"}, {Label: "Time"}}
	fill := func(r *probe.Report, set func(i int, v string)) {
		k := r.ActiveKey()
		if k == nil {
			set(0, "(none)")
		} else {
			set(0, k.Hint)
		}
		ans := r.Auth
		switch {
		case k == nil:
			return
		case !r.Done[probe.ProbeAuth]:
			set(1, "checking…")
			return
		case ans == nil:
			set(1, "not sent")
			return
		case ans.Err != nil:
			set(1, "no answer ("+strings.ReplaceAll(ans.Err.Phase, "_", " ")+")")
		default:
			set(1, statusWords(ans.Status))
			if ans.ErrorType != "" {
				set(2, ans.ErrorType)
			} else {
				set(2, "none")
			}
			set(3, orNone(ans.RequestID))
		}
		set(4, stamp(ans.Time, r.Zone))
	}
	fill(b, func(i int, v string) { rows[i].Before = v })
	if in.Rerun() {
		fill(a, func(i int, v string) { rows[i].After = v })
	} else {
		rows[0].After = "press r after your change"
	}
	return rows
}

func verifyChecks(in Input) []probe.Result {
	r := in.Report
	var out []probe.Result
	req := probe.Result{ID: CheckVerifyRequest}
	switch a, k := r.Auth, r.ActiveKey(); {
	case k == nil:
		req.Status, req.Title = probe.Fail, "No key to send: paste one with e"
	case !r.Done[probe.ProbeAuth]:
		req.Status, req.Title = probe.Pending, "Sending the smallest request again…"
	case a.Accepted():
		req.Status = probe.Pass
		req.Title = fmt.Sprintf("The smallest request succeeds with %s (%s)", k.Hint, statusWords(a.Status))
		if a.RequestID != "" {
			req.Detail = "Traceable: request-id " + a.RequestID
		}
	case a.OK():
		req.Status = probe.Fail
		req.Title = fmt.Sprintf("The smallest request got %s, but not from the Anthropic API", statusWords(a.Status))
		req.Fix = "Go back (←) to 4/8 Headers & network, fix the address or proxy, then press r here."
	default:
		req.Status = probe.Fail
		req.Title = "The smallest request still fails: " + exchangeWords(a)
		req.Fix = "Go back (←) to the step that explains it, fix it, then press r here."
	}
	out = append(out, req)

	ctl := probe.Result{ID: CheckVerifyControl}
	switch a := r.Control; {
	case r.Insecure():
		ctl.Status, ctl.Title = probe.Skip, "Known-bad request not sent: the base URL is insecure"
	case !r.Done[probe.ProbeControl]:
		ctl.Status, ctl.Title = probe.Pending, "Sending a key that must fail…"
	case a != nil && a.Anthropic && a.Status == 401 && a.ErrorType == "authentication_error":
		ctl.Status = probe.Pass
		ctl.Title = "A known-bad key fails cleanly: 401 authentication_error, nothing leaked"
	case a.OK():
		ctl.Status = probe.Fail
		ctl.Title = "A known-bad key was accepted: whatever answers does not check keys"
	default:
		ctl.Status = probe.Fail
		ctl.Title = "A known-bad key did not fail cleanly: " + exchangeWords(a)
	}
	out = append(out, ctl)

	limit := in.RetryLimit
	if limit == 0 {
		limit = probe.DefaultRetries
	}
	limit = max(0, min(limit, probe.MaxRetries))
	ret := probe.Result{ID: CheckVerifyRetries}
	most, retried := 0, 0
	for _, a := range r.Requests() {
		most = max(most, a.Attempts)
		if a.Attempts > 1 {
			retried++
		}
	}
	switch {
	case !r.Finished():
		ret.Status, ret.Title = probe.Pending, "Counting attempts…"
	case most > limit+1:
		ret.Status = probe.Fail
		ret.Title = fmt.Sprintf("A request took %d attempts, more than the limit of %d", most, limit+1)
	case retried == 0:
		ret.Status = probe.Pass
		ret.Title = fmt.Sprintf("No request needed a retry (limit: %s)", CountWords(limit+1, "attempt", "attempts"))
	default:
		ret.Status = probe.Pass
		ret.Title = fmt.Sprintf("Retries stayed bounded: %s retried, at most %d attempts (limit %d)",
			CountWords(retried, "request", "requests"), most, limit+1)
	}
	out = append(out, ret)
	return out
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
		switch {
		case p.Status == probe.Pass && in.Rerun() && !in.first().Auth.Accepted():
			return "Fixed: the request that failed now works, and a bad key still fails cleanly.",
				"Note the date and this configuration in the summary (next).", probe.Pass
		case p.Status == probe.Pass:
			return "The key works, and a bad key fails cleanly.", "Keep this key in one place only.", probe.Pass
		}
		return "Not fixed yet: " + lowerFirst(d.Title), d.Fix, probe.Fail
	}
	if s == Understand {
		// The first step names the root cause, wherever it is fixed.
		if d.Step == Understand {
			return d.Title, d.Fix, verdictOf(d)
		}
		to := NextStep(in, Understand)
		if d.Code == OK {
			return d.Title, fmt.Sprintf("Nothing to fix. Press enter: %s shows the proof.", stepRef(to)), verdictOf(d)
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
	default:
		for _, c := range p.Checks {
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
	if s == NewKey && len(p.Shadows) > 0 && advice == "" {
		advice = "Before you save a new key, remove the copies above, or they keep winning."
	}
	if d.Code != OK && d.Step != s && d.Step.Index() > s.Index() && advice == "" {
		advice = fmt.Sprintf("The root cause is further on, at %s.", stepRef(d.Step))
	}
	if r.ActiveKey() == nil && s == VerifyKey && advice == "" {
		advice = "Press e to paste a key."
	}
	return conclusion, advice, verdict
}

// verdictOf is how bad a diagnosis is: a pass only when the key works; a
// warning for what passes by itself (a rate limit, an incident).
func verdictOf(d Diagnosis) probe.Status {
	switch d.Code {
	case OK:
		return probe.Pass
	case RateLimited, ServiceDegraded:
		return probe.Warn
	}
	return probe.Fail
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
		return "no answer (" + strings.ReplaceAll(a.Err.Phase, "_", " ") + "): " + a.Err.Message
	case a.ErrorType != "" && a.Message != "":
		return fmt.Sprintf("%d %s %q", a.Status, a.ErrorType, a.Message)
	case a.ErrorType != "":
		return fmt.Sprintf("%d %s", a.Status, a.ErrorType)
	}
	return statusWords(a.Status)
}

// stepRef names a step the way the header does: "5/8 Stale copies".
func stepRef(s StepID) string { return fmt.Sprintf("%d/%d %s", s.Index()+1, len(Order), s.Title()) }

// lowerFirst lowers the first letter of a sentence that is being quoted,
// unless it starts with a name such as ANTHROPIC_AUTH_TOKEN.
func lowerFirst(s string) string {
	if len(s) < 2 || s[1] < 'a' || s[1] > 'z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// countWords is CountWords under the name the checklist still calls.
var countWords = CountWords
