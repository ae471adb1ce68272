package ui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/hostile"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// TestHostileSummaryCopyAndSave: a project whose files and variables carry
// control sequences (probe/hostile) gets a summary — copied over OSC 52,
// saved to a file — and screens without them, that still say what the
// planted text said. Its only key is under a hostile name in
// .claude/settings.json, so the finding names it.
func TestHostileSummaryCopyAndSave(t *testing.T) {
	srv, err := stub.Start(stub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	home := t.TempDir()
	vars, err := hostile.Plant(home, stub.NewAPIKey())
	if err != nil {
		t.Fatal(err)
	}
	env := &probe.Env{Vars: vars, Home: home, Dir: home, BaseURL: srv.URL, StatusURL: srv.URL,
		Timeout: time.Minute, Retries: 1, Backoff: time.Millisecond}
	m := finished(context.Background(), env, Options{Version: "test", Width: 100, Height: 40})
	m.snapshot = false
	m = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	for _, s := range steps.Order {
		m = goTo(t, m, s)
		if what, ok := hostile.BadStyled(m.View().Content); ok {
			t.Errorf("the %s screen holds %s", s, what)
		}
	}
	m, cmd := updateCmd(t, m, press("c"))
	if cmd == nil {
		t.Fatal("c copied nothing")
	}
	clip := fmt.Sprint(cmd())
	m, cmd = updateCmd(t, m, press("s"))
	msg, ok := cmd().(summarySavedMsg)
	if !ok || msg.err != nil {
		t.Fatalf("save: %#v", msg)
	}
	saved, err := os.ReadFile(msg.path)
	if err != nil {
		t.Fatal(err)
	}
	m = update(t, m, msg)
	for name, text := range map[string]string{"the copied summary": clip, "the saved summary": string(saved)} {
		if what, ok := hostile.Bad(text); ok {
			t.Errorf("%s holds %s:\n%q", name, what, text)
		}
		for _, said := range []string{"Europe/Berlin", "^0.30.0", "v1.2.3", "MY_KEY", "proxy.invalid"} {
			if !strings.Contains(text, said) {
				t.Errorf("%s does not show %q: the planted text did not reach it", name, said)
			}
		}
	}
	if what, ok := hostile.BadStyled(m.View().Content); ok {
		t.Errorf("the screen after saving holds %s", what)
	}
}
