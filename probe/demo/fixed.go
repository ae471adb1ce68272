package demo

import (
	"maps"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
)

// Apply plays, in the demo's simulated shell, the steps of the scenario's
// fix that a real shell's user makes by hand and no file edit can: unset
// the variable this shell exported, export a header, open a new terminal.
// The files are fixed by the fix's plan (fix401's f), never here: Apply
// reads and writes no file. env itself is not changed: the result is a
// copy. changes says what is done, one step each; both are nil when
// the demo's shell has nothing to do for the scenario.
func (d *Demo) Apply(env *probe.Env) (fixed *probe.Env, changes []string) {
	e := *env
	e.Vars = maps.Clone(env.Vars)
	unset := func(name string) {
		if _, set := e.Vars[name]; set {
			delete(e.Vars, name)
			changes = append(changes, "`unset "+name+"` in the demo's shell")
		}
	}
	switch d.Scenario.Name {
	case "shadowed":
		unset("ANTHROPIC_API_KEY")
	case "auth-conflict":
		unset("ANTHROPIC_AUTH_TOKEN")
	case "workspace-required":
		// The workspace id from the Console, sent the way the SDKs send it.
		e.Vars["ANTHROPIC_CUSTOM_HEADERS"] = "anthropic-workspace-id: " + stub.DefaultWorkspace
		changes = append(changes, "export ANTHROPIC_CUSTOM_HEADERS with the workspace id in the demo's shell")
	case "claude-code-bedrock":
		unset("CLAUDE_CODE_USE_BEDROCK")
	case "subscription-overridden":
		unset("ANTHROPIC_API_KEY")
	case "key-not-loaded":
		e.Vars["ANTHROPIC_API_KEY"] = d.keys["shell"]
		changes = append(changes, "a new terminal in the demo: ~/.zshrc exports ANTHROPIC_API_KEY there")
	}
	if len(changes) == 0 {
		return nil, nil
	}
	return &e, changes
}
