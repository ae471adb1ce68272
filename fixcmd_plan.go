package main

import (
	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/steps/fix"
)

// makePlan is the plan for a finished report; tests may replace it.
var makePlan = func(r *probe.Report, d steps.Diagnosis, env *probe.Env, c common) fix.Plan {
	return fix.Plan{}
}
