package ui

import "charm.land/bubbles/v2/key"

// KeyMap is every key the wizard knows. Bindings that do nothing in the
// current state are disabled, so they neither match nor show in the help.
type KeyMap struct {
	Next      key.Binding
	Back      key.Binding
	Rerun     key.Binding
	Jump      key.Binding // 1–8: straight to that step, whatever the path
	EnterKey  key.Binding
	WriteEnv  key.Binding
	AddIgnore key.Binding
	Copy      key.Binding
	Save      key.Binding
	Lint      key.Binding // headers step: lint the request the user's code sends
	Fix       key.Binding // review the fix plan and apply it, change by change
	Undo      key.Binding // undo a fix that did not fix it
	Stop      key.Binding // fix review: stop asking, apply what was accepted
	Newline   key.Binding // lint dialog: a line break in the pasted text
	Up        key.Binding
	Down      key.Binding
	PageUp    key.Binding
	PageDown  key.Binding
	Submit    key.Binding
	Cancel    key.Binding
	Yes       key.Binding
	No        key.Binding
	Help      key.Binding
	Quit      key.Binding
}

// DefaultKeyMap returns the wizard's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:      key.NewBinding(key.WithKeys("enter", "right"), key.WithHelp("enter", "next")),
		Back:      key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "back")),
		Rerun:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-run")),
		Jump:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8"), key.WithHelp("1-8", "go to step")),
		EnterKey:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "test key")),
		WriteEnv:  key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "save to .env")),
		AddIgnore: key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "git-ignore .env")),
		Copy:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy")),
		Save:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save")),
		Lint:      key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "lint request")),
		Fix:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "fix it")),
		Undo:      key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo fix")),
		Stop:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "stop")),
		Newline:   key.NewBinding(key.WithKeys("ctrl+j", "alt+enter", "shift+enter"), key.WithHelp("ctrl+j", "new line")),
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "space"), key.WithHelp("pgdn", "page down")),
		Submit:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "test it")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Yes:       key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:        key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "no")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp lists the keys for the one-line help bar.
func (k KeyMap) ShortHelp() []key.Binding {
	// Most important first: what ends the current dialog or acts on this
	// step, then moving, then quitting; a narrow bar drops the tail.
	return []key.Binding{k.Submit, k.Newline, k.Yes, k.No, k.Stop, k.Cancel, k.Fix, k.Undo, k.WriteEnv, k.AddIgnore,
		k.Copy, k.Save, k.Lint, k.Next, k.Back, k.Quit, k.EnterKey, k.Rerun, k.Jump, k.Help}
}

// FullHelp lists every key, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Back, k.Jump, k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Rerun, k.EnterKey, k.Lint, k.WriteEnv, k.AddIgnore, k.Copy, k.Save, k.Fix, k.Undo},
		{k.Submit, k.Newline, k.Cancel, k.Yes, k.No, k.Stop, k.Help, k.Quit},
	}
}
