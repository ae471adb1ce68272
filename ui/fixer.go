package ui

import (
	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/steps/fix"
)

// fixer is how the wizard makes, shows and applies a fix plan: the same
// plan, diff and safe writes as `fix401 fix`. Tests replace a part with
// hand-made plans or a failing write.
type fixer struct {
	// plan makes the plan for a finished report and its diagnosis.
	plan func(r *probe.Report, d steps.Diagnosis, read fix.Reader) fix.Plan
	// read reads a file the plan may change, bounded, never through a
	// symlink.
	read fix.Reader
	// diff is one change as a unified diff, every key in it masked.
	diff func(c fix.Change, red *probe.Redactor) string
	// apply writes the changes, each file backed up first where
	// `fix401 fix --undo` finds it.
	apply func(cs []fix.Change) (fixApplied, error)
}

// fixApplied is what a write left behind: where the backups are, and how
// to put every file back as it was.
type fixApplied struct {
	Backups string       // where the backups were kept, for the user
	Undo    func() error // restores every file written, byte for byte
}

// defaultFixer is the fixer of a real session (and of the demo, whose
// files are real files in its own folder).
func defaultFixer() fixer {
	return fixer{plan: standinPlan, read: standinRead, diff: standinDiff, apply: standinApply}
}

// fixerOf fills what o leaves out with the default.
func fixerOf(o fixer) fixer {
	d := defaultFixer()
	if o.plan == nil {
		o.plan = d.plan
	}
	if o.read == nil {
		o.read = d.read
	}
	if o.diff == nil {
		o.diff = d.diff
	}
	if o.apply == nil {
		o.apply = d.apply
	}
	return o
}
