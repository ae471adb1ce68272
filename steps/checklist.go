package steps

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/creds"
)

// ChecklistRow is one item of the checklist to go through before
// escalating, with this run's answer in a few words.
type ChecklistRow struct {
	ID     string // checklist.error, checklist.status, …
	Item   string // "Exact error"
	Status probe.Status
	Result string
}

// TestRow is one line of the "test → what it tells you → next move"
// table, filled with what this run found.
type TestRow struct {
	Test    string
	Status  probe.Status
	Result  string // the live answer
	Meaning string // what that answer tells you
	Next    string // the move it calls for
}

// ChecklistRows is the diagnostic checklist for a report and the SDKs
// found in the project, in a fixed order. Items whose probe still runs are
// Pending. The evidence items (error, status, request id, shape, repro)
// describe the request that failed; the verdict items (credentials,
// permissions, quota, status page, network) each judge one thing, and only
// what the run could judge: a request that got no answer from the API says
// nothing about the key.
func ChecklistRows(r *probe.Report, sdks []probe.SDK) []ChecklistRow {
	a := smallest(r)
	sent := !r.Insecure() && r.ActiveKey() != nil
	done := smallestDone(r)
	row := func(id, item string) ChecklistRow { return ChecklistRow{ID: "checklist." + id, Item: item} }

	var out []ChecklistRow
	add := func(c ChecklistRow) { out = append(out, c) }

	// The evidence support asks for. Without a key only the control
	// request went out, and its made-up key's 401 is not the user's error.
	c := row("error", "Exact error")
	switch {
	case r.Insecure():
		c.Status, c.Result = probe.Skip, "none: the base URL is insecure, nothing was sent"
	case !sent:
		c.Status, c.Result = probe.Skip, "none: no key was sent"
	case !done:
		c = pendingRow(c)
	case a.Err != nil && a.Err.Phase == probe.PhaseInvalidHeader:
		c.Status, c.Result = probe.Warn, "not sent: "+probe.PhaseWords(a.Err.Phase)
	case a.Err != nil:
		c.Status, c.Result = probe.Warn, "no HTTP answer: "+probe.PhaseWords(a.Err.Phase)
	case a.Accepted():
		c.Status, c.Result = probe.Pass, "no error: "+statusWords(a.Status)
	default:
		c.Status, c.Result = probe.Pass, "captured"
		if a.Label != "auth" {
			c.Result += " on " + requestName(a)
		}
		c.Result += ": " + answerText(a)
	}
	add(c)

	c, final := noEvidence(row("status", "HTTP status"), sent, done, a)
	switch {
	case final:
	case !a.Anthropic:
		c.Status, c.Result = probe.Pass, statusWords(a.Status)+", not from the API"
	default:
		c.Status, c.Result = probe.Pass, statusWords(a.Status)
	}
	add(c)

	c, final = noEvidence(row("request_id", "Request id"), sent, done, a)
	switch {
	case final:
	case a.RequestID != "":
		c.Status, c.Result = probe.Pass, a.RequestID
	case !a.Anthropic:
		c.Status, c.Result = probe.Warn, "none: the answer did not come from the API"
	default:
		c.Status, c.Result = probe.Warn, "none: the API sent no request id"
	}
	add(c)

	add(versionsRow(r, sdks, row("versions", "SDK & model")))
	add(shapeRow(r, a, done, row("shape", "Request shape")))

	c = row("repro", "Smallest repro")
	switch {
	case !sent:
		c.Status, c.Result = probe.Skip, "no key to send"
	case !done:
		c = pendingRow(c)
	case a.Accepted():
		c.Status, c.Result = probe.Pass, requestName(a)+" works"
	case a.Err != nil && a.Err.Phase == probe.PhaseInvalidHeader:
		// Nothing left: a request never sent reproduces nothing.
		c.Status, c.Result = probe.Warn, requestName(a)+" "+reproWords(a)
	default:
		c.Status = probe.Pass
		if a.Label != "auth" && r.Auth.Accepted() {
			c.Result = requestName(r.Auth) + " works; "
		}
		c.Result += requestName(a) + " " + reproWords(a)
	}
	add(c)

	// The independent tests: credentials, permissions, quota, dependency, network.
	if c, ok := providerRow(r, row("provider", "Provider routing")); ok {
		add(c)
	}
	add(credentialsRow(r, row("credentials", "Credentials")))
	c = fromCheck(r, row("permissions", "Permissions"), probe.CheckPermissions, func(res probe.Result) string {
		if res.Status == probe.Pass {
			return "the key may list models"
		}
		return lowerFirst(shortTitle(res.Title))
	})
	if c.Status == probe.Skip && authenticated(r) {
		// "Until the key is accepted" would contradict the credentials row.
		c.Result = "not judged (the API answered " + codeWords(r.Auth) + ")"
	}
	add(c)
	c = fromCheck(r, row("quota", "Quota & billing"), probe.CheckQuota, func(res probe.Result) string {
		if res.Status == probe.Pass {
			return "no billing or rate-limit block"
		}
		return lowerFirst(shortTitle(res.Title))
	})
	if q := r.Quota; c.Status == probe.Error && q != nil && q.Err != nil {
		// The network row shows why; no answer judges nothing here.
		c.Status, c.Result = probe.Skip, "not judged (no answer from the API)"
	}
	add(c)
	add(fromCheck(r, row("status_page", "Status page"), probe.CheckStatusPage, func(res probe.Result) string {
		if s := r.Status; s != nil && s.Description != "" {
			return s.Description
		}
		return shortTitle(res.Title)
	}))
	add(networkRow(r, row("network", "Network & proxy")))
	return out
}

// ChecklistVerdict sums up the checklist: how many items pass, which fail
// or need a look, and how bad that is. An item that could not be judged
// ([?] or [-]) counts neither way. The verdict is never better than the
// diagnosis d: a run whose diagnosis is not ok never reads as all good.
func ChecklistVerdict(rows []ChecklistRow, d Diagnosis) (conclusion string, verdict probe.Status) {
	var fails, warns []string
	pass := 0
	for _, c := range rows {
		switch c.Status {
		case probe.Pass:
			pass++
		case probe.Fail:
			fails = append(fails, lowerFirst(c.Item))
		case probe.Warn:
			warns = append(warns, lowerFirst(c.Item))
		}
	}
	conclusion = fmt.Sprintf("%d of %d items pass.", pass, len(rows))
	verdict = probe.Pass
	switch {
	case len(fails) > 0:
		conclusion += " Failing: " + strings.Join(fails, ", ") + "."
		verdict = probe.Fail
	case len(warns) > 0:
		conclusion += " To look at: " + strings.Join(warns, ", ") + "."
		verdict = probe.Warn
	}
	if d.Code == Incomplete {
		return conclusion, verdict
	}
	if dv := verdictOf(d); severity[dv] > severity[verdict] {
		conclusion += " Still, " + lowerFirst(d.Title) + "."
		verdict = dv
	}
	return conclusion, verdict
}

func versionsRow(r *probe.Report, sdks []probe.SDK, c ChecklistRow) ChecklistRow {
	c.Status = probe.Pass
	sdk := "no SDK found in the project"
	if len(sdks) > 0 {
		sdk = sdks[0].String()
		if len(sdks) > 1 {
			sdk += fmt.Sprintf(" and %d more", len(sdks)-1)
		}
	} else {
		c.Status = probe.Skip
	}
	if r.Client.IsClaudeCode() {
		// The project's SDK is not what sends the requests here.
		c.Status = probe.Pass
		if len(sdks) > 0 {
			sdk = "Claude Code (--for claude-code; the project's " + sdk + " is not checked)"
		} else {
			sdk = "Claude Code (--for claude-code)"
		}
	}
	model := "no model given (--model)"
	if m, ok := r.CheckByID(probe.CheckModel); ok && r.Target.Model != "" {
		model = r.Target.Model
		switch m.Status {
		case probe.Pass:
			model += " available"
		case probe.Fail:
			model += " not found"
		case probe.Pending:
			model += " (checking…)"
		}
		if severity[m.Status] > severity[c.Status] || m.Status == probe.Pending {
			c.Status = m.Status
		}
	}
	c.Result = sdk + "; " + model
	return c
}

// shapeRow is the request as the user's SDK would send it: fix401's own
// request carries the key alone, so a second credential or a header
// override from the environment shows here.
func shapeRow(r *probe.Report, a *probe.Answer, done bool, c ChecklistRow) ChecklistRow {
	k := r.ActiveKey()
	if k == nil || r.Insecure() {
		c.Status, c.Result = probe.Skip, "no key to send"
		return c
	}
	if len(k.Issues) > 0 {
		c.Status, c.Result = probe.Fail, "the key "+k.Issues[0].Detail
		if r.Auth.Accepted() {
			c.Status = probe.Warn
		}
		return c
	}
	if tok, _ := r.CheckByID(probe.CheckAuthToken); tok.Status == probe.Fail {
		c.Status = probe.Fail
		c.Result = probe.WireWords(r.KeyHeader()) + " " + k.Hint + " plus a Bearer token from ANTHROPIC_AUTH_TOKEN: two credentials"
		return c
	}
	if h, ok := r.CheckByID(probe.CheckCustomHdrs); ok && h.Status == probe.Warn {
		c.Status, c.Result = probe.Warn, h.Title
		return c
	}
	c.Status = probe.Pass
	if done && a != nil && a.Label == "quota" {
		c.Result = "POST /v1/messages/count_tokens, " + probe.WireWords(r.KeyHeader()) + " " + k.Hint + ", anthropic-version, a one-word message"
		return c
	}
	name := "GET /v1/models"
	if done && a != nil {
		name = requestName(a)
	}
	c.Result = name + ", " + probe.WireWords(r.KeyHeader()) + " " + k.Hint + ", anthropic-version, no body"
	return c
}

// credentialsRow judges the key on what the API said about it, and on
// nothing else: no answer, a page that is not the API, or a missing
// header leave the key unjudged.
func credentialsRow(r *probe.Report, c ChecklistRow) ChecklistRow {
	k, a := r.ActiveKey(), r.Auth
	switch {
	case r.Insecure():
		c.Status, c.Result = probe.Skip, "not sent: the base URL is insecure"
		return c
	case k == nil && r.FederationWins():
		return federationRow(r, c)
	case k == nil:
		c.Status, c.Result = probe.Fail, "no key found"
		if s := unloaded(r); s != nil {
			c.Result = "no key in this process; " + s.Source + " has one"
		} else if w := ciNoKeyWords(r); w != "" {
			c.Result = w
		}
		return c
	case !r.Done[probe.ProbeAuth] || a == nil:
		return pendingRow(c)
	}
	switch {
	case a.Accepted() && r.Env.AuthToken && k.Var != probe.VarAuthToken:
		c.Status, c.Result = probe.Pass, "accepted when sent alone"
	case a.Accepted():
		c.Status, c.Result = probe.Pass, "accepted"
	case a.Err != nil && a.Err.Phase == probe.PhaseInvalidHeader:
		c.Status, c.Result = probe.Fail, "not sent: "+probe.PhaseWords(a.Err.Phase)
		if r.CleanAuth.Accepted() {
			c.Result += "; cleaned, it is accepted"
		}
	case a.Err != nil:
		c.Status, c.Result = probe.Skip, "not judged (no answer from the API)"
	case !a.Anthropic:
		c.Status, c.Result = probe.Skip, "not judged (the answer did not come from the API)"
	case r.HeaderStripped() && r.AltAuth.Accepted():
		c.Status = probe.Pass
		c.Result = fmt.Sprintf("accepted when sent as %s (%s never arrived)",
			probe.WireWords(r.Client.AltHeader(k)), creds.HeaderName(r.KeyHeader()))
	case probe.MissingCredential(a):
		c.Status, c.Result = probe.Skip, "not judged (the key header did not arrive)"
	case a.Status == 401:
		c.Status, c.Result = probe.Fail, "rejected: "+answerText(a)
		if w := recordWords(r); w != "" {
			c.Result += "; " + w
		}
	case authenticated(r):
		c.Status, c.Result = probe.Pass, fmt.Sprintf("accepted (then %s)", codeWords(a))
	default:
		c.Status, c.Result = probe.Skip, fmt.Sprintf("not judged (the API answered %s)", codeWords(a))
	}
	return c
}

// noEvidence settles row c when the smallest request has nothing to show:
// no key was sent, it is still running, or no HTTP answer came. final says
// whether c is settled.
func noEvidence(c ChecklistRow, sent, done bool, a *probe.Answer) (c2 ChecklistRow, final bool) {
	switch {
	case !sent:
		c.Status, c.Result = probe.Skip, "none: no key was sent"
	case !done:
		c = pendingRow(c)
	case a.Err != nil:
		c.Status, c.Result = probe.Skip, "none: no HTTP answer"
	default:
		return c, false
	}
	return c, true
}

// pendingRow marks c as still being checked.
func pendingRow(c ChecklistRow) ChecklistRow {
	c.Status, c.Result = probe.Pending, "checking…"
	return c
}

// authenticated reports whether the API got past the key before it
// refused the request: a 400, 402, 403 or 429 comes after the key is
// known; a 5xx proves it only when another request with the key worked.
func authenticated(r *probe.Report) bool {
	a := r.Auth
	if a == nil || a.Err != nil || !a.Anthropic {
		return false
	}
	switch a.Status {
	case 400, 402, 403, 429:
		return true
	}
	return a.Status >= 500 && (r.Quota.Accepted() || r.Model.Accepted())
}

// unloaded is a key the SDKs would read that sits in a file this process
// did not load, such as a shell start-up file of a newer terminal.
func unloaded(r *probe.Report) *probe.Candidate {
	for i := range r.Candidates {
		c := &r.Candidates[i]
		if c.Value != "" && c.Origin != probe.OriginEnv && probe.ReadBySDK(c.Var) {
			return c
		}
	}
	return nil
}

// smallest is the request that shows the error: the key's GET /v1/models
// when it failed, else the first of the model lookup (a GET, the smaller)
// and count_tokens that failed, else the key's request that worked. It is nil when no key was
// sent: the control request's made-up key is not the user's error.
func smallest(r *probe.Report) *probe.Answer {
	if r.ActiveKey() == nil || r.Insecure() {
		return nil
	}
	if !r.Auth.Accepted() {
		return r.Auth
	}
	for _, a := range []*probe.Answer{r.Model, r.Quota} {
		if a != nil && !a.Accepted() {
			return a
		}
	}
	return r.Auth
}

// smallestDone reports whether every request smallest may pick has its
// answer, so the evidence rows do not change after they are shown.
func smallestDone(r *probe.Report) bool {
	if !r.Done[probe.ProbeAuth] || r.Auth == nil {
		return false
	}
	if !r.Auth.Accepted() {
		return true
	}
	for _, p := range r.Planned() {
		if (p == probe.ProbeQuota || p == probe.ProbeModel) && !r.Done[p] {
			return false
		}
	}
	return true
}

// requestName is an answer's method and path: "GET /v1/models".
func requestName(a *probe.Answer) string {
	m, path := a.Method, "/v1/models"
	if m == "" {
		m = "GET"
	}
	if u, err := url.Parse(a.URL); err == nil && u.Path != "" {
		path = u.Path
	}
	return m + " " + path
}

// answerText is what an HTTP answer said: status, error type, message.
func answerText(a *probe.Answer) string {
	switch {
	case !a.Anthropic:
		return statusWords(a.Status) + ", not from the API"
	case a.ErrorType != "" && a.Message != "":
		return fmt.Sprintf("%d %s %q", a.Status, a.ErrorType, a.Message)
	case a.ErrorType != "":
		return fmt.Sprintf("%d %s", a.Status, a.ErrorType)
	}
	return statusWords(a.Status)
}

// codeWords is an answer's status and error type: "429 rate_limit_error".
func codeWords(a *probe.Answer) string {
	if a.ErrorType != "" {
		return fmt.Sprintf("%d %s", a.Status, a.ErrorType)
	}
	return statusWords(a.Status)
}

// reproWords says what became of the smallest request, and how often it
// was sent, no more: one attempt shows a failure, not that it repeats.
func reproWords(a *probe.Answer) string {
	switch {
	case a.Err != nil && a.Err.Phase == probe.PhaseInvalidHeader:
		return "cannot carry this key (not sent)"
	case a.Err != nil:
		return "gets no answer " + attemptWords(a.Attempts)
	case !a.Anthropic:
		return "gets an answer that is not the API's " + attemptWords(a.Attempts)
	}
	return "fails " + attemptWords(a.Attempts)
}

// attemptWords says how often a request was sent.
func attemptWords(n int) string {
	if n <= 1 {
		return "(sent once)"
	}
	return fmt.Sprintf("(all %d attempts)", n)
}

func fromCheck(r *probe.Report, c ChecklistRow, id string, words func(probe.Result) string) ChecklistRow {
	res, ok := r.CheckByID(id)
	if !ok {
		c.Status, c.Result = probe.Skip, "not checked"
		return c
	}
	c.Status = res.Status
	if res.Status == probe.Pending {
		c.Result = "checking…"
		return c
	}
	c.Result = words(res)
	return c
}

// shortTitle drops the "Quota: "-style lead of a check title.
func shortTitle(t string) string {
	if i := strings.Index(t, ": "); i > 0 && i < 20 {
		t = t[i+2:]
	}
	return t
}

// pathFailure is what went wrong on the way to the API, in words, or ""
// when the way is clear: a failed request (timeout, untrusted
// certificate…), a failed connection check, an answer from something else
// than the API, or a key header removed on the way.
func pathFailure(r *probe.Report) string {
	for _, a := range []*probe.Answer{r.Control, r.Auth} {
		if a == nil || a.Err == nil || a.Err.Phase == probe.PhaseInvalidHeader {
			continue
		}
		if a.Err.Phase == probe.PhaseTLSUntrusted {
			return "the certificate is not trusted (issued by " + orUnknownIssuer(a.Err.Issuer) + "): something intercepts TLS"
		}
		if a.Err.Message != "" {
			return a.Err.Message
		}
		return probe.PhaseWords(a.Err.Phase)
	}
	for _, id := range []string{probe.CheckDNS, probe.CheckTCP, probe.CheckTLS} {
		if res, _ := r.CheckByID(id); res.Status == probe.Fail {
			return lowerFirst(res.Title)
		}
	}
	if res, _ := r.CheckByID(probe.CheckOrigin); res.Status == probe.Fail {
		return "not the API: " + strings.TrimPrefix(res.Title, "Not the API: ")
	}
	if r.HeaderStripped() {
		return "the " + creds.HeaderName(r.KeyHeader()) + " header is removed on the way"
	}
	return ""
}

func orUnknownIssuer(s string) string {
	if s == "" {
		return "an unknown issuer"
	}
	return s
}

// route names the way requests take: direct, through a proxy variable, or
// to a base URL set in the environment or on the command line.
func route(r *probe.Report) string {
	if r.Net != nil && r.Net.Proxy != "" && strings.HasPrefix(r.Target.BaseURL, "https:") {
		for _, p := range r.Env.Proxies {
			if strings.EqualFold(p.Name, "HTTPS_PROXY") {
				return "via " + p.Name
			}
		}
		return "via a proxy"
	}
	if r.Target.BaseURL != probe.DefaultBaseURL {
		switch r.Target.BaseURLSource {
		case "env:ANTHROPIC_BASE_URL":
			return "via ANTHROPIC_BASE_URL"
		case "flag":
			return "via --base-url"
		}
	}
	return "direct"
}

func networkRow(r *probe.Report, c ChecklistRow) ChecklistRow {
	ids := []string{probe.CheckDNS, probe.CheckTCP, probe.CheckTLS, probe.CheckOrigin, probe.CheckProxy}
	var cs []probe.Result
	for _, id := range ids {
		if res, ok := r.CheckByID(id); ok {
			cs = append(cs, res)
		}
	}
	if worst(cs) == probe.Pending || (!r.Insecure() && (!r.Done[probe.ProbeControl] || !r.Done[probe.ProbeAuth] && r.ActiveKey() != nil)) {
		return pendingRow(c)
	}
	way := route(r)
	if r.Insecure() {
		c.Status, c.Result = probe.Fail, "plain HTTP to another machine: nothing was sent"
		return c
	}
	if f := pathFailure(r); f != "" {
		c.Status, c.Result = probe.Fail, way+", but "+f
		return c
	}
	c.Status = probe.Pass
	if res, _ := r.CheckByID(probe.CheckProxy); res.Status == probe.Warn {
		c.Status = probe.Warn
		if way == "direct" {
			way += " (" + r.Env.Proxies[0].Name + " is set but not used for this address)"
		}
	}
	if r.Net != nil && r.Net.TLSVer != "" {
		way += ", " + r.Net.TLSVer
	}
	c.Result = way + ", the API answers"
	return c
}

// TestRows is the "test → what it tells you → next move" table with this
// run's answers: the status page, your shell against a clean environment,
// direct against the proxy, and the other keys found.
func TestRows(r *probe.Report) []TestRow {
	return []TestRow{statusTest(r), shellTest(r), proxyTest(r), keysTest(r)}
}

func statusTest(r *probe.Report) TestRow {
	t := TestRow{Test: "Status page"}
	res, _ := r.CheckByID(probe.CheckStatusPage)
	t.Status = res.Status
	switch res.Status {
	case probe.Pending:
		t.Result = "checking…"
	case probe.Pass:
		t.Result = "no incident"
		t.Meaning = "the API is up: the cause is on your side"
		t.Next = "keep going with your key and settings"
	case probe.Warn, probe.Fail:
		t.Result = shortTitle(res.Title)
		t.Meaning = "the service itself is affected"
		t.Next = "wait for recovery before you change keys"
	default:
		t.Result = "could not be read"
		t.Meaning = "nothing either way"
		t.Next = "open status.claude.com in a browser"
	}
	return t
}

func shellTest(r *probe.Report) TestRow {
	t := TestRow{Test: "Your shell vs a clean one"}
	var extra []string
	if r.Env.AuthToken {
		extra = append(extra, "ANTHROPIC_AUTH_TOKEN")
	}
	if r.Target.BaseURLSource == "env:ANTHROPIC_BASE_URL" {
		extra = append(extra, "ANTHROPIC_BASE_URL")
	}
	if len(r.Env.CustomHeaders) > 0 {
		extra = append(extra, "ANTHROPIC_CUSTOM_HEADERS")
	}
	k := r.ActiveKey()
	fromShell := k != nil && k.Origin == probe.OriginEnv
	var good *probe.Candidate
	if r.Done[probe.ProbeOthers] {
		for _, o := range r.Others {
			if o.Answer.Accepted() && r.Candidates[o.Index].Origin != probe.OriginEnv {
				good = &r.Candidates[o.Index]
				break
			}
		}
	}
	switch {
	case len(extra) > 0:
		t.Status = probe.Warn
		t.Result = "your shell also sets " + strings.Join(extra, ", ")
		t.Meaning = "a clean environment would send something else"
		t.Next = "unset " + strings.Join(extra, " ") + " and try again"
	case k == nil:
		return noKeyShellTest(r, t)
	case fromShell && !r.Done[probe.ProbeAuth]:
		t.Status, t.Result = probe.Pending, "checking…"
	case fromShell && good != nil && !r.Auth.Accepted():
		t.Status = probe.Fail
		t.Result = "the exported key fails; " + good.Source + " works"
		t.Meaning = "an old exported key hides the right one"
		t.Next = "unset " + k.Var + " and remove its export"
	case fromShell && !hasFileKey(r):
		t.Status = probe.Warn
		t.Result = "only your shell has the key"
		t.Meaning = "a clean environment (IDE, service, CI) has no key"
		t.Next = "give each environment the key explicitly"
	case fromShell:
		t.Status = probe.Pass
		t.Result = "the exported key matches the files"
		t.Meaning = "your shell adds nothing different"
		t.Next = "nothing to change"
	default:
		t.Status = probe.Pass
		t.Result = "no key or auth variable exported"
		t.Meaning = "a clean environment sees the same"
		t.Next = "nothing to change"
	}
	return t
}

// noKeyShellTest compares this shell with a new one when this process has
// no key: a start-up file may hold one that only newer terminals load.
func noKeyShellTest(r *probe.Report, t TestRow) TestRow {
	s := unloaded(r)
	switch {
	case s != nil && s.Origin == probe.OriginShell && !s.Exported:
		t.Status = probe.Fail
		t.Result = s.Source + " sets the key without export"
		t.Meaning = "even a new shell keeps it from programs"
		t.Next = "add export on that line, then open a new terminal"
	case s != nil && s.Origin == probe.OriginShell:
		t.Status = probe.Fail
		t.Result = "this shell lacks the key in " + s.Source
		t.Meaning = "a new terminal would load it: this one is older"
		t.Next = "open a new terminal, or source " + fileOf(s.Source)
	case s != nil:
		t.Status = probe.Warn
		t.Result = "no key exported; " + s.Source + " has one"
		t.Meaning = "programs started here get no key"
		t.Next = "export ANTHROPIC_API_KEY where your program runs"
	default:
		t.Status = probe.Skip
		t.Result = "no key exported or in start-up files"
		t.Meaning = "no environment has a key yet"
		t.Next = "create a key and paste it (e)"
	}
	return t
}

func hasFileKey(r *probe.Report) bool {
	for _, c := range r.Candidates {
		if c.Origin == probe.OriginDotenv || c.Origin == probe.OriginShell {
			return true
		}
	}
	return false
}

func proxyTest(r *probe.Report) TestRow {
	t := TestRow{Test: "Direct vs through a proxy"}
	way := route(r)
	direct := way == "direct"
	ctl, _ := r.CheckByID(probe.CheckControl)
	origin, _ := r.CheckByID(probe.CheckOrigin)
	if !r.Insecure() && (!r.Done[probe.ProbeNet] || ctl.Status == probe.Pending || origin.Status == probe.Pending) {
		t.Status, t.Result = probe.Pending, "checking…"
		return t
	}
	yet := way + ": "
	if direct {
		yet = "no proxy set, yet "
	}
	switch {
	case r.Insecure():
		t.Status = probe.Skip
		t.Result = "nothing sent over plain HTTP"
		t.Meaning = "the way to the API was not tried"
		t.Next = "use an https:// base URL"
	case untrustedIssuer(r) != "":
		t.Status = probe.Fail
		t.Result = yet + "the certificate is from " + untrustedIssuer(r)
		t.Meaning = "something in between intercepts TLS"
		t.Next = "trust its CA, or ask IT to exempt api.anthropic.com"
	case noAnswer(r) != nil && direct:
		t.Status = probe.Warn
		t.Result = "direct: no answer (" + probe.PhaseWords(noAnswer(r).Err.Phase) + ")"
		t.Meaning = "no proxy to blame: the network or the host fails"
		t.Next = "try another network"
	case noAnswer(r) != nil:
		t.Status = probe.Fail
		t.Result = way + ": no answer (" + probe.PhaseWords(noAnswer(r).Err.Phase) + ")"
		t.Meaning = "the proxy or the way behind it fails"
		t.Next = "try without it (NO_PROXY) or another network"
	case origin.Status == probe.Fail:
		t.Status = probe.Fail
		t.Result = yet + notAPIWords(r)
		t.Meaning = "something answers in place of the API"
		switch way {
		case "direct":
			t.Next = "check the base URL and the network"
		case "via ANTHROPIC_BASE_URL":
			t.Next = "unset it, or point it at the API"
		case "via --base-url":
			t.Next = "point --base-url at the API"
		default:
			t.Next = "bypass it (NO_PROXY) or fix its settings"
		}
	case r.HeaderStripped():
		h := creds.HeaderName(r.KeyHeader())
		t.Status = probe.Fail
		t.Result = yet + h + " does not arrive"
		t.Meaning = "something in between strips the key header"
		t.Next = "let it pass " + h + ", or go around it"
	case direct:
		t.Status = probe.Pass
		t.Result = "direct: no proxy or gateway set"
		t.Meaning = "nothing in between rewrites requests"
		t.Next = "nothing to change"
	case ctl.Status == probe.Pass:
		t.Status = probe.Pass
		t.Result = way + ": a made-up key gets a clean 401"
		t.Meaning = "the key header arrives intact"
		t.Next = "nothing to change"
	default:
		t.Status = probe.Warn
		t.Result = way + ": no clear answer"
		t.Meaning = "the way cannot be judged"
		t.Next = "try another network or without the proxy"
	}
	return t
}

// untrustedIssuer is the issuer of a certificate that did not verify on
// the way to the API, or "" when none failed.
func untrustedIssuer(r *probe.Report) string {
	for _, a := range []*probe.Answer{r.Control, r.Auth} {
		if a != nil && a.Err != nil && a.Err.Phase == probe.PhaseTLSUntrusted {
			return orUnknownIssuer(a.Err.Issuer)
		}
	}
	if r.Net != nil && r.Net.Err != nil && r.Net.Err.Phase == probe.PhaseTLSUntrusted {
		return orUnknownIssuer(r.Net.Err.Issuer)
	}
	return ""
}

// noAnswer is a request that got no HTTP answer for a reason on the way,
// not one fix401 kept from leaving.
func noAnswer(r *probe.Report) *probe.Answer {
	for _, a := range []*probe.Answer{r.Control, r.Auth} {
		if a != nil && a.Err != nil && a.Err.Phase != probe.PhaseInvalidHeader && a.Err.Phase != probe.PhaseInsecure {
			return a
		}
	}
	return nil
}

// notAPIWords says in a few words what answered instead of the API, with
// no URL: the headers step shows those in full.
func notAPIWords(r *probe.Report) string {
	for _, a := range []*probe.Answer{r.Auth, r.Control, r.Quota} {
		if a == nil || a.Err != nil || a.Anthropic {
			continue
		}
		switch {
		case a.Location != "":
			return fmt.Sprintf("a redirect (HTTP %d) answered", a.Status)
		case a.Status == 407:
			return "the proxy asks for a login (407)"
		case a.Shape == "html":
			return fmt.Sprintf("an HTML page answered (HTTP %d)", a.Status)
		case a.Shape == "openai":
			return "an OpenAI-style server answered"
		}
		return fmt.Sprintf("HTTP %d without a request-id", a.Status)
	}
	return "something else than the API answered"
}

func keysTest(r *probe.Report) TestRow {
	t := TestRow{Test: "Your other keys"}
	if len(r.Others) == 0 && !hasOtherKeys(r) {
		t.Status = probe.Skip
		t.Result = "no other key found"
		t.Meaning = "nothing to compare against"
		t.Next = "paste a fresh key (e) to compare"
		return t
	}
	if !r.Done[probe.ProbeOthers] {
		t.Status, t.Result = probe.Pending, "checking…"
		return t
	}
	var good, bad, tokens, unjudged []string
	for _, o := range r.Others {
		c := r.Candidates[o.Index]
		a := o.Answer
		switch {
		case a.Accepted():
			good = append(good, c.Source)
		case c.Var == probe.VarAuthToken:
			tokens = append(tokens, c.Source)
		case a != nil && a.Anthropic && a.Status == 401 && !probe.MissingCredential(a):
			bad = append(bad, c.Source)
		default:
			unjudged = append(unjudged, c.Source)
		}
	}
	inUse := r.ActiveKey() != nil
	rejected := inUse && r.Auth != nil && r.Auth.Anthropic && r.Auth.Status == 401 && !probe.MissingCredential(r.Auth)
	switch {
	case len(good) > 0 && !inUse:
		t.Status = probe.Fail
		t.Result = "works: " + strings.Join(good, ", ")
		t.Meaning = "a good key exists; this process lacks it"
		t.Next = "load it where your program runs"
	case len(good) > 0 && !r.Auth.Accepted():
		t.Status = probe.Fail
		t.Result = "works: " + strings.Join(good, ", ")
		t.Meaning = "the key in use is the stale one"
		t.Next = "use the working key everywhere"
	case len(good) > 0 && r.SubscriptionOverridden() != nil && loginWorks(r):
		t.Status = probe.Warn
		t.Result = "works: " + strings.Join(good, ", ")
		t.Meaning = "your /login works, but Claude Code sends " + r.SubscriptionOverridden().Var
		t.Next = "clear it to use the subscription"
	case len(good) > 0:
		t.Status = probe.Pass
		t.Result = "works: " + strings.Join(good, ", ")
		t.Meaning = "more than one valid key is around"
		t.Next = "keep one, revoke the rest"
	case len(bad) == 0 && len(tokens) > 0:
		t.Status = probe.Warn
		t.Result = "rejected as a key: " + strings.Join(tokens, ", ")
		t.Meaning = "the token is a second credential, not a spare key"
		t.Next = "unset it and keep ANTHROPIC_API_KEY"
	case len(bad) == 0:
		t.Status = probe.Skip
		t.Result = "not judged: " + strings.Join(unjudged, ", ")
		t.Meaning = "the API gave no verdict on them"
		t.Next = "fix the way to the API, then re-run (r)"
	case !inUse:
		t.Status = probe.Fail
		t.Result = "rejected: " + strings.Join(bad, ", ")
		t.Meaning = "the keys lying around do not work"
		t.Next = "create a new key"
	case rejected:
		t.Status = probe.Fail
		t.Result = "all rejected: " + strings.Join(bad, ", ")
		t.Meaning = "the failure follows every key: key or account"
		t.Next = "create a new key; if it fails too, contact support"
	case r.Auth.Accepted():
		t.Status = probe.Warn
		t.Result = "rejected: " + strings.Join(bad, ", ")
		t.Meaning = "stale copies are lying around"
		t.Next = "delete them before they shadow the good key"
	default:
		t.Status = probe.Warn
		t.Result = "rejected: " + strings.Join(bad, ", ")
		t.Meaning = "these copies do not work either"
		t.Next = "delete them once the key in use works"
	}
	return t
}

func hasOtherKeys(r *probe.Report) bool {
	for _, p := range r.Planned() {
		if p == probe.ProbeOthers {
			return true
		}
	}
	return false
}
