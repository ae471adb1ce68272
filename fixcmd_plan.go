package main

import (
	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/steps/fix"
	"github.com/fix401/fix401/ui"
	"github.com/fix401/fix401/ui/apply"
)

// makePlan is the plan for a finished report, every file read through
// apply.Read (bounded, no symlinks, no other user's files); tests may
// replace it.
var makePlan = func(r *probe.Report, d steps.Diagnosis, env *probe.Env, c common) fix.Plan {
	return fix.MakeWith(r, d, apply.Read, fix.Options{
		Dir:         env.Dir,
		WorkspaceID: c.workspace,
		Tracked:     ui.GitTracked,
		Shell:       env.Vars["SHELL"],
	})
}
