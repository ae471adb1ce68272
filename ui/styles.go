package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// DefaultDark is the background the wizard assumes until the terminal
// answers, and in tests and snapshots.
const DefaultDark = true

// palette is the handful of colours every style is made from.
type palette struct {
	fg, faint, accent, pass, warn, fail, broken, border color.Color
}

func newPalette(isDark bool) palette {
	ld := lipgloss.LightDark(isDark)
	return palette{
		fg:     ld(lipgloss.Color("#1F1F24"), lipgloss.Color("#E8E6F0")),
		faint:  ld(lipgloss.Color("#6B6B78"), lipgloss.Color("#8E8C99")),
		accent: ld(lipgloss.Color("#5A3FD9"), lipgloss.Color("#A594FF")),
		pass:   ld(lipgloss.Color("#1E7B3A"), lipgloss.Color("#5FD38A")),
		warn:   ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#F2C14E")),
		fail:   ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF6B61")),
		broken: ld(lipgloss.Color("#8E3FA8"), lipgloss.Color("#E08CFF")),
		border: ld(lipgloss.Color("#C9C6D6"), lipgloss.Color("#45434F")),
	}
}

// Styles is every style the wizard uses, built from one palette.
type Styles struct {
	Brand      lipgloss.Style // "fix401" in the header
	StepTitle  lipgloss.Style
	Progress   lipgloss.Style // "3/8"
	Tag        lipgloss.Style // "demo: shadowed" at the right of the header
	Rule       lipgloss.Style
	Text       lipgloss.Style
	Faint      lipgloss.Style
	Label      lipgloss.Style
	Heading    lipgloss.Style
	Fix        lipgloss.Style // the line under a failed check
	Code       lipgloss.Style // commands and file lines to change
	Link       lipgloss.Style
	Conclusion lipgloss.Style
	Advice     lipgloss.Style
	Flash      lipgloss.Style
	FlashErr   lipgloss.Style
	Prompt     lipgloss.Style
	Marks      map[probe.Status]lipgloss.Style
	Spinner    lipgloss.Style

	TableHeader lipgloss.Style
	TableCell   lipgloss.Style
	TableBorder lipgloss.Style

	Help  help.Styles
	Input textinput.Styles
}

// NewStyles builds the styles for a dark or a light background.
func NewStyles(isDark bool) Styles {
	p := newPalette(isDark)
	base := lipgloss.NewStyle().Foreground(p.fg)
	s := Styles{
		Brand:      lipgloss.NewStyle().Bold(true).Foreground(p.accent),
		StepTitle:  base.Bold(true),
		Progress:   lipgloss.NewStyle().Foreground(p.accent),
		Tag:        lipgloss.NewStyle().Foreground(p.faint),
		Rule:       lipgloss.NewStyle().Foreground(p.border),
		Text:       base,
		Faint:      lipgloss.NewStyle().Foreground(p.faint),
		Label:      lipgloss.NewStyle().Foreground(p.faint),
		Heading:    base.Bold(true),
		Fix:        lipgloss.NewStyle().Foreground(p.accent),
		Code:       base.Bold(true),
		Link:       lipgloss.NewStyle().Foreground(p.accent).Underline(true),
		Conclusion: base.Bold(true),
		Advice:     lipgloss.NewStyle().Foreground(p.accent),
		Flash:      lipgloss.NewStyle().Foreground(p.pass),
		FlashErr:   lipgloss.NewStyle().Foreground(p.fail),
		Prompt:     lipgloss.NewStyle().Foreground(p.accent).Bold(true),
		Spinner:    lipgloss.NewStyle().Foreground(p.accent),
		Marks: map[probe.Status]lipgloss.Style{
			probe.Pass:    lipgloss.NewStyle().Foreground(p.pass),
			probe.Warn:    lipgloss.NewStyle().Foreground(p.warn),
			probe.Fail:    lipgloss.NewStyle().Foreground(p.fail).Bold(true),
			probe.Error:   lipgloss.NewStyle().Foreground(p.broken),
			probe.Skip:    lipgloss.NewStyle().Foreground(p.faint),
			probe.Pending: lipgloss.NewStyle().Foreground(p.accent),
		},
		TableHeader: base.Bold(true).Padding(0, 1),
		TableCell:   base.Padding(0, 1),
		TableBorder: lipgloss.NewStyle().Foreground(p.border),
		Help:        help.DefaultStyles(isDark),
		Input:       textinput.DefaultStyles(isDark),
	}
	s.Input.Focused.Prompt = s.Prompt
	return s
}

// Mark renders a status glyph in its colour.
func (s Styles) Mark(st probe.Status) string {
	return s.Marks[st].Render(steps.Mark(st))
}
