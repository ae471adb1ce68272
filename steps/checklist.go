package steps

import (
	"fmt"
	"strings"

	"github.com/fix401/fix401/probe"
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
// Pending.
func ChecklistRows(r *probe.Report, sdks []probe.SDK) []ChecklistRow {
	a := smallest(r)
	authDone := r.Done[probe.ProbeAuth] || (r.ActiveKey() == nil && r.Done[probe.ProbeControl])
	row := func(id, item string) ChecklistRow { return ChecklistRow{ID: "checklist." + id, Item: item} }
	pendingRow := func(c ChecklistRow) ChecklistRow {
		c.Status, c.Result = probe.Pending, "checking…"
		return c
	}

	var out []ChecklistRow
	add := func(c ChecklistRow) { out = append(out, c) }

	// The evidence support asks for.
	c := row("error", "Exact error")
	switch {
	case r.Insecure():
		c.Status, c.Result = probe.Skip, "nothing sent: the base URL is insecure"
	case !authDone:
		c = pendingRow(c)
	case a == nil:
		c.Status, c.Result = probe.Skip, "no request made"
	case a.Err != nil:
		c.Status, c.Result = probe.Warn, "no HTTP answer: "+strings.ReplaceAll(a.Err.Phase, "_", " ")
	default:
		c.Status, c.Result = probe.Pass, "captured: "+exchangeWords(a)
	}
	add(c)

	c = row("status", "HTTP status")
	switch {
	case !authDone && !r.Insecure():
		c = pendingRow(c)
	case a == nil || a.Err != nil:
		c.Status, c.Result = probe.Skip, "none"
	case a.OK():
		c.Status, c.Result = probe.Pass, statusWords(a.Status)
	default:
		c.Status, c.Result = probe.Fail, statusWords(a.Status)
	}
	add(c)

	c = row("request_id", "Request id")
	switch {
	case !authDone && !r.Insecure():
		c = pendingRow(c)
	case a == nil || a.Err != nil:
		c.Status, c.Result = probe.Skip, "no answer, so no id"
	case a.RequestID != "":
		c.Status, c.Result = probe.Pass, a.RequestID
	default:
		c.Status, c.Result = probe.Fail, "none: the Anthropic API did not answer"
	}
	add(c)

	c = row("versions", "SDK & model")
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
	add(c)

	c = row("shape", "Request shape")
	c.Status = probe.Pass
	if k := r.ActiveKey(); k != nil {
		c.Result = "GET /v1/models, x-api-key " + k.Hint + ", anthropic-version, no body"
	} else {
		c.Result = "GET /v1/models, anthropic-version, no key to send"
	}
	if k := r.ActiveKey(); k != nil && len(k.Issues) > 0 {
		c.Status = probe.Fail
		c.Result = "the key " + k.Issues[0].Detail
	}
	add(c)

	c = row("repro", "Smallest repro")
	switch {
	case r.Insecure() || r.ActiveKey() == nil:
		c.Status, c.Result = probe.Skip, "no key to send"
	case !r.Done[probe.ProbeAuth]:
		c = pendingRow(c)
	case a.Accepted():
		c.Status, c.Result = probe.Pass, "one GET /v1/models works"
	default:
		c.Status = probe.Pass
		c.Result = fmt.Sprintf("one GET /v1/models, no body, %s: fails the same way", countWords(max(1, a.Attempts), "attempt", "attempts"))
	}
	add(c)

	// The independent tests: credentials, permissions, quota, dependency, network.
	add(fromCheck(r, row("credentials", "Credentials"), probe.CheckAuth, func(res probe.Result) string {
		switch {
		case r.ActiveKey() == nil:
			return "no key found"
		case r.Auth.Accepted():
			return "accepted"
		}
		return exchangeWords(r.Auth)
	}))
	add(fromCheck(r, row("permissions", "Permissions"), probe.CheckPermissions, func(res probe.Result) string {
		if res.Status == probe.Pass {
			return "the key may list models"
		}
		return shortTitle(res.Title)
	}))
	add(fromCheck(r, row("quota", "Quota & billing"), probe.CheckQuota, func(res probe.Result) string {
		if res.Status == probe.Pass {
			return "no billing or rate-limit block"
		}
		return shortTitle(res.Title)
	}))
	add(fromCheck(r, row("status_page", "Status page"), probe.CheckStatusPage, func(res probe.Result) string {
		if s := r.Status; s != nil && s.Description != "" {
			return s.Description
		}
		return shortTitle(res.Title)
	}))
	add(networkRow(r, row("network", "Network & proxy")))
	return out
}

// smallest is the answer that shows the error: the key's own request, or
// the control request when there is no key.
func smallest(r *probe.Report) *probe.Answer {
	if r.ActiveKey() != nil {
		return r.Auth
	}
	return r.Control
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

func networkRow(r *probe.Report, c ChecklistRow) ChecklistRow {
	ids := []string{probe.CheckDNS, probe.CheckTCP, probe.CheckTLS, probe.CheckOrigin, probe.CheckProxy}
	var cs []probe.Result
	for _, id := range ids {
		if res, ok := r.CheckByID(id); ok {
			cs = append(cs, res)
		}
	}
	c.Status = worst(cs)
	if c.Status == probe.Pending {
		c.Result = "checking…"
		return c
	}
	for _, res := range cs {
		if res.Status == probe.Fail || res.Status == probe.Error {
			c.Result = res.Title
			return c
		}
	}
	route := "direct"
	if len(r.Env.Proxies) > 0 {
		route = "via " + r.Env.Proxies[0].Name
	}
	if r.Net != nil && r.Net.TLSVer != "" {
		route += ", " + r.Net.TLSVer
	}
	c.Result = route + ", the API answers"
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
	case fromShell && !r.Done[probe.ProbeAuth]:
		t.Status, t.Result = probe.Pending, "checking…"
	case fromShell && good != nil && !r.Auth.Accepted():
		t.Status = probe.Fail
		t.Result = fmt.Sprintf("the exported key fails, %s in %s works", good.Hint, good.Source)
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
	route := ""
	switch {
	case len(r.Env.Proxies) > 0:
		route = "through " + r.Env.Proxies[0].Name + "=" + r.Env.Proxies[0].Value
	case r.Target.BaseURL != probe.DefaultBaseURL && r.Target.BaseURL != "" && r.Target.BaseURLSource != probe.SourceDemo:
		route = "through " + r.Target.BaseURL
	}
	if route == "" {
		t.Status = probe.Pass
		t.Result = "direct: no proxy or gateway set"
		t.Meaning = "nothing in between rewrites requests"
		t.Next = "nothing to change"
		return t
	}
	ctl, _ := r.CheckByID(probe.CheckControl)
	origin, _ := r.CheckByID(probe.CheckOrigin)
	switch {
	case ctl.Status == probe.Pending || origin.Status == probe.Pending:
		t.Status, t.Result = probe.Pending, "checking…"
	case origin.Status == probe.Fail || ctl.Status == probe.Fail:
		t.Status = probe.Fail
		t.Result = route + ": " + shortTitle(firstNonEmpty(failTitle(origin), failTitle(ctl)))
		t.Meaning = "what is in between changes the answer"
		t.Next = "bypass it for api.anthropic.com (NO_PROXY) or fix its settings"
	case ctl.Status == probe.Pass:
		t.Status = probe.Pass
		t.Result = route + ": a bad key gets a clean 401"
		t.Meaning = "the key header arrives intact"
		t.Next = "nothing to change"
	default:
		t.Status = probe.Warn
		t.Result = route + ": no clear answer"
		t.Meaning = "the path cannot be judged"
		t.Next = "try another network or without the proxy"
	}
	return t
}

func failTitle(c probe.Result) string {
	if c.Status == probe.Fail || c.Status == probe.Error {
		return c.Title
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
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
	var good, bad []string
	for _, o := range r.Others {
		c := r.Candidates[o.Index]
		if o.Answer.Accepted() {
			good = append(good, c.Source)
		} else {
			bad = append(bad, c.Source)
		}
	}
	switch {
	case len(good) > 0 && !r.Auth.Accepted():
		t.Status = probe.Fail
		t.Result = "works: " + strings.Join(good, ", ")
		t.Meaning = "the key in use is the stale one"
		t.Next = "use the working key everywhere"
	case len(good) > 0:
		t.Status = probe.Pass
		t.Result = "works: " + strings.Join(good, ", ")
		t.Meaning = "more than one valid key is around"
		t.Next = "keep one, revoke the rest"
	case !r.Auth.Accepted():
		t.Status = probe.Fail
		t.Result = "all rejected: " + strings.Join(bad, ", ")
		t.Meaning = "the failure follows every key: key or account"
		t.Next = "create a new key; if it fails too, contact support"
	default:
		t.Status = probe.Warn
		t.Result = "rejected: " + strings.Join(bad, ", ")
		t.Meaning = "stale copies are lying around"
		t.Next = "delete them before they shadow the good key"
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
