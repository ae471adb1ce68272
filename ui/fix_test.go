package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/demo"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/steps/fix"
	"github.com/fix401/fix401/ui/apply"
)

// commentOut is a hand-made plan: it comments out every line of path that
// starts with prefix, for reason, with manual steps beside it.
func commentOut(path, prefix, reason string, manual ...fix.Manual) func(*probe.Report, steps.Diagnosis, fix.Reader) fix.Plan {
	return func(_ *probe.Report, d steps.Diagnosis, read fix.Reader) fix.Plan {
		b, err := read(path)
		if err != nil || d.Code == steps.OK {
			return fix.Plan{}
		}
		lines := strings.SplitAfter(string(b), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				lines[i] = "# " + l
			}
		}
		after := []byte(strings.Join(lines, ""))
		if bytes.Equal(after, b) {
			return fix.Plan{}
		}
		return fix.Plan{
			Changes: []fix.Change{{Path: path, Before: b, After: after, Why: []fix.Reason{{Code: d.Code, Title: reason}}}},
			Manual:  manual,
		}
	}
}

// demoSecrets are every key a demo's files and variables hold.
func demoSecrets(d *demo.Demo) []string {
	var out []string
	for _, c := range probe.Prepare(d.Env).Candidates {
		out = append(out, c.Value, c.Clean, c.Raw)
	}
	return out
}

func noSecrets(t *testing.T, screens []string, secrets []string) {
	t.Helper()
	for _, s := range screens {
		for _, k := range secrets {
			if len(k) < probe.MinPiece {
				continue
			}
			if p := pieces(s, k); len(p) > 0 {
				t.Fatalf("a screen holds a piece of a key: %q", p[0])
			}
		}
	}
}

// TestDemoFixedInTheWizard plays the shadowed and trailing-newline demos
// to their fix with the real plan and writes: f on the step that explains
// the diagnosis shows each change with its diff (keys masked), y writes
// it with a backup, the demo's shell plays what is left to a real shell,
// verify says Fixed before → after, and undo — the one fix401 fix --undo
// makes — puts every byte back.
func TestDemoFixedInTheWizard(t *testing.T) {
	for _, tc := range []struct {
		name    string
		code    string
		step    string // the step that explains the diagnosis
		file    func(d *demo.Demo) string
		diff    []string // lines the preview shows
		written string   // a line the fixed file holds
		answers []string // y per question
	}{
		{"shadowed", "key_shadowed", "5/8 Stale copies", func(d *demo.Demo) string { return filepath.Join(d.Env.Home, ".zshrc") },
			[]string{"Change 1 of 1 · ~/.zshrc", "-export ANTHROPIC_API_KEY=", "+# disabled by fix401 on", "unset ANTHROPIC_API_KEY"},
			"# disabled by fix401 on ", []string{"y", "y"}},
		{"trailing-newline", "key_malformed", "2/8 Your key", func(d *demo.Demo) string { return filepath.Join(d.Env.Dir, ".env") },
			[]string{"Change 1 of 1 · ~/projects/weather-bot/.env", "-ANTHROPIC_API_KEY=", "+ANTHROPIC_API_KEY="},
			"ANTHROPIC_API_KEY=\"sk-ant-api03-", []string{"y"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDemo(t, tc.name)
			path := tc.file(d)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			secrets := demoSecrets(d)
			rec := newRecorder(New(context.Background(), d.Env, Options{DemoName: tc.name, DemoFix: d.Apply, DemoRoot: d.Root}))
			tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(100, 40))
			waitScreen(t, rec, "1/8 The error", "f fix it")
			tm.Send(press("enter")) // the step that explains the diagnosis
			waitScreen(t, rec, tc.step, "f fix it")
			tm.Send(press("f"))
			waitScreen(t, rec, append([]string{"Fix: 1 file to change"}, tc.diff...)...)
			for _, a := range tc.answers {
				tm.Send(press(a))
			}
			waitScreen(t, rec, "7/8 Verify the fix", "Fixed: ", "Before → after: "+tc.code+" → ok")
			after, _ := os.ReadFile(path)
			if !strings.Contains(string(after), tc.written) || bytes.Equal(after, before) {
				t.Errorf("%s after the fix:\n%s", path, after)
			}
			final := rec.last()
			if !strings.Contains(final, ".local/state/fix401/backups/") {
				t.Errorf("the backups are not named:\n%s", final)
			}
			tm.Send(press("q"))
			tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))
			if o := tm.FinalModel(t).(recorder).Model.Outcome(); !o.OK {
				t.Errorf("after the fix the outcome is %+v", o)
			}
			noSecrets(t, rec.all(), secrets)
			// fix401 fix --undo finds the backup the wizard made.
			u, err := apply.Undo(apply.DefaultStateDir(d.Env.Vars, d.Env.Home), apply.UndoOptions{})
			if err != nil || len(u.Restored) != 1 {
				t.Fatalf("undo: %+v %v", u, err)
			}
			if b, _ := os.ReadFile(path); !bytes.Equal(b, before) {
				t.Errorf("undo left\n%q\nwant\n%q", b, before)
			}
		})
	}
}

// TestFixThatFailsOffersUndo: a change that does not fix it says so, and
// u puts the file back byte for byte.
func TestFixThatFailsOffersUndo(t *testing.T) {
	d := newDemo(t, "shadowed")
	dotenv := filepath.Join(d.Env.Dir, ".env")
	before, err := os.ReadFile(dotenv)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{DemoName: "shadowed", DemoRoot: d.Root,
		fixer: fixer{plan: commentOut(dotenv, "WEATHER_CITY=", "an unrelated edit")}}
	rec := newRecorder(New(context.Background(), d.Env, opts))
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(100, 40))
	waitScreen(t, rec, "shows how to fix it", "f fix it")
	tm.Send(press("f"))
	waitScreen(t, rec, "Apply change 1 of 1")
	tm.Send(press("y"))
	waitScreen(t, rec, "The fix did not fix it: key_shadowed", "u undo fix")
	if b, _ := os.ReadFile(dotenv); bytes.Equal(b, before) {
		t.Fatal("the change was not written: the test proves nothing")
	}
	tm.Send(press("u"))
	waitScreen(t, rec, "Undone: 1 file is back as before the fix.")
	tm.Send(press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))
	if b, _ := os.ReadFile(dotenv); !bytes.Equal(b, before) {
		t.Errorf("undo left\n%q\nwant\n%q", b, before)
	}
}

// TestFixCancelAndStop: esc writes nothing; q stops asking and writes only
// what was accepted before it.
func TestFixCancelAndStop(t *testing.T) {
	d := newDemo(t, "shadowed")
	dotenv, zshrc := filepath.Join(d.Env.Dir, ".env"), filepath.Join(d.Env.Home, ".zshrc")
	envBefore, _ := os.ReadFile(dotenv)
	zshBefore, _ := os.ReadFile(zshrc)
	two := func(r *probe.Report, dg steps.Diagnosis, read fix.Reader) fix.Plan {
		a := commentOut(dotenv, "WEATHER_CITY=", "first")(r, dg, read)
		b := commentOut(zshrc, "export ANTHROPIC_API_KEY=", "second")(r, dg, read)
		return fix.Plan{Changes: append(a.Changes, b.Changes...)}
	}
	rec, tm := review(t, d, two, 60, 24)
	waitScreen(t, rec, "Change 1 of 2")
	tm.Send(press("esc"))
	waitScreen(t, rec, "Nothing was changed.")
	tm.Send(press("f"))
	waitScreen(t, rec, "Change 1 of 2")
	tm.Send(press("y"))
	waitScreen(t, rec, "Change 2 of 2")
	tm.Send(press("q"))
	waitScreen(t, rec, "7/8 Verify the fix", "The fix did not fix it")
	tm.Send(press("ctrl+c"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))
	if b, _ := os.ReadFile(dotenv); bytes.Equal(b, envBefore) {
		t.Error("the accepted change was not written")
	}
	if b, _ := os.ReadFile(zshrc); !bytes.Equal(b, zshBefore) {
		t.Error("the change after q was written")
	}
}

// TestFixLongDiffScrolls: a diff taller than the screen scrolls with the
// body's keys while the question stays in the footer.
func TestFixLongDiffScrolls(t *testing.T) {
	d := newDemo(t, "shadowed")
	path := filepath.Join(d.Env.Dir, "notes.txt")
	var b strings.Builder
	for i := range 200 {
		b.WriteString("line " + strings.Repeat("x", i%7) + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	rec, tm := review(t, d, commentOut(path, "line", "every line"), 60, 20)
	waitScreen(t, rec, "Change 1 of 1", "more lines below", "Apply change 1 of 1")
	tm.Send(press("pgdown"))
	// Scrolled: the change's heading is above the screen, the question
	// still in the footer.
	waitUntil(t, rec, func(s string) bool {
		return !strings.Contains(s, "Change 1 of 1 ·") && strings.Contains(s, "Apply change 1 of 1")
	})
	for _, l := range strings.Split(rec.last(), "\n") {
		if w := len([]rune(l)); w > 60 {
			t.Errorf("a line is %d cells wide at 60 columns: %q", w, l)
		}
	}
	tm.Send(press("esc"))
	tm.Send(press("ctrl+c"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))
}

// fixPreviewModel is the shadowed demo's wizard with its fix review open,
// made stable for golden files.
func fixPreviewModel(t *testing.T, noColor bool) (Model, []string) {
	t.Helper()
	d := newDemo(t, "shadowed")
	m := finished(context.Background(), d.Env, Options{DemoName: "shadowed", Version: "test", NoColor: noColor,
		Now: func() time.Time { return StableClock }})
	step, err := m.previewFix()
	if err != nil {
		t.Fatal(err)
	}
	m.wiz = m.wiz.Goto(step)
	secrets := demoSecrets(d)
	m.stabilize()
	return m, secrets
}

func TestGoldenFixPreview(t *testing.T) {
	for _, tt := range []struct {
		name          string
		noColor       bool
		width, height int
	}{{"wide", false, 100, 0}, {"narrow-nocolor", true, 60, 20}} {
		t.Run(tt.name, func(t *testing.T) {
			m, secrets := fixPreviewModel(t, tt.noColor)
			out := m.screen(m.wiz.Step, tt.width, tt.height)
			checkScreen(t, out, secrets)
			plain := out
			if tt.noColor {
				if strings.Contains(out, "\x1b") {
					t.Error("escape sequences with NoColor")
				}
			} else {
				plain = ansi.Strip(out)
			}
			for _, want := range []string{"Change 1 of 1 · ~/.zshrc", "-export ANTHROPIC_API_KEY=", "+# disabled by fix401 on 2026-11-25: export"} {
				if !strings.Contains(plain, want) {
					t.Errorf("the preview lacks %q:\n%s", want, plain)
				}
			}
			for i, l := range strings.Split(plain, "\n") {
				if w := len([]rune(l)); w > tt.width {
					t.Errorf("line %d is %d wide", i, w)
				}
			}
			golden.RequireEqual(t, out)
		})
	}
}

// waitUntil waits until the latest screen satisfies ok; only a stuck test
// reaches the hang guard.
func waitUntil(t *testing.T, r recorder, ok func(string) bool) {
	t.Helper()
	guard := time.NewTimer(hangGuard)
	defer guard.Stop()
	for !ok(r.last()) {
		select {
		case <-r.drawn:
		case <-guard.C:
			t.Fatalf("the screen never became what the test waits for; last screen:\n%s", r.last())
		}
	}
}

// TestFixDiffMasksKeys: a key a change writes, which no probe read, is
// masked in the review like every other.
func TestFixDiffMasksKeys(t *testing.T) {
	d := newDemo(t, "shadowed")
	dotenv := filepath.Join(d.Env.Dir, ".env")
	fresh := stub.NewAPIKey()
	plan := func(_ *probe.Report, dg steps.Diagnosis, read fix.Reader) fix.Plan {
		b, err := read(dotenv)
		if err != nil {
			return fix.Plan{}
		}
		return fix.Plan{Changes: []fix.Change{{Path: dotenv, Before: b, After: append(b, "ANTHROPIC_API_KEY_NEW="+fresh+"\n"...),
			Why: []fix.Reason{{Code: dg.Code, Title: "a key no probe read"}}}}}
	}
	rec, tm := review(t, d, plan, 60, 30)
	waitScreen(t, rec, "+ANTHROPIC_API_KEY_NEW=")
	tm.Send(press("esc"))
	tm.Send(press("ctrl+c"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))
	noSecrets(t, rec.all(), append(demoSecrets(d), fresh))
}

// TestFixRefusedWriteChangesNothing: a file edited since the plan read it
// is refused by the applier; the wizard says so and nothing is written.
func TestFixRefusedWriteChangesNothing(t *testing.T) {
	d := newDemo(t, "shadowed")
	dotenv := filepath.Join(d.Env.Dir, ".env")
	before, err := os.ReadFile(dotenv)
	if err != nil {
		t.Fatal(err)
	}
	stale := func(_ *probe.Report, dg steps.Diagnosis, _ fix.Reader) fix.Plan {
		// Before is not what the file holds: as if it was edited since.
		return fix.Plan{Changes: []fix.Change{{Path: dotenv, Before: []byte("OLD=1\n"), After: []byte("NEW=1\n"),
			Why: []fix.Reason{{Code: dg.Code, Title: "a stale plan"}}}}}
	}
	rec, tm := review(t, d, stale, 100, 30)
	waitScreen(t, rec, "Apply change 1 of 1")
	tm.Send(press("y"))
	waitScreen(t, rec, "Could not apply the fix:", "since the plan was made: nothing was written", "press r to check again, then f")
	if strings.Contains(rec.last(), "u undo") {
		t.Error("undo offered for a fix that wrote nothing")
	}
	tm.Send(press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))
	if b, _ := os.ReadFile(dotenv); !bytes.Equal(b, before) {
		t.Errorf(".env changed:\n%s", b)
	}
}

// review starts the wizard on demo d with plan in place of the real
// planner, in a w×h terminal, and opens the fix review with f.
func review(t *testing.T, d *demo.Demo, plan func(*probe.Report, steps.Diagnosis, fix.Reader) fix.Plan, w, h int) (recorder, *teatest.TestModel) {
	t.Helper()
	rec := newRecorder(New(context.Background(), d.Env, Options{DemoRoot: d.Root, fixer: fixer{plan: plan}}))
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(w, h))
	waitScreen(t, rec, "f fix it")
	tm.Send(press("f"))
	return rec, tm
}

// TestFixVerdictAfterALaterRun: r pressed while the fix is being checked
// starts a newer run; its answer gives the verdict (it reads the files
// afresh too), instead of leaving the session checking for ever.
func TestFixVerdictAfterALaterRun(t *testing.T) {
	d := newDemo(t, "healthy")
	m := finished(context.Background(), d.Env, Options{DemoRoot: d.Root})
	m.fx = &fixSession{phase: fixVerifying, run: m.run}
	m.run++ // r: a newer run, finished too
	m.settleFix()
	if m.fx.phase != fixDone {
		t.Fatalf("phase %v: the later run gave no verdict", m.fx.phase)
	}
	m.fx = &fixSession{phase: fixVerifying, run: m.run + 1} // its own run has not started
	m.settleFix()
	if m.fx.phase != fixVerifying {
		t.Fatal("a verdict from a run older than the fix")
	}
}

// TestFixSkipAndCopy: n skips a change and the next one is still asked;
// only the accepted change is written; c copies the steps by hand.
func TestFixSkipAndCopy(t *testing.T) {
	d := newDemo(t, "shadowed")
	dotenv, zshrc := filepath.Join(d.Env.Dir, ".env"), filepath.Join(d.Env.Home, ".zshrc")
	envBefore, _ := os.ReadFile(dotenv)
	zshBefore, _ := os.ReadFile(zshrc)
	two := func(r *probe.Report, dg steps.Diagnosis, read fix.Reader) fix.Plan {
		a := commentOut(dotenv, "WEATHER_CITY=", "first")(r, dg, read)
		b := commentOut(zshrc, "export ANTHROPIC_API_KEY=", "second", fix.Manual{Code: dg.Code, Title: "Clear it here", Command: "unset ANTHROPIC_API_KEY"})(r, dg, read)
		return fix.Plan{Changes: append(a.Changes, b.Changes...), Manual: b.Manual}
	}
	rec, tm := review(t, d, two, 100, 30)
	waitScreen(t, rec, "Change 1 of 2", "unset ANTHROPIC_API_KEY")
	tm.Send(press("c"))
	waitScreen(t, rec, "Copied 1 command over OSC 52.")
	tm.Send(press("n"))
	waitScreen(t, rec, "Change 2 of 2")
	tm.Send(press("y"))
	waitScreen(t, rec, "7/8 Verify the fix")
	tm.Send(press("ctrl+c"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))
	if b, _ := os.ReadFile(dotenv); !bytes.Equal(b, envBefore) {
		t.Error("the skipped change was written")
	}
	if b, _ := os.ReadFile(zshrc); bytes.Equal(b, zshBefore) {
		t.Error("the change accepted after a skip was not written")
	}
}
