package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/demo"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// recorder keeps every screen the program renders, so the test reads what
// a person would see rather than the terminal's diff stream, and says when
// a new one is drawn.
type recorder struct {
	Model
	mu      *sync.Mutex
	screens *[]string
	drawn   chan struct{} // holds a token after every screen until waitScreen takes it
}

func newRecorder(m Model) recorder {
	return recorder{Model: m, mu: &sync.Mutex{}, screens: &[]string{}, drawn: make(chan struct{}, 1)}
}

func (r recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := r.Model.Update(msg)
	r.Model = m.(Model)
	return r, cmd
}

func (r recorder) View() tea.View {
	v := r.Model.View()
	r.mu.Lock()
	*r.screens = append(*r.screens, v.Content)
	r.mu.Unlock()
	select {
	case r.drawn <- struct{}{}:
	default: // a token is already waiting
	}
	return v
}

func (r recorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(*r.screens) == 0 {
		return ""
	}
	return ansi.Strip((*r.screens)[len(*r.screens)-1])
}

func (r recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), *r.screens...)
}

// waitScreen waits until the latest screen holds every one of want. It
// wakes on every screen the program draws (bubbletea draws after every
// update); the minute is a hang guard, not a speed target.
func waitScreen(t *testing.T, r recorder, want ...string) {
	t.Helper()
	guard := time.NewTimer(hangGuard)
	defer guard.Stop()
	for {
		s := r.last()
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(s, w)
		}
		if ok {
			return
		}
		select {
		case <-r.drawn:
		case <-guard.C:
			t.Fatalf("the screen never showed %q; last screen:\n%s", want, r.last())
		}
	}
}

// hangGuard bounds every wait on the program: only a stuck test reaches it.
const hangGuard = time.Minute

// TestWalkEveryStep drives the real program over a demo: every probe runs
// against the stub, the user walks all eight steps with the keyboard,
// pastes a key on the way, copies the summary and quits.
func TestWalkEveryStep(t *testing.T) {
	d := newDemo(t, "revoked")
	secrets := []string{}
	for _, c := range probe.Prepare(d.Env).Candidates {
		secrets = append(secrets, c.Value)
	}
	pastedKey := stub.NewAPIKey()
	secrets = append(secrets, pastedKey)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := newRecorder(New(ctx, d.Env, Options{DemoName: "revoked", Version: "test"}))
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(100, 32))

	waitScreen(t, rec, "1/8 The error", "Press enter: 2/8 Your key")
	walk := []struct {
		key  string
		want []string
	}{
		{"enter", []string{"2/8 Your key", "Get a working key"}},
		{"right", []string{"3/8 Permissions", "Status page"}},
		{"enter", []string{"4/8 Headers & network", "made-up key"}},
		// Nothing stale: both places hold the same key, which no other key beats.
		{"enter", []string{"6/8 Checklist", "Before you escalate"}},
		{"enter", []string{"7/8 Verify the fix", "First run"}},
		{"enter", []string{"8/8 Summary", "key_rejected"}},
		{"left", []string{"7/8 Verify the fix"}},
		{"left", []string{"6/8 Checklist"}},
	}
	for _, step := range walk {
		tm.Send(press(step.key))
		waitScreen(t, rec, step.want...)
	}

	// Paste a key: it is tested at once and shown only as its hint.
	tm.Send(press("e"))
	waitScreen(t, rec, "key ›")
	tm.Send(tea.PasteMsg{Content: pastedKey})
	tm.Send(press("enter"))
	waitScreen(t, rec, "2/8 Your key", probe.Hint(pastedKey)+": rejected")

	// Straight on to the summary, copy it, quit.
	for range 6 {
		tm.Send(press("enter"))
	}
	waitScreen(t, rec, "8/8 Summary")
	tm.Send(press("c"))
	waitScreen(t, rec, "Copied the summary")
	tm.Send(press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))

	final := tm.FinalModel(t).(recorder).Model
	if final.wiz.Step != steps.Summary {
		t.Errorf("ended at %s", final.wiz.Step)
	}
	if final.runCtx.Err() == nil {
		t.Error("the probes' context outlived the program")
	}
	if len(final.tried) != 1 || final.tried[0] != probe.Hint(pastedKey) {
		t.Errorf("tried %q", final.tried)
	}

	out, err := io.ReadAll(tm.FinalOutput(t))
	if err != nil {
		t.Fatal(err)
	}
	screens := rec.all()
	if len(screens) < 10 {
		t.Fatalf("only %d screens", len(screens))
	}
	for _, s := range append(screens, string(out)) {
		for _, k := range secrets {
			if p := pieces(s, k); len(p) > 0 {
				t.Fatalf("a screen holds a piece of a key: %q", p[0])
			}
		}
	}
}

// TestQuitMidProbe quits while a probe is still waiting on a server that
// never answers: the program ends at once and the probes are cancelled.
// The probes' limit is an hour, so only the quit can end them, however long
// the program takes to start.
func TestQuitMidProbe(t *testing.T) {
	d, err := demo.New("timeout")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.Env.Timeout = time.Hour
	rec := newRecorder(New(context.Background(), d.Env, Options{}))
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(80, 24))
	waitScreen(t, rec, "1/8 The error", "checking…")
	tm.Send(press("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))
	final := tm.FinalModel(t).(recorder).Model
	if final.runCtx.Err() == nil {
		t.Error("the probes were not cancelled")
	}
	if final.report != nil && final.report.Finished() {
		t.Error("the probes finished before the quit: the test proves nothing")
	}
}

// TestOutcomeFollowsTheDiagnosis: the program's final model says how the
// session stood when the user quit — what the exit status follows.
func TestOutcomeFollowsTheDiagnosis(t *testing.T) {
	for _, tt := range []struct {
		demo, verdict string
		ok            bool
		code          steps.Code
	}{
		{"healthy", "Nothing to fix", true, steps.OK},
		{"shadowed", "shows how to fix it", false, steps.KeyShadowed},
	} {
		t.Run(tt.demo, func(t *testing.T) {
			d := newDemo(t, tt.demo)
			rec := newRecorder(New(context.Background(), d.Env, Options{}))
			tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(100, 32))
			waitScreen(t, rec, "1/8 The error", tt.verdict)
			tm.Send(press("q"))
			tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))
			o := tm.FinalModel(t).(recorder).Model.Outcome()
			if !o.Finished || o.OK != tt.ok || o.Code != tt.code {
				t.Errorf("outcome %+v, want ok %v with %s", o, tt.ok, tt.code)
			}
		})
	}
}

// panicky panics on its first key.
type panicky struct{}

func (panicky) Init() tea.Cmd { return nil }
func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		panic("boom")
	}
	return p, nil
}
func (panicky) View() tea.View {
	v := tea.NewView("drawn")
	v.AltScreen = true
	return v
}

// TestPanicRestoresTheTerminal: a panic ends the program with ErrPanic,
// and the terminal is handed back: alternate screen left, cursor shown.
func TestPanicRestoresTheTerminal(t *testing.T) {
	// The panic is printed to stderr: keep it for the test, out of its log.
	stderr, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = stderr
	defer func() { os.Stderr = saved }()

	in, keys := io.Pipe()
	defer keys.Close()
	out := &watchWriter{want: "drawn", seen: make(chan struct{})}
	p := tea.NewProgram(panicky{}, tea.WithInput(in), tea.WithOutput(out), tea.WithWindowSize(40, 10))
	done := make(chan error, 1)
	go func() {
		_, err := runProgram(p)
		done <- err
	}()
	guard := time.NewTimer(hangGuard)
	defer guard.Stop()
	select {
	case <-out.seen: // the first screen is on the terminal
	case <-guard.C:
		t.Fatal("the program never drew")
	}
	if _, err := keys.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	select {
	case err = <-done:
	case <-guard.C:
		t.Fatal("the program did not end after its panic")
	}
	if !errors.Is(err, ErrPanic) {
		t.Fatalf("err %v, want ErrPanic", err)
	}
	s := out.String()
	enter, leave := strings.Index(s, "\x1b[?1049h"), strings.LastIndex(s, "\x1b[?1049l")
	if enter < 0 || leave < enter {
		t.Errorf("the alternate screen was not left after the panic: %q", s)
	}
	if !strings.Contains(s[max(enter, 0):], "\x1b[?25h") {
		t.Errorf("the cursor was not shown again: %q", s)
	}
	if printed, _ := os.ReadFile(stderr.Name()); !strings.Contains(string(printed), "boom") {
		t.Errorf("the panic was not printed: %q", printed)
	}
}

// watchWriter keeps what the program writes and closes seen once want
// has been written.
type watchWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func (w *watchWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(b)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
