package steps

import (
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
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

func TestChecklistRows(t *testing.T) {
	tests := []struct {
		name   string
		r      *probe.Report
		id     string
		status probe.Status
		result string
	}{
		{"healthy credentials", healthy(), "credentials", probe.Pass, "accepted"},
		{"rejected credentials", with(healthy(), rejected), "credentials", probe.Fail, `401 authentication_error "invalid x-api-key"`},
		{"rejected status", with(healthy(), rejected), "status", probe.Fail, "401 Unauthorized"},
		{"request id kept", with(healthy(), rejected), "request_id", probe.Pass, "req_011CTESTTESTTESTTESTTEST"},
		{"no request id: not the API", with(healthy(), func(r *probe.Report) {
			r.Auth = &probe.Answer{Status: 401, Shape: "html"}
		}), "request_id", probe.Fail, "did not answer"},
		{"timeout is not an error message", with(healthy(), func(r *probe.Report) {
			r.Auth = &probe.Answer{Err: &probe.NetError{Phase: "timeout", Message: "gave up after 10s"}}
		}), "error", probe.Warn, "no HTTP answer: timeout"},
		{"shape names the hint only", healthy(), "shape", probe.Pass, "x-api-key sk-ant-api03-"},
		{"malformed shape", with(healthy(), func(r *probe.Report) {
			r.Candidates[0].Issues = []probe.Issue{{Code: "newline", Detail: "ends with \\n"}}
		}), "shape", probe.Fail, `ends with \n`},
		{"billing", with(healthy(), func(r *probe.Report) {
			r.Quota = answer("quota", 400, "invalid_request_error", "Your credit balance is too low")
		}), "quota", probe.Fail, "credit balance"},
		{"status page incident", with(healthy(), func(r *probe.Report) {
			r.Status.Indicator, r.Status.Description, r.Status.APIStatus = "major", "Major Service Outage", "major_outage"
		}), "status_page", probe.Fail, "Major Service Outage"},
		{"no SDK, no model", healthy(), "versions", probe.Skip, "no SDK found in the project; no model given"},
		{"model missing", with(healthy(), func(r *probe.Report) {
			r.Target.Model = "claude-nope"
			r.Model = answer("model", 404, "not_found_error", "model: claude-nope")
		}), "versions", probe.Fail, "claude-nope not found"},
		{"network direct", healthy(), "network", probe.Pass, "direct, TLS 1.3"},
		{"network through a proxy", with(healthy(), func(r *probe.Report) {
			r.Env.Proxies = []probe.ProxyVar{{Name: "HTTPS_PROXY", Value: "http://proxy:3128"}}
		}), "network", probe.Warn, "via HTTPS_PROXY"},
		{"pending", with(healthy(), func(r *probe.Report) { r.Done[probe.ProbeAuth] = false }), "credentials", probe.Pending, "checking"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rowByID(ChecklistRows(tt.r, nil), tt.id)
			if got.Status != tt.status || !strings.Contains(got.Result, tt.result) {
				t.Errorf("%s = %s %q, want %s containing %q", tt.id, got.Status, got.Result, tt.status, tt.result)
			}
		})
	}
}

func TestTestRows(t *testing.T) {
	tests := []struct {
		name   string
		r      *probe.Report
		test   int
		status probe.Status
		result string
	}{
		{"status page calm", healthy(), 0, probe.Pass, "no incident"},
		{"status page down", with(healthy(), func(r *probe.Report) {
			r.Status.Indicator, r.Status.Description, r.Status.APIStatus = "major", "Major Service Outage", "major_outage"
		}), 0, probe.Fail, "Major Service Outage"},
		{"status page unreadable", with(healthy(), func(r *probe.Report) { r.Status = nil }), 0, probe.Error, "could not be read"},
		{"shell: only the shell has it", healthy(), 1, probe.Warn, "only your shell"},
		{"shell: stale export", with(healthy(), shadowed), 1, probe.Fail, "the exported key fails"},
		{"shell: extra variables", with(healthy(), func(r *probe.Report) { r.Env.AuthToken = true }), 1, probe.Warn,
			"ANTHROPIC_AUTH_TOKEN"},
		{"shell: key from a file", with(healthy(), func(r *probe.Report) {
			r.Candidates[0].Origin, r.Candidates[0].Source = probe.OriginDotenv, ".env:1"
		}), 1, probe.Pass, "no key or auth variable exported"},
		{"direct", healthy(), 2, probe.Pass, "direct"},
		{"proxy passes the header", with(healthy(), func(r *probe.Report) {
			r.Env.Proxies = []probe.ProxyVar{{Name: "HTTPS_PROXY", Value: "http://proxy:3128"}}
		}), 2, probe.Pass, "clean 401"},
		{"proxy strips the header", with(healthy(), func(r *probe.Report) {
			r.Env.Proxies = []probe.ProxyVar{{Name: "HTTPS_PROXY", Value: "http://proxy:3128"}}
			r.Control = answer("control", 401, "authentication_error", "x-api-key header is required")
		}), 2, probe.Fail, "through HTTPS_PROXY=http://proxy:3128"},
		{"no other keys", healthy(), 3, probe.Skip, "no other key"},
		{"another key works", with(healthy(), shadowed), 3, probe.Fail, "works: .env:1"},
		{"every key rejected", with(healthy(), func(r *probe.Report) {
			shadowed(r)
			r.Others[0].Answer = answer("candidate", 401, "authentication_error", "invalid x-api-key")
		}), 3, probe.Fail, "all rejected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := TestRows(tt.r)
			if len(rows) != 4 {
				t.Fatalf("%d rows", len(rows))
			}
			got := rows[tt.test]
			if got.Status != tt.status || !strings.Contains(got.Result, tt.result) {
				t.Errorf("%s = %s %q, want %s containing %q", got.Test, got.Status, got.Result, tt.status, tt.result)
			}
			if got.Status != probe.Pending && (got.Meaning == "" || got.Next == "") {
				t.Errorf("%s: meaning %q next %q", got.Test, got.Meaning, got.Next)
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
