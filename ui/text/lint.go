package text

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/lint"
)

type lintStyles struct {
	sev      map[lint.Severity]lipgloss.Style
	id, line lipgloss.Style
	fix      lipgloss.Style
	summary  lipgloss.Style
}

func newLintStyles(color bool) lintStyles {
	plain := lipgloss.NewStyle()
	s := lintStyles{sev: map[lint.Severity]lipgloss.Style{lint.Error: plain, lint.Warn: plain, lint.Info: plain},
		id: plain, line: plain, fix: plain, summary: plain}
	if !color {
		return s
	}
	s.sev[lint.Error] = plain.Foreground(lipgloss.Color("1")).Bold(true)
	s.sev[lint.Warn] = plain.Foreground(lipgloss.Color("3"))
	s.sev[lint.Info] = plain.Foreground(lipgloss.Color("4"))
	s.id = plain.Bold(true)
	s.line = plain.Faint(true)
	s.fix = plain.Foreground(lipgloss.Color("6"))
	s.summary = plain.Bold(true)
	return s
}

// Lint writes a lint report: one line per finding — where, how bad, which
// check, what is wrong — with the fix indented under it, then a summary.
// Colour is used only when color is true.
func Lint(w io.Writer, r lint.Report, color bool) error {
	st := newLintStyles(color)
	lineW, idW := len("line -"), 0
	for _, f := range r.Findings {
		lineW = max(lineW, len("line ")+len(strconv.Itoa(f.Line)))
		idW = max(idW, len(f.ID))
	}
	sevW := len("error")
	indent := strings.Repeat(" ", lineW+2+sevW+2+idW+2)
	var b strings.Builder
	for _, f := range r.Findings {
		where := "line -"
		if f.Line > 0 {
			where = "line " + strconv.Itoa(f.Line)
		}
		fmt.Fprintf(&b, "%s  %s  %s  %s\n",
			st.line.Render(lintPad(where, lineW)),
			st.sev[f.Severity].Render(lintPad(string(f.Severity), sevW)),
			st.id.Render(lintPad(f.ID, idW)),
			lintOneLine(f.Message))
		if f.Fix != "" {
			fmt.Fprintf(&b, "%s%s\n", indent, st.fix.Render("fix: "+lintOneLine(f.Fix)))
		}
	}
	if len(r.Findings) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(st.summary.Render(probe.Sanitize(lintSummary(r))) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// lintSummary counts the findings by severity and says what was read.
func lintSummary(r lint.Report) string {
	what := lintDescribe(r.Input)
	if len(r.Findings) == 0 {
		return "No problems found in " + what + "."
	}
	var parts []string
	for _, c := range []struct {
		s    lint.Severity
		word string
	}{{lint.Error, "error"}, {lint.Warn, "warning"}, {lint.Info, "note"}} {
		if n := r.Count(c.s); n > 0 {
			word := c.word
			if n > 1 {
				word += "s"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, word))
		}
	}
	return strings.Join(parts, ", ") + " in " + what + "."
}

func lintDescribe(in lint.Input) string {
	switch in.Kind {
	case lint.KindCurl:
		return "this curl command"
	case lint.KindHTTP:
		return "this HTTP request"
	}
	switch in.Language {
	case "", "unknown":
		return "this input"
	case "text":
		return "this text"
	case "shell":
		return "this shell script"
	case "notebook":
		return "this notebook"
	case "dotenv":
		return "this .env file"
	}
	return "this " + lint.LanguageLabel(in.Language) + " file"
}

func lintPad(s string, w int) string {
	if n := w - len(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// lintOneLine keeps a finding on its line whatever its text holds.
func lintOneLine(s string) string {
	return strings.Join(strings.Fields(probe.Sanitize(s)), " ")
}
