package ui

import (
	"strings"

	"github.com/fix401/fix401/steps"
)

// summaryText is the support summary of the current run, redacted.
func (m Model) summaryText() string {
	os, arch, _ := strings.Cut(m.platform, "/")
	return m.red.String(steps.SummaryMarkdown(steps.SummaryInput{
		Report:   m.report,
		Version:  m.opts.Version,
		OS:       os,
		Arch:     arch,
		SDKs:     m.sdks,
		Tried:    m.actions,
		Now:      m.now(),
		Redactor: m.red,
	}))
}
