package ui

import (
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/fix401/fix401/steps"
)

// BenchmarkFrame is one spinner frame on the busiest step: Update rebuilds
// the page and View renders and redacts it.
func BenchmarkFrame(b *testing.B) {
	m := goTo(b, testModel(b, report(401)), steps.Checklist)
	m.running = true
	var msg tea.Msg = spinner.TickMsg{}
	for b.Loop() {
		nm, _ := m.Update(msg)
		_ = nm.(Model).View()
	}
}
