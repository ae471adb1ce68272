package steps

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
)

func cand(origin probe.Origin, source string) probe.Candidate {
	k := stub.NewAPIKey()
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
	for _, p := range []string{probe.ProbeNet, probe.ProbeAuth, probe.ProbeAlt, probe.ProbeClean, probe.ProbeOthers, probe.ProbeControl,
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
		{"no key: nothing to judge or carry, on to the checklist", Input{Report: with(healthy(), noKey)}, VerifyKey, Checklist, true},
		{"no key, a proxy in the way: headers shown", Input{Report: with(healthy(), func(r *probe.Report) {
			noKey(r)
			r.Env.Proxies = []probe.ProxyVar{{Name: "HTTPS_PROXY", Value: "http://proxy.example:3128"}}
			r.Control = &probe.Answer{Label: "control", Status: 407, Shape: "html"}
		})}, VerifyKey, Headers, true},
		{"no key, pasted one: the guide's order", Input{Report: healthy(), Tried: []string{"sk-ant-api03-abc...wxyz"}},
			VerifyKey, Permissions, true},
		{"no key: headers to checklist", Input{Report: with(healthy(), noKey)}, Permissions, Checklist, true},
		{"permissions to headers", Input{Report: healthy()}, Permissions, Headers, false},
		{"one key: no stale copies", Input{Report: healthy()}, Headers, Checklist, false},
		{"two places: new-key", Input{Report: with(healthy(), shadowed)}, Headers, NewKey, false},
		{"two places, one working key: nothing stale", Input{Report: with(healthy(), func(r *probe.Report) {
			c := r.Candidates[0]
			c.Origin, c.Source, c.Line = probe.OriginShell, "~/.zshrc:41", 41
			r.Candidates = append(r.Candidates, c)
		})}, Headers, Checklist, false},
		{"key not loaded: nothing to remove, on to the checklist", Input{Report: with(healthy(), func(r *probe.Report) {
			c := cand(probe.OriginShell, "~/.zshrc:41")
			c.Line = 41
			r.Candidates, r.Active, r.Auth, r.Quota = []probe.Candidate{c}, -1, nil, nil
			r.Others = []probe.CandidateAnswer{{Index: 0, Answer: answer("candidate", 200, "", "")}}
		})}, VerifyKey, Checklist, false},
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
		{"shadowed at verify-key", with(healthy(), shadowed), VerifyKey, probe.Fail, "The API rejects", "root cause is further on, at 5/8 Stale copies"},
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
	// copyOf is another place holding the same key as c.
	copyOf := func(c probe.Candidate, origin probe.Origin, source string, line int) probe.Candidate {
		c.Origin, c.Source, c.Line, c.Exported = origin, source, line, origin == probe.OriginShell
		return c
	}
	shell := func(r *probe.Report, c probe.Candidate) { r.Candidates = append(r.Candidates, c) }
	tests := []struct {
		name string
		r    *probe.Report
		want []string // sources listed, in order
	}{
		{"working key and its copy in ~/.zshrc", with(healthy(), func(r *probe.Report) {
			shell(r, copyOf(r.Candidates[0], probe.OriginShell, "~/.zshrc:41", 41))
		}), nil},
		{"working key, another key in ~/.zshrc", with(healthy(), func(r *probe.Report) {
			c := cand(probe.OriginShell, "~/.zshrc:41")
			c.Line = 41
			shell(r, c)
		}), []string{"~/.zshrc:41"}},
		{"key not loaded: nothing to delete", with(healthy(), func(r *probe.Report) {
			c, old := cand(probe.OriginShell, "~/.zshrc:41"), cand(probe.OriginShell, "~/.profile:3")
			c.Line, old.Line = 41, 3
			r.Candidates, r.Active, r.Auth, r.Quota = []probe.Candidate{c, old}, -1, nil, nil
			r.Others = []probe.CandidateAnswer{{Index: 0, Answer: answer("candidate", 200, "", "")},
				{Index: 1, Answer: answer("candidate", 401, "authentication_error", "invalid x-api-key")}}
		}), nil},
		{"rejected key, nothing to beat", with(healthy(), func(r *probe.Report) {
			rejected(r)
			shell(r, copyOf(r.Candidates[0], probe.OriginShell, "~/.zshrc:41", 41))
		}), nil},
		{"rejected key beats another key in .env", with(healthy(), func(r *probe.Report) {
			rejected(r)
			shell(r, cand(probe.OriginDotenv, ".env:1"))
			r.Others = []probe.CandidateAnswer{{Index: 1, Answer: answer("candidate", 401, "authentication_error", "invalid x-api-key")}}
		}), []string{"env ANTHROPIC_API_KEY"}},
		{"shadowed: the stale key and its start-up line", with(healthy(), func(r *probe.Report) {
			shadowed(r)
			shell(r, copyOf(r.Candidates[0], probe.OriginShell, "~/.zshrc:41", 41))
		}), []string{"env ANTHROPIC_API_KEY", "~/.zshrc:41"}},
		{"pasted key works: the old ones go", with(healthy(), func(r *probe.Report) {
			old := r.Candidates[0]
			r.Candidates = []probe.Candidate{cand(probe.OriginStdin, "pasted key"), old,
				copyOf(old, probe.OriginShell, "~/.zshrc:41", 41)}
		}), []string{"env ANTHROPIC_API_KEY", "~/.zshrc:41"}},
		{"auth token besides a working key", with(healthy(), func(r *probe.Report) {
			tok := cand(probe.OriginEnv, "env ANTHROPIC_AUTH_TOKEN")
			tok.Var = probe.VarAuthToken
			shell(r, tok)
			shell(r, copyOf(tok, probe.OriginShell, "~/.zshrc:42", 42))
			r.Env.AuthToken = true
		}), []string{"env ANTHROPIC_AUTH_TOKEN", "~/.zshrc:42"}},
		{"a name no SDK reads is no copy", with(healthy(), func(r *probe.Report) {
			c := cand(probe.OriginEnv, "env CLAUDE_API_KEY")
			c.Var = "CLAUDE_API_KEY"
			shell(r, c)
		}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, sh := range Shadows(tt.r) {
				got = append(got, sh.Source)
			}
			if strings.Join(got, ", ") != strings.Join(tt.want, ", ") {
				t.Fatalf("Shadows = %v, want %v", got, tt.want)
			}
			p := BuildPage(Input{Report: tt.r}, NewKey)
			if len(p.Shadows) > 0 && p.Verdict == probe.Pass {
				t.Errorf("copies listed under a passing verdict: %q", p.Conclusion)
			}
			if len(p.Shadows) > 0 && p.ShadowsTitle == "" {
				t.Error("copies listed without a heading")
			}
			if hasDotenv := slices.ContainsFunc(tt.r.Candidates, func(c probe.Candidate) bool {
				return c.Origin == probe.OriginDotenv
			}); !hasDotenv && strings.Contains(p.ShadowsTitle+p.Conclusion, ".env") {
				t.Errorf("names .env with no key in .env: %q / %q", p.ShadowsTitle, p.Conclusion)
			}
		})
	}
}

func TestShadowLines(t *testing.T) {
	r := with(healthy(), func(r *probe.Report) { rejected(r) })
	sh := cand(probe.OriginShell, "~/.zshrc:41")
	sh.Line = 41
	notExported := cand(probe.OriginShell, "~/.bashrc:7")
	notExported.Line, notExported.Exported = 7, false
	r.Candidates = append(r.Candidates, sh, notExported)
	// The pasted key works: every other copy is stale.
	r.Candidates = append([]probe.Candidate{cand(probe.OriginStdin, "pasted key")}, r.Candidates...)
	r.Auth = answer("auth", 200, "", "")
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
		{"no re-run yet", Input{Report: before}, probe.Fail, "", "Not fixed yet"},
		{"fixed after a re-run", Input{Report: after, First: before}, probe.Pass, "200 OK", "Fixed"},
		{"worked from the start", Input{Report: healthy()}, probe.Pass, "", "The key works"},
		{"re-run still failing", Input{Report: with(healthy(), rejected), First: before}, probe.Fail, "401 Unauthorized", "Not fixed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := BuildPage(tt.in, Verify)
			if p.Status != tt.status {
				t.Errorf("status %s, want %s: %+v", p.Status, tt.status, p.Checks)
			}
			st := compareRow(p.Compare, "Status")
			if st.Label == "" {
				t.Fatalf("compare %+v", p.Compare)
			}
			if want := statusWords(tt.in.first().Auth.Status); st.Before != want ||
				compareRow(p.Compare, "Request id").Before != "req_011CTESTTESTTESTTESTTEST" {
				t.Errorf("before column lost the original failure: %+v", p.Compare)
			}
			if got := st.After + compareRow(p.Compare, "Key").After; !strings.Contains(got, tt.afterState) ||
				(tt.afterState == "") != (got == "") {
				t.Errorf("after column %q, want %q", got, tt.afterState)
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
		{"no answer: not run", &probe.Answer{Err: &probe.NetError{Phase: "timeout", Message: "gave up"}}, probe.Error},
		{"server error: not run", answer("control", 500, "api_error", "Internal server error"), probe.Error},
		{"proxy's 407", &probe.Answer{Status: 407, Shape: "html"}, probe.Fail},
		{"header stripped", answer("control", 401, "authentication_error", "x-api-key header is required"), probe.Fail},
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

func TestCompareHasNoEmptyCell(t *testing.T) {
	timedOut := with(healthy(), func(r *probe.Report) {
		r.Auth = &probe.Answer{Label: "auth", Time: t0, Attempts: 1,
			Err: &probe.NetError{Phase: probe.PhaseTimeout, Message: "no answer from api.anthropic.com within 10s"}}
	})
	notSendable := with(healthy(), func(r *probe.Report) {
		r.Auth = &probe.Answer{Label: "auth", Time: t0,
			Err: &probe.NetError{Phase: probe.PhaseInvalidHeader, Message: "the key holds a control character"}}
	})
	tests := []struct {
		name   string
		r      *probe.Report
		status string // the Status row
		err    string // the Error row
	}{
		{"no key", with(healthy(), noKey), "not sent (no key)", "—"},
		{"timeout", timedOut, "no answer", "timed out"},
		{"key not sendable", notSendable, "not sent", probe.PhaseWords(probe.PhaseInvalidHeader)},
		{"rejected", with(healthy(), rejected), "401 Unauthorized", "authentication_error"},
		{"works", healthy(), "200 OK", "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := Compare(Input{Report: tt.r})
			for _, row := range rows {
				if row.Before == "" {
					t.Errorf("%s is empty: %+v", row.Label, rows)
				}
				if row.After != "" {
					t.Errorf("%s has an after %q before any re-run", row.Label, row.After)
				}
			}
			if st, e := compareRow(rows, "Status"), compareRow(rows, "Error"); st.Before != tt.status || e.Before != tt.err {
				t.Errorf("status %q error %q, want %q %q", st.Before, e.Before, tt.status, tt.err)
			}
		})
	}
}

func TestLowerFirst(t *testing.T) {
	tests := []struct{ in, want string }{
		{"A key (sk-ant-…) is in ~/.zshrc:41", "a key (sk-ant-…) is in ~/.zshrc:41"},
		{"The API rejects it", "the API rejects it"},
		{"ANTHROPIC_AUTH_TOKEN is set", "ANTHROPIC_AUTH_TOKEN is set"},
		{"TLS failed", "TLS failed"},
		{"127.0.0.1 did not answer", "127.0.0.1 did not answer"},
		{"sk-ant-api03-abc...wxyz from env", "sk-ant-api03-abc...wxyz from env"},
		{"A", "a"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := lowerFirst(tt.in); got != tt.want {
			t.Errorf("lowerFirst(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestNoPhaseNames: the words for a failed request never show the probe's
// internal phase names.
func TestNoPhaseNames(t *testing.T) {
	tests := []struct {
		phase, msg string
		want       string
	}{
		{probe.PhaseTimeout, "no answer from api.anthropic.com within 10s", "no answer from api.anthropic.com within 10s"},
		{probe.PhaseTLSUntrusted, "the certificate is signed by Acme", "no answer: the certificate is signed by Acme"},
		{probe.PhaseInvalidHeader, "the key holds a control character", "not sent: the key holds a control character"},
		{probe.PhaseInsecure, "", "not sent over plain HTTP"},
		{probe.PhaseDNS, "", "no answer: " + probe.PhaseWords(probe.PhaseDNS)},
	}
	for _, tt := range tests {
		a := &probe.Answer{Label: "auth", Time: t0, Err: &probe.NetError{Phase: tt.phase, Message: tt.msg}}
		if got := exchangeWords(a); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.phase, got, tt.want)
		}
		r := with(healthy(), func(r *probe.Report) { r.Auth = a })
		var text string
		for _, f := range understandFacts(r) {
			text += f.Value + "\n"
		}
		for _, row := range Compare(Input{Report: r}) {
			text += row.Before + "\n"
		}
		for _, name := range []string{"tls_untrusted", "tls untrusted", "invalid_header", "invalid header"} {
			if strings.Contains(text, name) {
				t.Errorf("%s: the page names the phase %q:\n%s", tt.phase, name, text)
			}
		}
	}
}

// accepted is a report whose key the API accepts while something else
// blocks requests.
func accepted(f func(r *probe.Report)) *probe.Report { return with(healthy(), f) }

func TestVerifyWhenTheKeyIsAcceptedButBlocked(t *testing.T) {
	tests := []struct {
		name string
		r    *probe.Report
		code Code
		want string // in the conclusion, after "The key is accepted, but "
	}{
		{"billing", accepted(func(r *probe.Report) {
			r.Quota = answer("quota", 400, "invalid_request_error", "Your credit balance is too low")
		}), Billing, "billing blocks requests"},
		{"auth conflict", accepted(func(r *probe.Report) {
			r.Env.AuthToken, r.Client = true, probe.ResolveClient("python", nil)
		}), AuthConflict, "ANTHROPIC_AUTH_TOKEN"},
		{"model not found", accepted(func(r *probe.Report) {
			r.Target.Model = "claude-nope"
			r.Model = answer("model", 404, "not_found_error", "model: claude-nope")
		}), ModelNotFound, "the model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diagnose(tt.r)
			if d.Code != tt.code {
				t.Fatalf("diagnosis %s, want %s", d.Code, tt.code)
			}
			p := BuildPage(Input{Report: tt.r}, Verify)
			if !strings.HasPrefix(p.Conclusion, "The key is accepted, but ") || !strings.Contains(p.Conclusion, tt.want) {
				t.Errorf("conclusion %q", p.Conclusion)
			}
			if p.Verdict == probe.Pass {
				t.Error("a blocked key verified as working")
			}
			if p.Advice != d.Fix {
				t.Errorf("advice %q, want the diagnosis' fix %q", p.Advice, d.Fix)
			}
			if strings.Contains(p.Explain, "already works") {
				t.Errorf("explanation %q", p.Explain)
			}
			// Once fixed, a re-run says so.
			fixed := BuildPage(Input{Report: healthy(), First: tt.r}, Verify)
			if !strings.HasPrefix(fixed.Conclusion, "Fixed") || fixed.Verdict != probe.Pass {
				t.Errorf("after the fix: %s %q", fixed.Verdict, fixed.Conclusion)
			}
		})
	}
}

// notLoaded is a report whose only key sits in ~/.zshrc, where the API
// accepts it, but not in this process's environment.
func notLoaded() *probe.Report {
	return with(healthy(), func(r *probe.Report) {
		c := cand(probe.OriginShell, "~/.zshrc:41")
		c.Line = 41
		r.Candidates, r.Active, r.Auth, r.Quota = []probe.Candidate{c}, -1, nil, nil
		r.Others = []probe.CandidateAnswer{{Index: 0, Answer: answer("candidate", 200, "", "")}}
	})
}

func TestKeyNotLoadedIsNotANewKey(t *testing.T) {
	r := notLoaded()
	if Diagnose(r).Code != KeyNotLoaded {
		t.Fatalf("diagnosis %s", Diagnose(r).Code)
	}
	p := BuildPage(Input{Report: r}, VerifyKey)
	if p.Onboarding != nil {
		t.Errorf("a new key offered for a key that works once loaded: %q", p.Onboarding.Reason)
	}
	if !strings.Contains(p.Explain, "only needs loading") || !strings.Contains(p.Advice, "source ~/.zshrc") {
		t.Errorf("explain %q, advice %q", p.Explain, p.Advice)
	}
	nk := BuildPage(Input{Report: r}, NewKey)
	if nk.Verdict == probe.Fail || strings.Contains(nk.Conclusion, "Another key works") || len(nk.Shadows) > 0 {
		t.Errorf("new-key: %s %q, %d copies", nk.Verdict, nk.Conclusion, len(nk.Shadows))
	}
	// The same key, rejected: now a new one is needed.
	r.Others[0].Answer = answer("candidate", 401, "authentication_error", "invalid x-api-key")
	if p := BuildPage(Input{Report: r}, VerifyKey); p.Onboarding == nil || strings.Contains(p.Onboarding.Reason, "no key") {
		t.Errorf("onboarding %+v", p.Onboarding)
	}
}

func TestExplanationsFollowWhatHappened(t *testing.T) {
	timedOut := with(healthy(), func(r *probe.Report) {
		e := &probe.NetError{Phase: probe.PhaseTimeout, Message: "no answer from api.anthropic.com within 10s"}
		r.Auth = &probe.Answer{Label: "auth", Time: t0, Attempts: 1, Err: e}
		r.Control = &probe.Answer{Label: "control", Time: t0, Attempts: 1, Err: e}
		r.Quota = &probe.Answer{Label: "quota", Time: t0, Attempts: 1, Err: e}
	})
	unsendable := with(healthy(), func(r *probe.Report) {
		e := &probe.NetError{Phase: probe.PhaseInvalidHeader, Message: "the key holds a control character"}
		r.Auth = &probe.Answer{Label: "auth", Time: t0, Err: e}
		r.Quota = &probe.Answer{Label: "quota", Time: t0, Err: e}
	})
	tests := []struct {
		name      string
		r         *probe.Report
		step      StepID
		want, not string // in the explanation and conclusion
	}{
		{"success is no error", healthy(), Understand, "it succeeded", "First, the exact error"},
		{"a 401 is the exact error", with(healthy(), rejected), Understand, "kept everything that came back", "succeeded"},
		{"a timeout brings nothing back", timedOut, Understand, "no answer came back", "kept everything"},
		{"an unsendable key is not sent", unsendable, Understand, "could not be sent", "kept everything"},
		{"no key: no token count", with(healthy(), noKey), Permissions, "asked the API nothing", "token count"},
		{"unsendable key: no token count", unsendable, Permissions, "asked the API nothing", "token count"},
		{"a token count answered", healthy(), Permissions, "asked for a token count", "got no answer"},
		{"a token count timed out", timedOut, Permissions, "but got no answer", "asked the API nothing"},
		{"no key: no key travels", with(healthy(), noKey), Headers, "made-up key", "key travels intact"},
		{"a key travels", healthy(), Headers, "key travels intact", "made-up key"},
		{"no key: nothing to remove", with(healthy(), noKey), NewKey, "no key was found", "your key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := BuildPage(Input{Report: tt.r}, tt.step)
			text := p.Explain + " / " + p.Conclusion
			if !strings.Contains(text, tt.want) || strings.Contains(text, tt.not) {
				t.Errorf("%q: want %q, not %q", text, tt.want, tt.not)
			}
		})
	}
}

func TestVerifyPointsAtTheFix(t *testing.T) {
	outage := with(healthy(), func(r *probe.Report) {
		r.Auth = answer("auth", 500, "api_error", "Internal server error")
		r.Auth.Attempts = 3
		r.Control = answer("control", 500, "api_error", "Internal server error")
		r.Quota = answer("quota", 529, "overloaded_error", "Overloaded")
	})
	timedOut := with(healthy(), func(r *probe.Report) {
		e := &probe.NetError{Phase: probe.PhaseTimeout, Message: "no answer from api.anthropic.com within 10s"}
		r.Auth = &probe.Answer{Label: "auth", Time: t0, Attempts: 1, Err: e}
		r.Control = &probe.Answer{Label: "control", Time: t0, Attempts: 1, Err: e}
		r.Quota = &probe.Answer{Label: "quota", Time: t0, Attempts: 1, Err: e}
	})
	tests := []struct {
		name    string
		r       *probe.Report
		fix     string // the request check's fix
		control probe.Status
		retries string
	}{
		{"rejected: step 2", with(healthy(), rejected), "Press 2 for Your key", probe.Pass, "No request needed a retry"},
		{"shadowed: step 5", with(healthy(), shadowed), "Press 5 for Stale copies", probe.Pass, "No request needed a retry"},
		{"outage: nothing to fix", outage, "Nothing to fix on your side", probe.Error, "retried"},
		{"timeout: step 4", timedOut, "Press 4 for Headers & network", probe.Error, "3 requests timed out after 1 attempt each"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := BuildPage(Input{Report: tt.r}, Verify)
			req, ctl, ret := p.Checks[0], p.Checks[1], p.Checks[2]
			if !strings.HasPrefix(req.Fix, tt.fix) || strings.Contains(req.Fix, "←") {
				t.Errorf("request fix %q, want %q", req.Fix, tt.fix)
			}
			if ctl.Status != tt.control || !strings.Contains(ctl.Title, "made-up key") {
				t.Errorf("control %s %q, want %s", ctl.Status, ctl.Title, tt.control)
			}
			if !strings.Contains(ret.Title, tt.retries) {
				t.Errorf("retries %q, want %q", ret.Title, tt.retries)
			}
			if tt.control == probe.Error && !strings.Contains(ctl.Title, "could not run") {
				t.Errorf("control %q", ctl.Title)
			}
		})
	}
	if p := BuildPage(Input{Report: outage}, Verify); strings.Contains(p.Explain, "After your change") || p.Verdict != probe.Warn {
		t.Errorf("outage: %s %q", p.Verdict, p.Explain)
	}
}

// TestOneNameForTheControl: the request with a made-up key has one name on
// every page of the wizard.
func TestOneNameForTheControl(t *testing.T) {
	for _, r := range []*probe.Report{healthy(), with(healthy(), rejected), with(healthy(), noKey)} {
		for _, s := range Order {
			p := BuildPage(Input{Report: r}, s)
			text := strings.ToLower(pageText(p))
			for _, other := range []string{"known-bad", "must fail", "bad key", "control request"} {
				if strings.Contains(text, other) {
					t.Errorf("%s calls the made-up key %q", s, other)
				}
			}
		}
	}
}

func TestOnboardingSaysEachThingOnce(t *testing.T) {
	for _, r := range []*probe.Report{with(healthy(), noKey), with(healthy(), rejected)} {
		o := BuildPage(Input{Report: r}, VerifyKey).Onboarding
		if o == nil || len(o.Steps) != 3 {
			t.Fatalf("onboarding %+v", o)
		}
		all := strings.ToLower(o.Reason + " " + strings.Join(o.Steps, " "))
		for _, w := range []string{"test", "save", "paste"} {
			if n := strings.Count(all, w); n > 1 {
				t.Errorf("%q said %d times: %q", w, n, all)
			}
		}
	}
	unsendable := with(healthy(), func(r *probe.Report) {
		r.Auth = &probe.Answer{Label: "auth", Time: t0,
			Err: &probe.NetError{Phase: probe.PhaseInvalidHeader, Message: "the key holds a control character"}}
	})
	p := BuildPage(Input{Report: unsendable}, Understand)
	if n := strings.Count(pageText(p), "the key holds a control character"); n > 1 {
		t.Errorf("the same reason %d times on step 1", n)
	}
}

// compareRow is the row of the verify step's table with this label.
func compareRow(rows []CompareRow, label string) CompareRow {
	for _, r := range rows {
		if r.Label == label {
			return r
		}
	}
	return CompareRow{}
}
