package steps

import (
	"context"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
)

// TestSpendLimitIsNeverOK: the spend-limit stub now answers like the API
// (400 invalid_request_error "You have reached your specified API usage
// limits…" on count_tokens and messages, /v1/models still 200). A refusal
// must never be diagnosed ok, which it once was: ok, exit 0 (facts/causes.md
// C4). The code is spend_limit, from DESIGN.md's table.
func TestSpendLimitIsNeverOK(t *testing.T) {
	w := newWorld(t)
	w.serve(stub.Options{Scenario: stub.SpendLimit}, false)
	w.env.Vars["ANTHROPIC_API_KEY"] = w.key(stub.NewAPIKey())
	r := probe.Run(context.Background(), w.env)
	if d := Diagnose(r); d.Code != Code("spend_limit") {
		t.Fatalf("diagnosis %s (%s), want spend_limit\nchecks:\n%s", d.Code, d.Title, dump(r))
	}
}
