package text

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/fix401/fix401/probe/lint"
)

// goldenName makes golden files land in testdata/<name>.golden, so that this
// file's goldens stay under testdata/lint*.
type goldenName struct {
	testing.TB
	name string
}

func (g goldenName) Name() string { return g.name }

const badCurl = `curl https://api.anthropic.com/v1/messages \
  -H 'x-api-key: $ANTHROPIC_API_KEY' \
  -H "Authorization: Bearer $ANTHROPIC_API_KEY" \
  -d '{"model": "claude-2.1", "max_tokens": 16, "messages": []}'
`

func TestLintGolden(t *testing.T) {
	hand := lint.Report{Schema: 1, Input: lint.Input{Kind: lint.KindSource, Language: "python"}, Findings: []lint.Finding{
		{ID: lint.IDInputParse, Severity: lint.Warn, Line: 0, Message: "Whole-input note.", Fix: "Do this."},
		{ID: lint.IDAuthHardcoded, Severity: lint.Error, Line: 12, Message: "A key (sk-ant-api03-R2D...igAA) is\nwritten here.", Fix: "Move it."},
		{ID: lint.IDModelUnknown, Severity: lint.Info, Line: 140, Message: "claude-x is not known.", Fix: ""},
	}}
	tests := []struct {
		name  string
		r     lint.Report
		color bool
	}{
		{"lint_curl_plain", lint.Lint("cmd.curl", []byte(badCurl)), false},
		{"lint_curl_color", lint.Lint("cmd.curl", []byte(badCurl)), true},
		{"lint_clean", lint.Lint("-", []byte(`curl https://api.anthropic.com/v1/models -H "x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: 2023-06-01"`)), false},
		{"lint_layout", hand, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Lint(&b, tt.r, tt.color); err != nil {
				t.Fatal(err)
			}
			golden.RequireEqual(goldenName{t, tt.name}, b.String())
		})
	}
}

func TestLintColorOnlyWhenAsked(t *testing.T) {
	r := lint.Lint("cmd.curl", []byte(badCurl))
	var plain, color bytes.Buffer
	if err := Lint(&plain, r, false); err != nil {
		t.Fatal(err)
	}
	if err := Lint(&color, r, true); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Fatal("escape codes without color")
	}
	if !strings.Contains(color.String(), "\x1b[") {
		t.Fatal("no escape codes with color")
	}
}

func TestLintSummary(t *testing.T) {
	f := func(s lint.Severity) lint.Finding {
		return lint.Finding{ID: "x", Severity: s, Line: 1, Message: "m", Fix: "f"}
	}
	tests := []struct {
		r    lint.Report
		want string
	}{
		{lint.Report{Input: lint.Input{Kind: lint.KindCurl}}, "No problems found in this curl command."},
		{lint.Report{Input: lint.Input{Kind: lint.KindHTTP}, Findings: []lint.Finding{f(lint.Error)}}, "1 error in this HTTP request."},
		{lint.Report{Input: lint.Input{Kind: lint.KindSource, Language: "go"}, Findings: []lint.Finding{f(lint.Warn), f(lint.Error), f(lint.Warn), f(lint.Info)}},
			"1 error, 2 warnings, 1 note in this Go file."},
		{lint.Report{Input: lint.Input{Kind: lint.KindSource, Language: "unknown"}, Findings: []lint.Finding{f(lint.Info), f(lint.Info)}}, "2 notes in this input."},
	}
	for _, tt := range tests {
		if got := lintSummary(tt.r); got != tt.want {
			t.Errorf("lintSummary = %q, want %q", got, tt.want)
		}
	}
}
