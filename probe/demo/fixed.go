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
	env.Vars = maps.Clone(d.Env.Vars)
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
	env.Vars["HOME"], env.Vars["PWD"] = env.Home, env.Dir
	zshrc := filepath.Join(env.Home, ".zshrc")
	dotenv := filepath.Join(env.Dir, ".env")
	var err error
	switch d.Scenario.Name {
	case "shadowed":
		delete(env.Vars, "ANTHROPIC_API_KEY")
		err = dropExports(zshrc, "ANTHROPIC_API_KEY")
	case "trailing-newline":
		err = os.WriteFile(dotenv, []byte("WEATHER_CITY=Berlin\nANTHROPIC_API_KEY=\""+d.keys["dotenv"]+"\"\n"), 0o600)
	case "revoked", "no-key", "admin-key", "openai-key":
		// A new key from the Console, saved to .env; the stale export gone.
		delete(env.Vars, "ANTHROPIC_API_KEY")
		if err = dropExports(zshrc, "ANTHROPIC_API_KEY"); err == nil {
			err = os.WriteFile(dotenv, []byte("ANTHROPIC_API_KEY="+d.keys["unseen"]+"\n"), 0o600)
		}
	case "auth-conflict":
		delete(env.Vars, "ANTHROPIC_AUTH_TOKEN")
		err = dropExports(zshrc, "ANTHROPIC_AUTH_TOKEN")
	case "workspace-required":
		// The workspace id from the Console, sent the way the SDKs send it.
		env.Vars["ANTHROPIC_CUSTOM_HEADERS"] = "anthropic-workspace-id: " + stub.DefaultWorkspace
	case "key-not-loaded":
		env.Vars["ANTHROPIC_API_KEY"] = d.keys["shell"] // a new terminal
	default:
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("demo: applying the fix: %w", err)
	}
	return &env, true, nil
}

// dropExports deletes the lines of a start-up file that export name.
func dropExports(path, name string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var kept []string
	for _, l := range strings.SplitAfter(string(b), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "export "+name+"=") {
			kept = append(kept, l)
		}
	}
	return os.WriteFile(path, []byte(strings.Join(kept, "")), 0o644)
}
