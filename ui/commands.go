package ui

import (
	"context"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/fix401/fix401/probe"
)

// startCmd finds the keys (local files, milliseconds) — in the
// environment tested and in what the user's app loads, read afresh — and
// starts every network probe of a run at once.
func (m Model) startCmd(ctx context.Context, env *probe.Env, run int) tea.Cmd {
	shell := m.shellStart
	return func() tea.Msg {
		p := prepare(env, shell)
		dir := env.Dir
		if dir == "" {
			dir = "."
		}
		return runStartedMsg{run: run, report: p.tested, app: p.app, shell: p.shell, parts: p.launch(ctx),
			sdks: probe.FindSDKs(dir)}
	}
}

// waitCmd waits for the next finished probe of a run.
func (m Model) waitCmd(run int, parts <-chan reportPart) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-parts
		if !ok {
			return runDoneMsg{run: run}
		}
		return partMsg{run: run, to: p.to, part: p.part}
	}
}

// holdCmd ends the minimum "checking…" time of a run.
func (m Model) holdCmd(run int) tea.Cmd {
	return tea.Tick(MinChecking, func(_ time.Time) tea.Msg { return holdDoneMsg{run: run} })
}

// writeEnvCmd writes the pasted key to the project's .env.
func (m Model) writeEnvCmd(key string) tea.Cmd {
	dir := m.projectDir()
	return func() tea.Msg {
		path, err := WriteEnvKey(dir, key)
		return envWrittenMsg{path: path, err: err}
	}
}

// checkIgnoreCmd finds out whether git ignores the project's .env.
func (m Model) checkIgnoreCmd() tea.Cmd {
	dir := m.projectDir()
	return func() tea.Msg {
		res, err := GitIgnored(dir, ".env")
		return ignoreCheckedMsg{result: res, err: err}
	}
}

// addIgnoreCmd adds .env to the project's .gitignore.
func (m Model) addIgnoreCmd() tea.Cmd {
	dir := m.projectDir()
	return func() tea.Msg {
		path, err := AddToGitignore(dir, ".env")
		return ignoreAddedMsg{path: path, err: err}
	}
}

// saveSummaryCmd writes the summary next to the project.
func (m Model) saveSummaryCmd(text string) tea.Cmd {
	dir, now := m.projectDir(), m.now()
	return func() tea.Msg {
		path, err := SaveSummary(dir, text, now)
		if err == nil {
			if abs, aerr := filepath.Abs(path); aerr == nil {
				path = abs
			}
		}
		return summarySavedMsg{path: path, err: err}
	}
}

// lintCmd lints the dialog's text, or the file it names: the file is read
// here, never in Update. The text lives only until the command has run.
func (m Model) lintCmd(text string) tea.Cmd {
	dir, home := m.projectDir(), m.env.Home
	return func() tea.Msg {
		return lintDoneMsg{result: lintRequest(dir, home, text)}
	}
}
