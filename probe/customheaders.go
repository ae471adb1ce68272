package probe

// ANTHROPIC_CUSTOM_HEADERS as the app gets it: from the environment, or,
// like the key, from the project's .env files that a dotenv loader reads.

import (
	"cmp"
	"path/filepath"

	"github.com/fix401/fix401/probe/creds"
)

// customHeaders returns the ANTHROPIC_CUSTOM_HEADERS the app gets and where
// it comes from: "env", or the .env file and line that sets it when the
// environment does not (a dotenv loader never replaces a set variable).
// Within the project's loaded .env files the most important one wins, and
// within a file the last assignment. Empty when nothing sets it.
func customHeaders(env *Env) (value, from string) {
	if env == nil {
		return "", ""
	}
	if v, ok := env.Vars[creds.VarCustomHeaders]; ok {
		return v, "env"
	}
	d := &discovery{env: env, home: absPath(env.Home), dir: absPath(cmp.Or(env.Dir, "."))}
	d.want = func(name, _ string) bool { return name == creds.VarCustomHeaders }
	for _, name := range dotenvLoaded {
		if cs := d.dotenvFile(filepath.Join(d.dir, name)); len(cs) > 0 {
			c := cs[len(cs)-1]
			return c.Value, c.Source
		}
	}
	return "", ""
}
