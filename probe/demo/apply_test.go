package demo

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestApplyPlaysOnlyTheShell: the demo's shell unsets the stale variable;
// no file changes (the fix's plan changes them), and the environment given
// stays as it was.
func TestApplyPlaysOnlyTheShell(t *testing.T) {
	d, err := New("shadowed")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	zshrc := filepath.Join(d.Env.Home, ".zshrc")
	before, err := os.ReadFile(zshrc)
	if err != nil {
		t.Fatal(err)
	}
	key := d.Env.Vars["ANTHROPIC_API_KEY"]
	fixed, changes := d.Apply(d.Env)
	if fixed == nil {
		t.Fatal("apply: nothing to play")
	}
	if got := strings.Join(changes, "; "); got != "`unset ANTHROPIC_API_KEY` in the demo's shell" {
		t.Errorf("changes %q", got)
	}
	if _, set := fixed.Vars["ANTHROPIC_API_KEY"]; set {
		t.Error("the demo's shell still exports the old key")
	}
	if d.Env.Vars["ANTHROPIC_API_KEY"] != key {
		t.Error("Apply changed the environment it was given")
	}
	if after, _ := os.ReadFile(zshrc); !bytes.Equal(after, before) {
		t.Error("Apply changed ~/.zshrc: files are the plan's to change")
	}
	for _, name := range []string{"outage", "trailing-newline"} {
		d2, err := New(name)
		if err != nil {
			t.Fatal(err)
		}
		if fixed, changes := d2.Apply(d2.Env); fixed != nil || changes != nil {
			t.Errorf("%s: the demo's shell has nothing to do, got %v", name, changes)
		}
		d2.Close()
	}
}
