package ui

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/charmbracelet/x/ansi"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// defaultWidth is used before the terminal reports its size.
const defaultWidth = 80

// nbHyphen stands in for "-" while text is wrapped.
const nbHyphen = "\u2011"

// nbSpace stands in for the space after a credential header's name while
// text is wrapped.
const nbSpace = "\u00a0"

// glueHeader finds the headers whose values the redactor masks, with
// hyphens already replaced by nbHyphen.
var glueHeader = regexp.MustCompile(`(?i)\b(x\x{2011}api\x{2011}key|(?:proxy\x{2011})?authorization|api\x{2011}key|x\x{2011}goog\x{2011}api\x{2011}key|(?:set\x{2011})?cookie): `)

// View renders the screen. Every byte of it passes the redactor, which
// keeps only the colours of the wizard's own styles: every text the styles
// wrap was sanitized first (hang, the tables, the footer).
func (m Model) View() tea.View {
	w := m.contentWidth()
	header, body := m.viewHeader(), m.body.View()
	var cursor *tea.Cursor
	footer := ""
	if m.state == stateLint {
		var row, col int
		footer, row, col = m.viewLint(w)
		cursor = tea.NewCursor(1+col, lipgloss.Height(header)+lipgloss.Height(body)+row)
	} else {
		footer = m.viewFooter(w)
	}
	parts := []string{header, body, footer, m.viewHelp(w)}
	content := lipgloss.NewStyle().PaddingLeft(1).Render(strings.Join(parts, "\n"))
	v := tea.NewView(fit(m.red.Styled(content), m.width))
	v.AltScreen = true
	v.Cursor = cursor
	n, total := m.wiz.Progress()
	v.WindowTitle = fmt.Sprintf("fix401 · %d/%d %s", n, total, m.wiz.Step.Title())
	return v
}

// viewHelp is the help bar, or the full help, cut to w cells between two
// items: the short bar's own cut lets the last item overflow when no
// ellipsis fits.
func (m Model) viewHelp(w int) string {
	if !m.help.ShowAll && m.keys.Help.Enabled() {
		return m.shortHelp(w)
	}
	lines := strings.Split(m.help.View(m.keys), "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) <= w {
			continue
		}
		plain, cut := ansi.Strip(l), 0
		for j := 0; ; {
			k := strings.Index(plain[j:], " • ")
			if k < 0 {
				break
			}
			j += k
			if c := ansi.StringWidth(plain[:j]); c+2 <= w {
				cut = c
			}
			j += len(" • ")
		}
		if cut == 0 {
			lines[i] = ansi.Truncate(l, w, "…")
			continue
		}
		lines[i] = ansi.Truncate(l, cut, "") + m.styles.Help.Ellipsis.Render(" …")
	}
	return strings.Join(lines, "\n")
}

// shortHelp is the help bar when "?" works: items are dropped from the
// end to fit, but "?" always stays, since it leads to every other key.
func (m Model) shortHelp(w int) string {
	var items []string
	for _, b := range m.keys.ShortHelp() {
		if b.Enabled() {
			items = append(items, m.help.ShortHelpView([]key.Binding{b}))
		}
	}
	sep := m.help.Styles.ShortSeparator.Inline(true).Render(m.help.ShortSeparator)
	if line := strings.Join(items, sep); ansi.StringWidth(line) <= w || len(items) < 2 {
		return ansi.Truncate(line, w, "…")
	}
	// Help is the last item of ShortHelp.
	tail := m.styles.Help.Ellipsis.Render(" …") + sep + items[len(items)-1]
	out := ""
	for _, it := range items[:len(items)-1] {
		next := it
		if out != "" {
			next = out + sep + it
		}
		if ansi.StringWidth(next+tail) > w {
			break
		}
		out = next
	}
	if out == "" {
		return ansi.Truncate(items[len(items)-1], w, "…")
	}
	return out + tail
}

// fit cuts the lines that redaction made wider than the screen (a masked
// value can be longer than the text it hides): their padding first, then
// their end.
func fit(content string, width int) string {
	if width <= 0 {
		return content
	}
	lines := strings.Split(content, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) <= width {
			continue
		}
		if l = strings.TrimRight(l, " "); ansi.StringWidth(l) > width {
			l = ansi.Truncate(l, width, "…")
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
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
	m.area.SetWidth(max(8, w-2))
	helpH := 1
	if m.help.ShowAll {
		helpH = lipgloss.Height(m.help.View(m.keys))
	}
	footH := lipgloss.Height(m.viewFooter(w))
	m.bodyHeight = max(3, m.height-2-footH-helpH)
	m.body.SetHeight(m.bodyHeight)
}

// refresh renders the current step into the scrolling body.
func (m *Model) refresh() {
	content := m.viewBody(m.contentWidth())
	m.body.SetContent(content)
	if m.height <= 0 {
		m.body.SetHeight(lipgloss.Height(content))
	}
	if m.toLinted && m.wiz.Step == steps.Headers {
		// A lint just finished: bring its findings into view.
		m.toLinted = false
		for i, l := range strings.Split(content, "\n") {
			if strings.TrimSpace(ansi.Strip(l)) == requestHeading {
				m.body.SetYOffset(i)
				break
			}
		}
	}
}

// requestHeading heads the headers step's lint of the user's request.
const requestHeading = "Your request"

// lintPrompt is the first line of the lint dialog.
const lintPrompt = "Lint your request: paste the curl command your code sends, or type a file path."

// lintPromptShort is lintPrompt for a narrow screen.
const lintPromptShort = "Lint: paste a curl command, or type a file path."

// viewLint is the lint dialog: a prompt, then the end of the text typed or
// pasted so far, with every key-like part masked before it is wrapped (a
// key cut in two by a wrap could slip past the redactor). It returns where the
// cursor goes, in the dialog's rows and columns.
func (m Model) viewLint(w int) (out string, row, col int) {
	s := m.styles
	gutter := s.Rule.Render("│ ")
	gw := lipgloss.Width(gutter)
	width := max(4, w-gw)
	prompt := lintPrompt
	if lipgloss.Width(prompt) > w {
		prompt = lintPromptShort
	}
	lines := []string{s.Prompt.Render(truncate(prompt, w))}
	text := m.area.Value()
	if text == "" {
		lines = append(lines, gutter+s.Faint.Render(truncate("curl https://api.anthropic.com/v1/messages … or src/client.py", width)))
		return strings.Join(lines, "\n"), 1, gw
	}
	limit := 6
	if m.height > 0 {
		limit = max(1, min(limit, m.height-12))
	}
	tail := probe.Sanitize(previewTail(text))
	// The redactor runs once, over the whole screen: a second pass would
	// mask its own "[redacted]" again.
	masked, before := maskSecrets(tail), strings.Count(text[:len(text)-len(tail)], "\n")
	rows, hidden := previewRows(masked, width, limit)
	if hidden+before > 0 && limit > 1 {
		// One row goes to saying how many lines are above.
		rows, hidden = previewRows(masked, width, limit-1)
		lines = append(lines, gutter+s.Faint.Render(fmt.Sprintf("⋮ %s above", steps.CountWords(hidden+before, "more line", "more lines"))))
	}
	for _, r := range rows {
		lines = append(lines, gutter+s.Text.Render(r))
	}
	// The cursor follows the row as the redactor will leave it.
	last := m.red.String(rows[len(rows)-1])
	row, col = len(lines)-1, gw+lipgloss.Width(last)
	if lipgloss.Width(last) >= width {
		lines = append(lines, gutter)
		row, col = len(lines)-1, gw
	}
	return strings.Join(lines, "\n"), row, col
}

// previewTail is the end of the dialog's text that the preview may show:
// its last lines, at most 8 KiB. Cut at a line break, it never splits a key
// the masking would then miss, unless one line is longer than that, and
// then the cut lies far above the rows shown.
func previewTail(text string) string {
	const most = 8 << 10
	start := 0
	for i, n := len(text), 0; n < 8; n++ {
		j := strings.LastIndexByte(text[:i], '\n')
		if j < 0 {
			start = 0
			break
		}
		start, i = j+1, j
	}
	if len(text)-start > most {
		start = len(text) - most
		for start < len(text) && !utf8.RuneStart(text[start]) {
			start++
		}
	}
	return text[start:]
}

// previewRows wraps text to width and keeps its last n rows; hidden counts
// the lines above them that are not shown at all.
func previewRows(text string, width, n int) (rows []string, hidden int) {
	lines := strings.Split(text, "\n")
	i := len(lines) - 1
	for ; i >= 0 && len(rows) < n; i-- {
		rows = append(strings.Split(ansi.Hardwrap(lines[i], width, true), "\n"), rows...)
	}
	hidden = i + 1
	if len(rows) > n {
		rows = rows[len(rows)-n:]
	}
	return rows, hidden
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
	if c := clientTag(m.report); c != "" && w-lipgloss.Width(left)-lipgloss.Width(c+" · "+tag) >= 2 {
		tag = strings.TrimSuffix(c+" · "+tag, " · ")
	}
	if gap := w - lipgloss.Width(left) - lipgloss.Width(tag); tag != "" && gap >= 2 {
		left += strings.Repeat(" ", gap) + s.Tag.Render(tag)
	}
	return left + "\n" + s.Rule.Render(strings.Repeat("─", w))
}

// clientTag names the client whose requests the run reproduces, for the
// header: "for Claude Code", "for Go SDK v2"; "" before the run is
// prepared or when no client was named (curl-style is the default).
func clientTag(r *probe.Report) string {
	if r == nil || r.Client.Name == "" || r.Client.From == probe.ClientAssumed {
		return ""
	}
	return "for " + r.Client.Name
}

func (m Model) viewFooter(w int) string {
	s := m.styles
	switch m.state {
	case stateEnterKey:
		return m.input.View()
	case stateLint:
		out, _, _ := m.viewLint(w)
		return out
	case stateConfirmWrite:
		return m.footerText(s.Prompt, fmt.Sprintf("Write the key to %s? Only its ANTHROPIC_API_KEY line changes. (y/n)",
			m.shownPath(m.envFile())), w)
	case stateConfirmIgnore:
		return m.footerText(s.Prompt, fmt.Sprintf("Add .env to %s? (y/n)", m.shownPath(m.gitignoreFile())), w)
	case stateFix:
		return m.fixFooter(w)
	}
	switch {
	case m.flash != "" && m.flashErr:
		return m.footerText(s.FlashErr, m.flash, w)
	case m.flash != "":
		return m.footerText(s.Flash, m.flash, w)
	case m.keys.Down.Enabled() && !m.body.AtBottom():
		return s.Faint.Render(m.moreBelow())
	}
	return ""
}

// footerText wraps a prompt or a flash to at most three lines: a path
// cut short would name another file.
func (m Model) footerText(st lipgloss.Style, text string, w int) string {
	lines := strings.Split(hang(st, text, w, "", ""), "\n")
	if len(lines) > 3 {
		lines = append(lines[:2], st.Render(truncate(ansi.Strip(strings.Join(lines[2:], " ")), w)))
	}
	return strings.Join(lines, "\n")
}

// moreBelow says how much of the step is below the screen, in lines: a
// percentage read as "how much is left" either way.
func (m Model) moreBelow() string {
	left := max(0, m.body.TotalLineCount()-m.body.YOffset()-m.body.Height())
	return "↓ " + steps.CountWords(left, "more line", "more lines") + " below"
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
	if m.state == stateFix {
		return m.viewFix(w)
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
		add(m.viewFixResult(w))
		add(m.viewCompare(p.Compare, w))
		add(m.viewChecks(p.Checks, w))
	case steps.Summary:
		add(hang(s.Advice, p.Advice, w, "→ ", "  "))
		add(m.viewSummary(w))
		return strings.Join(sec, "\n\n")
	default:
		add(m.viewFacts(p.Facts, w))
		add(m.viewChecks(p.Checks, w))
	}
	if p.Step == steps.Headers {
		add(m.viewRequest(p.Request, w))
	}
	if p.Onboarding != nil {
		add(m.viewOnboarding(p.Onboarding, w))
	}
	if p.Step == steps.NewKey {
		add(m.viewShadows(p.ShadowsTitle, p.Shadows, w))
	}
	add(m.viewVerdict(p, w))
	return strings.Join(sec, "\n\n")
}

// sanitized is a table row whose cells passed probe.Sanitize.
func sanitized(cells ...string) []string {
	for i, c := range cells {
		cells[i] = probe.Sanitize(c)
	}
	return cells
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
	text = probe.Sanitize(text)
	width := max(10, w-lipgloss.Width(rest))
	// Lines break at spaces only: a break inside sk-ant-api03-… or
	// x-api-key would make them hard to read and to copy. A credential
	// header keeps its value on its line: the redactor would take the
	// escape code that ends a styled line for the header's value.
	text = glueHeader.ReplaceAllString(strings.ReplaceAll(text, "-", nbHyphen), "$1:"+nbSpace)
	wrapped := lipgloss.Wrap(text, width, "")
	wrapped = strings.ReplaceAll(strings.ReplaceAll(wrapped, nbHyphen, "-"), nbSpace, " ")
	var out []string
	for i, line := range strings.Split(wrapped, "\n") {
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
	var lines []string
	for _, c := range cs {
		lines = append(lines, m.checkLines(c, w, false)...)
	}
	return strings.Join(lines, "\n")
}

// checkLines is one check of viewChecks. With notes, a skipped check is a
// note: dimmed, with its fix dimmed under it.
func (m Model) checkLines(c probe.Result, w int, notes bool) []string {
	s := m.styles
	title, fix := s.Text, s.Fix
	problem := c.Status == probe.Fail || c.Status == probe.Warn || c.Status == probe.Error
	if notes && c.Status == probe.Skip {
		title, fix, problem = s.Faint, s.Faint, true
	}
	lines := []string{hang(title, c.Title, w, m.mark(c.Status)+" ", "    ")}
	if problem && c.Detail != "" {
		for _, d := range strings.Split(c.Detail, "\n") {
			lines = append(lines, hang(s.Faint, d, w, "    ", "    "))
		}
	}
	if problem && c.Fix != "" {
		lines = append(lines, hang(fix, c.Fix, w, "    → ", "      "))
	}
	return lines
}

// viewRequest is the headers step's "Your request": what lint found in the
// request the user's own code sends, or how to lint it.
func (m Model) viewRequest(cs []probe.Result, w int) string {
	s := m.styles
	lines := []string{s.Heading.Render(requestHeading)}
	if len(cs) == 0 {
		lines = append(lines, m.para(s.Faint, "Press l to lint the request your own code sends: paste its curl "+
			"command, or type the path of the file that makes it. Nothing is sent.", w))
		return strings.Join(lines, "\n")
	}
	for _, c := range cs {
		lines = append(lines, m.checkLines(c, w, true)...)
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

// progressWords says how many probes of the current run have answered,
// those of the app's environment read afresh included.
func (m Model) progressWords() string {
	in := m.stepInput()
	reports := []*probe.Report{in.Report}
	if in.App != nil {
		reports = append(reports, in.App.Here, in.App.New)
	}
	done, planned := 0, 0
	var seen []*probe.Report
	for _, r := range reports {
		if r == nil || slices.Contains(seen, r) {
			continue
		}
		seen = append(seen, r)
		for _, p := range r.Planned() {
			planned++
			if r.Done[p] {
				done++
			}
		}
	}
	return fmt.Sprintf("%d of %d probes answered", done, planned)
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
		c := sanitized(r.Label, r.Before, r.After)
		if rerun {
			t.Row(c[0], keepHyphens(c[1]), keepHyphens(c[2]))
		} else {
			t.Row(c[0], keepHyphens(c[1]))
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
			out += "\n\n" + s.Heading.Render("After (this run)") + "\n" + m.viewFacts(after, w)
		}
	}
	return out
}

func (m Model) viewChecklist(in steps.Input, w int) string {
	s := m.styles
	r := in.Report
	rows := steps.ChecklistRows(r, in.SDKs)
	cells := [][]string{{"Before you escalate", "This run"}}
	for _, row := range rows {
		cells = append(cells, sanitized(steps.Mark(row.Status)+" "+row.Item, row.Result))
	}
	var first string
	if widths := columnWidths(cells, w, []column{{lines: 1}, {share: 1}}); widths != nil {
		t := table.New().Border(lipgloss.RoundedBorder()).BorderStyle(s.TableBorder).Wrap(true).
			Headers(cells[0]...)
		for _, c := range cells[1:] {
			t.Row(c[0], keepHyphens(c[1]))
		}
		t.StyleFunc(func(row, col int) lipgloss.Style {
			if row == table.HeaderRow {
				return s.TableHeader.Width(widths[col])
			}
			return s.TableCell.Width(widths[col])
		})
		first = unbreak(t.Render())
	} else {
		// A word wider than its cell would break in two: a list instead.
		var lines []string
		for _, row := range rows {
			lines = append(lines, hang(s.Text, row.Item+": "+row.Result, w, m.mark(row.Status)+" ", "    "))
		}
		first = strings.Join(lines, "\n")
	}

	tests := steps.TestRows(r)
	cells = [][]string{{"", "Test", "This run", "What it tells you", "Next move"}}
	for _, row := range tests {
		cells = append(cells, sanitized(steps.Mark(row.Status), row.Test, row.Result, row.Meaning, row.Next))
	}
	var second string
	// The live result gets the largest share; the mark and the test name
	// only what they need.
	if widths := columnWidths(cells, w, []column{{lines: 1}, {lines: 2}, {share: 4}, {share: 3}, {share: 3}}); w >= 90 && widths != nil {
		tt := table.New().Border(lipgloss.RoundedBorder()).BorderStyle(s.TableBorder).Wrap(true).
			Headers(cells[0]...)
		for _, c := range cells[1:] {
			tt.Row(c[0], c[1], keepHyphens(c[2]), keepHyphens(c[3]), keepHyphens(c[4]))
		}
		tt.StyleFunc(func(row, col int) lipgloss.Style {
			switch {
			case row == table.HeaderRow:
				return s.TableHeader.Width(widths[col])
			case col == 0:
				return s.Marks[tests[row].Status].Padding(0, 1).Width(widths[col])
			}
			return s.TableCell.Width(widths[col])
		})
		second = unbreak(tt.Render())
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
	return first + "\n\n" + s.Heading.Render("Test → what it tells you → next move") + "\n" + second
}

// column says how a table column takes its width: a fixed column (share
// 0) the least that keeps each of its cells within lines lines; the
// others a share of what is left.
type column struct{ lines, share int }

// columnWidths splits a table w cells wide among its columns, padding of
// one cell on each side included. The shared columns grow from the width
// of their widest word, one cell at a time to the column furthest below
// its share, until each is as wide as its widest cell; what is then left
// goes to the first of them. It returns nil when a word cannot fit its
// column: a word broken in two is hard to read and to copy. The first row
// of cells is the header.
func columnWidths(cells [][]string, w int, cols []column) []int {
	const pad = 2
	n := len(cols)
	word, cell := make([]int, n), make([]int, n)
	for r, row := range cells {
		for i, c := range row[:n] {
			cell[i] = max(cell[i], lipgloss.Width(c)+pad)
			if r == 0 {
				// The header row does not wrap.
				word[i] = max(word[i], lipgloss.Width(c)+pad)
			}
			for _, f := range strings.Fields(c) {
				word[i] = max(word[i], lipgloss.Width(f)+pad)
			}
		}
	}
	widths := make([]int, n)
	left := w - (n + 1) // the borders
	for i, c := range cols {
		widths[i] = word[i]
		if c.share == 0 {
			for widths[i] < cell[i] && !withinLines(cells, i, widths[i]-pad, max(1, c.lines)) {
				widths[i]++
			}
		}
		left -= widths[i]
	}
	if left < 0 {
		return nil
	}
	for ; left > 0; left-- {
		best := -1
		for i, c := range cols {
			if c.share > 0 && widths[i] < cell[i] && (best < 0 || widths[i]*cols[best].share < widths[best]*c.share) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		widths[best]++
	}
	for i, c := range cols {
		if c.share > 0 || i == n-1 {
			widths[i] += left
			break
		}
	}
	return widths
}

// withinLines reports whether every cell of column col wraps at spaces to
// at most lines lines of width cells.
func withinLines(cells [][]string, col, width, lines int) bool {
	for _, row := range cells {
		if strings.Count(lipgloss.Wrap(row[col], width, ""), "\n") >= lines {
			return false
		}
	}
	return true
}

func (m Model) viewOnboarding(o *steps.Onboarding, w int) string {
	s := m.styles
	lines := []string{s.Heading.Render("Get a working key"), m.para(s.Text, o.Reason, w)}
	step := func(n int, text string) {
		lines = append(lines, hang(s.Text, text, w, fmt.Sprintf("%d. ", n), "   "))
	}
	last := len(o.Steps)
	if o.Pasted != "" && last > 0 {
		last-- // the test: its result stands in its place
	}
	for i, text := range o.Steps[:last] {
		step(i+1, text)
	}
	if o.Pasted == "" {
		return strings.Join(lines, "\n")
	}
	lines = append(lines, hang(s.Text, o.Pasted+": "+o.PastedResult, w,
		fmt.Sprintf("%d. %s ", last+1, m.mark(o.PastedStatus)), "       "))
	if !o.Accepted {
		return strings.Join(lines, "\n")
	}
	envFile := m.shownPath(m.envFile())
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
	case m.ignore.Tracked && m.envPath != "":
		lines = append(lines, hang(s.Text, "The key is now in a tracked file: remove it from git with `git rm --cached .env` and rotate the key.", w,
			"5. "+m.mark(probe.Fail)+" ", "       "))
	case m.ignore.Tracked:
		lines = append(lines, hang(s.Text, "git tracks .env: a key saved there goes into the next commit. Remove it from git first with `git rm --cached .env`.", w,
			"5. "+m.mark(probe.Warn)+" ", "       "))
	case m.ignore.Ignored && !m.ignore.ByGit:
		lines = append(lines, hang(s.Text, ".gitignore lists .env ("+m.tidy(m.ignore.Source)+"), but git did not answer: check that `git ls-files .env` prints nothing, or it is committed anyway.", w,
			"5. "+m.mark(probe.Warn)+" ", "       "))
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
	if len(o.Shadows) > 0 {
		lines = append(lines, "", s.Heading.Render("Older copies that would still win over .env"), m.viewShadowList(o.Shadows, w))
	}
	return strings.Join(lines, "\n")
}

func (m Model) viewShadows(title string, sh []steps.Shadow, w int) string {
	if len(sh) == 0 {
		return ""
	}
	return m.para(m.styles.Heading, title, w) + "\n" + m.viewShadowList(sh, w)
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
	for _, l := range strings.Split(previewMarkdown(m.summaryText()), "\n") {
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
