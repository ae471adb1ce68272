package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/steps/fix"
	"github.com/fix401/fix401/ui/apply"
)

// fixer is how the wizard makes, shows and applies a fix plan: the same
// plan, diff and safe writes as `fix401 fix`, with the backups where
// `fix401 fix --undo` finds them. Tests replace a part with hand-made
// plans or a failing write.
type fixer struct {
	// plan makes the plan for a finished report and its diagnosis; nil:
	// fix.MakeWith with the session's project, workspace id and clock.
	plan func(r *probe.Report, d steps.Diagnosis, read fix.Reader) fix.Plan
	// read reads a file the plan may change, bounded, never through a
	// symlink nor a file of another user.
	read fix.Reader
	// diff is one change as a unified diff, every key in it masked.
	diff func(c fix.Change, red *probe.Redactor) string
	// apply writes the changes in env's project and home, each file
	// backed up first.
	apply func(env *probe.Env, cs []fix.Change, now func() time.Time) (fixApplied, error)
}

// fixApplied is what a write left behind: where the backups are, and how
// to put every file back as it was.
type fixApplied struct {
	Backups string       // the run's backup folder
	Undo    func() error // restores every file written, byte for byte
}

// fixerOf fills what o leaves out with the real thing.
func fixerOf(o fixer) fixer {
	if o.read == nil {
		o.read = apply.Read
	}
	if o.diff == nil {
		o.diff = apply.Diff
	}
	if o.apply == nil {
		o.apply = applyFix
	}
	return o
}

// planFunc is the plan maker of this session.
func (m Model) planFunc() func(*probe.Report, steps.Diagnosis, fix.Reader) fix.Plan {
	if m.fixer.plan != nil {
		return m.fixer.plan
	}
	o := fix.Options{Dir: m.projectDir(), WorkspaceID: m.env.WorkspaceID, Now: m.now,
		Tracked: GitTracked, Shell: m.env.Vars["SHELL"]}
	return func(r *probe.Report, d steps.Diagnosis, read fix.Reader) fix.Plan { return fix.MakeWith(r, d, read, o) }
}

// applyFix writes cs as `fix401 fix` does: checked, backed up under the
// state folder, atomic, all or nothing. Its undo is `fix401 fix --undo`'s,
// refused when a later fix was made since.
func applyFix(env *probe.Env, cs []fix.Change, now func() time.Time) (fixApplied, error) {
	state := apply.DefaultStateDir(env.Vars, env.Home)
	e := *env
	if d, err := filepath.Abs(e.Dir); err == nil {
		e.Dir = d
	}
	rec, err := apply.Apply(fix.Plan{Changes: cs}, apply.Options{Roots: apply.RootsOf(&e), StateDir: state, Now: now})
	if err != nil {
		return fixApplied{}, err
	}
	undo := func() error {
		last, err := apply.Latest(state)
		switch {
		case err != nil:
			return err
		case last.ID != rec.ID:
			return fmt.Errorf("a later fix (%s) was made since; undo it first with fix401 fix --undo", last.ID)
		}
		u, err := apply.Undo(state, apply.UndoOptions{})
		if err == nil && u.Already {
			err = errors.New("it was undone already")
		}
		return err
	}
	return fixApplied{Backups: rec.Dir, Undo: undo}, nil
}
