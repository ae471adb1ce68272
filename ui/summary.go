package ui

import (
	"strings"

	"github.com/fix401/fix401/steps"
)

// summaryText is the support summary of the current run, redacted: of
// what the user's app loads from this terminal, read afresh; a key pasted
// into fix401 is among what was tried, not the key in use.
func (m Model) summaryText() string {
	os, arch, _ := strings.Cut(m.platform, "/")
	return m.red.String(steps.SummaryMarkdown(steps.SummaryInput{
		Report:   m.appHere(),
		Version:  m.opts.Version,
		OS:       os,
		Arch:     arch,
		SDKs:     m.sdks,
		Tried:    m.actions,
		Now:      m.now(),
		Redactor: m.red,
	}))
}

// previewMarkdown is the summary as the wizard shows it: each Markdown
// table becomes a list, one item a row, since a table's rows wrap into
// broken lines on a terminal. The copied and saved text keeps the tables.
func previewMarkdown(md string) string {
	lines := strings.Split(md, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		if !isTableRow(lines[i]) || i+1 >= len(lines) || !isTableRule(lines[i+1]) {
			out = append(out, lines[i])
			continue
		}
		// The header stays as the list's legend, in the items' own form.
		out = append(out, rowItem(tableCells(lines[i])))
		i += 2
		for ; i < len(lines) && isTableRow(lines[i]); i++ {
			out = append(out, "- "+rowItem(tableCells(lines[i])))
		}
		i--
	}
	return strings.Join(out, "\n")
}

func isTableRow(l string) bool {
	l = strings.TrimSpace(l)
	return len(l) > 1 && strings.HasPrefix(l, "|") && strings.HasSuffix(l, "|")
}

func isTableRule(l string) bool {
	return isTableRow(l) && strings.Trim(strings.TrimSpace(l), "|-: ") == ""
}

// tableCells splits a table row at its unescaped pipes.
func tableCells(l string) []string {
	l = strings.TrimSpace(l)
	l = l[1 : len(l)-1]
	var cells []string
	var b strings.Builder
	for i := 0; i < len(l); i++ {
		switch {
		case l[i] == '\\' && i+1 < len(l) && l[i+1] == '|':
			b.WriteByte('|')
			i++
		case l[i] == '|':
			cells = append(cells, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(l[i])
		}
	}
	return append(cells, strings.TrimSpace(b.String()))
}

// rowItem is a row as one line: its first two cells (when, what), then
// the others that say something.
func rowItem(cells []string) string {
	var head, rest []string
	for i, c := range cells {
		switch {
		case c == "" || c == "—":
		case i < 2:
			head = append(head, c)
		default:
			rest = append(rest, c)
		}
	}
	item := strings.Join(head, " ")
	if len(rest) > 0 {
		item += ": " + strings.Join(rest, ", ")
	}
	return item
}
