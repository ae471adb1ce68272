package ui

// TEMPORARY: stand-ins for fix.Make (branch fixplan) and ui/apply (branch
// fixapply) until they are merged. Delete this file then and point
// defaultFixer at them. Nothing here is meant to last.

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/steps/fix"
)

// standinPlan plans nothing: the real planner is fix.Make.
func standinPlan(*probe.Report, steps.Diagnosis, fix.Reader) fix.Plan { return fix.Plan{} }

// standinRead reads a regular file, never a symlink, bounded.
func standinRead(path string) ([]byte, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	b, err := probe.ReadRegular(path, probe.MaxKeyFile+1)
	if err == nil && len(b) > probe.MaxKeyFile {
		return nil, fmt.Errorf("%s is too large", path)
	}
	return b, err
}

// standinDiff shows the lines between the common start and end.
func standinDiff(c fix.Change, red *probe.Redactor) string {
	a, b := strings.SplitAfter(string(c.Before), "\n"), strings.SplitAfter(string(c.After), "\n")
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	j := 0
	for j < len(a)-i && j < len(b)-i && a[len(a)-1-j] == b[len(b)-1-j] {
		j++
	}
	out := []string{"--- " + c.Path, "+++ " + c.Path, fmt.Sprintf("@@ -%d +%d @@", i+1, i+1)}
	for _, l := range a[i : len(a)-j] {
		out = append(out, "-"+strings.TrimSuffix(l, "\n"))
	}
	for _, l := range b[i : len(b)-j] {
		out = append(out, "+"+strings.TrimSuffix(l, "\n"))
	}
	return red.String(strings.Join(out, "\n"))
}

// standinApply writes each file in place (no backup on disk) and undoes
// from the plan's own Before.
func standinApply(cs []fix.Change) (fixApplied, error) {
	var done []fix.Change
	undo := func() error {
		var errs []error
		for _, c := range done {
			errs = append(errs, os.WriteFile(c.Path, c.Before, 0o600))
		}
		return errors.Join(errs...)
	}
	for _, c := range cs {
		if err := os.WriteFile(c.Path, c.After, 0o600); err != nil {
			return fixApplied{}, errors.Join(err, undo())
		}
		done = append(done, c)
	}
	return fixApplied{Backups: "memory (stand-in)", Undo: undo}, nil
}
