package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// defaultWidth is used before the terminal reports its size.
const defaultWidth = 80

// nbHyphen stands in for "-" while text is wrapped.
const nbHyphen = "\u2011"

// View renders the screen. Every byte of it passes the redactor.
func (m Model) View() tea.View {
	w := m.contentWidth()
	parts := []string{m.viewHeader(), m.body.View(), m.viewFooter(w), m.help.View(m.keys)}
	content := lipgloss.NewStyle().PaddingLeft(1).Render(strings.Join(parts, "\n"))
	v := tea.NewView(m.red.String(content))
	v.AltScreen = true
	n, total := m.wiz.Progress()
	v.WindowTitle = fmt.Sprintf("fix401 · %d/%d %s", n, total, m.wiz.Step.Title())
	return v
}

func (m Model) contentWidth() int {
	w := m.width
	if w <= 0 {
		w = defaultWidth
	}
	return max(20, w-2)
}

// layout sizes the body to what the header, footer and help leave.
func (m *Model) layout() {
	w := m.contentWidth()
	m.help.SetWidth(w)
	m.input.SetWidth(max(8, w-10))
	m.body.SetWidth(w)
	if m.height <= 0 {
		return // Snapshot: refresh makes the body as tall as its content
	}
	helpH := 1
	if m.help.ShowAll {
		helpH = lipgloss.Height(m.help.View(m.keys))
	}
	m.bodyHeight = max(3, m.height-2-1-helpH)
	m.body.SetHeight(m.bodyHeight)
}

// refresh renders the current step into the scrolling body.
func (m *Model) refresh() {
	content := m.viewBody(m.contentWidth())
	m.body.SetContent(content)
	if m.height <= 0 {
		m.body.SetHeight(lipgloss.Height(content))
	}
}

func (m Model) viewHeader() string {
	w := m.contentWidth()
	s := m.styles
	n, total := m.wiz.Progress()
	left := s.Brand.Render("fix401") + "  " + s.Progress.Render(fmt.Sprintf("%d/%d", n, total)) + " " +
		s.StepTitle.Render(m.wiz.Step.Title())
	tag := ""
	if m.opts.DemoName != "" {
		tag = "demo: " + m.opts.DemoName
	}
	if gap := w - lipgloss.Width(left) - lipgloss.Width(tag); tag != "" && gap >= 2 {
		left += strings.Repeat(" ", gap) + s.Tag.Render(tag)
	}
	return left + "\n" + s.Rule.Render(strings.Repeat("─", w))
}

func (m Model) viewFooter(w int) string {
	s := m.styles
	switch m.state {
	case stateEnterKey:
		return m.input.View()
	case stateConfirmWrite:
		return s.Prompt.Render(truncate(fmt.Sprintf("Write the key to %s? Only its ANTHROPIC_API_KEY line changes. (y/n)",
			m.tidy(m.envFile())), w))
	case stateConfirmIgnore:
		return s.Prompt.Render(truncate(fmt.Sprintf("Add .env to %s? (y/n)", m.tidy(m.gitignoreFile())), w))
	}
	switch {
	case m.flash != "" && m.flashErr:
		return s.FlashErr.Render(truncate(m.flash, w))
	case m.flash != "":
		return s.Flash.Render(truncate(m.flash, w))
	case m.keys.Down.Enabled() && !m.body.AtBottom():
		return s.Faint.Render(fmt.Sprintf("↓ more below (%d%%)", int(m.body.ScrollPercent()*100)))
	}
	return ""
}

func (m Model) envFile() string {
	if m.envPath != "" {
		return m.envPath
	}
	return m.projectDir() + "/.env"
}

func (m Model) gitignoreFile() string { return m.projectDir() + "/.gitignore" }

// truncate shortens a line to w cells.
func truncate(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// viewBody is the step itself: explanation, results, verdict.
func (m Model) viewBody(w int) string {
	s := m.styles
	if m.report == nil {
		return m.pendingMark() + " " + s.Text.Render("Looking for keys…")
	}
	in := m.stepInput()
	p := steps.BuildPage(in, m.wiz.Step)
	var sec []string
	add := func(block string) {
		if block != "" {
			sec = append(sec, block)
		}
	}
	add(m.para(s.Text, p.Explain, w))
	switch p.Step {
	case steps.Understand:
		add(m.viewFacts(p.Facts, w))
		add(m.viewChecks(p.Checks, w))
	case steps.Checklist:
		add(m.viewChecklist(in, w))
	case steps.Verify:
		add(m.viewCompare(p.Compare, w))
		add(m.viewChecks(p.Checks, w))
	case steps.Summary:
		add(hang(s.Advice, p.Advice, w, "→ ", "  "))
		add(m.viewSummary(w))
		return strings.Join(sec, "\n\n")
	default:
		add(m.viewChecks(p.Checks, w))
	}
	if p.Onboarding != nil {
		add(m.viewOnboarding(p.Onboarding, steps.Shadows(in.Report), w))
	}
	if p.Step == steps.NewKey {
		add(m.viewShadows(p.Shadows, w))
	}
	add(m.viewVerdict(p, w))
	return strings.Join(sec, "\n\n")
}

// keepHyphens stops a table from breaking a cell at its hyphens; unbreak
// undoes it once the table is rendered.
func keepHyphens(s string) string { return strings.ReplaceAll(s, "-", nbHyphen) }

func unbreak(s string) string { return strings.ReplaceAll(s, nbHyphen, "-") }

// para wraps text to w cells in a style, line by line.
func (m Model) para(st lipgloss.Style, text string, w int) string {
	return hang(st, text, w, "", "")
}

// hang wraps text to w cells with a first-line prefix and an indent for
// the lines after it; the prefixes are printed as they are.
func hang(st lipgloss.Style, text string, w int, first, rest string) string {
	if text == "" {
		return ""
	}
	width := max(10, w-lipgloss.Width(rest))
	// Lines break at spaces only: a break inside sk-ant-api03-… or
	// x-api-key would make them hard to read and to copy.
	wrapped := lipgloss.Wrap(strings.ReplaceAll(text, "-", nbHyphen), width, "")
	var out []string
	for i, line := range strings.Split(strings.ReplaceAll(wrapped, nbHyphen, "-"), "\n") {
		pre := rest
		if i == 0 {
			pre = first
		}
		out = append(out, pre+st.Render(line))
	}
	return strings.Join(out, "\n")
}

func (m Model) mark(st probe.Status) string {
	if st == probe.Pending && !m.snapshot {
		return m.pendingMark()
	}
	return m.styles.Mark(st)
}

func (m Model) pendingMark() string {
	return m.styles.Marks[probe.Pending].Render("[") + m.spin.View() + m.styles.Marks[probe.Pending].Render("]")
}

// viewChecks is doctor-style: a mark and the finding on one line, the
// evidence and the fix indented under problems only.
func (m Model) viewChecks(cs []probe.Result, w int) string {
	s := m.styles
	var lines []string
	for _, c := range cs {
		lines = append(lines, hang(s.Text, c.Title, w, m.mark(c.Status)+" ", "    "))
		problem := c.Status == probe.Fail || c.Status == probe.Warn || c.Status == probe.Error
		if problem && c.Detail != "" {
			for _, d := range strings.Split(c.Detail, "\n") {
				lines = append(lines, hang(s.Faint, d, w, "    ", "    "))
			}
		}
		if problem && c.Fix != "" {
			lines = append(lines, hang(s.Fix, c.Fix, w, "    → ", "      "))
		}
	}
	return strings.Join(lines, "\n")
}

func (m Model) viewFacts(fs []steps.Fact, w int) string {
	if len(fs) == 0 {
		return ""
	}
	lw := 0
	for _, f := range fs {
		lw = max(lw, lipgloss.Width(f.Label))
	}
	var lines []string
	for _, f := range fs {
		label := m.styles.Label.Render(f.Label + strings.Repeat(" ", lw-lipgloss.Width(f.Label)+2))
		lines = append(lines, hang(m.styles.Text, f.Value, w, label, strings.Repeat(" ", lw+2)))
	}
	return strings.Join(lines, "\n")
}

// viewVerdict is the step's conclusion and next move, or "checking…".
func (m Model) viewVerdict(p steps.Page, w int) string {
	s := m.styles
	if p.Conclusion == "" && p.Advice == "" {
		if p.Step == steps.Summary || !m.busy() && m.report.Finished() {
			return ""
		}
		return m.pendingMark() + " " + s.Faint.Render("checking… "+m.progressWords())
	}
	var lines []string
	lines = append(lines, s.Rule.Render(strings.Repeat("─", min(w, 40))))
	if p.Conclusion != "" {
		lines = append(lines, hang(s.Conclusion, p.Conclusion, w, m.mark(p.Verdict)+" ", "    "))
	}
	if p.Advice != "" {
		lines = append(lines, hang(s.Advice, p.Advice, w, "    → ", "      "))
	}
	return strings.Join(lines, "\n")
}

// progressWords says how many probes have answered.
func (m Model) progressWords() string {
	r := m.shown()
	planned := m.report.Planned()
	done := 0
	for _, p := range planned {
		if r.Done[p] {
			done++
		}
	}
	return fmt.Sprintf("%d of %d probes answered", done, len(planned))
}

func (m Model) viewCompare(rows []steps.CompareRow, w int) string {
	s := m.styles
	rerun := m.stepInput().Rerun()
	t := table.New().Border(lipgloss.RoundedBorder()).BorderStyle(s.TableBorder).Wrap(true)
	if rerun {
		t.Headers("", "Before (first run)", "After (this run)")
	} else {
		t.Headers("", "First run")
	}
	for _, r := range rows {
		if rerun {
			t.Row(r.Label, keepHyphens(r.Before), keepHyphens(r.After))
		} else {
			t.Row(r.Label, keepHyphens(r.Before))
		}
	}
	t.StyleFunc(func(row, col int) lipgloss.Style {
		switch {
		case row == table.HeaderRow:
			return s.TableHeader
		case col == 0:
			return s.Label.Padding(0, 1)
		}
		return s.TableCell
	})
	out := unbreak(t.Render())
	if lipgloss.Width(out) > w {
		// Too narrow for side by side: one under the other.
		var before, after []steps.Fact
		for _, r := range rows {
			before = append(before, steps.Fact{Label: r.Label, Value: r.Before})
			after = append(after, steps.Fact{Label: r.Label, Value: r.After})
		}
		out = s.Heading.Render("Before (first run)") + "\n" + m.viewFacts(before, w)
		if rerun {
			out += "\n" + s.Heading.Render("After (this run)") + "\n" + m.viewFacts(after, w)
		}
	}
	if !rerun && !m.first.Auth.Accepted() {
		out += "\n" + hang(s.Faint, "After your change, press r: the new result appears next to this one.", w, "", "")
	}
	return out
}

func (m Model) viewChecklist(in steps.Input, w int) string {
	s := m.styles
	r := in.Report
	rows := steps.ChecklistRows(r, in.SDKs)
	t := table.New().Border(lipgloss.RoundedBorder()).BorderStyle(s.TableBorder).Wrap(true).
		Headers("Before you escalate", "This run")
	for _, row := range rows {
		t.Row(marks[row.Status]+" "+row.Item, keepHyphens(row.Result))
	}
	t.StyleFunc(func(row, col int) lipgloss.Style {
		if row == table.HeaderRow {
			return s.TableHeader
		}
		return s.TableCell
	})
	t.Width(w)

	tests := steps.TestRows(r)
	var second string
	if w >= 90 {
		tt := table.New().Border(lipgloss.RoundedBorder()).BorderStyle(s.TableBorder).Wrap(true).
			Headers("", "Test", "This run", "What it tells you", "Next move")
		for _, row := range tests {
			tt.Row(marks[row.Status], row.Test, keepHyphens(row.Result), keepHyphens(row.Meaning), keepHyphens(row.Next))
		}
		tt.StyleFunc(func(row, col int) lipgloss.Style {
			switch {
			case row == table.HeaderRow:
				return s.TableHeader
			case col == 0:
				return s.Marks[tests[row].Status].Padding(0, 1)
			}
			return s.TableCell
		})
		second = tt.Width(w).Render()
	} else {
		var lines []string
		for _, row := range tests {
			lines = append(lines, hang(s.Text, row.Test+": "+row.Result, w, m.mark(row.Status)+" ", "    "))
			if row.Meaning != "" {
				lines = append(lines, hang(s.Faint, "tells you: "+row.Meaning, w, "    ", "    "))
			}
			if row.Next != "" {
				lines = append(lines, hang(s.Fix, row.Next, w, "    → ", "      "))
			}
		}
		second = strings.Join(lines, "\n")
	}
	return unbreak(t.Render()) + "\n\n" + s.Heading.Render("Test → what it tells you → next move") + "\n" + unbreak(second)
}

func (m Model) viewOnboarding(o *steps.Onboarding, shadows []steps.Shadow, w int) string {
	s := m.styles
	lines := []string{s.Heading.Render("Get a working key"), m.para(s.Text, o.Reason, w)}
	step := func(n int, text string) {
		lines = append(lines, hang(s.Text, text, w, fmt.Sprintf("%d. ", n), "   "))
	}
	step(1, "Create a key at "+o.CreateURL+" and copy it: the Console shows it only once.")
	step(2, "Press e and paste it. It stays hidden and lives only in memory.")
	if o.Pasted == "" {
		step(3, "fix401 tests it against the API before anything is saved.")
		return strings.Join(lines, "\n")
	}
	lines = append(lines, hang(s.Text, o.Pasted+": "+o.PastedResult, w, "3. "+m.mark(o.PastedStatus)+" ", "       "))
	if !o.Accepted {
		return strings.Join(lines, "\n")
	}
	envFile := m.tidy(m.envFile())
	if m.envPath == "" {
		step(4, "Press w to save it to "+envFile+" (readable only by you). Nothing is written until you say yes.")
	} else {
		lines = append(lines, hang(s.Text, "Saved in "+envFile+", readable only by you.", w,
			"4. "+m.mark(probe.Pass)+" ", "       "))
	}
	switch {
	case m.ignoreSt == ignoreUnknown:
		lines = append(lines, "5. "+m.mark(probe.Pending)+" "+s.Faint.Render("reading .gitignore…"))
	case m.ignoreSt == ignoreFailed:
		lines = append(lines, hang(s.Text, "Could not read .gitignore: check by hand that git ignores .env.", w,
			"5. "+m.mark(probe.Error)+" ", "       "))
	case m.ignore.Repo == "":
		lines = append(lines, hang(s.Text, "Not in a git repository: nothing to ignore.", w, "5. "+m.mark(probe.Skip)+" ", "       "))
	case m.ignore.Ignored:
		lines = append(lines, hang(s.Text, "git ignores .env ("+m.tidy(m.ignore.Source)+"): it will not be committed.", w,
			"5. "+m.mark(probe.Pass)+" ", "       "))
	case m.envPath != "":
		lines = append(lines, hang(s.Text, "git would commit .env with your key. Press g to add it to .gitignore.", w,
			"5. "+m.mark(probe.Fail)+" ", "       "))
	default:
		lines = append(lines, hang(s.Text, "git would commit .env: after saving, add it to .gitignore (g).", w,
			"5. "+m.mark(probe.Warn)+" ", "       "))
	}
	if len(shadows) > 0 {
		lines = append(lines, "", s.Heading.Render("Older copies that would still win over .env"), m.viewShadowList(shadows, w))
	}
	return strings.Join(lines, "\n")
}

func (m Model) viewShadows(sh []steps.Shadow, w int) string {
	if len(sh) == 0 {
		return ""
	}
	return m.styles.Heading.Render("Copies that win over a key in .env") + "\n" + m.viewShadowList(sh, w)
}

func (m Model) viewShadowList(sh []steps.Shadow, w int) string {
	s := m.styles
	var lines []string
	for _, x := range sh {
		lines = append(lines, hang(s.Text, x.Source, w, m.mark(probe.Warn)+" ", "    "))
		lines = append(lines, hang(s.Code, x.Line, w, "    ", "    "))
		lines = append(lines, hang(s.Fix, x.Change, w, "    → ", "      "))
	}
	return strings.Join(lines, "\n")
}

func (m Model) viewSummary(w int) string {
	s := m.styles
	var lines []string
	for _, l := range strings.Split(m.summaryText(), "\n") {
		st := s.Text
		if strings.HasPrefix(l, "#") {
			st = s.Heading
		}
		if l == "" {
			lines = append(lines, "")
			continue
		}
		lines = append(lines, hang(st, l, w, "", "  "))
	}
	return strings.Join(lines, "\n")
}
