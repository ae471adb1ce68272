package apply

import (
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/steps/fix"
)

// Tilde writes a path under home as ~/…, the way people read their own
// files.
func Tilde(path, home string) string {
	if home != "" {
		if rel, ok := under(filepath.Clean(home), path); ok {
			return "~" + string(filepath.Separator) + rel
		}
	}
	return path
}

// TildeHeader names the file in a diff's ---/+++ lines as ~/… when it is
// under home; the lines of the file itself are left as they are.
func TildeHeader(diff, home string) string {
	lines := strings.SplitAfterN(diff, "\n", 3)
	for j := 0; j < 2 && j < len(lines); j++ {
		if len(lines[j]) < 4 || (!strings.HasPrefix(lines[j], "--- ") && !strings.HasPrefix(lines[j], "+++ ")) {
			break
		}
		lines[j] = lines[j][:4] + Tilde(strings.TrimSuffix(lines[j][4:], "\n"), home) + "\n"
	}
	return strings.Join(lines, "")
}

// PlanText is the plan as fix401 fix shows it: each change with what it
// answers and its diff, then each step left to do by hand with its command
// or page. Prose wraps at width columns; diff lines never do. The diffs
// are masked through red; the caller passes the whole through red too.
func PlanText(p fix.Plan, red *probe.Redactor, home string, width int) string {
	var b strings.Builder
	head := "Plan: " + steps.CountWords(len(p.Changes), "file change", "file changes")
	if len(p.Changes) == 0 {
		head = "Plan: no file to change"
	}
	if n := len(p.Manual); n > 0 {
		head += ", " + steps.CountWords(n, "step", "steps") + " to do by hand"
	}
	b.WriteString(head + "\n")
	for i, c := range p.Changes {
		fmt.Fprintf(&b, "\n%d. %s\n", i+1, Tilde(c.Path, home))
		for _, why := range c.Why {
			b.WriteString(Wrap(why.Title+" ("+string(why.Code)+")", "   · ", "     ", width))
		}
		d := Diff(c, red)
		if d == "" {
			b.WriteString("   (nothing to change)\n")
			continue
		}
		b.WriteString(TildeHeader(d, home))
	}
	if len(p.Manual) > 0 {
		b.WriteString("\nTo do by hand (no file edit can do these):\n")
		for _, m := range p.Manual {
			b.WriteString(Wrap(m.Title+" ("+string(m.Code)+")", "  · ", "    ", width))
			if m.Command != "" {
				b.WriteString("      " + m.Command + "\n")
			}
			if m.URL != "" {
				b.WriteString("    → " + m.URL + "\n")
			}
		}
	}
	return b.String()
}

// Wrap wraps s at spaces to width columns, the first line after first and
// the rest after rest, and ends it with a newline. Words are never split,
// so a key hint or a path stays whole.
func Wrap(s, first, rest string, width int) string {
	var b strings.Builder
	line := first
	for i, word := range strings.Fields(s) {
		switch {
		case i > 0 && len([]rune(line))+1+len([]rune(word)) > width:
			b.WriteString(line + "\n")
			line = rest + word
		case i > 0:
			line += " " + word
		default:
			line += word
		}
	}
	b.WriteString(line + "\n")
	return b.String()
}

// Colors paints the diff lines of text (as PlanText writes them): removed
// lines red, added green, hunk headers cyan, file headers bold. Each
// painted line is sanitized first, so the result may go through
// probe.Redactor.Styled; other lines are left as they are.
func Colors(text string) string {
	plain := lipgloss.NewStyle().TabWidth(lipgloss.NoTabConversion) // a diff keeps its tabs
	del := plain.Foreground(lipgloss.Color("1"))
	add := plain.Foreground(lipgloss.Color("2"))
	hunk := plain.Foreground(lipgloss.Color("6"))
	file := plain.Bold(true)
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		body, nl := strings.CutSuffix(l, "\n")
		var st *lipgloss.Style
		switch {
		case strings.HasPrefix(body, "--- "), strings.HasPrefix(body, "+++ "):
			st = &file
		case strings.HasPrefix(body, "@@ "):
			st = &hunk
		case strings.HasPrefix(body, "-"):
			st = &del
		case strings.HasPrefix(body, "+"):
			st = &add
		}
		if st == nil {
			continue
		}
		lines[i] = st.Render(probe.Sanitize(body))
		if nl {
			lines[i] += "\n"
		}
	}
	return strings.Join(lines, "")
}
