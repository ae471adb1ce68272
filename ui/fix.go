package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/steps/fix"
	"github.com/fix401/fix401/ui/apply"
)

// fixPhase is where a fix stands once f was pressed.
type fixPhase int

const (
	fixReview    fixPhase = iota // asking, change by change
	fixApplying                  // writing the accepted changes
	fixVerifying                 // the probes run again on a fresh read
	fixDone                      // verified (or failed to write)
	fixUndoing                   // putting the files back
	fixUndone                    // put back
)

// fixItem is one question of the review: a file change, or, in a demo,
// the steps the demo's simulated shell can play.
type fixItem struct {
	change *fix.Change // nil: the demo's shell
	diff   string      // the change as a unified diff, keys masked
	shell  []string    // what the demo's shell would do
	env    *probe.Env  // the demo's environment after it
	accept bool
}

// fixSession is one press of f, from the review to the verdict.
type fixSession struct {
	phase   fixPhase
	plan    fix.Plan
	items   []fixItem
	at      int     // the item asked about
	before  Outcome // when f was pressed
	after   Outcome // once the probes ran again
	env     *probe.Env
	shell   []string // what the demo's shell did
	written []fix.Change
	applied fixApplied
	run     int // the run that verifies the fix
	err     string
}

// planMadeMsg carries the plan made from a finished run, and each
// change's diff (made with the plan: a diff may stat the file).
type planMadeMsg struct {
	run   int
	plan  fix.Plan
	diffs []string
}

// fixAppliedMsg reports the accepted changes written (and, in a demo, the
// simulated shell's variables after its steps).
type fixAppliedMsg struct {
	applied fixApplied
	written []fix.Change
	env     *probe.Env // nil: the shell was not touched
	shell   []string
	err     error
}

// fixUndoneMsg reports the files put back from their backups.
type fixUndoneMsg struct{ err error }

// planCmd makes the fix plan for what the user's app loads in the
// current run, once every probe has answered.
func (m Model) planCmd(run int) tea.Cmd {
	r := m.appHere()
	if r == nil || !r.Finished() {
		return nil
	}
	plan, fx, red, home := m.planFunc(), m.fixer, m.red, m.env.Home
	return func() tea.Msg {
		p := plan(r, steps.Diagnose(r), fx.read)
		return planMadeMsg{run: run, plan: p, diffs: fx.diffs(p, red, home)}
	}
}

// diffs is each change of p as the review shows it: the same diff as
// fix401 fix prints, the file named as ~/… in its header. What a change
// writes may hold a cleaned key the report never named: red masks it
// from now on, on every screen.
func (fx fixer) diffs(p fix.Plan, red *probe.Redactor, home string) []string {
	out := make([]string, len(p.Changes))
	for i, c := range p.Changes {
		red.Add(secretsIn(string(c.After))...)
		out[i] = apply.TildeHeader(fx.diff(c, red), home)
	}
	return out
}

// applyFixCmd writes the accepted changes; shell, when the demo's shell
// steps were accepted, is the demo's environment after them.
func (m Model) applyFixCmd(cs []fix.Change, shell *fixItem) tea.Cmd {
	fx, env, now := m.fixer, m.env, m.now
	return func() tea.Msg {
		var msg fixAppliedMsg
		if len(cs) > 0 {
			msg.applied, msg.err = fx.apply(env, cs, now)
			if msg.err != nil {
				return msg
			}
			msg.written = cs
		}
		if shell != nil {
			msg.env, msg.shell = shell.env, shell.shell
		}
		return msg
	}
}

// undoFixCmd puts back every file the fix wrote.
func (m Model) undoFixCmd() tea.Cmd {
	undo := m.fx.applied.Undo
	return func() tea.Msg {
		if undo == nil {
			return fixUndoneMsg{}
		}
		return fixUndoneMsg{err: undo()}
	}
}

func (m *Model) onPlanMade(msg planMadeMsg) {
	if msg.run != m.run {
		return
	}
	m.plan, m.planDiffs, m.planRun = msg.plan, msg.diffs, msg.run
}

// canFix: a plan for the current run has something to show.
func (m Model) canFix() bool {
	return m.planRun == m.run && !m.plan.Empty() && !m.busy() &&
		(m.fx == nil || m.fx.phase == fixDone || m.fx.phase == fixUndone)
}

// openFix starts the review of the current plan.
func (m *Model) openFix() {
	fx := &fixSession{plan: m.plan, before: m.Outcome(), env: m.env}
	for i := range m.plan.Changes {
		fx.items = append(fx.items, fixItem{change: &fx.plan.Changes[i], diff: m.planDiffs[i]})
	}
	if item, ok := m.demoShell(m.env); ok && len(m.plan.Manual) > 0 {
		fx.items = append(fx.items, item)
	}
	m.fx = fx
	m.state = stateFix
	m.flash = ""
	m.body.GotoTop()
}

// updateFix answers the review's keys: y apply, n skip, q stop (apply
// what was accepted), esc cancel (apply nothing).
func (m *Model) updateFix(msg tea.KeyPressMsg) tea.Cmd {
	fx := m.fx
	switch {
	case key.Matches(msg, m.keys.Yes), key.Matches(msg, m.keys.No):
		if fx.at < len(fx.items) {
			fx.items[fx.at].accept = key.Matches(msg, m.keys.Yes)
			fx.at++
			m.flash = ""
			m.body.GotoTop()
		}
		if fx.at >= len(fx.items) {
			return m.finishReview()
		}
	case key.Matches(msg, m.keys.Stop):
		return m.finishReview()
	case key.Matches(msg, m.keys.Cancel):
		m.state, m.fx = stateBrowse, nil
		m.setFlash("Nothing was changed.", false)
		m.body.GotoTop()
	case key.Matches(msg, m.keys.Copy):
		return m.copyManual()
	case m.scroll(msg):
	}
	return nil
}

// copyManual copies the commands of the steps left to the user.
func (m *Model) copyManual() tea.Cmd {
	var cmds []string
	for _, s := range m.fx.plan.Manual {
		if s.Command != "" {
			cmds = append(cmds, m.red.String(s.Command))
		}
	}
	if len(cmds) == 0 {
		return nil
	}
	m.setFlash(fmt.Sprintf("Copied %s over OSC 52.", steps.CountWords(len(cmds), "command", "commands")), false)
	return tea.SetClipboard(strings.Join(cmds, "\n") + "\n")
}

// finishReview ends the questions and writes what was accepted.
func (m *Model) finishReview() tea.Cmd {
	fx := m.fx
	m.state = stateBrowse
	var cs []fix.Change
	var shell *fixItem
	for i, it := range fx.items {
		switch {
		case !it.accept:
		case it.change != nil:
			cs = append(cs, *it.change)
		default:
			shell = &fx.items[i]
		}
	}
	if len(cs) == 0 && shell == nil {
		m.fx = nil
		m.setFlash("Nothing was changed.", false)
		m.body.GotoTop()
		return nil
	}
	fx.phase = fixApplying
	m.setFlash("Applying the fix…", false)
	return m.applyFixCmd(cs, shell)
}

func (m *Model) onFixApplied(msg fixAppliedMsg) tea.Cmd {
	fx := m.fx
	if fx == nil {
		return nil
	}
	fx.applied, fx.written, fx.shell = msg.applied, msg.written, msg.shell
	if msg.err != nil {
		fx.phase, fx.err = fixDone, msg.err.Error()
		if errors.Is(msg.err, apply.ErrChanged) {
			fx.err += "; press r to check again, then f"
		}
		m.setFlash("Could not apply the fix: "+fx.err, true)
		return nil
	}
	for _, c := range msg.written {
		m.actions = append(m.actions, "fix: changed "+m.tidy(c.Path)+" ("+reasons(c)+")")
	}
	if msg.env != nil {
		e := *msg.env
		e.StdinKey, e.HasStdinKey, e.StdinSource = m.env.StdinKey, m.env.HasStdinKey, m.env.StdinSource
		m.env = &e
		for _, s := range msg.shell {
			m.actions = append(m.actions, "fix (demo shell): "+s)
		}
	}
	fx.phase = fixVerifying
	m.move(m.wiz.Goto(steps.Verify))
	cmd := m.startRun()
	fx.run = m.run
	m.setFlash("Applied. Checking again what your app loads…", false)
	return cmd
}

// settleFix gives the verdict once the run after a fix has answered, or
// a later one (r re-runs while it checks: the latest run reads the files
// afresh too, and is the one on the screen).
func (m *Model) settleFix() {
	fx := m.fx
	if fx == nil || fx.phase != fixVerifying || m.run < fx.run || m.running || m.holding {
		return
	}
	fx.phase = fixDone
	fx.after = m.Outcome()
	if fx.after.OK {
		m.setFlash("Fixed: "+outcomeWords(fx.before)+" → "+outcomeWords(fx.after)+".", false)
		m.actions = append(m.actions, "verified the fix: "+outcomeWords(fx.after))
		return
	}
	msg := "The fix did not fix it: " + outcomeWords(fx.after) + "."
	if fx.after.NewTerminal == steps.OK && m.manualCommands() {
		msg = "A new terminal is fixed; this one still gets " + string(fx.after.Code) + ": run the commands below here (c copies them)."
	}
	if fx.applied.Undo != nil {
		msg += " Press u to undo it."
	}
	m.setFlash(msg, true)
	m.actions = append(m.actions, "the fix did not fix it: "+outcomeWords(fx.after))
}

func (m *Model) onFixUndone(msg fixUndoneMsg) tea.Cmd {
	fx := m.fx
	if fx == nil {
		return nil
	}
	if msg.err != nil {
		fx.phase = fixDone
		m.setFlash("Could not undo the fix: "+msg.err.Error(), true)
		return nil
	}
	fx.phase = fixUndone
	m.env = fx.env
	m.actions = append(m.actions, fmt.Sprintf("undid the fix: put back %s", steps.CountWords(len(fx.written), "file", "files")))
	cmd := m.startRun()
	m.setFlash("Undone: "+steps.CountWords(len(fx.written), "file is", "files are")+" back as before the fix.", false)
	return cmd
}

// canUndo: the fix wrote files, did not fix it, and is not undone yet.
func (m Model) canUndo() bool {
	fx := m.fx
	return fx != nil && fx.phase == fixDone && fx.applied.Undo != nil && fx.err == "" && !fx.after.OK
}

// outcomeWords is an outcome as the user reads it: its diagnosis code,
// and a new terminal's when that differs.
func outcomeWords(o Outcome) string {
	s := string(o.Code)
	if o.NewTerminal != "" && o.NewTerminal != o.Code {
		s += " here, " + string(o.NewTerminal) + " in a new terminal"
	}
	return s
}

// reasons is what a change answers, in words.
func reasons(c fix.Change) string { return strings.Join(whyLines(c), "; ") }

// whyLines is what a change answers, one line each; never empty.
func whyLines(c fix.Change) []string {
	var out []string
	for _, r := range c.Why {
		out = append(out, r.Title)
	}
	if len(out) == 0 {
		out = append(out, "changed "+c.Path)
	}
	return out
}

// viewFix is the review: the change asked about with its diff, the
// others, and what is left to the user.
func (m Model) viewFix(w int) string {
	s := m.styles
	fx := m.fx
	var sec []string
	n := len(fx.plan.Changes)
	head := "Fix: " + steps.CountWords(n, "file to change", "files to change") + "."
	if k := len(fx.plan.Manual); k > 0 {
		head = fmt.Sprintf("Fix: %s, %s.", steps.CountWords(n, "file to change", "files to change"),
			steps.CountWords(k, "step for you", "steps for you"))
	}
	if n == 0 {
		head = "No file edit fixes this: " + steps.CountWords(len(fx.plan.Manual), "step", "steps") + " for you."
	}
	sec = append(sec, hang(s.Heading, head, w, "", ""))
	if fx.at < len(fx.items) {
		it := fx.items[fx.at]
		if it.change != nil {
			sec = append(sec, m.viewChangeHead(fx.at+1, n, *it.change, w)+"\n"+m.viewDiff(it.diff, w))
		} else {
			lines := []string{hang(s.Label, "The demo's simulated shell can do your steps (fix401 cannot change a real shell):", w, "", "")}
			for _, c := range it.shell {
				lines = append(lines, hang(s.Text, c, w, "  • ", "    "))
			}
			sec = append(sec, strings.Join(lines, "\n"))
		}
	}
	if list := m.viewFixList(w); list != "" {
		sec = append(sec, list)
	}
	if man := m.viewManual(fx.plan.Manual, w); man != "" {
		sec = append(sec, man)
	}
	return strings.Join(sec, "\n\n")
}

// viewChangeHead names one change: its file and what it answers.
func (m Model) viewChangeHead(i, n int, c fix.Change, w int) string {
	s := m.styles
	lines := []string{hang(s.Label, fmt.Sprintf("Change %d of %d · %s", i, n, m.tidy(c.Path)), w, "", "")}
	for _, r := range c.Why {
		lines = append(lines, hang(s.Text, r.Title, w, "  • ", "    "))
	}
	if c.Mode != 0 {
		lines = append(lines, hang(s.Text, fmt.Sprintf("mode becomes %04o", c.Mode.Perm()), w, "  • ", "    "))
	}
	return strings.Join(lines, "\n")
}

// viewDiff colours a unified diff and wraps its long lines; its keys are
// masked already, so a wrap cannot cut one the redactor would then miss.
func (m Model) viewDiff(diff string, w int) string {
	s := m.styles
	width := max(10, w-2)
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(probe.Sanitize(diff), "\n"), "\n") {
		st := s.Text
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
			st = s.Heading
		case strings.HasPrefix(l, "@@"):
			st = s.Faint
		case strings.HasPrefix(l, "+"):
			st = s.Marks[probe.Pass]
		case strings.HasPrefix(l, "-"):
			st = s.Marks[probe.Warn]
		}
		for j, r := range strings.Split(ansi.Hardwrap(l, width, false), "\n") {
			pre := "  "
			if j > 0 {
				pre = "↪ "
			}
			out = append(out, s.Rule.Render(pre)+st.Render(r))
		}
	}
	return strings.Join(out, "\n")
}

// viewFixList lists every question of the review and its answer so far.
func (m Model) viewFixList(w int) string {
	s := m.styles
	fx := m.fx
	if len(fx.items) < 2 {
		return ""
	}
	lines := []string{s.Heading.Render("Every change")}
	for i, it := range fx.items {
		mark, st := "·", s.Faint
		switch {
		case i == fx.at:
			mark, st = "▸", s.Prompt
		case i < fx.at && it.accept:
			mark, st = "✓", s.Marks[probe.Pass]
		case i < fx.at: // asked, and skipped
			mark, st = "–", s.Faint
		}
		what := "the demo's shell: " + strings.Join(it.shell, "; ")
		if it.change != nil {
			why := whyLines(*it.change)
			what = why[0]
			if len(why) > 1 {
				what += fmt.Sprintf(" (and %d more)", len(why)-1)
			}
		}
		lines = append(lines, st.Render(mark)+" "+hang(s.Text, what, w-2, "", "  "))
	}
	return strings.Join(lines, "\n")
}

// viewManual lists what no file edit can do, each with its command on a
// line of its own, whole, so that it can be copied.
func (m Model) viewManual(ms []fix.Manual, w int) string {
	if len(ms) == 0 {
		return ""
	}
	s := m.styles
	lines := []string{s.Heading.Render("For you to do (no file edit can)")}
	for _, x := range ms {
		lines = append(lines, hang(s.Text, x.Title, w, "• ", "  "))
		if x.Command != "" {
			lines = append(lines, "    "+s.Code.Render(probe.Sanitize(x.Command)))
		}
		if x.URL != "" {
			lines = append(lines, "    "+s.Link.Render(probe.Sanitize(x.URL)))
		}
	}
	return strings.Join(lines, "\n")
}

// viewFixResult is the verify step's account of the fix: what was written
// and where the backups are, before → after, and what is left to do.
func (m Model) viewFixResult(w int) string {
	fx := m.fx
	if fx == nil || fx.phase == fixReview {
		return ""
	}
	s := m.styles
	var lines []string
	switch fx.phase {
	case fixApplying:
		return hang(s.Text, "Applying the fix…", w, "", "")
	case fixUndone, fixUndoing:
		lines = append(lines, s.Heading.Render("The fix was undone"))
	default:
		lines = append(lines, s.Heading.Render("The fix"))
	}
	mark := s.Mark(probe.Pass) + " "
	if fx.phase == fixUndone {
		mark = s.Mark(probe.Skip) + " "
	}
	for _, c := range fx.written {
		for _, r := range whyLines(c) {
			lines = append(lines, hang(s.Text, r, w, mark, "    "))
		}
	}
	for _, c := range fx.shell {
		lines = append(lines, hang(s.Text, c, w, mark, "    "))
	}
	if fx.applied.Backups != "" {
		lines = append(lines, hang(s.Faint, "Backups: "+m.shownPath(fx.applied.Backups)+"; fix401 fix --undo puts them back.", w, "    ", "    "))
	}
	switch {
	case fx.err != "":
		lines = append(lines, hang(s.FlashErr, "Could not apply it: "+fx.err, w, "", ""))
	case fx.phase == fixVerifying:
		lines = append(lines, hang(s.Text, "Before → after: "+outcomeWords(fx.before)+" → checking…", w, "", "  "))
	case fx.phase == fixDone:
		st := s.Marks[probe.Pass]
		if !fx.after.OK {
			st = s.Marks[probe.Fail]
		}
		lines = append(lines, hang(st, "Before → after: "+outcomeWords(fx.before)+" → "+outcomeWords(fx.after), w, "", "  "))
	}
	out := strings.Join(lines, "\n")
	if man := m.viewManual(fx.plan.Manual, w); man != "" && m.manualLeft() {
		out += "\n\n" + man
	}
	return out
}

// fixPrompt is the review's question for the footer.
func (m Model) fixPrompt() string {
	fx := m.fx
	if len(fx.items) == 0 {
		return "Nothing for fix401 to change here: the steps above are yours. (esc: back)"
	}
	if fx.at >= len(fx.items) {
		return ""
	}
	it := fx.items[fx.at]
	if it.change == nil {
		return "Run your steps in the demo's shell? (y/n)"
	}
	return fmt.Sprintf("Apply change %d of %d to %s? (y/n)",
		fx.at+1, len(fx.plan.Changes), m.tidy(it.change.Path))
}

// manualLeft: the fix's steps for the user are still to do (its review,
// or a fix that did not make every terminal work).
func (m Model) manualLeft() bool {
	fx := m.fx
	return fx != nil && fx.phase != fixUndone && !(fx.phase == fixDone && fx.after.OK)
}

// manualCommands: a step left to the user has a command to copy.
func (m Model) manualCommands() bool {
	if !m.manualLeft() {
		return false
	}
	for _, s := range m.fx.plan.Manual {
		if s.Command != "" {
			return true
		}
	}
	return false
}

// previewFix opens the review of the current run's plan, as f does, for
// Snapshot, and returns the step it is shown over.
func (m *Model) previewFix() (steps.StepID, error) {
	r := m.appHere()
	d := steps.Diagnose(r)
	plan := m.planFunc()(r, d, m.fixer.read)
	if plan.Empty() {
		return "", fmt.Errorf("snapshot: no fix to preview for %s", d.Code)
	}
	m.onPlanMade(planMadeMsg{run: m.run, plan: plan, diffs: m.fixer.diffs(plan, m.red, m.env.Home)})
	m.openFix()
	return d.Step, nil
}

// fixFooter is the review's question, under how much of the diff is
// below the screen.
func (m Model) fixFooter(w int) string {
	s := m.styles
	q := m.footerText(s.Prompt, m.fixPrompt(), w)
	if m.flash != "" { // what c did, above the question it leaves open
		q = m.footerText(s.Flash, m.flash, w) + "\n" + q
	}
	if m.keys.Down.Enabled() && !m.body.AtBottom() {
		return s.Faint.Render(m.moreBelow()) + "\n" + q
	}
	return q
}

// demoShell is the review's last question in a demo: the steps its
// simulated shell can play (DemoFix reads and writes no file).
func (m Model) demoShell(env *probe.Env) (fixItem, bool) {
	if m.opts.DemoFix == nil {
		return fixItem{}, false
	}
	e, changes := m.opts.DemoFix(env)
	if len(changes) == 0 {
		return fixItem{}, false
	}
	return fixItem{shell: changes, env: e}, true
}

// fixAll applies the whole plan of the current run, and in a demo its
// shell's steps, then runs every probe again: Snapshot's FixAll.
func (m Model) fixAll(ctx context.Context) (Model, error) {
	r := m.appHere()
	plan := m.planFunc()(r, steps.Diagnose(r), m.fixer.read)
	env := m.env
	if len(plan.Changes) > 0 {
		if _, err := m.fixer.apply(env, plan.Changes, m.now); err != nil {
			return m, fmt.Errorf("snapshot: applying the fix: %w", err)
		}
		m.actions = append(m.actions, "fix: changed "+steps.CountWords(len(plan.Changes), "file", "files"))
	}
	if item, ok := m.demoShell(env); ok {
		env = item.env
		m.actions = append(m.actions, item.shell...)
	}
	m.run++
	return m.runNow(ctx, env), nil
}
