// Package ui is fix401's interactive wizard: a Bubble Tea program that
// walks the steps of the steps package, runs the probes in the background
// and shows each step's results as they arrive.
package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/lint"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/steps/fix"
)

// MinChecking is how long "checking…" stays on screen at least, so that a
// fast probe does not flash a spinner for a blink.
const MinChecking = 750 * time.Millisecond

// Options change how the wizard runs.
type Options struct {
	NoColor  bool   // no colour at all (also honoured: NO_COLOR in the environment)
	Version  string // fix401's version, for the summary
	DemoName string // the demo scenario being played, shown in the header
	// Light starts with light-background styles until the terminal says
	// which it has; the default is dark.
	Light bool
	// Input and Output replace the terminal (tests).
	Input  io.Reader
	Output io.Writer
	// Width and Height are the first size before the terminal reports one.
	Width, Height int
	// Now is the clock for the summary's date and file name; nil: time.Now.
	Now func() time.Time
	// Stable makes Snapshot draw the same screen for the same demo every
	// time: fixed clock, stand-ins for random keys, ids and ports.
	Stable bool
	// DemoFix, for fix401 demo, plays in the demo's simulated shell the
	// steps a fix leaves to the user's shell (unset a variable, open a new
	// terminal) and returns the environment after them; ok false: the
	// shell has nothing to do. The files are changed by the fix's plan
	// (f), never here.
	DemoFix func(*probe.Env) (env *probe.Env, changes []string)
	// DemoRoot is the demo's temporary folder, removed on quit: a file the
	// wizard writes there is named by its real path and said to be the
	// demo's.
	DemoRoot string
	// After, for Snapshot, is the environment once the user has applied
	// the fix: the probes run again in it, as after pressing r, so the
	// verify step shows before and after.
	After *probe.Env
	// FixPreview, for Snapshot, shows the review of the fix plan (f) over
	// the step that explains the diagnosis.
	FixPreview bool
	// FixAll, for Snapshot, applies the whole fix plan (and DemoFix) after
	// the first run and runs every probe again, as after f and y to all,
	// so the verify step shows before and after.
	FixAll bool

	fixer fixer // tests: hand-made plans, failing writes
}

// state is what the wizard is doing: browsing steps, or one of the small
// dialogs that take the keyboard.
type state int

const (
	stateBrowse        state = iota // reading a step
	stateEnterKey                   // typing or pasting a key to test
	stateConfirmWrite               // asked: write the key to .env?
	stateConfirmIgnore              // asked: add .env to .gitignore?
	stateLint                       // pasting a curl command or typing a file path to lint
	stateFix                        // reviewing the fix plan, change by change
)

// ignoreState is what is known about git ignoring the project's .env.
type ignoreState int

const (
	ignoreUnknown ignoreState = iota
	ignoreChecked
	ignoreFailed
)

// Model is the wizard.
type Model struct {
	ctx    context.Context    // the session's
	runCtx context.Context    // the current run's
	cancel context.CancelFunc // ends the current run's probes
	env    *probe.Env         // the environment probed; its StdinKey is the last key pasted, kept nowhere else
	opts   Options

	state  state
	wiz    steps.Wizard
	report *probe.Report // the current run; nil until it is prepared
	first  *probe.Report // the session's first run: the "before"
	run    int
	parts  <-chan reportPart
	// app is what the user's app loads, read afresh with the current run;
	// firstApp the same for the first run. Nil: report is what it loads.
	app, firstApp *steps.AppView
	appRun        int // the run app belongs to
	// shellStart are the start-up files' exports when fix401 started,
	// read by the first run: what this terminal's variables came from.
	shellStart []probe.Candidate
	running    bool        // the current run's channel is still open
	holding    bool        // the run is younger than MinChecking
	tried      []string    // hints of the keys pasted, for the steps
	actions    []string    // what the user did, in words, for the summary
	sdks       []probe.SDK // found in the project by the first run
	platform   string      // GOOS/GOARCH, for the summary
	red        *probe.Redactor
	linted     []probe.LintResult // requests linted in the dialog; no text of theirs
	toLinted   bool               // scroll to "Your request" once it is drawn

	envPath    string // where the pasted key was written
	fixer      fixer
	plan       fix.Plan    // the fix plan of run planRun
	planDiffs  []string    // each change of plan as a diff, keys masked
	planRun    int         // 0: no plan made yet
	fx         *fixSession // f was pressed
	ignore     IgnoreResult
	ignoreSt   ignoreState
	savedPath  string // where the summary was saved
	flash      string // one line about the last action
	flashErr   bool
	spinning   bool
	snapshot   bool // rendering once for Snapshot: no hold, no viewport limit
	isDark     bool
	keys       KeyMap
	styles     Styles
	help       help.Model
	spin       spinner.Model
	input      textinput.Model
	area       textarea.Model // the lint dialog's text; shown only masked
	body       viewport.Model
	width      int
	height     int
	bodyHeight int
}

// New returns the wizard for env. Its first run starts with Init.
func New(ctx context.Context, env *probe.Env, opts Options) Model {
	if ctx == nil {
		ctx = context.Background()
	}
	e := *env
	m := Model{
		env:      &e,
		opts:     opts,
		wiz:      steps.NewWizard(),
		red:      probe.NewRedactor(),
		isDark:   !opts.Light,
		keys:     DefaultKeyMap(),
		help:     help.New(),
		spin:     spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		input:    textinput.New(),
		area:     newArea(),
		body:     viewport.New(),
		width:    opts.Width,
		height:   opts.Height,
		run:      1,
		holding:  true,
		ctx:      ctx,
		platform: runtime.GOOS + "/" + runtime.GOARCH,
		fixer:    fixerOf(opts.fixer),
	}
	if e.HasStdinKey {
		m.red.Add(e.StdinKey)
	}
	if k, _ := probe.AdminKey(&e); k != "" {
		m.red.Add(k)
	}
	m.input.EchoMode = textinput.EchoPassword
	m.input.EchoCharacter = '•'
	m.input.Prompt = "key › "
	m.input.Placeholder = "paste the key here"
	m.input.CharLimit = 512
	m.body.KeyMap = viewport.KeyMap{} // the wizard's KeyMap scrolls it; ← and → are for steps
	m.setStyles(m.isDark)
	m.runCtx, m.cancel = context.WithCancel(ctx)
	m.layout()
	return m
}

// newArea is the lint dialog's editor. It is never drawn: the dialog shows
// its text with every key-like part masked. Only the keys that keep the
// cursor at the end work, so the preview's cursor is always right.
func newArea() textarea.Model {
	a := textarea.New()
	a.CharLimit = lint.MaxInput + 1 // one more, so lint can say it is too large
	a.MaxHeight = 0
	a.ShowLineNumbers = false
	a.Prompt = ""
	a.SetVirtualCursor(false)
	a.KeyMap = textarea.KeyMap{
		DeleteCharacterBackward: key.NewBinding(key.WithKeys("backspace", "ctrl+h")),
		DeleteWordBackward:      key.NewBinding(key.WithKeys("alt+backspace", "ctrl+w")),
		DeleteBeforeCursor:      key.NewBinding(key.WithKeys("ctrl+u")),
		InsertNewline:           DefaultKeyMap().Newline,
	}
	return a
}

func (m *Model) setStyles(isDark bool) {
	m.isDark = isDark
	m.styles = NewStyles(isDark)
	m.help.Styles = m.styles.Help
	m.input.SetStyles(m.styles.Input)
	m.spin.Style = m.styles.Spinner
}

// Init starts every probe at once.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.startCmd(m.runCtx, m.env, m.run), m.holdCmd(m.run), m.spin.Tick, m.checkIgnoreCmd()}
	if !m.opts.NoColor {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

// ErrPanic is returned by Run when the wizard panicked: the terminal was
// restored and the panic printed to stderr.
var ErrPanic = errors.New("the wizard crashed")

// Run starts the wizard on the terminal (or opts.Input/Output) and returns
// when the user quits, with how the session stood then: its exit status
// follows Outcome.OK. A session ended by ctx (a signal) or Ctrl-C before
// the program read it is not finished. The probes' context is cancelled
// on the way out.
func Run(ctx context.Context, env *probe.Env, opts Options) (Outcome, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m := New(ctx, env, opts)
	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if opts.Input != nil {
		popts = append(popts, tea.WithInput(opts.Input))
	}
	if opts.Output != nil {
		popts = append(popts, tea.WithOutput(opts.Output))
	}
	if opts.NoColor {
		popts = append(popts, tea.WithColorProfile(colorprofile.Ascii))
	}
	if opts.Width > 0 && opts.Height > 0 {
		popts = append(popts, tea.WithWindowSize(opts.Width, opts.Height))
	}
	final, err := runProgram(tea.NewProgram(m, popts...))
	var o Outcome
	if fm, ok := final.(Model); ok && err == nil {
		o = fm.Outcome()
	}
	switch {
	case errors.Is(err, ErrPanic):
		return Outcome{}, err
	case errors.Is(err, tea.ErrInterrupted) || errors.Is(err, context.Canceled):
		return Outcome{Code: steps.Incomplete}, nil
	case err != nil:
		return Outcome{}, fmt.Errorf("wizard: %w", err)
	}
	return o, nil
}

// runProgram runs p and makes sure the terminal is restored whatever
// happens: Bubble Tea recovers a panic in Update, View or a command,
// restores the terminal and prints the panic; one that escapes it anyway is
// recovered here, the program killed (which restores the terminal), and
// printed. Both come back as ErrPanic, for a non-zero exit status.
func runProgram(p *tea.Program) (final tea.Model, err error) {
	defer func() {
		if r := recover(); r != nil {
			p.Kill()
			fmt.Fprintf(os.Stderr, "fix401: panic: %s\n%s", probe.Redact(fmt.Sprint(r)), debug.Stack())
			final, err = nil, fmt.Errorf("%w: %s", ErrPanic, probe.Redact(fmt.Sprint(r)))
		}
	}()
	final, err = p.Run()
	if errors.Is(err, tea.ErrProgramPanic) {
		err = fmt.Errorf("%w (%w)", ErrPanic, err)
	}
	return final, err
}

// Snapshot runs every probe to completion and returns the screen of step
// as the wizard would show it at width×height (a height of 0 shows the
// whole step without scrolling), in ANSI, with every secret redacted.
//
// With opts.FixPreview the screen is the review of the fix plan's first
// change, over the step that explains the diagnosis, whatever step says.
func Snapshot(ctx context.Context, env *probe.Env, step steps.StepID, width, height int, opts Options) (_ string, err error) {
	if step.Index() < 0 {
		return "", fmt.Errorf("snapshot: unknown step %q", step)
	}
	m := finished(ctx, env, opts)
	if opts.After != nil {
		m.run++
		m = m.runNow(ctx, opts.After)
		m.actions = append(m.actions, "applied the fix and re-ran every check")
	}
	if opts.FixAll {
		if m, err = m.fixAll(ctx); err != nil {
			return "", err
		}
	}
	if opts.FixPreview {
		if step, err = m.previewFix(); err != nil {
			return "", err
		}
	}
	if opts.Stable {
		m.stabilize()
	}
	return m.screen(step, width, height), nil
}

// finished is the wizard after a complete run, without a program.
func finished(ctx context.Context, env *probe.Env, opts Options) Model {
	m := New(ctx, env, opts)
	m = m.runNow(ctx, m.env)
	m.sdks = probe.FindSDKs(m.projectDir())
	m.running, m.holding, m.snapshot = false, false, true
	if res, err := GitIgnored(m.projectDir(), ".env"); err == nil {
		m.ignore, m.ignoreSt = res, ignoreChecked
	}
	return m
}

// screen renders step at a size, as the final View content.
func (m Model) screen(step steps.StepID, width, height int) string {
	m.wiz = steps.NewWizard().Goto(step)
	m.width, m.height = width, height
	// Settled as Update settles them: the scroll keys, and with them the
	// "more below" line, depend on the body's size.
	m.syncKeys()
	m.layout()
	m.refresh()
	m.syncKeys()
	m.layout()
	out := m.View().Content
	if m.opts.NoColor {
		var b strings.Builder
		w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.NoTTY}
		_, _ = io.WriteString(w, out)
		out = b.String()
	}
	return out
}

// runNow runs every probe of a run of env to the end, without a program,
// and makes it the current run.
func (m Model) runNow(ctx context.Context, env *probe.Env) Model {
	p := prepare(env, m.shellStart)
	p.runNow(ctx)
	m = m.adopt(p.tested)
	m.adoptApp(p.app)
	m.appRun = m.run
	if m.shellStart == nil {
		m.shellStart = p.shell
	}
	return m
}

// adopt makes r the current run and teaches the redactor its keys.
func (m Model) adopt(r *probe.Report) Model {
	m.teach(r)
	m.report = r
	if m.first == nil {
		m.first = r
	}
	return m
}

// adoptApp makes a the current run's view of what the user's app loads.
func (m *Model) adoptApp(a *steps.AppView) {
	if a == nil {
		return
	}
	m.teach(a.Here)
	m.teach(a.New)
	m.app = a
	if m.firstApp == nil {
		m.firstApp = a
	}
}

// teach gives the redactor every key a report found.
func (m *Model) teach(r *probe.Report) {
	if r == nil {
		return
	}
	m.red.Add(r.Secrets()...)
}

// Outcome is how a wizard session ended, for its exit status.
type Outcome struct {
	// Finished: every probe of the last run had answered when the user
	// quit.
	Finished bool
	// Code is the diagnosis of what an app started from this terminal
	// loads, read afresh with the last run — never of a key held only in
	// fix401's memory.
	Code steps.Code
	// NewTerminal is the diagnosis of what an app started from a new
	// terminal loads, when the start-up files give it something else;
	// empty when it is the same, or could not be known.
	NewTerminal steps.Code
	// OK means the key works for the app, in this terminal and in a new
	// one, and no linted request has an error: exit status 0.
	OK bool
}

// Outcome says how the session stands: what the exit status follows.
func (m Model) Outcome() Outcome {
	here := m.appHere()
	if here == nil || !here.Finished() || m.app != nil && m.appRun != m.run {
		// Not answered yet, or a re-run asked for and not started.
		return Outcome{Code: steps.Incomplete}
	}
	o := Outcome{Finished: true, Code: steps.Diagnose(here).Code}
	o.OK = o.Code == steps.OK && here.LintErrors() == 0
	if a := m.app; a != nil && a.New != nil && a.New != a.Here {
		if !a.New.Finished() {
			return Outcome{Code: steps.Incomplete}
		}
		o.NewTerminal = steps.Diagnose(a.New).Code
		o.OK = o.OK && o.NewTerminal == steps.OK
	}
	return o
}

// appHere is the run of what an app started from this terminal loads.
func (m Model) appHere() *probe.Report {
	if m.app != nil && m.app.Here != nil {
		return m.app.Here
	}
	return m.report
}

// stepInput is what the steps package needs to build a page.
func (m Model) stepInput() steps.Input {
	hide := m.hider()
	in := steps.Input{Report: m.shown(), First: m.first, Tried: m.tried, SDKs: m.sdks, RetryLimit: m.env.Retries,
		Linted: m.linted, FirstApp: m.firstApp}
	if m.first == m.report {
		in.First = nil
	}
	if m.report != nil {
		in.Report = hide(m.report)
	}
	if a := m.app; a != nil {
		in.App = &steps.AppView{Here: hide(a.Here), New: hide(a.New), Shell: a.Shell}
		if m.firstApp == a {
			in.FirstApp = in.App
		}
	}
	return in
}

// shown is the report as the screen may show it: while "checking…" is
// held, every network result is hidden.
func (m Model) shown() *probe.Report {
	if m.report == nil {
		return &probe.Report{Active: -1, Done: map[string]bool{}}
	}
	return m.hider()(m.report)
}

// hider hides the network results of the reports of the current run while
// "checking…" is held; one report hidden twice is one copy, so that two
// views of the same run stay the same report.
func (m Model) hider() func(*probe.Report) *probe.Report {
	if !m.holding {
		return func(r *probe.Report) *probe.Report { return r }
	}
	copies := map[*probe.Report]*probe.Report{}
	return func(r *probe.Report) *probe.Report {
		if r == nil {
			return nil
		}
		if h, ok := copies[r]; ok {
			return h
		}
		h := *r
		h.Done = map[string]bool{}
		h.Net, h.Auth, h.AltAuth, h.CleanAuth, h.Others, h.Control, h.Quota, h.Model, h.Status = nil, nil, nil, nil, nil, nil, nil, nil, nil
		copies[r] = &h
		return &h
	}
}

// projectDir is where .env is written and the summary saved.
func (m Model) projectDir() string {
	if m.env.Dir == "" {
		return "."
	}
	return m.env.Dir
}

// shownPath names a file the wizard wrote: under the home as ~/…, except
// in a demo, whose home is a temporary folder: there it is the real path,
// said to be the demo's.
func (m Model) shownPath(path string) string {
	if root := m.opts.DemoRoot; root != "" {
		if rel, err := filepath.Rel(root, path); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
			return path + " (in the demo's temporary folder, removed when you quit)"
		}
	}
	return m.tidy(path)
}

// tidy shows a path under the home directory as ~/….
func (m Model) tidy(path string) string {
	home := m.env.Home
	if home == "" {
		return path
	}
	if rel, err := filepath.Rel(home, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.Join("~", rel)
	}
	return path
}

func (m Model) now() time.Time {
	if m.opts.Now != nil {
		return m.opts.Now()
	}
	if m.env.Now != nil {
		return m.env.Now()
	}
	return time.Now()
}
