package fix

import (
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// TestEveryCodeHasAPlan: each diagnosis code has its own planner, and a
// finding that is not ok always ends in a change or a manual step, even
// on a report that holds nothing to edit. A code added to steps without a
// planner here fails this test.
func TestEveryCodeHasAPlan(t *testing.T) {
	for _, code := range steps.Codes() {
		if _, ok := planners[code]; !ok {
			t.Errorf("%s: no planner; add one to planners", code)
			continue
		}
		b := newBuilder(&probe.Report{Active: -1}, readFile, Options{})
		b.planFor(steps.Diagnosis{Code: code, Title: "t", Fix: "Do the thing."})
		p := b.plan()
		switch {
		case code == steps.OK && !p.Empty():
			t.Errorf("ok: plan is not empty:\n%s", describe(p))
		case code != steps.OK && p.Empty():
			t.Errorf("%s: empty plan, a silent skip", code)
		}
		for _, m := range p.Manual {
			if m.Code != code || m.Title == "" {
				t.Errorf("%s: manual step %+v", code, m)
			}
		}
	}
	for code := range planners {
		found := false
		for _, c := range steps.Codes() {
			found = found || c == code
		}
		if !found && code != codeProviderOverride && code != codeCISecretUnavailable {
			t.Errorf("planner for %s, which steps does not know", code)
		}
	}
}
