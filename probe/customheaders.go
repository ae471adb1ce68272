package probe

// ANTHROPIC_CUSTOM_HEADERS as the client gets it: an SDK from the
// environment, or, like the key, from the project's .env files that a
// dotenv loader reads; Claude Code from its settings' env blocks first,
// then the environment, then the .env files Bun loads.

import (
	"cmp"
	"path/filepath"

	"github.com/fix401/fix401/probe/creds"
)

// customHeaders returns the ANTHROPIC_CUSTOM_HEADERS the client gets and
// where it comes from: "env", or the file and line that sets it. A dotenv
// loader never replaces a set variable; within the loaded files the most
// important one wins, and within a file the last assignment. Empty when
// nothing sets it.
func customHeaders(env *Env, claudeCode bool) (value, from string) {
	if env == nil {
		return "", ""
	}
	d := &discovery{env: env, home: absPath(env.Home), dir: absPath(cmp.Or(env.Dir, "."))}
	if claudeCode {
		names := map[string]bool{creds.VarCustomHeaders: true}
		for _, f := range d.settingsFiles() {
			if ss := d.settingsEnv(f, names); len(ss) > 0 {
				return ss[0].value, ss[0].Source
			}
		}
	}
	if v, ok := env.Vars[creds.VarCustomHeaders]; ok {
		return v, "env"
	}
	files := dotenvLoaded
	if claudeCode {
		files = bunEnvFiles(env.Vars["NODE_ENV"])
	}
	d.want = func(name, _ string) bool { return name == creds.VarCustomHeaders }
	for _, name := range files {
		if cs := d.dotenvFile(filepath.Join(d.dir, name)); len(cs) > 0 {
			c := cs[len(cs)-1]
			return c.Value, c.Source
		}
	}
	return "", ""
}
