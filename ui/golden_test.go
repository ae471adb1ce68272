package ui

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/demo"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// goldenScenarios are the demos whose every step is kept as a golden file.
var goldenScenarios = []string{"shadowed", "revoked", "no-key", "trailing-newline", "proxy-page"}

// demoModel is the wizard after a full run of a demo, made deterministic:
// a fixed clock, and the random parts of the demo (keys, request ids, the
// stub's port) replaced by stable stand-ins of the same shape. It returns
// the secrets the screens must never show.
func demoModel(t *testing.T, name string, opts Options) (Model, []string) {
	t.Helper()
	d := newDemo(t, name)
	opts.DemoName, opts.Version = name, "test"
	m := finished(context.Background(), d.Env, opts)
	if !m.report.Finished() {
		t.Fatalf("%s: the run did not finish", name)
	}

	var secrets []string
	r := m.report
	for _, c := range r.Candidates {
		secrets = append(secrets, c.Value, c.Raw, c.Clean)
	}
	if p := d.Env.Vars["HTTPS_PROXY"]; p != "" {
		if u, err := url.Parse(p); err == nil {
			pw, _ := u.User.Password()
			secrets = append(secrets, pw)
		}
	}

	m.stabilize()
	return m, secrets
}

// newDemo starts the demo called name for the test. Its probes get a limit
// per attempt that only a stuck probe reaches, instead of the demo's few
// seconds: on a loaded machine running -race a slow loopback answer would
// otherwise become a timeout, and a golden screen a different one. The
// demo whose API never answers keeps its own limit, which its probes must
// reach; no test here depends on what else finished before it.
func newDemo(t *testing.T, name string) *demo.Demo {
	t.Helper()
	d, err := demo.New(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if d.Stub.Scenario() != stub.Hang {
		d.Env.Timeout = time.Minute
	}
	return d
}

var leftover = regexp.MustCompile(`127\.0\.0\.1:(\d+)`)

func checkScreen(t *testing.T, out string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if len(s) < probe.MinPiece {
			continue
		}
		if p := pieces(out, s); len(p) > 0 {
			t.Errorf("the screen holds a piece of a secret: %q", p[0])
		}
	}
	for _, m := range leftover.FindAllStringSubmatch(out, -1) {
		if m[1] != "8401" {
			t.Errorf("the stub's random port leaked into the screen: %s", m[0])
		}
	}
}

func TestGoldenSteps(t *testing.T) {
	for _, name := range goldenScenarios {
		t.Run(name, func(t *testing.T) {
			m, secrets := demoModel(t, name, Options{})
			for _, s := range steps.Order {
				t.Run(string(s), func(t *testing.T) {
					out := m.screen(s, 100, 0)
					checkScreen(t, out, secrets)
					golden.RequireEqual(t, out)
				})
			}
		})
	}
}

func TestGoldenNarrowNoColor(t *testing.T) {
	m, secrets := demoModel(t, "shadowed", Options{NoColor: true})
	for _, s := range steps.Order {
		t.Run(string(s), func(t *testing.T) {
			out := m.screen(s, 60, 20)
			checkScreen(t, out, secrets)
			if strings.Contains(out, "\x1b") {
				t.Error("escape sequences with NoColor")
			}
			for i, l := range strings.Split(out, "\n") {
				if w := len([]rune(l)); w > 60 {
					t.Errorf("line %d is %d wide", i, w)
				}
			}
			golden.RequireEqual(t, out)
		})
	}
}

// TestSnapshot runs the exported entry point on a live demo: it must show
// the step asked for, finished, without secrets.
func TestSnapshot(t *testing.T) {
	d := newDemo(t, "revoked")
	out, err := Snapshot(context.Background(), d.Env, steps.Checklist, 80, 0, Options{NoColor: true, DemoName: "revoked"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"6/8 Checklist", "demo: revoked", "[✗] Credentials", "Test → what it tells you"} {
		if !strings.Contains(out, want) {
			t.Errorf("snapshot lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "checking…") {
		t.Error("the snapshot was taken before the probes finished")
	}
	r := probe.Prepare(d.Env)
	for _, c := range r.Candidates {
		checkScreen(t, out, []string{c.Value})
	}
	if _, err := Snapshot(context.Background(), d.Env, "nope", 80, 0, Options{}); err == nil {
		t.Error("an unknown step gave no error")
	}
}
