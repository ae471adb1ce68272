package fix

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/demo"
	"github.com/fix401/fix401/steps"
)

// demoRun probes a demo's world as it is now.
func demoRun(t *testing.T, d *demo.Demo) (*probe.Report, steps.Diagnosis) {
	t.Helper()
	env := *d.Env
	env.Vars = maps.Clone(d.Env.Vars)
	env.Timeout = time.Minute
	r := probe.Run(context.Background(), &env)
	return r, steps.Diagnose(r)
}

// TestDemosFixedEndToEnd: the shadowed, trailing-newline,
// claude-code-bedrock and subscription-overridden demos, planned,
// applied by a test writer, probed again: the key works, and a second plan
// changes nothing.
func TestDemosFixedEndToEnd(t *testing.T) {
	for _, tc := range []struct {
		name   string
		file   func(d *demo.Demo) string
		want   string // a line the fixed file holds
		manual string // a command the plan gives, or ""
	}{
		{"shadowed", func(d *demo.Demo) string { return filepath.Join(d.Env.Home, ".zshrc") },
			"# disabled by fix401 on 2026-11-29: export ANTHROPIC_API_KEY=\"", "unset ANTHROPIC_API_KEY"},
		{"trailing-newline", func(d *demo.Demo) string { return filepath.Join(d.Env.Dir, ".env") },
			"ANTHROPIC_API_KEY=\"sk-ant-api03-", ""},
		{"claude-code-bedrock", func(d *demo.Demo) string { return filepath.Join(d.Env.Home, ".zshrc") },
			"# disabled by fix401 on 2026-11-29: export CLAUDE_CODE_USE_BEDROCK=1", "unset CLAUDE_CODE_USE_BEDROCK"},
		// A key that authenticates but has no credit, over a Max login:
		// commented out (the user confirms), the subscription takes over.
		{"subscription-overridden", func(d *demo.Demo) string { return filepath.Join(d.Env.Home, ".zshrc") },
			"# disabled by fix401 on 2026-11-29: export ANTHROPIC_API_KEY=\"", "unset ANTHROPIC_API_KEY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := demo.NewAt(tc.name, func() time.Time { return clock })
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			r, dg := demoRun(t, d)
			if dg.Code == steps.OK {
				t.Fatalf("the demo works before the fix")
			}
			p := MakeWith(r, dg, readFile, Options{Dir: d.Env.Dir})
			path := tc.file(d)
			ch := changeFor(t, p, path)
			if len(p.Changes) != 1 {
				t.Errorf("want one change, got:\n%s", describe(p))
			}
			if !strings.Contains(string(ch.After), tc.want) {
				t.Errorf("%s after the fix lacks %q:\n%s", path, tc.want, ch.After)
			}
			if tc.manual != "" && !hasCommand(p, tc.manual) {
				t.Errorf("no manual step %q:\n%s", tc.manual, describe(p))
			}
			// Only the planned bytes change: every other line stays.
			if got, want := strings.Count(string(ch.After), "\n"), strings.Count(string(ch.Before), "\n"); got != want {
				t.Errorf("lines: %d after, %d before", got, want)
			}
			w := &world{t: t, env: d.Env}
			w.apply(p)
			r2, d2 := demoRun(t, d)
			if d2.Code != steps.OK {
				t.Fatalf("after the fix: %s %s", d2.Code, d2.Title)
			}
			p2 := MakeWith(r2, d2, readFile, Options{Dir: d.Env.Dir})
			if len(p2.Changes) != 0 || len(p2.Manual) != 0 {
				t.Errorf("a second plan is not empty:\n%s", describe(p2))
			}
			if _, err := os.Stat(path); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func hasCommand(p Plan, cmd string) bool {
	for _, m := range p.Manual {
		if m.Command == cmd {
			return true
		}
	}
	return false
}

// TestEveryDemoHasAPlan: every demo that is not ok gets a plan with
// something in it, none writes a key the report did not find, and no key
// is in the plan's words.
func TestEveryDemoHasAPlan(t *testing.T) {
	for _, sc := range demo.Scenarios() {
		if sc.Name == "timeout" {
			continue // its run lasts the demo's time limit; nothing to plan but a manual step
		}
		t.Run(sc.Name, func(t *testing.T) {
			d, err := demo.NewAt(sc.Name, func() time.Time { return clock })
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			r, dg := demoRun(t, d)
			p := MakeWith(r, dg, readFile, Options{Dir: d.Env.Dir})
			if dg.Code != steps.OK && p.Empty() {
				t.Errorf("%s: empty plan", dg.Code)
			}
			var keys []string
			for _, s := range r.Secrets() {
				if len(s) >= 20 {
					keys = append(keys, s)
				}
			}
			noKeyIn(t, p, keys)
			for _, c := range p.Changes {
				for _, k := range keyPattern.FindAllString(string(c.After), -1) {
					if !strings.Contains(string(c.Before), k) {
						t.Errorf("%s: writes a key it did not read there", c.Path)
					}
				}
				if c.Before != nil {
					if now, err := os.ReadFile(c.Path); err != nil || string(now) != string(c.Before) {
						t.Errorf("%s: Before is not the file", c.Path)
					}
				}
			}
			t.Logf("%s:\n%s", dg.Code, describe(p))
		})
	}
}

// TestUnsetFollowsTheShell: a fish user is told `set -e`, which fish has,
// not `unset`, which it has not.
func TestUnsetFollowsTheShell(t *testing.T) {
	d, err := demo.NewAt("shadowed", func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	r, dg := demoRun(t, d)
	for shell, want := range map[string]string{"/usr/bin/fish": "set -e ANTHROPIC_API_KEY", "/bin/zsh": "unset ANTHROPIC_API_KEY", "": "unset ANTHROPIC_API_KEY"} {
		p := MakeWith(r, dg, readFile, Options{Dir: d.Env.Dir, Shell: shell})
		if !hasCommand(p, want) {
			t.Errorf("SHELL=%q: no %q:\n%s", shell, want, describe(p))
		}
	}
}
