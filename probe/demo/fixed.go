package demo

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
)

// Fixed returns the environment as it is after the user followed fix401's
// advice — the stale variable unset and its start-up line deleted, the stray
// newline removed, a new key saved — so the wizard's verify step can show a
// real before and after. It works on a copy of the demo's home under Root,
// so the environment before the fix stays as it was. The second result is
// false for scenarios no local change fixes, such as an outage or a
// disabled organization.
func (d *Demo) Fixed() (*probe.Env, bool, error) {
	env := *d.Env
	after := filepath.Join(d.Root, "after")
	top := strings.SplitN(homeDir, "/", 2)[0] // home: holds the home and the project
	if err := os.CopyFS(filepath.Join(after, top), os.DirFS(filepath.Join(d.Root, top))); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, false, fmt.Errorf("demo: copying the home: %w", err)
	}
	for _, p := range []*string{&env.Home, &env.Dir} {
		rel, err := filepath.Rel(d.Root, *p)
		if err != nil {
			return nil, false, fmt.Errorf("demo: %w", err)
		}
		*p = filepath.Join(after, rel)
	}
	env.Vars = maps.Clone(d.Env.Vars)
	env.Vars["HOME"], env.Vars["PWD"] = env.Home, env.Dir
	fixed, _, ok, err := d.Apply(&env)
	return fixed, ok, err
}

// Apply makes the scenario's fix in env as the user would after following
// fix401's advice: in its home and project files, which must lie in the
// demo's folder, and in the variables of the demo's shell (a real shell's
// variables fix401 cannot change; the demo's are simulated). env itself
// is not changed: the result is a copy. changes says what was done, one
// sentence each. ok is false for scenarios no local change fixes, such as
// an outage or a disabled organization; then nothing is changed.
func (d *Demo) Apply(env *probe.Env) (fixed *probe.Env, changes []string, ok bool, err error) {
	for _, p := range []string{env.Home, env.Dir} {
		if rel, err := filepath.Rel(d.Root, p); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			return nil, nil, false, fmt.Errorf("demo: %s is not in the demo's folder", p)
		}
	}
	e := *env
	e.Vars = maps.Clone(env.Vars)
	zshrc := filepath.Join(e.Home, ".zshrc")
	dotenv := filepath.Join(e.Dir, ".env")
	unset := func(name string) {
		if _, set := e.Vars[name]; set {
			delete(e.Vars, name)
			changes = append(changes, "ran `unset "+name+"` in the demo's shell")
		}
	}
	drop := func(name string) error {
		lines, err := dropExports(zshrc, name)
		for _, n := range lines {
			changes = append(changes, fmt.Sprintf("deleted line %d of ~/.zshrc (export %s)", n, name))
		}
		return err
	}
	switch d.Scenario.Name {
	case "shadowed":
		if err = drop("ANTHROPIC_API_KEY"); err == nil {
			unset("ANTHROPIC_API_KEY")
		}
	case "trailing-newline":
		err = os.WriteFile(dotenv, []byte("WEATHER_CITY=Berlin\nANTHROPIC_API_KEY=\""+d.keys["dotenv"]+"\"\n"), 0o600)
		changes = append(changes, "removed the \\n after the key in .env")
	case "revoked", "no-key", "admin-key", "openai-key":
		// A new key from the Console, saved to .env; the stale export gone.
		if err = drop("ANTHROPIC_API_KEY"); err == nil {
			unset("ANTHROPIC_API_KEY")
			err = os.WriteFile(dotenv, []byte("ANTHROPIC_API_KEY="+d.keys["unseen"]+"\n"), 0o600)
			changes = append(changes, "saved a new key from the (demo) Console to .env")
		}
	case "auth-conflict":
		if err = drop("ANTHROPIC_AUTH_TOKEN"); err == nil {
			unset("ANTHROPIC_AUTH_TOKEN")
		}
	case "workspace-required":
		// The workspace id from the Console, sent the way the SDKs send it.
		e.Vars["ANTHROPIC_CUSTOM_HEADERS"] = "anthropic-workspace-id: " + stub.DefaultWorkspace
		changes = append(changes, "exported ANTHROPIC_CUSTOM_HEADERS with the workspace id in the demo's shell")
	case "claude-code-bedrock":
		var more []string
		more, err = fixClaudeCodeBedrock(zshrc, e.Vars)
		changes = append(changes, more...)
	case "key-not-loaded":
		e.Vars["ANTHROPIC_API_KEY"] = d.keys["shell"]
		changes = append(changes, "opened a new terminal: ~/.zshrc exported ANTHROPIC_API_KEY there")
	default:
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, fmt.Errorf("demo: applying the fix: %w", err)
	}
	return &e, changes, true, nil
}

// dropExports deletes the lines of a start-up file that export name and
// returns their numbers.
func dropExports(path, name string) ([]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var kept []string
	var gone []int
	for i, l := range strings.SplitAfter(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "export "+name+"=") {
			gone = append(gone, i+1)
			continue
		}
		kept = append(kept, l)
	}
	return gone, os.WriteFile(path, []byte(strings.Join(kept, "")), 0o644)
}
