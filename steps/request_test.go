package steps

import (
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/lint"
	"github.com/fix401/fix401/probe/stub"
)

func lintReport(fs ...lint.Finding) lint.Report {
	return lint.Report{Schema: lint.SchemaVersion, Input: lint.Input{Kind: lint.KindCurl, Language: "shell"}, Findings: fs}
}

func TestRequestChecks(t *testing.T) {
	bearer := lint.Finding{ID: lint.IDAuthBearer, Severity: lint.Error, Line: 2, Message: "Sent as Bearer.", Fix: "Use x-api-key."}
	hard := lint.Finding{ID: lint.IDAuthHardcoded, Severity: lint.Warn, Line: 2, Message: "A key in plain text.", Fix: "Use the variable."}
	none := lint.Finding{ID: lint.IDInputNoRequest, Severity: lint.Info, Message: "Nothing calls the API.", Fix: "Pass the request."}
	tests := []struct {
		name string
		in   probe.LintResult
		want []probe.Result
	}{
		{"error and warning", probe.LintResult{File: "pasted curl command", Report: lintReport(bearer, hard)}, []probe.Result{
			{ID: "lint.auth.bearer", Status: probe.Fail, Title: "pasted curl command, line 2: Sent as Bearer.", Fix: "Use x-api-key."},
			{ID: "lint.auth.hardcoded", Status: probe.Warn, Title: "pasted curl command, line 2: A key in plain text.", Fix: "Use the variable."},
		}},
		{"a note has no line", probe.LintResult{File: "notes.txt", Report: lintReport(none)}, []probe.Result{
			{ID: "lint.input.no_request", Status: probe.Skip, Title: "notes.txt: Nothing calls the API.", Fix: "Pass the request."},
		}},
		{"clean file", probe.LintResult{File: "src/client.py", Report: lintReport()}, []probe.Result{
			{ID: "lint.request", Status: probe.Pass, Title: "No problems found in src/client.py"},
		}},
		{"clean paste", probe.LintResult{File: "pasted curl command", Report: lintReport()}, []probe.Result{
			{ID: "lint.request", Status: probe.Pass, Title: "No problems found in the pasted curl command"},
		}},
		{"unreadable", probe.LintResult{File: "gone.py", Err: "no such file"}, []probe.Result{
			{ID: "lint.read", Status: probe.Error, Title: "Cannot lint gone.py: no such file"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RequestChecks([]probe.LintResult{tt.in})
			if len(got) != len(tt.want) {
				t.Fatalf("got %d checks, want %d: %+v", len(got), len(tt.want), got)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("check %d:\n got %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestHeadersPageShowsTheRequest(t *testing.T) {
	// A real lint of a curl command that sends the key as Bearer.
	key := stub.NewAPIKey()
	rep := lint.Lint("-", []byte("curl https://api.anthropic.com/v1/models \\\n  -H \"Authorization: Bearer "+key+"\"\n"))
	if rep.Count(lint.Error) == 0 {
		t.Fatalf("the Bearer curl has no error: %+v", rep.Findings)
	}
	fileLint := probe.LintResult{File: "client.py", Report: lintReport()}

	t.Run("without lint", func(t *testing.T) {
		p := BuildPage(Input{Report: healthy()}, Headers)
		if len(p.Request) != 0 || p.Verdict != probe.Pass {
			t.Errorf("request %+v, verdict %s", p.Request, p.Verdict)
		}
	})
	t.Run("check --lint results", func(t *testing.T) {
		r := healthy()
		r.Lint = []probe.LintResult{{File: "client.py", Report: lintReport(lint.Finding{
			ID: lint.IDAuthPlaceholder, Severity: lint.Error, Line: 3, Message: "A placeholder.", Fix: "Use a real key."})}}
		p := BuildPage(Input{Report: r}, Headers)
		for _, c := range p.Checks {
			if strings.HasPrefix(c.ID, "lint.") {
				t.Errorf("a lint check among the probes: %+v", c)
			}
		}
		if len(p.Request) != 1 || p.Request[0].ID != "lint.auth.placeholder" {
			t.Fatalf("request = %+v", p.Request)
		}
		if p.Status != probe.Fail || p.Verdict != probe.Fail ||
			p.Conclusion != "The request your code sends has 1 problem; the fixes are above." || p.Advice != "" {
			t.Errorf("status %s, verdict %s: %q / %q", p.Status, p.Verdict, p.Conclusion, p.Advice)
		}
		// The root cause of a 401 elsewhere keeps its pointer.
		p = BuildPage(Input{Report: with(r, shadowed)}, Headers)
		if p.Verdict != probe.Fail || !strings.Contains(p.Advice, "5/8 Stale copies") {
			t.Errorf("with a shadowed key: verdict %s, advice %q", p.Verdict, p.Advice)
		}
		// A probe's failure comes first.
		p = BuildPage(Input{Report: with(r, func(r *probe.Report) { r.Env.AuthToken = true })}, Headers)
		if p.Conclusion == "" || strings.Contains(p.Conclusion, "request your code sends") {
			t.Errorf("the request hides a probe's failure: %q", p.Conclusion)
		}
	})
	t.Run("wizard lint replaces the same file and adds the paste", func(t *testing.T) {
		r := healthy()
		r.Lint = []probe.LintResult{{File: "client.py", Err: "no such file"}}
		pasted := probe.LintResult{File: "pasted curl command", Report: rep}
		p := BuildPage(Input{Report: r, Linted: []probe.LintResult{pasted, fileLint}}, Headers)
		want := RequestChecks([]probe.LintResult{{File: "client.py", Report: lintReport()}, pasted})
		if len(p.Request) != len(want) || p.Request[0].Title != "No problems found in client.py" {
			t.Fatalf("request = %+v", p.Request)
		}
		for i := range want {
			if p.Request[i] != want[i] {
				t.Errorf("check %d = %+v, want %+v", i, p.Request[i], want[i])
			}
			if pieces := keyPieces(p.Request[i].Title+p.Request[i].Fix, key); len(pieces) > 0 {
				t.Errorf("check %d shows a piece of the key: %q", i, pieces[0])
			}
		}
		if p.Verdict != probe.Fail {
			t.Errorf("verdict %s with a Bearer error", p.Verdict)
		}
	})
	t.Run("a clean request keeps the pass", func(t *testing.T) {
		for _, l := range []probe.LintResult{fileLint, {File: "gone.py", Err: "no such file"}} {
			p := BuildPage(Input{Report: healthy(), Linted: []probe.LintResult{l}}, Headers)
			if p.Verdict != probe.Pass || p.Conclusion != fine[Headers] {
				t.Errorf("%s: verdict %s: %q", l.File, p.Verdict, p.Conclusion)
			}
		}
	})
	t.Run("a warning only warns", func(t *testing.T) {
		warn := lintReport(lint.Finding{ID: lint.IDModelDeprecated, Severity: lint.Warn, Line: 1, Message: "Old model."})
		p := BuildPage(Input{Report: healthy(), Linted: []probe.LintResult{{File: "a.py", Report: warn},
			{File: "gone.py", Err: "no such file"}}}, Headers)
		if p.Verdict != probe.Warn || p.Conclusion != "The request your code sends has 1 problem; the fixes are above." {
			t.Errorf("verdict %s: %q", p.Verdict, p.Conclusion)
		}
	})
	t.Run("other steps do not show it", func(t *testing.T) {
		for _, s := range Order {
			if p := BuildPage(Input{Report: healthy(), Linted: []probe.LintResult{fileLint}}, s); s != Headers && len(p.Request) > 0 {
				t.Errorf("%s shows the request", s)
			}
		}
	})
}

// keyPieces lists the MinPiece-long pieces of key's secret part found in s.
func keyPieces(s, key string) []string {
	body := strings.TrimPrefix(key, probe.PrefixAPI)
	var out []string
	for i := 0; i+probe.MinPiece <= len(body); i++ {
		if p := body[i : i+probe.MinPiece]; strings.Contains(s, p) {
			out = append(out, p)
		}
	}
	return out
}

func TestUnderstandRequestNotSent(t *testing.T) {
	invalid := &probe.Answer{Time: t0, Err: &probe.NetError{Phase: probe.PhaseInvalidHeader, Message: "the key holds a newline"}}
	tests := []struct {
		name string
		base string
		a    *probe.Answer
		want string
	}{
		{"sent", probe.DefaultBaseURL, answer("auth", 401, "authentication_error", "invalid x-api-key"),
			"GET https://api.anthropic.com/v1/models"},
		{"key with a newline", probe.DefaultBaseURL, invalid, "GET https://api.anthropic.com/v1/models — not sent"},
		{"base with a path and credentials", "https://user:pw@gw.example.com/anthropic/", invalid,
			"GET https://gw.example.com/anthropic/v1/models — not sent"},
		{"refused over plain HTTP", "http://10.0.0.2:8080", &probe.Answer{Method: "GET", URL: "http://10.0.0.2:8080/v1/models",
			Err: &probe.NetError{Phase: probe.PhaseInsecure, Message: "not sent"}}, "GET http://10.0.0.2:8080/v1/models — not sent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := with(healthy(), func(r *probe.Report) { r.Target.BaseURL, r.Auth = tt.base, tt.a })
			var got string
			for _, f := range BuildPage(Input{Report: r}, Understand).Facts {
				if f.Label == "Request" {
					got = f.Value
				}
			}
			if got != tt.want {
				t.Errorf("Request = %q, want %q", got, tt.want)
			}
		})
	}
}
