// Package text renders fix401's results as plain text for pipes, scripts
// and terminals without the wizard, in the manner of flutter doctor.
package text

import (
	"fmt"
	"io"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

type palette struct {
	status  map[probe.Status]lipgloss.Style
	heading lipgloss.Style
	faint   lipgloss.Style
	fix     lipgloss.Style
	code    lipgloss.Style
}

func newPalette(color bool) palette {
	p := palette{status: map[probe.Status]lipgloss.Style{}}
	plain := lipgloss.NewStyle()
	for _, s := range []probe.Status{probe.Pass, probe.Warn, probe.Fail, probe.Error, probe.Skip, probe.Pending} {
		p.status[s] = plain
	}
	p.heading, p.faint, p.fix, p.code = plain, plain, plain, plain
	if !color {
		return p
	}
	p.status[probe.Pass] = plain.Foreground(lipgloss.Color("2"))
	p.status[probe.Warn] = plain.Foreground(lipgloss.Color("3"))
	p.status[probe.Fail] = plain.Foreground(lipgloss.Color("1"))
	p.status[probe.Error] = plain.Foreground(lipgloss.Color("5"))
	p.status[probe.Skip] = plain.Faint(true)
	p.heading = plain.Bold(true)
	p.faint = plain.Faint(true)
	p.fix = plain.Foreground(lipgloss.Color("6"))
	p.code = plain.Bold(true)
	return p
}

// Width is where long diagnosis lines wrap.
const Width = 100

// indent wraps s at spaces to width columns, the first line after first
// and the rest after rest. Words are never split, so a key hint stays
// whole on one line.
func indent(s, first, rest string, width int) string {
	var b strings.Builder
	line := first
	for i, word := range strings.Fields(s) {
		if i > 0 && len([]rune(line))+1+len([]rune(word)) > width {
			b.WriteString(line + "\n")
			line = rest
		} else if i > 0 {
			line += " "
		}
		line += word
	}
	b.WriteString(line)
	return b.String()
}

// Check writes the checklist grouped by the wizard's steps, then the
// diagnosis. Hints and fixes appear under failures and warnings only.
// Every text of the report is sanitized before it is styled, and the
// whole passes red before it is written.
func Check(w io.Writer, r *probe.Report, d steps.Diagnosis, version string, color bool, red *probe.Redactor) error {
	p := newPalette(color)
	clean := probe.Sanitize
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s · %s · %s %s\n", p.heading.Render("fix401"), version, clean(r.Target.BaseURL),
		r.StartedAt.Format("2006-01-02 15:04:05"), clean(r.Zone))
	byStep := map[steps.StepID][]probe.Result{}
	for _, c := range r.Checks() {
		s := steps.StepOfCheck(c.ID)
		byStep[s] = append(byStep[s], c)
	}
	for _, s := range steps.Order {
		cs := byStep[s]
		if len(cs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s\n", p.heading.Render(s.Title()))
		for _, c := range cs {
			line := fmt.Sprintf("%s %s", p.status[c.Status].Render(steps.Mark(c.Status)), clean(c.Title))
			if c.Duration >= time.Millisecond {
				line += p.faint.Render(fmt.Sprintf(" (%d ms)", c.Duration.Milliseconds()))
			}
			b.WriteString(line + "\n")
			if c.Status == probe.Pass || c.Status == probe.Skip {
				continue
			}
			if c.Detail != "" {
				for _, l := range strings.Split(clean(c.Detail), "\n") {
					b.WriteString("    " + p.faint.Render(l) + "\n")
				}
			}
			if c.Fix != "" {
				b.WriteString("    " + p.fix.Render("→ "+clean(c.Fix)) + "\n")
			}
		}
	}
	st := probe.Fail
	if d.Code == steps.OK {
		st = probe.Pass
	}
	fmt.Fprintf(&b, "\n%s %s\n", p.status[st].Render(steps.Mark(st)), p.heading.Render("Diagnosis: "+string(d.Code)))
	b.WriteString(indent(clean(d.Title), "    ", "    ", Width) + "\n")
	if d.Fix != "" {
		b.WriteString(p.fix.Render(indent("→ "+clean(d.Fix), "    ", "      ", Width)) + "\n")
	}
	for _, o := range d.Also {
		b.WriteString(p.faint.Render(indent(fmt.Sprintf("Also: %s — %s", o.Code, clean(o.Title)), "    ", "      ", Width)) + "\n")
		if o.Fix != "" && o.Fix != d.Fix {
			b.WriteString(p.faint.Render(indent("→ "+clean(o.Fix), "      ", "        ", Width)) + "\n")
		}
	}
	out := red.String
	if color {
		out = red.Styled
	}
	_, err := io.WriteString(w, out(b.String()))
	return err
}
