package ui

import (
	"context"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// AppAfter runs every probe again for what the user's app loads now, read
// afresh from the files: started from this terminal (Here: fix401's own
// variables, without a key given on stdin) and from a new one (New: the
// start-up files as they are now; nil when one sets a credential from a
// command fix401 does not run). before is the report made before the
// files changed: its shell exports are how this terminal got its
// variables. fix401 fix verifies with it.
func AppAfter(ctx context.Context, env *probe.Env, before *probe.Report) *steps.AppView {
	var start []probe.Candidate
	if before != nil {
		start = shellExports(before.Candidates)
	}
	if start == nil {
		start = []probe.Candidate{} // nil would mean "read them now"
	}
	p := prepare(env, start)
	p.runNow(ctx)
	return p.app
}
