package steps

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/fix401/fix401/probe"
)

const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// summaryKey builds a well-formed API key at run time from a seed, so the
// golden files hold the same hints on every run.
func summaryKey(seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	b := make([]byte, 93)
	for i := range b {
		b[i] = keyAlphabet[rng.IntN(len(keyAlphabet))]
	}
	return probe.PrefixAPI + string(b) + "AA"
}

var (
	cet   = time.FixedZone("CET", 3600)
	start = time.Date(2026, 11, 25, 17, 3, 11, 0, cet)
)

func at(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }

func candidate(key, source string, origin probe.Origin, line int) probe.Candidate {
	return probe.Candidate{Source: source, Origin: origin, Var: probe.VarAPIKey, Line: line,
		Value: key, Raw: key, Clean: key, Hint: probe.Hint(key), Kind: probe.KindAPI}
}

func apiAnswer(label, path string, ms, status int, errType, msg, reqID string) *probe.Answer {
	a := &probe.Answer{Label: label, Method: "GET", URL: probe.DefaultBaseURL + path, Time: at(ms),
		Status: status, ErrorType: errType, Message: msg, RequestID: reqID, Anthropic: true, Shape: "anthropic",
		Attempts: 1, Duration: 180 * time.Millisecond, Server: "cloudflare"}
	if status == 200 {
		a.ModelIDs = []string{"claude-sonnet-4-5", "claude-haiku-4-5"}
	}
	return a
}

func statusOK(ms int) *probe.StatusPage {
	return &probe.StatusPage{Indicator: "none", Description: "All Systems Operational", Component: "Claude API (api.anthropic.com)",
		APIStatus: "operational", Answer: &probe.Answer{Label: "status", Method: "GET", Time: at(ms),
			URL: probe.DefaultStatusURL + "/api/v2/summary.json", Status: 200, Shape: "json", Attempts: 1}}
}

func allDone() map[string]bool {
	d := map[string]bool{}
	for _, p := range []string{probe.ProbeNet, probe.ProbeAuth, probe.ProbeClean, probe.ProbeOthers, probe.ProbeControl,
		probe.ProbeQuota, probe.ProbeModel, probe.ProbeStatus} {
		d[p] = true
	}
	return d
}

func baseReport() *probe.Report {
	return &probe.Report{
		StartedAt: start, Zone: "Europe/Berlin",
		Target: probe.Target{BaseURL: probe.DefaultBaseURL, BaseURLSource: "default", StatusURL: probe.DefaultStatusURL},
		Active: -1,
		Net: &probe.NetResult{Host: "api.anthropic.com", Addrs: []string{"160.79.104.10"}, TLSVer: "TLS 1.3", TLSIssuer: "WE1",
			DNS: 12 * time.Millisecond, TCP: 20 * time.Millisecond, TLS: 30 * time.Millisecond},
		Control: apiAnswer("control", "/v1/models", 150, 401, "authentication_error", "invalid x-api-key", "req_011CControl0000000000001"),
		Status:  statusOK(90),
		Done:    allDone(),
	}
}

// The hand-built reports of the golden tests.
func rejectedReport() *probe.Report {
	r := baseReport()
	r.Candidates = []probe.Candidate{candidate(summaryKey(1), "env ANTHROPIC_API_KEY", probe.OriginEnv, 0)}
	r.Active = 0
	r.Auth = apiAnswer("auth", "/v1/models", 210, 401, "authentication_error", "invalid x-api-key", "req_011CRejected000000000042")
	r.Quota = apiAnswer("quota", "/v1/messages/count_tokens", 220, 401, "authentication_error", "invalid x-api-key", "req_011CQuota00000000000043")
	r.Quota.Method = "POST"
	return r
}

func shadowedReport() *probe.Report {
	r := rejectedReport()
	r.Candidates = append(r.Candidates, candidate(summaryKey(2), ".env:3", probe.OriginDotenv, 3))
	r.Others = []probe.CandidateAnswer{{Index: 1, Answer: apiAnswer("candidate", "/v1/models", 230, 200, "", "", "req_011CGoodKey0000000000044")}}
	return r
}

func okReport() *probe.Report {
	r := baseReport()
	r.Target.Model = "claude-sonnet-4-5"
	r.Candidates = []probe.Candidate{candidate(summaryKey(3), ".env:1", probe.OriginDotenv, 1)}
	r.Active = 0
	r.Auth = apiAnswer("auth", "/v1/models", 200, 200, "", "", "req_011COk000000000000000045")
	r.Quota = apiAnswer("quota", "/v1/messages/count_tokens", 240, 200, "", "", "req_011COkQuota0000000000046")
	r.Quota.Method = "POST"
	r.Model = apiAnswer("model", "/v1/models/claude-sonnet-4-5", 260, 200, "", "", "req_011COkModel0000000000047")
	return r
}

func networkReport() *probe.Report {
	r := baseReport()
	r.Env.Proxies = []probe.ProxyVar{{Name: "HTTPS_PROXY", Value: "http://proxy.corp.example:3128"}}
	r.Env.NoProxy = "localhost,127.0.0.1"
	r.Candidates = []probe.Candidate{candidate(summaryKey(4), "~/.zshrc:41", probe.OriginShell, 41)}
	r.Candidates[0].Exported = true
	r.Active = 0
	dns := func(label, path string) *probe.Answer {
		return &probe.Answer{Label: label, Method: "GET", URL: probe.DefaultBaseURL + path, Time: at(10010), Attempts: 3,
			Err: &probe.NetError{Phase: "timeout", Message: "no answer within 10s"}}
	}
	r.Net = &probe.NetResult{Host: "api.anthropic.com", Proxy: "http://proxy.corp.example:3128",
		Err: &probe.NetError{Phase: "timeout", Message: "no answer within 10s"}}
	r.Auth, r.Control, r.Quota = dns("auth", "/v1/models"), dns("control", "/v1/models"), dns("quota", "/v1/messages/count_tokens")
	r.Quota.Method = "POST"
	r.Status = &probe.StatusPage{Answer: &probe.Answer{Label: "status", Method: "GET", Time: at(10020),
		URL: probe.DefaultStatusURL + "/api/v2/summary.json", Err: &probe.NetError{Phase: "timeout", Message: "no answer within 10s"}}}
	return r
}

func noKeyReport() *probe.Report { return baseReport() }

func insecureReport() *probe.Report {
	r := baseReport()
	r.Target = probe.Target{BaseURL: "http://llm-gateway.example.com:8080", BaseURLSource: "env:ANTHROPIC_BASE_URL"}
	r.Candidates = []probe.Candidate{candidate(summaryKey(5), "env ANTHROPIC_API_KEY", probe.OriginEnv, 0)}
	r.Active = 0
	r.Net.Host = "llm-gateway.example.com"
	r.Control = nil
	return r
}

// goldenAt checks out against testdata/<name>.golden (regenerate with
// -update), so this file's goldens live under testdata/summary/.
type goldenAt struct {
	testing.TB
	name string
}

func (g goldenAt) Name() string { return g.name }

var testSDKs = []probe.SDK{
	{Name: "@anthropic-ai/sdk", Version: "^0.30.0", File: "package.json", Line: 5, Ecosystem: probe.EcoNPM},
	{Name: "@anthropic-ai/sdk", Version: "0.30.1", File: "package-lock.json", Line: 19, Ecosystem: probe.EcoNPM},
	{Name: "anthropic", Version: "", File: "requirements.txt", Line: 2, Ecosystem: probe.EcoPyPI},
}

func TestSummaryGolden(t *testing.T) {
	tests := []struct {
		name   string
		report *probe.Report
		code   Code
		tried  []string
		want   []string // must appear
		absent []string // must not appear
	}{
		{"rejected", rejectedReport(), KeyRejected, []string{"re-ran verify-key"},
			[]string{"`req_011CRejected000000000042`", "| GET /v1/models (auth) | 401 | authentication_error: invalid x-api-key |",
				"- **When:** 2026-11-25 17:03:11 CET (Europe/Berlin, UTC+01:00); 2026-11-25 16:03:11 UTC",
				"- **Key:** " + probe.Hint(summaryKey(1)) + " (API key) from env ANTHROPIC_API_KEY", "### Tried\n\n- re-ran verify-key"},
			[]string{"Working configuration"}},
		{"shadowed", shadowedReport(), KeyShadowed,
			[]string{"tested key " + probe.Hint(summaryKey(2)) + " (from .env:3)", "ran `unset ANTHROPIC_API_KEY`"},
			[]string{"`req_011CGoodKey0000000000044`", "GET /v1/models (candidate .env:3)"},
			[]string{"Working configuration"}},
		{"ok", okReport(), OK, nil,
			[]string{"### Working configuration (keep this note)", "2026-11-25 17:03 CET  the Claude API accepts this key",
				"key       " + probe.Hint(summaryKey(3)) + " (API key) from .env:1", "model     claude-sonnet-4-5",
				"SDKs      @anthropic-ai/sdk ^0.30.0, 0.30.1; anthropic any version"},
			[]string{"### Tried"}},
		{"network", networkReport(), NetworkUnreachable, nil,
			[]string{"| no answer (3 tries) | timed out: no answer within 10s |",
				"- **Proxy:** HTTPS_PROXY=http://proxy.corp.example:3128; NO_PROXY=localhost,127.0.0.1",
				"status.claude.com/api/v2/summary.json (status)"},
			[]string{"Working configuration"}},
		{"no-key", noKeyReport(), NoKey, nil,
			[]string{"- **Key:** none in use", "`req_011CControl0000000000001`"},
			[]string{"Working configuration"}},
		{"insecure", insecureReport(), InsecureBaseURL, nil,
			[]string{"- **Base URL:** http://llm-gateway.example.com:8080 (env:ANTHROPIC_BASE_URL)", "Left out:", "(status)"},
			[]string{"curl", "(auth)", "Working configuration"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diagnose(tt.report)
			if d.Code != tt.code {
				t.Fatalf("fixture diagnoses as %s (%s), want %s", d.Code, d.Title, tt.code)
			}
			var keys []string
			for _, c := range tt.report.Candidates {
				keys = append(keys, c.Value)
			}
			out := SummaryMarkdown(SummaryInput{Report: tt.report, Diagnosis: d, Version: "0.1.0", OS: "linux", Arch: "amd64",
				SDKs: testSDKs, Tried: tt.tried, Now: start.Add(time.Minute), Redactor: probe.NewRedactor(keys...)})
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("summary lacks %q", w)
				}
			}
			for _, w := range tt.absent {
				if strings.Contains(out, w) {
					t.Errorf("summary holds %q", w)
				}
			}
			golden.RequireEqual(goldenAt{t, "summary/" + tt.name}, []byte(out))
		})
	}
}

// TestSummaryReproductionRuns runs the shell's parser and expansion over
// the curl command as it stands in the redacted summary: pasted into a
// shell, it must send the key from the environment, unchanged.
func TestSummaryReproductionRuns(t *testing.T) {
	key := summaryKey(7)
	for _, base := range []string{probe.DefaultBaseURL, "https://gw.example.com/anthropic/", "https://it's.example.com"} {
		r := rejectedReport()
		r.Target.BaseURL = base
		out := SummaryMarkdown(SummaryInput{Report: r, Redactor: probe.NewRedactor(r.Candidates[0].Value)})
		m := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no sh block in:\n%s", out)
		}
		args := shellArgs(t, m[1], "ANTHROPIC_API_KEY="+key)
		want := []string{"curl", "-sS", "-i", strings.TrimRight(base, "/") + "/v1/models",
			"-H", "x-api-key: " + key, "-H", "anthropic-version: 2023-06-01"}
		if !slices.Equal(args, want) {
			t.Errorf("base %s: the command runs as\n %q\nwant\n %q", base, args, want)
		}
	}
}

func shellArgs(t *testing.T, script string, env ...string) []string {
	t.Helper()
	f, err := syntax.NewParser().Parse(strings.NewReader(script), "")
	if err != nil {
		t.Fatalf("not valid shell: %v\n%s", err, script)
	}
	if len(f.Stmts) != 1 {
		t.Fatalf("want one command, got %d:\n%s", len(f.Stmts), script)
	}
	call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok {
		t.Fatalf("not a simple command:\n%s", script)
	}
	args, err := expand.Fields(&expand.Config{Env: expand.ListEnviron(env...)}, call.Args...)
	if err != nil {
		t.Fatal(err)
	}
	return args
}

// TestSummaryRedactsEverything puts a key into every string of the input,
// in several disguises, and checks that no piece of it survives.
func TestSummaryRedactsEverything(t *testing.T) {
	for seed := uint64(100); seed < 110; seed++ {
		key := summaryKey(seed)
		body := key[len(probe.PrefixAPI):]
		disguises := []string{key, "x" + key + "y", " " + key + "\n", "Bearer " + key, "https://u:" + key + "@h.example/p?key=" + key,
			key[:60], `{"k":"` + key + `"}`, key[len(probe.PrefixAPI):], "x-api-key: " + key}
		n := 0
		next := func() string { n++; return disguises[n%len(disguises)] }

		for _, alloc := range []bool{false, true} {
			in := SummaryInput{Report: okReport(), Diagnosis: Diagnosis{Also: make([]Diagnosis, 2)}, SDKs: make([]probe.SDK, 2),
				Tried: make([]string, 3), Now: start, Redactor: probe.NewRedactor(key)}
			r := in.Report
			r.Candidates = append(r.Candidates, probe.Candidate{}, probe.Candidate{})
			r.Others = []probe.CandidateAnswer{{Index: 1}, {Index: 2}}
			r.CleanAuth = &probe.Answer{}
			r.Env.CustomHeaders = []string{""}
			r.Env.Proxies = []probe.ProxyVar{{}, {}}
			fillStrings(reflect.ValueOf(&in).Elem(), next, alloc)
			for _, c := range []Code{OK, KeyRejected} {
				in.Diagnosis.Code = c
				raw := renderSummary(in)
				if !strings.Contains(raw, body[:20]) {
					t.Fatalf("the key never reached the text: the test proves nothing")
				}
				out := SummaryMarkdown(in)
				env, _ := json.Marshal(EnvironmentOf(in))
				for _, text := range []string{out, string(env)} {
					for i := 0; i+probe.MinPiece <= len(body); i++ {
						if p := body[i : i+probe.MinPiece]; strings.Contains(text, p) {
							t.Fatalf("seed %d: %q of the key survives:\n%s", seed, p, text)
						}
					}
				}
			}
		}
	}
}

// fillStrings sets every string reachable from v (with alloc, through nil
// pointers too), every map of strings and every time to a fixed instant.
func fillStrings(v reflect.Value, next func() string, alloc bool) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(next())
	case reflect.Pointer:
		if v.Type() == reflect.TypeFor[*probe.Redactor]() {
			return
		}
		if v.IsNil() {
			if !alloc {
				return
			}
			v.Set(reflect.New(v.Type().Elem()))
		}
		fillStrings(v.Elem(), next, alloc)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(start))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillStrings(v.Field(i), next, alloc)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			fillStrings(v.Index(i), next, alloc)
		}
	case reflect.Map:
		if v.Type().Elem().Kind() != reflect.String {
			return
		}
		m := reflect.MakeMap(v.Type())
		m.SetMapIndex(reflect.ValueOf(next()), reflect.ValueOf(next()))
		v.Set(m)
	}
}

func TestSummaryEnvironment(t *testing.T) {
	r := networkReport()
	r.Target.Model = "claude-haiku-4-5"
	in := SummaryInput{Report: r, Version: "0.1.0", OS: "darwin", Arch: "arm64", SDKs: testSDKs[:1], Now: start}
	b, err := json.Marshal(EnvironmentOf(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"when":"2026-11-25T17:03:11+01:00","utc":"2026-11-25T16:03:11Z","zone":"Europe/Berlin","version":"0.1.0",` +
		`"os":"darwin","arch":"arm64","sdks":[{"name":"@anthropic-ai/sdk","version":"^0.30.0","file":"package.json","line":5,` +
		`"ecosystem":"npm"}],"model":"claude-haiku-4-5","base_url":"https://api.anthropic.com","base_url_source":"default",` +
		`"proxies":["HTTPS_PROXY=http://proxy.corp.example:3128"]}`
	if string(b) != want {
		t.Errorf("got\n %s\nwant\n %s", b, want)
	}

	b, _ = json.Marshal(EnvironmentOf(SummaryInput{}))
	if want := `{"when":"","utc":"","zone":"","version":"","os":"","arch":"","sdks":[],"base_url":"","base_url_source":"","proxies":[]}`; string(b) != want {
		t.Errorf("empty input: got %s, want %s", b, want)
	}
}

func TestSummaryTimes(t *testing.T) {
	tests := []struct {
		name string
		at   time.Time
		zone string
		want []string
	}{
		{"zone name", start, "Europe/Berlin", []string{"2026-11-25 17:03:11 CET (Europe/Berlin, UTC+01:00); 2026-11-25 16:03:11 UTC"}},
		{"no zone name", start, "", []string{"2026-11-25 17:03:11 CET (UTC+01:00); 2026-11-25 16:03:11 UTC"}},
		{"west, next day in UTC", time.Date(2026, 3, 1, 20, 30, 0, 0, time.FixedZone("PST", -8*3600)), "America/Los_Angeles",
			[]string{"2026-03-01 20:30:00 PST (America/Los_Angeles, UTC-08:00); 2026-03-02 04:30:00 UTC",
				"| 04:30:00 | GET /v1/models (control)", "| 2026-03-03 04:30:01 | GET /api/v2/summary.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := noKeyReport()
			r.StartedAt, r.Zone = tt.at, tt.zone
			r.Control.Time = tt.at
			r.Status.Answer.Time = tt.at.Add(24*time.Hour + time.Second)
			r.Status.Answer.URL = probe.DefaultBaseURL + "/api/v2/summary.json"
			out := SummaryMarkdown(SummaryInput{Report: r})
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("lacks %q in:\n%s", w, out)
				}
			}
		})
	}
}

func TestSummaryEdges(t *testing.T) {
	t.Run("nil report", func(t *testing.T) {
		out := SummaryMarkdown(SummaryInput{Now: start})
		for _, w := range []string{"None were sent.", "- **When:** 2026-11-25 17:03:11 CET (UTC+01:00)", "- **Key:** none in use",
			"SDKs:** none found"} {
			if !strings.Contains(out, w) {
				t.Errorf("lacks %q in:\n%s", w, out)
			}
		}
	})
	t.Run("no redactor still knows the report's keys", func(t *testing.T) {
		r := rejectedReport()
		key := r.Candidates[0].Value
		r.Auth.Message = "echo " + key[len(probe.PrefixAPI)+5:] // no prefix: only a redactor that knows the key finds it
		out := SummaryMarkdown(SummaryInput{Report: r})
		if strings.Contains(out, key[len(probe.PrefixAPI)+5:len(probe.PrefixAPI)+5+probe.MinPiece]) {
			t.Errorf("a piece of the key survives:\n%s", out)
		}
	})
	t.Run("table cells", func(t *testing.T) {
		r := rejectedReport()
		r.Auth.Message = "a|b\nc " + strings.Repeat("x", 300)
		out := SummaryMarkdown(SummaryInput{Report: r})
		row := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "(auth)") {
				row = l
			}
		}
		if !strings.Contains(row, `authentication_error: a\|b c xxx`) || !strings.Contains(row, "x…") || strings.Count(row, " | ") != 4 {
			t.Errorf("bad row: %q", row)
		}
	})
	t.Run("diagnosis computed when missing", func(t *testing.T) {
		if out := SummaryMarkdown(SummaryInput{Report: rejectedReport()}); !strings.Contains(out, "`key_rejected`") {
			t.Errorf("no diagnosis in:\n%s", out)
		}
	})
}

func BenchmarkSummaryMarkdown(b *testing.B) {
	r := shadowedReport()
	in := SummaryInput{Report: r, Diagnosis: Diagnose(r), Version: "0.1.0", OS: "linux", Arch: "amd64", SDKs: testSDKs,
		Tried: []string{"re-ran verify-key"}, Now: start, Redactor: probe.NewRedactor(r.Candidates[0].Value, r.Candidates[1].Value)}
	for b.Loop() {
		SummaryMarkdown(in)
	}
}
