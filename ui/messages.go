package ui

import (
	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// runStartedMsg hands a freshly prepared report and its stream of probe
// parts to Update. Every message of a run carries its number, so parts of
// a run that was replaced are dropped.
type runStartedMsg struct {
	run    int
	report *probe.Report  // the environment tested, with the key pasted if any
	app    *steps.AppView // what the user's app loads, read afresh
	shell  []probe.Candidate
	parts  <-chan reportPart
	sdks   []probe.SDK
}

// partMsg is one probe's finished measurement for one report of a run;
// to nil means the tested report.
type partMsg struct {
	run  int
	to   *probe.Report
	part probe.Part
}

// runDoneMsg says the run's channel closed: every probe has reported.
type runDoneMsg struct{ run int }

// holdDoneMsg ends the minimum time "checking…" stays on screen.
type holdDoneMsg struct{ run int }

// envWrittenMsg reports the write of the key to the project's .env.
type envWrittenMsg struct {
	path string
	err  error
}

// ignoreCheckedMsg reports whether git ignores the project's .env.
type ignoreCheckedMsg struct {
	result IgnoreResult
	err    error
}

// ignoreAddedMsg reports the line added to .gitignore.
type ignoreAddedMsg struct {
	path string
	err  error
}

// summarySavedMsg reports the summary file written.
type summarySavedMsg struct {
	path string
	err  error
}

// lintDoneMsg carries the lint of what the user gave the lint dialog. It
// holds findings only, never the text that was linted.
type lintDoneMsg struct{ result probe.LintResult }
