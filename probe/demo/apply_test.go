package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
)

// TestApplyFixesTheDemoInPlace: the fix is made in the demo's own home,
// so a fresh read finds it, and the demo says what it changed.
func TestApplyFixesTheDemoInPlace(t *testing.T) {
	d, err := New("shadowed")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	before := d.Env.Vars["ANTHROPIC_API_KEY"]
	fixed, changes, ok, err := d.Apply(d.Env)
	if err != nil || !ok {
		t.Fatalf("apply: %v %v", ok, err)
	}
	if got := strings.Join(changes, "; "); !strings.Contains(got, "deleted line 41 of ~/.zshrc") ||
		!strings.Contains(got, "unset ANTHROPIC_API_KEY") {
		t.Errorf("changes %q", got)
	}
	if strings.Contains(zshrcLine(t, d, 41), "ANTHROPIC_API_KEY") {
		t.Error("line 41 of the demo's ~/.zshrc is still there")
	}
	if d.Env.Vars["ANTHROPIC_API_KEY"] != before {
		t.Error("Apply changed the environment it was given")
	}
	if _, set := fixed.Vars["ANTHROPIC_API_KEY"]; set {
		t.Error("the demo's shell still exports the old key")
	}
	fixed.Timeout = time.Minute
	if r := probe.Run(context.Background(), fixed); !r.Auth.Accepted() || r.ActiveKey().Source != ".env:2" {
		t.Errorf("after the fix: %s from %v", r.Auth.Class(), r.ActiveKey())
	}

	outside := *d.Env
	outside.Home = t.TempDir()
	if _, _, _, err := d.Apply(&outside); err == nil {
		t.Error("Apply wrote outside the demo's folder")
	}
	if d2, err := New("outage"); err == nil {
		defer d2.Close()
		if _, _, ok, err := d2.Apply(d2.Env); ok || err != nil {
			t.Errorf("an outage has no local fix: %v %v", ok, err)
		}
	}
}
