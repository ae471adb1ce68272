package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/lint"
	"github.com/fix401/fix401/steps"
)

// Update applies one message: results arriving, keys, sizes.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.setStyles(msg.IsDark())
	case runStartedMsg:
		cmds = append(cmds, m.onRunStarted(msg))
	case partMsg:
		cmds = append(cmds, m.onPart(msg))
	case runDoneMsg:
		if msg.run == m.run {
			m.running = false
			cmds = append(cmds, m.planCmd(msg.run))
		}
	case holdDoneMsg:
		if msg.run == m.run {
			m.holding = false
		}
	case spinner.TickMsg:
		cmds = append(cmds, m.onTick(msg))
	case envWrittenMsg:
		cmds = append(cmds, m.onEnvWritten(msg))
	case ignoreCheckedMsg:
		m.onIgnoreChecked(msg)
	case ignoreAddedMsg:
		cmds = append(cmds, m.onIgnoreAdded(msg))
	case summarySavedMsg:
		m.onSummarySaved(msg)
	case lintDoneMsg:
		m.onLintDone(msg)
	case planMadeMsg:
		m.onPlanMade(msg)
	case fixAppliedMsg:
		cmds = append(cmds, m.onFixApplied(msg))
	case fixUndoneMsg:
		cmds = append(cmds, m.onFixUndone(msg))
	case tea.PasteMsg:
		// A paste reaches only the key field and the lint dialog: anywhere
		// else it is dropped, never echoed.
		switch m.state {
		case stateEnterKey:
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			cmds = append(cmds, cmd)
		case stateLint:
			m.pasteLint(msg)
		}
	case tea.KeyPressMsg:
		cmds = append(cmds, m.onKey(msg))
	default:
		if m.state == stateEnterKey {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			cmds = append(cmds, cmd)
		}
	}
	m.settleFix()
	// The scroll keys depend on the body's size and the body's size on the
	// help's: settle both.
	m.syncKeys()
	m.layout()
	m.refresh()
	m.syncKeys()
	m.layout()
	return m, tea.Batch(cmds...)
}

func (m *Model) onRunStarted(msg runStartedMsg) tea.Cmd {
	if msg.run != m.run {
		return nil // a replaced run: its context is already cancelled
	}
	*m = m.adopt(msg.report)
	m.adoptApp(msg.app)
	m.appRun = msg.run
	if m.shellStart == nil {
		m.shellStart = msg.shell
	}
	m.sdks = msg.sdks
	m.running = true
	m.parts = msg.parts
	return m.waitCmd(msg.run, msg.parts)
}

func (m *Model) onPart(msg partMsg) tea.Cmd {
	if msg.run != m.run || m.report == nil {
		return nil
	}
	to := msg.to
	if to == nil {
		to = m.report
	}
	msg.part(to)
	return m.waitCmd(msg.run, m.parts)
}

func (m *Model) onTick(msg spinner.TickMsg) tea.Cmd {
	if !m.busy() {
		m.spinning = false
		return nil
	}
	var cmd tea.Cmd
	m.spin, cmd = m.spin.Update(msg)
	return cmd
}

// busy reports whether something on screen may still be "checking…".
func (m Model) busy() bool { return m.report == nil || m.running || m.holding }

func (m *Model) onEnvWritten(msg envWrittenMsg) tea.Cmd {
	if msg.err != nil {
		m.setFlash("Could not write .env: "+msg.err.Error(), true)
		return nil
	}
	m.envPath = msg.path
	m.actions = append(m.actions, "saved the new key to "+m.tidy(msg.path))
	m.setFlash(fmt.Sprintf("Saved the key to %s; only you can read it. Press r to check what your app loads now.",
		m.shownPath(msg.path)), false)
	return m.checkIgnoreCmd()
}

func (m *Model) onIgnoreChecked(msg ignoreCheckedMsg) {
	if msg.err != nil {
		m.ignoreSt = ignoreFailed
		return
	}
	m.ignore, m.ignoreSt = msg.result, ignoreChecked
}

func (m *Model) onIgnoreAdded(msg ignoreAddedMsg) tea.Cmd {
	if msg.err != nil {
		m.setFlash("Could not change .gitignore: "+msg.err.Error(), true)
		return nil
	}
	m.actions = append(m.actions, "added .env to "+m.tidy(msg.path))
	m.setFlash("Added .env to "+m.shownPath(msg.path)+".", false)
	return m.checkIgnoreCmd()
}

func (m *Model) onSummarySaved(msg summarySavedMsg) {
	if msg.err != nil {
		m.setFlash("Could not save the summary: "+msg.err.Error(), true)
		return
	}
	m.savedPath = msg.path
	m.setFlash("Saved the summary to "+m.shownPath(msg.path)+"; only you can read it.", false)
}

func (m *Model) setFlash(s string, isErr bool) { m.flash, m.flashErr = s, isErr }

// onKey hands a key to the handler of the current state.
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.keys.Quit) {
		m.cancel()
		return tea.Quit
	}
	switch m.state {
	case stateEnterKey:
		return m.updateEnterKey(msg)
	case stateConfirmWrite, stateConfirmIgnore:
		return m.updateConfirm(msg)
	case stateLint:
		return m.updateLint(msg)
	case stateFix:
		return m.updateFix(msg)
	}
	return m.updateBrowse(msg)
}

func (m *Model) updateBrowse(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Next):
		m.move(m.wiz.Next(m.stepInput()))
	case key.Matches(msg, m.keys.Back):
		m.move(m.wiz.Back())
	case key.Matches(msg, m.keys.Jump):
		m.move(m.wiz.Goto(steps.Order[msg.String()[0]-'1']))
	case key.Matches(msg, m.keys.Rerun):
		n, total := m.wiz.Progress()
		m.actions = append(m.actions, fmt.Sprintf("re-ran the probes at step %d/%d (%s)", n, total, m.wiz.Step))
		return m.startRun()
	case key.Matches(msg, m.keys.EnterKey):
		m.state = stateEnterKey
		m.flash = ""
		return m.input.Focus()
	case key.Matches(msg, m.keys.Lint):
		m.state = stateLint
		m.flash = ""
		m.area = newArea() // an editor shares its rows with every copy of itself: start afresh
		m.area.SetWidth(max(8, m.contentWidth()-2))
		// Its cursor is never drawn (the preview has the terminal's), so
		// the blinking it asks for would only redraw the whole text.
		_ = m.area.Focus()
	case key.Matches(msg, m.keys.WriteEnv):
		m.state = stateConfirmWrite
	case key.Matches(msg, m.keys.AddIgnore):
		m.state = stateConfirmIgnore
	case key.Matches(msg, m.keys.Copy) && m.wiz.Step != steps.Summary:
		return m.copyManual()
	case key.Matches(msg, m.keys.Copy):
		text := m.summaryText()
		m.setFlash(fmt.Sprintf("Copied the summary (%d lines) over OSC 52. If nothing arrived, press s to save it.",
			strings.Count(text, "\n")+1), false)
		return tea.SetClipboard(text)
	case key.Matches(msg, m.keys.Save):
		return m.saveSummaryCmd(m.summaryText())
	case key.Matches(msg, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, m.keys.Cancel):
		m.help.ShowAll = false // esc closes the full help
	case m.scroll(msg):
	case key.Matches(msg, m.keys.Fix):
		m.openFix()
	case key.Matches(msg, m.keys.Undo):
		m.fx.phase = fixUndoing
		m.setFlash("Putting the files back…", false)
		return m.undoFixCmd()
	case msg.String() == "w" || msg.String() == "g":
		// A key that cannot act now says why, rather than nothing.
		m.setFlash(m.whyNot(msg.String()), false)
	}
	return nil
}

// whyNot says why w (save the key to .env) or g (git-ignore .env) does
// nothing at the moment.
func (m Model) whyNot(k string) string {
	if k == "w" {
		switch {
		case len(m.tried) == 0 || !m.env.HasStdinKey:
			return "w saves a key you pasted (press e) once the API accepts it; there is none to save yet."
		case m.envPath != "":
			return "The key is saved already, in " + m.shownPath(m.envPath) + "."
		case m.holding || m.report == nil || !m.report.Finished():
			return "The key you pasted is still being tested; w works once the API accepts it."
		}
		return "The API did not accept the key you pasted, so w does not save it."
	}
	switch {
	case m.ignoreSt == ignoreFailed:
		return "Could not read the .gitignore files: check by hand that git ignores .env."
	case m.ignoreSt == ignoreUnknown:
		return "Still reading .gitignore…"
	case m.ignore.Repo == "":
		return "Not in a git repository: git cannot commit .env, so there is nothing to ignore."
	case m.ignore.Ignored:
		return "git already ignores .env (" + m.tidy(m.ignore.Source) + "): nothing to add."
	}
	return "g adds .env to .gitignore once a key you pasted is saved there (w)."
}

func (m *Model) move(w steps.Wizard) {
	if w.Step != m.wiz.Step {
		m.body.GotoTop()
		m.flash = ""
	}
	m.wiz = w
}

func (m *Model) updateEnterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.closeInput()
		return nil
	case key.Matches(msg, m.keys.Submit):
		k := strings.TrimSpace(m.input.Value())
		m.closeInput()
		if k == "" {
			return nil
		}
		return m.testKey(k)
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return cmd
}

func (m *Model) closeInput() {
	m.input.Reset()
	m.input.Blur()
	m.state = stateBrowse
}

// testKey re-runs every probe with a pasted key in place of the
// environment's, the way --key-stdin does.
func (m *Model) testKey(k string) tea.Cmd {
	m.red.Add(k)
	e := *m.env
	e.StdinKey, e.HasStdinKey, e.StdinSource = k, true, "pasted key"
	m.env = &e
	m.envPath = ""
	m.tried = append(m.tried, probe.Hint(k))
	m.actions = append(m.actions, "tested key "+probe.Hint(k)+" (pasted)")
	if m.wiz.Step != steps.Verify {
		m.move(m.wiz.Goto(steps.VerifyKey))
	}
	return m.startRun()
}

// pasteLint adds a paste to the lint dialog. Its key-like parts are taught
// to the redactor first, so no frame can show them.
func (m *Model) pasteLint(msg tea.PasteMsg) {
	// The editor turns a lone \r into a line break of its own: a pasted
	// CRLF would become an empty line that ends a curl command early.
	text := strings.ReplaceAll(msg.Content, "\r\n", "\n")
	m.red.Add(secretsIn(text)...)
	m.area.InsertString(text)
}

func (m *Model) updateLint(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.closeLint()
		return nil
	case msg.String() == "enter" && strings.HasSuffix(m.area.Value(), "\\"):
		// As in a shell, a backslash at the end of the line continues the
		// command: a curl command pasted without bracketed paste arrives
		// as typed lines.
		m.area.InsertString("\n")
		return nil
	case key.Matches(msg, m.keys.Submit):
		text := m.area.Value()
		m.closeLint()
		if strings.TrimSpace(text) == "" {
			return nil
		}
		m.red.Add(secretsIn(text)...)
		m.setFlash("Linting…", false)
		return m.lintCmd(text)
	case key.Matches(msg, m.keys.Newline):
		m.area.InsertString("\n")
		return nil
	case msg.Text != "":
		// Inserted directly: the editor's Update draws all of its text,
		// which a large paste makes slow.
		m.area.InsertString(msg.Text)
		return nil
	}
	var cmd tea.Cmd
	m.area, cmd = m.area.Update(msg)
	return cmd
}

// closeLint leaves the dialog and drops its text with the editor that held
// it.
func (m *Model) closeLint() {
	m.area = newArea()
	m.state = stateBrowse
}

func (m *Model) onLintDone(msg lintDoneMsg) {
	res := msg.result
	if i := slices.IndexFunc(m.linted, func(l probe.LintResult) bool { return l.File == res.File }); i >= 0 {
		m.linted[i] = res
	} else {
		m.linted = append(m.linted, res)
	}
	m.toLinted = true
	what := res.File
	if strings.HasPrefix(what, "pasted ") && what != "pasted text" {
		what = "a " + what
	}
	if res.Err != "" {
		m.actions = append(m.actions, fmt.Sprintf("tried to lint %s: %s", what, res.Err))
		m.setFlash(fmt.Sprintf("Could not lint %s: %s.", res.File, res.Err), true)
		return
	}
	errs := res.Report.Count(lint.Error)
	m.actions = append(m.actions, fmt.Sprintf("linted %s: %s", what, steps.CountWords(errs, "error", "errors")))
	switch n := len(res.Report.Findings); {
	case n == 0:
		m.setFlash("Linted "+what+": no problems found.", false)
	case errs > 0:
		m.setFlash(fmt.Sprintf("Linted %s: %s; the fixes are under Your request.", what, steps.CountWords(errs, "error", "errors")), false)
	case res.Report.Count(lint.Warn) > 0:
		m.setFlash(fmt.Sprintf("Linted %s: no errors, %s.", what, steps.CountWords(res.Report.Count(lint.Warn), "warning", "warnings")), false)
	default:
		m.setFlash(fmt.Sprintf("Linted %s: no errors, %s.", what, steps.CountWords(n, "note", "notes")), false)
	}
}

func (m *Model) updateConfirm(msg tea.KeyPressMsg) tea.Cmd {
	st := m.state
	switch {
	case key.Matches(msg, m.keys.Yes):
		m.state = stateBrowse
		if st == stateConfirmWrite {
			return m.writeEnvCmd(m.env.StdinKey)
		}
		return m.addIgnoreCmd()
	case key.Matches(msg, m.keys.No):
		m.state = stateBrowse
		m.setFlash("Nothing was written.", false)
	}
	return nil
}

// startRun cancels the current run and starts a new one.
func (m *Model) startRun() tea.Cmd {
	m.cancel()
	m.run++
	m.runCtx, m.cancel = context.WithCancel(m.ctx)
	m.running, m.holding = true, true
	m.flash = ""
	cmds := []tea.Cmd{m.startCmd(m.runCtx, m.env, m.run), m.holdCmd(m.run)}
	if !m.spinning {
		m.spinning = true
		cmds = append(cmds, m.spin.Tick)
	}
	return tea.Batch(cmds...)
}

// syncKeys enables exactly the keys that do something now.
func (m *Model) syncKeys() {
	k := &m.keys
	browse := m.state == stateBrowse
	input := m.state == stateEnterKey
	linting := m.state == stateLint
	confirm := m.state == stateConfirmWrite || m.state == stateConfirmIgnore
	fixing := m.state == stateFix
	step := m.wiz.Step

	k.Next.SetEnabled(browse && m.wiz.CanNext())
	if k.Next.Enabled() {
		// Where enter leads, in view even when the step's verdict is not.
		to := steps.NextStep(m.stepInput(), step)
		k.Next.SetHelp("enter", fmt.Sprintf("→ %d/%d %s", to.Index()+1, len(steps.Order), to.Title()))
	}
	k.Back.SetEnabled(browse && m.wiz.CanBack())
	k.Rerun.SetEnabled(browse)
	k.Jump.SetEnabled(browse)
	k.EnterKey.SetEnabled(browse && step != steps.Summary)
	k.WriteEnv.SetEnabled(browse && m.canWriteEnv())
	k.AddIgnore.SetEnabled(browse && m.canAddIgnore())
	k.Copy.SetEnabled(browse && step == steps.Summary || (fixing || browse && step == steps.Verify) && m.manualCommands())
	k.Save.SetEnabled(browse && step == steps.Summary)
	k.Lint.SetEnabled(browse && step == steps.Headers)
	k.Fix.SetEnabled(browse && m.canFix())
	k.Undo.SetEnabled(browse && m.canUndo())
	k.Stop.SetEnabled(fixing)
	k.Newline.SetEnabled(linting)
	scroll := (browse || fixing) && m.body.TotalLineCount() > m.body.Height()
	k.Up.SetEnabled(scroll)
	k.Down.SetEnabled(scroll)
	k.PageUp.SetEnabled(scroll)
	k.PageDown.SetEnabled(scroll)
	k.Submit.SetEnabled(input || linting)
	k.Cancel.SetEnabled(input || linting || fixing || browse && m.help.ShowAll)
	if browse {
		k.Cancel.SetHelp("esc", "close help")
	} else {
		k.Cancel.SetHelp("esc", "cancel")
	}
	if linting {
		k.Submit.SetKeys("enter", "ctrl+d")
		k.Submit.SetHelp("enter", "lint it")
	} else {
		k.Submit.SetKeys("enter")
		k.Submit.SetHelp("enter", "test it")
	}
	k.Yes.SetEnabled(confirm || fixing)
	k.No.SetEnabled(confirm || fixing)
	if step != steps.Summary {
		k.Copy.SetHelp("c", "copy commands")
	} else {
		k.Copy.SetHelp("c", "copy")
	}
	if fixing {
		k.Yes.SetHelp("y", "apply")
		k.No.SetKeys("n")
		k.No.SetHelp("n", "skip")
	} else {
		k.Yes.SetHelp("y", "yes")
		k.No.SetKeys("n", "esc")
		k.No.SetHelp("n", "no")
	}
	k.Help.SetEnabled(browse)
	if m.help.ShowAll {
		k.Help.SetHelp("?", "less")
	} else {
		k.Help.SetHelp("?", "help")
	}
	if input || linting || fixing {
		// q is a character of the text being typed, or stops the fix
		// review; only ctrl+c quits.
		k.Quit.SetKeys("ctrl+c")
		k.Quit.SetHelp("ctrl+c", "quit")
	} else {
		k.Quit.SetKeys("q", "ctrl+c")
		k.Quit.SetHelp("q", "quit")
	}
}

// canWriteEnv: a key pasted in the wizard (not one from --key-stdin)
// works and has not been written yet.
func (m Model) canWriteEnv() bool {
	if len(m.tried) == 0 || !m.env.HasStdinKey || m.envPath != "" || m.holding {
		return false
	}
	k := m.report.ActiveKey()
	return k != nil && k.Origin == probe.OriginStdin && m.report.Done[probe.ProbeAuth] && m.report.Auth.Accepted()
}

// canAddIgnore: the key sits in a .env that git would commit, and an
// ignore rule would stop that (it does not for a tracked file).
func (m Model) canAddIgnore() bool {
	return m.envPath != "" && m.ignoreSt == ignoreChecked && m.ignore.Repo != "" && !m.ignore.Ignored && !m.ignore.Tracked
}

// scroll moves the body for the scrolling keys (up, down, page up, page
// down) and reports whether msg was one of them.
func (m *Model) scroll(msg tea.KeyPressMsg) bool {
	switch {
	case key.Matches(msg, m.keys.Up):
		m.body.ScrollUp(1)
	case key.Matches(msg, m.keys.Down):
		m.body.ScrollDown(1)
	case key.Matches(msg, m.keys.PageUp):
		m.body.PageUp()
	case key.Matches(msg, m.keys.PageDown):
		m.body.PageDown()
	default:
		return false
	}
	return true
}
