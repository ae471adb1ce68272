package steps

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
)

// testKey returns a random well-formed API key, built at run time.
func testKey() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	b := make([]byte, 93)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return probe.PrefixAPI + string(b) + "AA"
}

func cand(origin probe.Origin, source string) probe.Candidate {
	k := testKey()
	return probe.Candidate{Source: source, Origin: origin, Var: probe.VarAPIKey, Value: k, Raw: k, Clean: k,
		Hint: probe.Hint(k), Kind: probe.KindAPI, Exported: origin == probe.OriginShell}
}

var t0 = time.Date(2026, 11, 25, 17, 3, 11, 0, time.UTC)

func answer(label string, status int, typ, msg string) *probe.Answer {
	a := &probe.Answer{Label: label, Method: "GET", URL: "https://api.anthropic.com/v1/models", Time: t0,
		Status: status, ErrorType: typ, Message: msg, Anthropic: true, Shape: "anthropic", Attempts: 1,
		RequestID: "req_011CTESTTESTTESTTESTTEST"}
	if status == 200 {
		a.ModelIDs = []string{"claude-x"}
	}
	return a
}

// healthy is a finished report in which one key from the environment works.
func healthy() *probe.Report {
	r := &probe.Report{
		StartedAt:  t0,
		Zone:       "UTC",
		Target:     probe.Target{BaseURL: probe.DefaultBaseURL, BaseURLSource: "default", StatusURL: probe.DefaultStatusURL},
		Candidates: []probe.Candidate{cand(probe.OriginEnv, "env ANTHROPIC_API_KEY")},
		Active:     0,
		Net:        &probe.NetResult{Host: "api.anthropic.com", TLSVer: "TLS 1.3", TLSIssuer: "Test CA"},
		Auth:       answer("auth", 200, "", ""),
		Control:    answer("control", 401, "authentication_error", "invalid x-api-key"),
		Quota:      answer("quota", 200, "", ""),
		Status: &probe.StatusPage{Indicator: "none", Description: "All Systems Operational", APIStatus: "operational",
			Answer: answer("status", 200, "", "")},
		Done: map[string]bool{},
	}
	r.Control.Method = "GET"
	finish(r)
	return r
}

func finish(r *probe.Report) {
	for _, p := range []string{probe.ProbeNet, probe.ProbeAuth, probe.ProbeClean, probe.ProbeOthers, probe.ProbeControl,
		probe.ProbeQuota, probe.ProbeModel, probe.ProbeStatus} {
		r.Done[p] = true
	}
}

func with(r *probe.Report, f func(r *probe.Report)) *probe.Report { f(r); return r }

func rejected(r *probe.Report) {
	r.Auth = answer("auth", 401, "authentication_error", "invalid x-api-key")
	r.Quota = answer("quota", 401, "authentication_error", "invalid x-api-key")
}

func noKey(r *probe.Report) {
	r.Candidates, r.Active, r.Auth, r.Quota = nil, -1, nil, nil
}

func shadowed(r *probe.Report) {
	rejected(r)
	r.Candidates = append(r.Candidates, cand(probe.OriginDotenv, ".env:1"))
	r.Others = []probe.CandidateAnswer{{Index: 1, Answer: answer("candidate", 200, "", "")}}
}

func TestNextStep(t *testing.T) {
	tests := []struct {
		name  string
		in    Input
		from  StepID
		want  StepID
		board bool // verify-key offers a new key
	}{
		{"key works at once", Input{Report: healthy()}, Understand, Verify, false},
		{"no key: onboarding", Input{Report: with(healthy(), noKey)}, Understand, VerifyKey, true},
		{"key rejected", Input{Report: with(healthy(), rejected)}, Understand, VerifyKey, true},
		{"network down skips key steps", Input{Report: with(healthy(), func(r *probe.Report) {
			r.Control = &probe.Answer{Label: "control", Err: &probe.NetError{Phase: "dns", Message: "no such host"}}
			r.Auth = &probe.Answer{Label: "auth", Err: &probe.NetError{Phase: "dns", Message: "no such host"}}
			r.Quota = r.Auth
			r.Net = &probe.NetResult{Host: "api.anthropic.com", Err: r.Auth.Err}
		})}, Understand, Headers, false},
		{"header stripped", Input{Report: with(healthy(), func(r *probe.Report) {
			r.Control = answer("control", 401, "authentication_error", "x-api-key header is required")
			r.Auth = r.Control
		})}, Understand, Headers, false},
		{"403 goes to permissions", Input{Report: with(healthy(), func(r *probe.Report) {
			r.Auth = answer("auth", 403, "permission_error", "not allowed")
		})}, Understand, Permissions, false},
		{"billing goes to permissions", Input{Report: with(healthy(), func(r *probe.Report) {
			r.Quota = answer("quota", 400, "invalid_request_error", "Your credit balance is too low")
		})}, Understand, Permissions, false},
		{"shadowed goes to new-key", Input{Report: with(healthy(), shadowed)}, Understand, NewKey, false},
		{"auth conflict goes to headers", Input{Report: with(healthy(), func(r *probe.Report) {
			rejected(r)
			r.Env.AuthToken = true
		})}, Understand, Headers, false},
		{"still running: guide order", Input{Report: with(healthy(), func(r *probe.Report) { r.Done[probe.ProbeQuota] = false })},
			Understand, VerifyKey, false},
		{"verify-key to permissions", Input{Report: with(healthy(), rejected)}, VerifyKey, Permissions, true},
		{"permissions to headers", Input{Report: healthy()}, Permissions, Headers, false},
		{"one key: no stale copies", Input{Report: healthy()}, Headers, Checklist, false},
		{"two places: new-key", Input{Report: with(healthy(), shadowed)}, Headers, NewKey, false},
		{"pasted key: new-key", Input{Report: healthy(), Tried: []string{"sk-ant-api03-abc...wxyz"}}, Headers, NewKey, true},
		{"still running: new-key shown", Input{Report: with(healthy(), func(r *probe.Report) { r.Done[probe.ProbeNet] = false })},
			Headers, NewKey, false},
		{"new-key to checklist", Input{Report: with(healthy(), shadowed)}, NewKey, Checklist, false},
		{"checklist to verify", Input{Report: healthy()}, Checklist, Verify, false},
		{"verify to summary", Input{Report: healthy()}, Verify, Summary, false},
		{"summary is the end", Input{Report: healthy()}, Summary, Summary, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextStep(tt.in, tt.from); got != tt.want {
				t.Errorf("NextStep(%s) = %s, want %s (diagnosis %s)", tt.from, got, tt.want, Diagnose(tt.in.Report).Code)
			}
			if got := NeedsOnboarding(tt.in); got != tt.board {
				t.Errorf("NeedsOnboarding = %v, want %v", got, tt.board)
			}
		})
	}
}

func TestWizardMoves(t *testing.T) {
	in := Input{Report: healthy()}
	w := NewWizard()
	if w.CanBack() {
		t.Error("CanBack at the first step")
	}
	if w.Back().Step != Understand {
		t.Error("Back at the first step moved")
	}
	w = w.Next(in)
	if w.Step != Verify {
		t.Fatalf("Next from understand with a working key = %s", w.Step)
	}
	if n, total := w.Progress(); n != 7 || total != 8 {
		t.Errorf("Progress = %d/%d, want 7/8", n, total)
	}
	w = w.Next(in)
	if w.Step != Summary || w.CanNext() {
		t.Fatalf("at %s CanNext=%v", w.Step, w.CanNext())
	}
	if w.Next(in).Step != Summary {
		t.Error("Next moved past the summary")
	}
	w = w.Back()
	if w.Step != Verify {
		t.Errorf("Back from summary = %s, want verify", w.Step)
	}
	if w = w.Back(); w.Step != Understand {
		t.Errorf("Back retraces the jump: got %s, want understand", w.Step)
	}
	// Without history (a jump by Goto and back twice), Back follows the order.
	w = Wizard{Step: Headers}
	if got := w.Back().Step; got != Permissions {
		t.Errorf("Back without history = %s, want permissions", got)
	}
	if got := NewWizard().Goto(Checklist).Back().Step; got != Understand {
		t.Errorf("Back after Goto = %s", got)
	}
}

func TestBuildPageEveryStep(t *testing.T) {
	reports := map[string]*probe.Report{
		"healthy":  healthy(),
		"rejected": with(healthy(), rejected),
		"no key":   with(healthy(), noKey),
		"shadowed": with(healthy(), shadowed),
	}
	for name, r := range reports {
		for _, s := range Order {
			p := BuildPage(Input{Report: r}, s)
			if p.Step != s || p.Explain == "" {
				t.Errorf("%s/%s: step %s, explain %q", name, s, p.Step, p.Explain)
			}
			if p.Status == probe.Pending {
				t.Errorf("%s/%s: pending in a finished report", name, s)
			}
			if s != Summary && s != Checklist && len(p.Checks) == 0 {
				t.Errorf("%s/%s: no checks", name, s)
			}
			for _, c := range p.Checks {
				extra := s == VerifyKey && (c.ID == probe.CheckAuth || c.ID == probe.CheckCandidates)
				if s != Checklist && s != Verify && StepOfCheck(c.ID) != s && !extra {
					t.Errorf("%s/%s shows %s, which belongs to %s", name, s, c.ID, StepOfCheck(c.ID))
				}
			}
			for _, k := range r.Candidates {
				if text := pageText(p); strings.Contains(text, k.Value[20:40]) {
					t.Errorf("%s/%s: the page holds a piece of a key", name, s)
				}
			}
		}
	}
}

func pageText(p Page) string {
	var b strings.Builder
	b.WriteString(p.Explain + p.Conclusion + p.Advice)
	for _, c := range p.Checks {
		b.WriteString(c.Title + c.Detail + c.Fix)
	}
	for _, f := range p.Facts {
		b.WriteString(f.Label + f.Value)
	}
	for _, s := range p.Shadows {
		b.WriteString(s.Source + s.Line + s.Change)
	}
	for _, c := range p.Compare {
		b.WriteString(c.Before + c.After)
	}
	return b.String()
}

func TestPageConclusions(t *testing.T) {
	tests := []struct {
		name   string
		r      *probe.Report
		step   StepID
		status probe.Status
		want   string // in the conclusion
		advice string // in the advice
	}{
		{"healthy understand", healthy(), Understand, probe.Pass, "The API accepts", "Press enter: 7/8 Verify the fix"},
		{"permissions unknown for a rejected key", with(healthy(), rejected), Permissions, probe.Pass, "Nothing to judge here yet", ""},
		{"rejected at verify-key", with(healthy(), rejected), VerifyKey, probe.Fail, "rejects", "Console"},
		{"rejected at understand", with(healthy(), rejected), Understand, probe.Fail, "The API rejects", "Press enter: 2/8 Your key"},
		{"shadowed at understand", with(healthy(), shadowed), Understand, probe.Fail, "works", "Press enter: 5/8 Stale copies"},
		{"shadowed at verify-key", with(healthy(), shadowed), VerifyKey, probe.Fail, "The API rejects", "root cause is at 5/8 Stale copies"},
		{"no key", with(healthy(), noKey), VerifyKey, probe.Fail, "No API key anywhere", "platform.claude.com"},
		{"shadowed at new-key", with(healthy(), shadowed), NewKey, probe.Fail, "works", "unset ANTHROPIC_API_KEY"},
		{"billing at permissions", with(healthy(), func(r *probe.Report) {
			r.Quota = answer("quota", 400, "invalid_request_error", "Your credit balance is too low")
		}), Permissions, probe.Fail, "billing", "Billing"},
		{"healthy headers", healthy(), Headers, probe.Pass, "travels intact", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := BuildPage(Input{Report: tt.r}, tt.step)
			if p.Status != tt.status {
				t.Errorf("status %s, want %s", p.Status, tt.status)
			}
			if !strings.Contains(p.Conclusion, tt.want) {
				t.Errorf("conclusion %q lacks %q", p.Conclusion, tt.want)
			}
			if (tt.r.Auth.OK() && p.Step == Understand) != (p.Verdict == probe.Pass) && p.Step == Understand {
				t.Errorf("verdict %s", p.Verdict)
			}
			if !strings.Contains(p.Advice, tt.advice) {
				t.Errorf("advice %q lacks %q", p.Advice, tt.advice)
			}
		})
	}
}

func TestPendingPage(t *testing.T) {
	r := healthy()
	r.Done = map[string]bool{}
	r.Auth, r.Control, r.Quota, r.Status, r.Net = nil, nil, nil, nil, nil
	for _, s := range Order {
		p := BuildPage(Input{Report: r}, s)
		if s == Summary {
			continue
		}
		// new-key shows only local facts here: no other key to test.
		if p.Status != probe.Pending && s != NewKey {
			t.Errorf("%s: status %s while nothing has arrived", s, p.Status)
		}
		if p.Conclusion != "" {
			t.Errorf("%s: concludes %q before the results", s, p.Conclusion)
		}
	}
}

func TestUnderstandFacts(t *testing.T) {
	p := BuildPage(Input{Report: with(healthy(), rejected)}, Understand)
	got := map[string]string{}
	for _, f := range p.Facts {
		got[f.Label] = f.Value
	}
	want := map[string]string{
		"Status":     "401 Unauthorized",
		"Error type": "authentication_error",
		"Message":    "invalid x-api-key",
		"Request id": "req_011CTESTTESTTESTTESTTEST",
		"Time":       "2026-11-25 17:03:11 UTC",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestOnboarding(t *testing.T) {
	pasted := func(status int) *probe.Report {
		r := healthy()
		c := cand(probe.OriginStdin, "pasted key")
		r.Candidates = append([]probe.Candidate{c}, r.Candidates...)
		if status != 200 {
			rejected(r)
		}
		return r
	}
	tests := []struct {
		name     string
		in       Input
		status   probe.Status
		accepted bool
	}{
		{"none yet", Input{Report: with(healthy(), noKey)}, "", false},
		{"pasted and accepted", Input{Report: pasted(200), Tried: []string{"x"}}, probe.Pass, true},
		{"pasted and rejected", Input{Report: pasted(401), Tried: []string{"x"}}, probe.Fail, false},
		{"pasted and testing", Input{Report: with(pasted(200), func(r *probe.Report) { r.Done[probe.ProbeAuth] = false }),
			Tried: []string{"x"}}, probe.Pending, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := BuildPage(tt.in, VerifyKey)
			o := p.Onboarding
			if o == nil {
				t.Fatal("no onboarding")
			}
			if o.CreateURL != ConsoleKeysURL || o.Reason == "" {
				t.Errorf("onboarding %+v", o)
			}
			if o.PastedStatus != tt.status || o.Accepted != tt.accepted {
				t.Errorf("pasted status %q accepted %v, want %q %v", o.PastedStatus, o.Accepted, tt.status, tt.accepted)
			}
		})
	}
	if p := BuildPage(Input{Report: healthy()}, VerifyKey); p.Onboarding != nil {
		t.Error("onboarding offered for a working key")
	}
}

func TestShadows(t *testing.T) {
	r := healthy()
	sh := cand(probe.OriginShell, "~/.zshrc:41")
	sh.Path, sh.Line = "/home/u/.zshrc", 41
	notExported := cand(probe.OriginShell, "~/.bashrc:7")
	notExported.Line, notExported.Exported = 7, false
	other := cand(probe.OriginEnv, "env CLAUDE_API_KEY")
	other.Var = "CLAUDE_API_KEY"
	r.Candidates = append(r.Candidates, sh, notExported, other, cand(probe.OriginDotenv, ".env:2"))
	got := Shadows(r)
	if len(got) != 3 {
		t.Fatalf("got %d shadows, want 3 (env, two shell lines): %+v", len(got), got)
	}
	if got[0].Change != "unset ANTHROPIC_API_KEY (in this terminal, and wherever it is exported)" {
		t.Errorf("env change %q", got[0].Change)
	}
	if want := "export ANTHROPIC_API_KEY=" + sh.Hint; got[1].Line != want {
		t.Errorf("shell line %q, want %q", got[1].Line, want)
	}
	if !strings.Contains(got[1].Change, "delete line 41 of ~/.zshrc") {
		t.Errorf("shell change %q", got[1].Change)
	}
	if strings.HasPrefix(got[2].Line, "export") {
		t.Errorf("unexported line shown as export: %q", got[2].Line)
	}
}

func TestVerifyStep(t *testing.T) {
	before := with(healthy(), rejected)
	after := healthy()
	after.Auth.Time = t0.Add(5 * time.Minute)
	after.Auth.RequestID = "req_011CAFTERAFTERAFTERAFTER"

	tests := []struct {
		name       string
		in         Input
		status     probe.Status
		afterState string
		conclusion string
	}{
		{"no re-run yet", Input{Report: before}, probe.Fail, "press r after your change", "Not fixed yet"},
		{"fixed after a re-run", Input{Report: after, First: before}, probe.Pass, "200 OK", "Fixed"},
		{"worked from the start", Input{Report: healthy()}, probe.Pass, "press r after your change", "The key works"},
		{"re-run still failing", Input{Report: with(healthy(), rejected), First: before}, probe.Fail, "401 Unauthorized", "Not fixed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := BuildPage(tt.in, Verify)
			if p.Status != tt.status {
				t.Errorf("status %s, want %s: %+v", p.Status, tt.status, p.Checks)
			}
			if len(p.Compare) < 4 || p.Compare[1].Label != "Status" {
				t.Fatalf("compare %+v", p.Compare)
			}
			if want := statusWords(tt.in.first().Auth.Status); p.Compare[1].Before != want ||
				p.Compare[3].Before != "req_011CTESTTESTTESTTESTTEST" {
				t.Errorf("before column lost the original failure: %+v", p.Compare)
			}
			if got := p.Compare[1].After + p.Compare[0].After; !strings.Contains(got, tt.afterState) {
				t.Errorf("after column %q lacks %q", got, tt.afterState)
			}
			if !strings.HasPrefix(p.Conclusion, tt.conclusion) {
				t.Errorf("conclusion %q, want prefix %q", p.Conclusion, tt.conclusion)
			}
		})
	}
}

func TestVerifyRetries(t *testing.T) {
	tests := []struct {
		name     string
		attempts int
		limit    int
		status   probe.Status
	}{
		{"no retry", 1, 0, probe.Pass},
		{"retried within the default limit", 3, 0, probe.Pass},
		{"over the limit", 4, 0, probe.Fail},
		{"limit raised", 4, 3, probe.Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := healthy()
			r.Quota.Attempts = tt.attempts
			var got probe.Result
			for _, c := range verifyChecks(Input{Report: r, RetryLimit: tt.limit}) {
				if c.ID == CheckVerifyRetries {
					got = c
				}
			}
			if got.Status != tt.status {
				t.Errorf("status %s (%s), want %s", got.Status, got.Title, tt.status)
			}
		})
	}
}

func TestVerifyControl(t *testing.T) {
	tests := []struct {
		name    string
		control *probe.Answer
		status  probe.Status
	}{
		{"clean 401", answer("control", 401, "authentication_error", "invalid x-api-key"), probe.Pass},
		{"accepted", answer("control", 200, "", ""), probe.Fail},
		{"html page", &probe.Answer{Status: 401, Shape: "html"}, probe.Fail},
		{"no answer", &probe.Answer{Err: &probe.NetError{Phase: "timeout", Message: "gave up"}}, probe.Fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := healthy()
			r.Control = tt.control
			if got := verifyChecks(Input{Report: r})[1]; got.Status != tt.status {
				t.Errorf("status %s (%s), want %s", got.Status, got.Title, tt.status)
			}
		})
	}
}

func TestVerdicts(t *testing.T) {
	tests := []struct {
		name string
		r    *probe.Report
		step StepID
		want probe.Status
	}{
		{"key works", healthy(), Understand, probe.Pass},
		{"no key", with(healthy(), noKey), Understand, probe.Fail},
		{"rejected", with(healthy(), rejected), VerifyKey, probe.Fail},
		{"rate limited passes by itself", with(healthy(), func(r *probe.Report) {
			r.Quota = answer("quota", 429, "rate_limit_error", "slow down")
			r.Quota.RetryAfter = "5"
		}), Understand, probe.Warn},
		{"permissions unknown", with(healthy(), rejected), Permissions, probe.Skip},
		{"checklist with failures", with(healthy(), rejected), Checklist, probe.Fail},
		{"checklist clean", healthy(), Checklist, probe.Pass},
		{"verify not fixed", with(healthy(), rejected), Verify, probe.Fail},
		{"headers fine", healthy(), Headers, probe.Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BuildPage(Input{Report: tt.r}, tt.step).Verdict; got != tt.want {
				t.Errorf("verdict %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNotTheAPIIsNeverAccepted(t *testing.T) {
	r := with(healthy(), func(r *probe.Report) {
		for _, a := range []*probe.Answer{r.Auth, r.Control, r.Quota} {
			a.Anthropic, a.Shape, a.RequestID = false, "html", ""
		}
	})
	if Diagnose(r).Code == OK {
		t.Fatal("an HTML page diagnosed as a working key")
	}
	p := BuildPage(Input{Report: r}, Verify)
	if p.Status == probe.Pass || strings.Contains(p.Explain, "already works") {
		t.Errorf("verify passes a 200 from a captive portal: %s %q", p.Status, p.Explain)
	}
	if got := rowByID(ChecklistRows(r, nil), "credentials"); got.Result == "accepted" {
		t.Error("the checklist calls the key accepted")
	}
}
