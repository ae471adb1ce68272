package steps

import (
	"regexp"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/demo"
)

func rowByID(rows []ChecklistRow, id string) ChecklistRow {
	for _, r := range rows {
		if r.ID == "checklist."+id {
			return r
		}
	}
	return ChecklistRow{}
}

func TestChecklistRowsCoverTheGuide(t *testing.T) {
	rows := ChecklistRows(healthy(), nil)
	want := []string{"error", "status", "request_id", "versions", "shape", "repro", "credentials", "permissions",
		"quota", "status_page", "network"}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(rows), len(want))
	}
	for i, id := range want {
		if rows[i].ID != "checklist."+id || rows[i].Item == "" || rows[i].Result == "" {
			t.Errorf("row %d = %+v, want id %s with words", i, rows[i], id)
		}
	}
}

// Report edits for the table below.

func netErr(phase, msg string) *probe.Answer {
	return &probe.Answer{Label: "auth", Method: "GET", URL: "https://api.anthropic.com/v1/models", Attempts: 1,
		Err: &probe.NetError{Phase: phase, Message: msg}}
}

func timedOut(r *probe.Report) {
	r.Auth = netErr(probe.PhaseTimeout, "no answer from api.anthropic.com within 10s")
	r.Control = netErr(probe.PhaseTimeout, "no answer from api.anthropic.com within 10s")
	r.Quota = netErr(probe.PhaseTimeout, "no answer from api.anthropic.com within 10s")
}

func intercepted(r *probe.Report) {
	for _, a := range []**probe.Answer{&r.Auth, &r.Control, &r.Quota} {
		*a = netErr(probe.PhaseTLSUntrusted, "the certificate is signed by an authority this machine does not trust")
		(*a).Err.Issuer = "Acme Corp TLS Inspection CA"
	}
	r.Net.Err = &probe.NetError{Phase: probe.PhaseTLSUntrusted, Issuer: "Acme Corp TLS Inspection CA"}
	r.Net.TLSVer = ""
}

func htmlPage(r *probe.Report) {
	for _, a := range []*probe.Answer{r.Auth, r.Control, r.Quota} {
		a.Status, a.Anthropic, a.Shape, a.RequestID, a.ErrorType, a.Message = 200, false, "html", "", "", "Guest Wi-Fi"
	}
}

func stripped(r *probe.Report) {
	r.Auth = answer("auth", 401, "authentication_error", "x-api-key header is required")
	r.Control = answer("control", 401, "authentication_error", "x-api-key header is required")
	r.Quota = answer("quota", 401, "authentication_error", "x-api-key header is required")
}

func limited(r *probe.Report) {
	r.Auth = answer("auth", 429, "rate_limit_error", "Number of requests has exceeded your rate limit")
	r.Auth.Attempts = 3
	r.Quota = answer("quota", 429, "rate_limit_error", "Number of requests has exceeded your rate limit")
}

func failing(r *probe.Report) {
	r.Auth = answer("auth", 500, "api_error", "Internal server error")
	r.Quota = answer("quota", 529, "overloaded_error", "Overloaded")
}

func inZshrc(r *probe.Report) {
	noKey(r)
	r.Candidates = []probe.Candidate{cand(probe.OriginShell, "~/.zshrc:41")}
	r.Candidates[0].Line = 41
}

func viaProxy(r *probe.Report) {
	r.Env.Proxies = []probe.ProxyVar{{Name: "HTTPS_PROXY", Value: "http://proxy:3128"}}
	r.Net.Proxy = "http://proxy:3128"
}

func TestChecklistRows(t *testing.T) {
	tests := []struct {
		name   string
		r      *probe.Report
		id     string
		status probe.Status
		result string // the row's result contains it
		not    string // the row's result must not contain it
	}{
		// Exact error, status and id describe the request that failed.
		{"healthy: no error", healthy(), "error", probe.Pass, "no error: 200 OK", "captured"},
		{"rejected: the error", with(healthy(), rejected), "error", probe.Pass, `captured: 401 authentication_error "invalid x-api-key"`, ""},
		{"billing: the count_tokens error", with(healthy(), func(r *probe.Report) {
			r.Quota = answer("quota", 400, "invalid_request_error", "Your credit balance is too low")
			r.Quota.Method, r.Quota.URL = "POST", "https://api.anthropic.com/v1/messages/count_tokens"
		}), "error", probe.Pass, `captured on POST /v1/messages/count_tokens: 400 invalid_request_error "Your credit balance`, "200"},
		{"billing: the failed request's id", with(healthy(), func(r *probe.Report) {
			r.Quota = answer("quota", 400, "invalid_request_error", "Your credit balance is too low")
			r.Quota.RequestID = "req_011CQUOTAQUOTAQUOTAQUOTA"
		}), "request_id", probe.Pass, "req_011CQUOTAQUOTAQUOTAQUOTA", ""},
		{"model: the lookup before count_tokens", with(healthy(), func(r *probe.Report) {
			r.Target.Model = "claude-nope"
			r.Model = answer("model", 404, "not_found_error", "model: claude-nope")
			r.Model.URL = "https://api.anthropic.com/v1/models/claude-nope"
			r.Quota = answer("quota", 404, "not_found_error", "model: claude-nope")
			r.Quota.Method, r.Quota.URL = "POST", "https://api.anthropic.com/v1/messages/count_tokens"
		}), "error", probe.Pass, "captured on GET /v1/models/claude-nope: 404", ""},
		{"timeout: phase in words", with(healthy(), timedOut), "error", probe.Warn, "no HTTP answer: timed out", ""},
		{"tls: phase in words", with(healthy(), intercepted), "error", probe.Warn, "the certificate is not trusted", "untrusted"},
		{"invalid header: not sent", with(healthy(), func(r *probe.Report) {
			r.Auth = netErr(probe.PhaseInvalidHeader, "")
		}), "error", probe.Warn, "not sent: the key cannot be sent as a header", "invalid header"},
		{"no key: no error of the user's", with(healthy(), noKey), "error", probe.Skip, "none: no key was sent", "invalid x-api-key"},
		{"no key: no status", with(healthy(), noKey), "status", probe.Skip, "none: no key was sent", "401"},
		{"no key: no id", with(healthy(), noKey), "request_id", probe.Skip, "none: no key was sent", "req_"},
		{"status is evidence, not a verdict", with(healthy(), rejected), "status", probe.Pass, "401 Unauthorized", ""},
		{"status not from the API", with(healthy(), htmlPage), "status", probe.Pass, "200 OK, not from the API", ""},
		{"request id kept", with(healthy(), rejected), "request_id", probe.Pass, "req_011CTESTTESTTESTTESTTEST", ""},
		{"no request id: not the API", with(healthy(), htmlPage), "request_id", probe.Warn, "did not come from the API", ""},

		// The shape of what the user's SDK sends.
		{"shape names the hint only", healthy(), "shape", probe.Pass, "x-api-key sk-ant-api03-", ""},
		{"malformed shape", with(healthy(), func(r *probe.Report) {
			rejected(r)
			r.Candidates[0].Issues = []probe.Issue{{Code: "newline", Detail: "ends with \\n"}}
		}), "shape", probe.Fail, `ends with \n`, ""},
		{"odd shape of an accepted key only warns", with(healthy(), func(r *probe.Report) {
			r.Candidates[0].Issues = []probe.Issue{{Code: "length", Detail: "is 90 characters"}}
		}), "shape", probe.Warn, "is 90 characters", ""},
		{"auth token: two credentials", with(healthy(), func(r *probe.Report) {
			r.Env.AuthToken, r.Client = true, probe.ResolveClient("python", nil)
		}), "shape", probe.Fail, "Bearer token from ANTHROPIC_AUTH_TOKEN: two credentials", ""},
		{"auth token ignored by Go v2", with(healthy(), func(r *probe.Report) {
			r.Env.AuthToken, r.Client = true, probe.ResolveClient("go", nil)
		}), "shape", probe.Pass, "GET /v1/models, Authorization: Bearer", ""},

		// The smallest repro says what was measured.
		{"repro sent once", with(healthy(), rejected), "repro", probe.Pass, "GET /v1/models fails (sent once)", "same way"},
		{"repro retried", with(healthy(), limited), "repro", probe.Pass, "fails (all 3 attempts)", ""},
		{"repro of billing", with(healthy(), func(r *probe.Report) {
			r.Quota = answer("quota", 400, "invalid_request_error", "Your credit balance is too low")
			r.Quota.Method, r.Quota.URL = "POST", "https://api.anthropic.com/v1/messages/count_tokens"
		}), "repro", probe.Pass, "GET /v1/models works; POST /v1/messages/count_tokens fails", ""},
		{"repro without a key", with(healthy(), noKey), "repro", probe.Skip, "no key to send", ""},

		// Credentials are judged on the API's word about the key only.
		{"healthy credentials", healthy(), "credentials", probe.Pass, "accepted", "then"},
		{"rejected credentials", with(healthy(), rejected), "credentials", probe.Fail, `rejected: 401 authentication_error "invalid x-api-key"`, ""},
		{"timeout judges no key", with(healthy(), timedOut), "credentials", probe.Skip, "not judged (no answer from the API)", ""},
		{"tls judges no key", with(healthy(), intercepted), "credentials", probe.Skip, "not judged (no answer from the API)", ""},
		{"a page judges no key", with(healthy(), htmlPage), "credentials", probe.Skip, "not judged (the answer did not come from the API)", ""},
		{"a stripped header judges no key", with(healthy(), stripped), "credentials", probe.Skip, "not judged (the key header did not arrive)", ""},
		{"429 comes after the key", with(healthy(), limited), "credentials", probe.Pass, "accepted (then 429 rate_limit_error)", ""},
		{"403 comes after the key", with(healthy(), func(r *probe.Report) {
			r.Auth = answer("auth", 403, "permission_error", "Permission denied")
		}), "credentials", probe.Pass, "accepted (then 403 permission_error)", ""},
		{"500 alone judges no key", with(healthy(), failing), "credentials", probe.Skip, "not judged (the API answered 500 api_error)", ""},
		{"500 after a key that worked", with(healthy(), func(r *probe.Report) {
			r.Auth = answer("auth", 500, "api_error", "Internal server error")
		}), "credentials", probe.Pass, "accepted (then 500 api_error)", ""},
		{"key cannot be sent", with(healthy(), func(r *probe.Report) {
			r.Auth = netErr(probe.PhaseInvalidHeader, "")
			r.CleanAuth = answer("clean", 200, "", "")
		}), "credentials", probe.Fail, "not sent: the key cannot be sent as a header; cleaned, it is accepted", ""},
		{"no key anywhere", with(healthy(), noKey), "credentials", probe.Fail, "no key found", ""},
		{"key not loaded", with(healthy(), inZshrc), "credentials", probe.Fail, "no key in this process; ~/.zshrc:41 has one", ""},
		{"auth token beside a working key", with(healthy(), func(r *probe.Report) { r.Env.AuthToken = true }),
			"credentials", probe.Pass, "accepted when sent alone", ""},

		{"permissions after a 429", with(healthy(), limited), "permissions", probe.Skip, "not judged (the API answered 429 rate_limit_error)", "until"},
		{"billing", with(healthy(), func(r *probe.Report) {
			r.Quota = answer("quota", 400, "invalid_request_error", "Your credit balance is too low")
		}), "quota", probe.Fail, "credit balance", ""},
		{"quota without an answer", with(healthy(), timedOut), "quota", probe.Skip, "not judged (no answer from the API)", ""},
		{"status page incident", with(healthy(), func(r *probe.Report) {
			r.Status.Indicator, r.Status.Description, r.Status.APIStatus = "major", "Major Service Outage", "major_outage"
		}), "status_page", probe.Fail, "Major Service Outage", ""},
		{"no SDK, no model", healthy(), "versions", probe.Skip, "no SDK found in the project; no model given", ""},
		{"model missing", with(healthy(), func(r *probe.Report) {
			r.Target.Model = "claude-nope"
			r.Model = answer("model", 404, "not_found_error", "model: claude-nope")
		}), "versions", probe.Fail, "claude-nope not found", ""},

		// The network row follows what happened to the requests.
		{"network direct", healthy(), "network", probe.Pass, "direct, TLS 1.3, the API answers", ""},
		{"network through a proxy", with(healthy(), viaProxy), "network", probe.Warn, "via HTTPS_PROXY", ""},
		{"a proxy set but not used", with(healthy(), func(r *probe.Report) {
			r.Env.Proxies = []probe.ProxyVar{{Name: "HTTPS_PROXY", Value: "http://proxy:3128"}}
		}), "network", probe.Warn, "direct (HTTPS_PROXY is set but not used", ""},
		{"network timeout", with(healthy(), timedOut), "network", probe.Fail, "direct, but no answer from api.anthropic.com within 10s", "the API answers"},
		{"network tls", with(healthy(), intercepted), "network", probe.Fail, "the certificate is not trusted (issued by Acme Corp TLS Inspection CA)", ""},
		{"network page", with(healthy(), func(r *probe.Report) {
			htmlPage(r)
			r.Target.BaseURL, r.Target.BaseURLSource = "http://127.0.0.1:8401", "env:ANTHROPIC_BASE_URL"
		}), "network", probe.Fail, "via ANTHROPIC_BASE_URL, but not the API: an HTML page answered", ""},
		{"network header stripped", with(healthy(), stripped), "network", probe.Fail, "the x-api-key header is removed on the way", ""},

		{"pending", with(healthy(), func(r *probe.Report) { r.Done[probe.ProbeAuth] = false }), "credentials", probe.Pending, "checking", ""},
		{"evidence waits for count_tokens", with(healthy(), func(r *probe.Report) { r.Done[probe.ProbeQuota] = false }),
			"error", probe.Pending, "checking", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rowByID(ChecklistRows(tt.r, nil), tt.id)
			if got.Status != tt.status || !strings.Contains(got.Result, tt.result) {
				t.Errorf("%s = %s %q, want %s containing %q", tt.id, got.Status, got.Result, tt.status, tt.result)
			}
			if tt.not != "" && strings.Contains(got.Result, tt.not) {
				t.Errorf("%s = %q, must not say %q", tt.id, got.Result, tt.not)
			}
		})
	}
}

func TestChecklistVerdict(t *testing.T) {
	rows := func(ss ...probe.Status) []ChecklistRow {
		items := []string{"HTTP status", "SDK & model", "Credentials", "Network & proxy"}
		var out []ChecklistRow
		for i, s := range ss {
			out = append(out, ChecklistRow{Item: items[i], Status: s})
		}
		return out
	}
	ok := Diagnosis{Code: OK, Title: "The API accepts the key"}
	tests := []struct {
		name       string
		rows       []ChecklistRow
		d          Diagnosis
		verdict    probe.Status
		conclusion string
	}{
		{"all pass", rows(probe.Pass, probe.Pass), ok, probe.Pass, "2 of 2 items pass."},
		{"a broken check is not a failure", rows(probe.Pass, probe.Error, probe.Skip), ok, probe.Pass, "1 of 3 items pass."},
		{"failures named, acronyms kept", rows(probe.Fail, probe.Fail, probe.Pass), ok, probe.Fail,
			"1 of 3 items pass. Failing: HTTP status, SDK & model."},
		{"warnings only", rows(probe.Pass, probe.Warn), ok, probe.Warn, "1 of 2 items pass. To look at: SDK & model."},
		{"a failure outweighs warnings", rows(probe.Warn, probe.Pass, probe.Fail), ok, probe.Fail, "Failing: credentials."},
		{"never all good against the diagnosis", rows(probe.Pass, probe.Pass), Diagnosis{Code: AuthConflict,
			Title: "ANTHROPIC_AUTH_TOKEN is set as well as the API key"}, probe.Fail,
			"2 of 2 items pass. Still, ANTHROPIC_AUTH_TOKEN is set as well as the API key."},
		{"a rate limit is a warning", rows(probe.Pass, probe.Skip), Diagnosis{Code: RateLimited, Title: "Requests are rate limited"},
			probe.Warn, "Still, requests are rate limited."},
		{"worse rows stand", rows(probe.Fail), Diagnosis{Code: RateLimited, Title: "Requests are rate limited"},
			probe.Fail, "0 of 1 items pass. Failing: HTTP status."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, v := ChecklistVerdict(tt.rows, tt.d)
			if v != tt.verdict || !strings.Contains(c, tt.conclusion) {
				t.Errorf("got %s %q, want %s containing %q", v, c, tt.verdict, tt.conclusion)
			}
		})
	}
}

// rowWant is one row a demo must show.
type rowWant struct {
	id     string
	status probe.Status
	result string
}

// demoChecklist is what every demo's checklist must say: the rows the
// review found wrong, as they now read.
var demoChecklist = map[string][]rowWant{
	"healthy": {{"error", probe.Pass, "no error: 200 OK"}, {"credentials", probe.Pass, "accepted"}},
	"shadowed": {{"status", probe.Pass, "401 Unauthorized"}, {"credentials", probe.Fail, "rejected: 401"},
		{"repro", probe.Pass, "(sent once)"}},
	"trailing-newline": {{"error", probe.Warn, "not sent: the key cannot be sent as a header"},
		{"credentials", probe.Fail, "cleaned, it is accepted"}, {"shape", probe.Fail, "newline"}},
	"revoked":        {{"credentials", probe.Fail, "rejected: 401 authentication_error"}},
	"no-key":         {{"error", probe.Skip, "none: no key was sent"}, {"status", probe.Skip, "none: no key was sent"}, {"credentials", probe.Fail, "no key found"}},
	"key-not-loaded": {{"error", probe.Skip, "none: no key was sent"}, {"status", probe.Skip, "none"}, {"credentials", probe.Fail, "~/.zshrc:41 has one"}},
	"admin-key":      {{"credentials", probe.Fail, "rejected"}},
	"openai-key":     {{"credentials", probe.Fail, "rejected"}},
	"key-disabled":   {{"credentials", probe.Fail, "rejected: 401 authentication_error"}, {"credentials", probe.Fail, "disabled (inactive) in the Admin API"}},
	"auth-conflict":  {{"shape", probe.Fail, "two credentials"}, {"credentials", probe.Pass, "accepted when sent alone"}},
	"proxy-page": {{"credentials", probe.Skip, "not judged"}, {"request_id", probe.Warn, "did not come from the API"},
		{"network", probe.Fail, "not the API: an HTML page answered"}},
	"redirect": {{"credentials", probe.Skip, "not judged"}, {"network", probe.Fail, "redirect"}},
	"header-stripped": {{"credentials", probe.Pass, "accepted when sent as x-api-key (Authorization never arrived)"},
		{"network", probe.Fail, "Authorization header is removed"}, {"shape", probe.Pass, "Authorization: Bearer"}},
	"spend-limit": {{"error", probe.Pass, "captured on POST /v1/messages/count_tokens: 400"}, {"credentials", probe.Pass, "accepted"},
		{"quota", probe.Fail, "specified API usage limits"}},
	"workspace-required": {{"credentials", probe.Pass, "accepted (then 400"}, {"permissions", probe.Fail, "anthropic-workspace-id is required"}},
	"ip-not-allowed":     {{"credentials", probe.Pass, "accepted (then 403"}, {"permissions", probe.Fail, "IP address"}},
	"tls": {{"credentials", probe.Skip, "no answer from the API"}, {"quota", probe.Skip, "not judged"},
		{"status_page", probe.Error, "could not be read"}, {"network", probe.Fail, "Acme Corp TLS Inspection CA"}},
	"timeout": {{"credentials", probe.Skip, "no answer from the API"}, {"quota", probe.Skip, "not judged"},
		{"network", probe.Fail, "direct, but no answer"}},
	"forbidden":           {{"credentials", probe.Pass, "accepted (then 403 permission_error)"}, {"permissions", probe.Fail, "403"}},
	"org-disabled":        {{"credentials", probe.Pass, "accepted (then 400"}, {"permissions", probe.Fail, "disabled"}},
	"billing":             {{"error", probe.Pass, "captured on POST /v1/messages/count_tokens: 400"}, {"quota", probe.Fail, "credit balance"}},
	"rate-limited":        {{"credentials", probe.Pass, "accepted (then 429 rate_limit_error)"}, {"quota", probe.Warn, "429"}},
	"outage":              {{"credentials", probe.Skip, "not judged (the API answered 500"}, {"status_page", probe.Fail, "Outage"}},
	"model-not-found":     {{"error", probe.Pass, "captured on GET /v1/models/"}, {"versions", probe.Fail, "not found"}},
	"profile":             {{"credentials", probe.Pass, "accepted"}, {"shape", probe.Pass, "Authorization: Bearer sk-ant-oat01-"}},
	"profile-expired":     {{"credentials", probe.Fail, "rejected: 401"}, {"repro", probe.Pass, "(sent once)"}},
	"federation-audience": {{"credentials", probe.Fail, "the token exchange refused the identity token: 401"}},
	"claude-code-bedrock": {{"provider", probe.Fail, "Claude Code goes to Amazon Bedrock (CLAUDE_CODE_USE_BEDROCK in the environment)"},
		{"credentials", probe.Pass, "accepted"}},

	// Claude Code (--for claude-code).
	"subscription-overridden": {{"credentials", probe.Pass, "accepted"}, {"quota", probe.Fail, "credit balance"},
		{"versions", probe.Pass, "Claude Code (--for claude-code"}},
}

// leak matches the probe's phase codes, which must reach no one.
var leak = regexp.MustCompile(`tls.untrusted|invalid.header|bad.url|fails the same way`)

// TestChecklistDemos runs every demo through the real probes and reads
// its checklist: the rows the review found wrong, a verdict never better
// than the diagnosis, and words instead of phase codes.
func TestChecklistDemos(t *testing.T) {
	for _, s := range demo.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			want, ok := demoChecklist[s.Name]
			if !ok {
				t.Fatalf("no checklist expectations for demo %s", s.Name)
			}
			d, err := demo.New(s.Name)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			r := runDemo(t, d)
			rows := ChecklistRows(r, nil)
			for _, w := range want {
				got := rowByID(rows, w.id)
				if got.Status != w.status || !strings.Contains(got.Result, w.result) {
					t.Errorf("%s = %s %q, want %s containing %q", w.id, got.Status, got.Result, w.status, w.result)
				}
			}
			diag := Diagnose(r)
			conclusion, verdict := ChecklistVerdict(rows, diag)
			if severity[verdict] < severity[verdictOf(diag)] {
				t.Errorf("verdict %s (%q) is better than the diagnosis %s", verdict, conclusion, diag.Code)
			}
			if diag.Code != OK && verdict == probe.Pass {
				t.Errorf("%q under diagnosis %s", conclusion, diag.Code)
			}
			var text []string
			for _, row := range rows {
				text = append(text, row.Result)
			}
			for _, tr := range TestRows(r) {
				text = append(text, tr.Result, tr.Meaning, tr.Next)
			}
			for _, l := range text {
				if leak.MatchString(l) {
					t.Errorf("internal words shown: %q", l)
				}
			}
		})
	}
}

func TestTestRows(t *testing.T) {
	tests := []struct {
		name    string
		r       *probe.Report
		test    int
		status  probe.Status
		result  string
		meaning string
	}{
		{"status page calm", healthy(), 0, probe.Pass, "no incident", ""},
		{"status page down", with(healthy(), func(r *probe.Report) {
			r.Status.Indicator, r.Status.Description, r.Status.APIStatus = "major", "Major Service Outage", "major_outage"
		}), 0, probe.Fail, "Major Service Outage", ""},
		{"status page unreadable", with(healthy(), func(r *probe.Report) { r.Status = nil }), 0, probe.Error, "could not be read", ""},

		{"shell: only the shell has it", healthy(), 1, probe.Warn, "only your shell", ""},
		{"shell: stale export, no hint in the cell", with(healthy(), shadowed), 1, probe.Fail, "the exported key fails; .env:1 works", ""},
		{"shell: extra variables", with(healthy(), func(r *probe.Report) { r.Env.AuthToken = true }), 1, probe.Warn,
			"ANTHROPIC_AUTH_TOKEN", ""},
		{"shell: key from a file", with(healthy(), func(r *probe.Report) {
			r.Candidates[0].Origin, r.Candidates[0].Source = probe.OriginDotenv, ".env:1"
		}), 1, probe.Pass, "no key or auth variable exported", "sees the same"},
		{"shell: a newer shell loads the key", with(healthy(), inZshrc), 1, probe.Fail, "this shell lacks the key in ~/.zshrc:41",
			"a new terminal would load it"},
		{"shell: the key lacks export", with(healthy(), func(r *probe.Report) {
			inZshrc(r)
			r.Candidates[0].Exported = false
		}), 1, probe.Fail, "~/.zshrc:41 sets the key without export", ""},
		{"shell: no key anywhere", with(healthy(), noKey), 1, probe.Skip, "no key exported or in start-up files", "no environment has a key"},

		{"direct", healthy(), 2, probe.Pass, "direct", "nothing in between"},
		{"proxy passes the header", with(healthy(), viaProxy), 2, probe.Pass, "via HTTPS_PROXY: a made-up key gets a clean 401", ""},
		{"proxy strips the header, no URL in the cell", with(healthy(), func(r *probe.Report) {
			viaProxy(r)
			r.Control = answer("control", 401, "authentication_error", "x-api-key header is required")
		}), 2, probe.Fail, "via HTTPS_PROXY: x-api-key does not arrive", ""},
		{"direct, yet the header is stripped", with(healthy(), stripped), 2, probe.Fail, "no proxy set, yet x-api-key does not arrive",
			"strips the key header"},
		{"direct, yet TLS is intercepted", with(healthy(), intercepted), 2, probe.Fail,
			"no proxy set, yet the certificate is from Acme Corp TLS Inspection CA", "intercepts TLS"},
		{"direct and no answer", with(healthy(), timedOut), 2, probe.Warn, "direct: no answer (timed out)", "no proxy to blame"},
		{"proxy and no answer", with(healthy(), func(r *probe.Report) { viaProxy(r); timedOut(r) }), 2, probe.Fail,
			"via HTTPS_PROXY: no answer", "the proxy or the way behind it"},
		{"a gateway page", with(healthy(), func(r *probe.Report) {
			htmlPage(r)
			r.Target.BaseURL, r.Target.BaseURLSource = "http://127.0.0.1:8401", "env:ANTHROPIC_BASE_URL"
		}), 2, probe.Fail, "via ANTHROPIC_BASE_URL: an HTML page answered (HTTP 200)", "in place of the API"},

		{"no other keys", healthy(), 3, probe.Skip, "no other key", ""},
		{"another key works", with(healthy(), shadowed), 3, probe.Fail, "works: .env:1", "the key in use is the stale one"},
		{"a key not loaded works", with(healthy(), func(r *probe.Report) {
			inZshrc(r)
			r.Others = []probe.CandidateAnswer{{Index: 0, Answer: answer("candidate", 200, "", "")}}
		}), 3, probe.Fail, "works: ~/.zshrc:41", "this process lacks it"},
		{"every key rejected", with(healthy(), func(r *probe.Report) {
			shadowed(r)
			r.Others[0].Answer = answer("candidate", 401, "authentication_error", "invalid x-api-key")
		}), 3, probe.Fail, "all rejected", "follows every key"},
		{"other keys unanswered are not rejected", with(healthy(), func(r *probe.Report) {
			shadowed(r)
			timedOut(r)
			r.Others[0].Answer = netErr(probe.PhaseTimeout, "no answer")
		}), 3, probe.Skip, "not judged: .env:1", ""},
		{"the auth token is no spare key", with(healthy(), func(r *probe.Report) {
			r.Env.AuthToken = true
			tok := cand(probe.OriginEnv, "env ANTHROPIC_AUTH_TOKEN")
			tok.Var = probe.VarAuthToken
			r.Candidates = append(r.Candidates, tok)
			r.Others = []probe.CandidateAnswer{{Index: 1, Answer: answer("candidate", 401, "authentication_error", "invalid x-api-key")}}
		}), 3, probe.Warn, "rejected as a key: env ANTHROPIC_AUTH_TOKEN", "second credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := TestRows(tt.r)
			if len(rows) != 4 {
				t.Fatalf("%d rows", len(rows))
			}
			got := rows[tt.test]
			if got.Status != tt.status || !strings.Contains(got.Result, tt.result) || !strings.Contains(got.Meaning, tt.meaning) {
				t.Errorf("%s = %s %q (%q), want %s containing %q (%q)", got.Test, got.Status, got.Result, got.Meaning,
					tt.status, tt.result, tt.meaning)
			}
			if got.Status != probe.Pending && (got.Meaning == "" || got.Next == "") {
				t.Errorf("%s: meaning %q next %q", got.Test, got.Meaning, got.Next)
			}
			// A table cell is narrow: no key hint and no URL in it.
			for _, cell := range []string{got.Result, got.Meaning, got.Next} {
				if strings.Contains(cell, "sk-ant-") || strings.Contains(cell, "://") {
					t.Errorf("%s: %q holds a hint or a URL", got.Test, cell)
				}
			}
		})
	}
}

func TestChecklistSDK(t *testing.T) {
	sdks := []probe.SDK{{Name: "anthropic", Version: "==0.69.0", File: "requirements.txt", Line: 1, Ecosystem: probe.EcoPyPI},
		{Name: "anthropic", Version: "0.69.0", File: "poetry.lock", Line: 40, Ecosystem: probe.EcoPyPI}}
	got := rowByID(ChecklistRows(healthy(), sdks), "versions")
	if got.Status != probe.Pass || got.Result != "anthropic ==0.69.0 (requirements.txt:1) and 1 more; no model given (--model)" {
		t.Errorf("versions = %s %q", got.Status, got.Result)
	}
	r := healthy()
	r.Target.Model = "claude-nope"
	r.Model = answer("model", 404, "not_found_error", "model: claude-nope")
	if got := rowByID(ChecklistRows(r, sdks), "versions"); got.Status != probe.Fail {
		t.Errorf("a missing model leaves versions %s", got.Status)
	}
}
