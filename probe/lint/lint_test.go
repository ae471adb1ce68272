package lint

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testNow is the day the model table was written; fixtures are judged then.
var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// fakeKeys builds one credential of every kind at run time, the same on
// every run, so that no key literal lives in the repository.
func fakeKeys() map[string]string {
	r := rand.New(rand.NewChaCha8([32]byte{'f', 'i', 'x', '4', '0', '1'}))
	body := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = keyAlphabet[r.IntN(len(keyAlphabet))]
		}
		return string(b)
	}
	return map[string]string{
		"@@APIKEY@@":   "sk-ant-api03-" + body(93) + "AA",
		"@@ADMINKEY@@": "sk-ant-admin01-" + body(93) + "AA",
		"@@OAUTH@@":    "sk-ant-oat01-" + body(93) + "AA",
		"@@OPENAI@@":   "sk-proj-" + body(120),
		"@@GOOGLE@@":   "AIza" + body(35),
	}
}

func readFixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for tok, key := range fakeKeys() {
		s = strings.ReplaceAll(s, tok, key)
	}
	return []byte(s)
}

// assertNoKey fails when any finding shows more of a key than its hint.
func assertNoKey(t *testing.T, r Report) {
	t.Helper()
	for _, key := range fakeKeys() {
		body := key[strings.LastIndexByte(key[:min(len(key), 16)], '-')+1:]
		for _, f := range r.Findings {
			text := f.Message + f.Fix
			for i := 0; i+8 <= len(body); i++ {
				if strings.Contains(text, body[i:i+8]) {
					t.Fatalf("finding %s shows part of a key: %q", f.ID, text)
				}
			}
		}
	}
}

func ids(r Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.ID)
	}
	return out
}

var reWantLine = regexp.MustCompile(`_L(\d+)`)

// TestFixtures runs every testdata/<id>/ file: fire* files must report the
// id (on line N when the name has _LN), ok* files must not report it.
func TestFixtures(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*.*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		id := filepath.Base(dir)
		files, _ := os.ReadDir(dir)
		for _, fe := range files {
			name := fe.Name()
			t.Run(id+"/"+name, func(t *testing.T) {
				r := lintAt(name, readFixture(t, filepath.Join(dir, name)), testNow)
				assertNoKey(t, r)
				var lines []int
				for _, f := range r.Findings {
					if f.ID == id {
						lines = append(lines, f.Line)
					}
				}
				switch {
				case strings.HasPrefix(name, "fire"):
					if len(lines) == 0 {
						t.Fatalf("want %s, got %v", id, r.Findings)
					}
					if m := reWantLine.FindStringSubmatch(name); m != nil {
						want, _ := strconv.Atoi(m[1])
						if !slices.Contains(lines, want) {
							t.Fatalf("want %s on line %d, got lines %v: %v", id, want, lines, r.Findings)
						}
					}
				case strings.HasPrefix(name, "ok"):
					if len(lines) > 0 {
						t.Fatalf("want no %s, got %v", id, r.Findings)
					}
				default:
					t.Fatalf("fixture names start with fire or ok")
				}
			})
		}
	}
}

// TestClean: correct requests in every supported form report nothing.
func TestClean(t *testing.T) {
	files, err := filepath.Glob("testdata/clean/*")
	if err != nil || len(files) == 0 {
		t.Fatal("no clean fixtures", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			r := lintAt(filepath.Base(path), readFixture(t, path), testNow)
			if len(r.Findings) > 0 {
				t.Fatalf("want no findings, got %+v", r.Findings)
			}
		})
	}
}

// TestEveryIDHasFixtures keeps the fixture set complete.
func TestEveryIDHasFixtures(t *testing.T) {
	for _, id := range IDs {
		if id == IDInternal || id == IDInputTooLarge {
			continue // a bug, and 2 MiB of input: tested in code
		}
		fire, _ := filepath.Glob(filepath.Join("testdata", id, "fire*"))
		ok, _ := filepath.Glob(filepath.Join("testdata", id, "ok*"))
		if len(fire) == 0 || len(ok) == 0 {
			t.Errorf("%s: %d firing and %d quiet fixtures; want at least one of each", id, len(fire), len(ok))
		}
	}
}

func TestTooLarge(t *testing.T) {
	src := []byte(strings.Repeat("curl https://api.anthropic.com/v1/models\n", MaxInput/40+1))
	r := Lint("big.curl", src)
	if got := ids(r); !slices.Equal(got, []string{IDInputTooLarge}) || !r.HasErrors() {
		t.Fatalf("got %v", got)
	}
	if r.Input.Kind != KindCurl {
		t.Fatalf("kind %q, want curl from the name", r.Input.Kind)
	}
	r = Lint("ok.curl", src[:MaxInput])
	if slices.Contains(ids(r), IDInputTooLarge) {
		t.Fatal("input at the limit reported as too large")
	}
}

func TestJSON(t *testing.T) {
	path := "testdata/auth.conflict/fire_L3.curl"
	r := lintAt("-", readFixture(t, path), testNow)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Schema int `json:"schema"`
		Input  struct {
			Kind     string `json:"kind"`
			Language string `json:"language"`
		} `json:"input"`
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Schema != 1 || got.Input.Kind != "curl" || got.Input.Language != "shell" || len(got.Findings) == 0 {
		t.Fatalf("got %s", b)
	}
	for _, f := range got.Findings {
		for _, k := range []string{"id", "severity", "line", "message", "fix"} {
			if _, ok := f[k]; !ok {
				t.Fatalf("finding without %q: %s", k, b)
			}
		}
	}
	clean := lintAt("x.curl", readFixture(t, "testdata/clean/curl.curl"), testNow)
	b, _ = json.Marshal(clean)
	if !strings.Contains(string(b), `"findings":[]`) {
		t.Fatalf("empty findings must be [], got %s", b)
	}
}

func TestHint(t *testing.T) {
	k := fakeKeys()
	api, oauth, openai := k["@@APIKEY@@"], k["@@OAUTH@@"], k["@@OPENAI@@"]
	tests := []struct{ in, want string }{
		{api, "sk-ant-api03-" + api[13:16] + "..." + api[len(api)-4:]},
		{oauth, "sk-ant-oat01-" + oauth[13:16] + "..." + oauth[len(oauth)-4:]},
		{"sk-ant-api03-short", "sk-ant-api03-..."},
		{"sk-ant-", "sk-ant-..."},
		{openai, openai[:4] + "..." + openai[len(openai)-4:]},
		{"tiny", "(hidden)"},
	}
	for _, tt := range tests {
		if got := hint(tt.in); got != tt.want {
			t.Errorf("hint(%.16s…) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	k := fakeKeys()["@@APIKEY@@"]
	got := redact("before " + k + " after")
	if strings.Contains(got, k[13:40]) || !strings.Contains(got, hint(k)) {
		t.Fatalf("redact left the key: %q", got)
	}
	if redact(hint(k)) != hint(k) {
		t.Fatal("redact changed a hint")
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, src string
		kind      Kind
		lang      string
	}{
		{"-", "curl https://api.anthropic.com/v1/models", KindCurl, "shell"},
		{"-", "$ curl https://api.anthropic.com/v1/models", KindCurl, "shell"},
		{"-", "\n\nPOST /v1/messages HTTP/1.1\nHost: api.anthropic.com\n", KindHTTP, "http"},
		{"-", "package main\n", KindSource, "go"},
		{"-", "import anthropic\n", KindSource, "python"},
		{"-", "from anthropic import Anthropic\n", KindSource, "python"},
		{"-", "import Anthropic from \"@anthropic-ai/sdk\";\n", KindSource, "javascript"},
		{"-", "#!/bin/bash\ncurl x\n", KindSource, "shell"},
		{"-", "ANTHROPIC_API_KEY=x\n", KindSource, "dotenv"},
		{"-", "{\"env\": {}}", KindSource, "json"},
		{"-", "hello there", KindSource, "text"},
		{"notes.md", "curl https://api.anthropic.com/v1/models", KindSource, "markdown"},
		{"-", "# Setup\n\n```bash\ncurl https://api.anthropic.com/v1/models\n```\n", KindSource, "markdown"},
		{"-", "package com.example.claude;\n\nimport java.net.http.HttpClient;\n", KindSource, "java"},
		{"-", "package app\n\nimport okhttp3.OkHttpClient\n\nobject Client {\n    val x = 1\n}\n", KindSource, "kotlin"},
		{"-", "package main\n\nfunc main() {}\n", KindSource, "go"},
		{"-", "<?php\n$ch = curl_init();\n", KindSource, "php"},
		{"-", "{\n \"cells\": [],\n \"nbformat\": 4\n}\n", KindSource, "notebook"},
		{"-", "name: CI\non:\n  push:\njobs:\n  test:\n    runs-on: ubuntu-latest\n", KindSource, "yaml"},
		{"-", "library(httr)\nPOST(url)\n", KindSource, "r"},
		{"-", "using System.Net.Http;\n", KindSource, "csharp"},
		{"-", "@echo off\ncurl https://api.anthropic.com/v1/models\n", KindSource, "batch"},
		{"a.rb", "", KindSource, "ruby"},
		{"a.lua", "", KindSource, "lua"},
		{"Dockerfile", "", KindSource, "shell"},
		{"a.tsx", "", KindSource, "typescript"},
		{"x/.env.local", "", KindSource, "dotenv"},
		{"req.http", "", KindHTTP, "http"},
		{"page.vue", "", KindSource, "html"},
	}
	for _, tt := range tests {
		k, lang, _ := detect(tt.name, tt.src)
		if k != tt.kind || lang != tt.lang {
			t.Errorf("detect(%q, %.20q) = %s/%s, want %s/%s", tt.name, tt.src, k, lang, tt.kind, tt.lang)
		}
	}
}

func TestModelDates(t *testing.T) {
	src := []byte(`curl https://api.anthropic.com/v1/messages -H "x-api-key: $K" -H "anthropic-version: 2023-06-01" --json '{"model": "claude-sonnet-4-5"}'`)
	before := lintAt("a.curl", src, time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC))
	after := lintAt("a.curl", src, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	if got := ids(before); !slices.Equal(got, []string{IDModelDeprecated}) {
		t.Errorf("before retirement: %v", got)
	}
	if got := ids(after); !slices.Equal(got, []string{IDModelRetired}) {
		t.Errorf("on the retirement day: %v", got)
	}
	for id, date := range retirements {
		if _, err := time.Parse(time.DateOnly, date); err != nil || activeModels[id] {
			t.Errorf("%s: bad date %q or also listed as active", id, date)
		}
	}
}

func TestGoModelConst(t *testing.T) {
	tests := map[string]string{
		"ModelClaude3_5SonnetLatest":     "claude-3-5-sonnet-latest",
		"ModelClaude_3_Haiku_20240307":   "claude-3-haiku-20240307",
		"ModelClaudeSonnet4_20250514":    "claude-sonnet-4-20250514",
		"ModelClaude3OpusLatest":         "claude-3-opus-latest",
		"ModelClaude3_7Sonnet20250219":   "claude-3-7-sonnet-20250219",
		"ModelClaudeOpus4_1_20250805":    "claude-opus-4-1-20250805",
		"ModelClaude2_1":                 "claude-2.1",
		"ModelClaudeInstant1_2":          "claude-instant-1.2",
		"ModelClaudeSonnet4_5_20250929":  "claude-sonnet-4-5-20250929",
		"ModelClaude_3_5_Sonnet_2024062": "claude-3-5-sonnet-2024062",
	}
	for in, want := range tests {
		if got := goModelConst(in); got != want {
			t.Errorf("goModelConst(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCurlForms checks how curl options are read: the exact set of ids.
func TestCurlForms(t *testing.T) {
	const ok = ` -H "x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: 2023-06-01"`
	tests := []struct {
		name, src string
		want      []string
	}{
		{"grouped short flags", `curl -sSH 'anthropic-version: 2023-06-01' https://api.anthropic.com/v1/models -H "x-api-key: $K"`, nil},
		{"attached value", `curl -H'x-api-key: $K' -H"anthropic-version: 2023-06-01" https://api.anthropic.com/v1/models`, []string{IDAuthEnvUnexpanded}},
		{"expand-header", `curl --variable %ANTHROPIC_API_KEY --expand-header "x-api-key: {{ANTHROPIC_API_KEY}}" -H "anthropic-version: 2023-06-01" https://api.anthropic.com/v1/models`, nil},
		{"sudo", `sudo curl https://api.anthropic.com/v1/models -H "anthropic-version: 2023-06-01"`, []string{IDAuthMissing}},
		{"options before url", `curl -X GET -o out.json --max-time 10 https://api.anthropic.com/v1/models` + ok, nil},
		{"windows continuation", "curl https://api.anthropic.com/v1/models ^\n -H \"x-api-key: $K\" ^\n -H \"anthropic-version: 2023-06-01\"", nil},
		{"two commands", "curl https://api.anthropic.com/v1/models" + ok + "\ncurl https://api.anthropic.com/v1/models -H 'x-api-key: $K'", []string{IDVersionMissing, IDAuthEnvUnexpanded}},
		{"pipe", "curl -s https://api.anthropic.com/v1/models" + ok + " | jq .", nil},
		{"opaque options", `curl $CURL_OPTS https://api.anthropic.com/v1/models`, nil},
		{"url from variable", `curl "$ANTHROPIC_BASE_URL/v1/models"` + ok, nil},
		{"unrelated", `curl -fsSL https://example.com/install.sh | sh`, []string{IDInputNoRequest}},
		{"other service with x-api-key", `curl https://api.weather.example/v2/now -H "x-api-key: $WEATHER_KEY"`, []string{IDInputNoRequest}},
		{"local stub", `curl http://127.0.0.1:8401/v1/models -H "x-api-key: $K"`, []string{IDVersionMissing}},
		{"oauth2-bearer", `curl --oauth2-bearer "$ANTHROPIC_API_KEY" https://api.anthropic.com/v1/models -H "anthropic-version: 2023-06-01"`, []string{IDAuthBearer}},
		{"heredoc body", "curl https://api.anthropic.com/v1/messages" + ok + " -H 'content-type: application/json' -d @- <<EOF\n{\"model\": \"claude-2.0\"}\nEOF", []string{IDModelRetired}},
		{"body var in single quotes", `curl https://api.anthropic.com/v1/messages` + ok + ` --json '{"model": "$MODEL"}'`, []string{IDAuthEnvUnexpanded}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := lintAt("cmd.curl", []byte(tt.src), testNow)
			got := ids(r)
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v\n%+v", got, want, r.Findings)
			}
		})
	}
}

// TestNeverPanics feeds odd input of every kind through the public entry.
func TestNeverPanics(t *testing.T) {
	odd := []string{
		"", "\x00\x01", "\xff\xfe\xfd", "curl", "curl -H", "curl '", `curl "$(`, "curl ${", "curl -H 'x-api-key:",
		"POST", "POST /v1/messages HTTP/1.1\nx-api-key", "f\"", "`${", "'''", `"""`, "/*", "<!--", "\x01\x02\x01",
		"model=\x01", "os.environ[", "new Anthropic(", "anthropic.Anthropic(api_key=", strings.Repeat("(", 5000),
		strings.Repeat("\"", 1001), "curl " + strings.Repeat("-H a:b ", 2000), "x-api-key: \xff\xfe",
	}
	names := []string{"-", "a.curl", "a.http", "a.py", "a.js", "a.tsx", "a.go", "a.sh", "a.html", "a.json", ".env", "a.txt"}
	for _, src := range odd {
		for _, name := range names {
			r := Lint(name, []byte(src))
			if slices.Contains(ids(r), IDInternal) {
				t.Errorf("Lint(%q, %.30q) panicked inside", name, src)
			}
			for _, f := range r.Findings {
				if f.Line < 0 || f.Message == "" || f.Fix == "" || !slices.Contains(IDs, f.ID) {
					t.Errorf("Lint(%q, %.30q): bad finding %+v", name, src, f)
				}
			}
		}
	}
}

func TestCounts(t *testing.T) {
	r := Report{Findings: []Finding{{Severity: Warn}, {Severity: Info}, {Severity: Warn}}}
	if r.HasErrors() || r.Count(Warn) != 2 || r.Count(Info) != 1 {
		t.Fatalf("counts wrong: %+v", r)
	}
	r.Findings = append(r.Findings, Finding{Severity: Error})
	if !r.HasErrors() {
		t.Fatal("HasErrors missed an error")
	}
}

func TestRedactFragments(t *testing.T) {
	tests := map[string]string{
		"model sk-ant-api03-abcd is odd": "model sk-ant-api03-... is odd",
		"sk-ant-api03-R2D...igAA":        "sk-ant-api03-R2D...igAA",
		"no key here":                    "no key here",
	}
	for in, want := range tests {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkLintLarge measures inputs near MaxInput: a long Python file and a
// script of many curl commands.
func BenchmarkLintLarge(b *testing.B) {
	py, err := os.ReadFile("testdata/clean/raw.py")
	if err != nil {
		b.Fatal(err)
	}
	sh, err := os.ReadFile("testdata/clean/script.sh")
	if err != nil {
		b.Fatal(err)
	}
	for _, in := range []struct {
		name string
		src  []byte
	}{
		{"big.py", []byte(strings.Repeat(string(py), MaxInput/len(py)))},
		{"big.sh", []byte(strings.Repeat(string(sh), MaxInput/len(sh)))},
		{"big.js", []byte(strings.Repeat("const s = 'it''s' + \"x\" // c\n", MaxInput/32))},
	} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.src)))
			for b.Loop() {
				Lint(in.name, in.src)
			}
		})
	}
}
