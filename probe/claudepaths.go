package probe

// Where Claude Code keeps its settings, shared by every source and check
// that reads them (credentials, env blocks, provider flags).

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
)

// Scopes of a Claude Code settings file, highest precedence first.
const (
	ScopeManaged = "managed" // set by an administrator; nothing overrides it
	ScopeLocal   = "local"   // .claude/settings.local.json in the project
	ScopeProject = "project" // .claude/settings.json in the project
	ScopeUser    = "user"    // ~/.claude/settings.json
)

// ClaudeSettingsFile is one settings file Claude Code may read.
type ClaudeSettingsFile struct {
	Path  string
	Scope string
}

// DefaultManagedDir is the OS's directory for Claude Code's managed
// settings: /etc/claude-code on Linux, /Library/Application
// Support/ClaudeCode on macOS. On Windows the location is reported both as
// C:\Program Files\ClaudeCode and %ALLUSERSPROFILE%\ClaudeCode; the first
// that exists is used.
func DefaultManagedDir() string {
	switch runtime.GOOS {
	case "darwin":
		return "/Library/Application Support/ClaudeCode"
	case "windows":
		for _, d := range []string{os.Getenv("ALLUSERSPROFILE"), os.Getenv("ProgramFiles")} {
			if d == "" {
				continue
			}
			if p := filepath.Join(d, "ClaudeCode"); isDir(p) {
				return p
			}
		}
		return ""
	default:
		return "/etc/claude-code"
	}
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// ClaudeSettingsFiles lists the settings files Claude Code would read for
// env, in precedence order, highest first: managed-settings.json and the
// drop-ins of managed-settings.d (sorted; a later drop-in wins over an
// earlier one, so they are listed last first), the project's local and
// shared settings, then the user's. Files are listed whether or not they
// exist; a path appears once.
func ClaudeSettingsFiles(env *Env) []ClaudeSettingsFile {
	var out []ClaudeSettingsFile
	add := func(path, scope string) {
		if path == "" || slices.ContainsFunc(out, func(f ClaudeSettingsFile) bool { return f.Path == path }) {
			return
		}
		out = append(out, ClaudeSettingsFile{Path: path, Scope: scope})
	}
	if env.ManagedDir != "" {
		add(filepath.Join(env.ManagedDir, "managed-settings.json"), ScopeManaged)
		if ents, err := os.ReadDir(filepath.Join(env.ManagedDir, "managed-settings.d")); err == nil {
			var names []string
			for _, e := range ents {
				if e.Type().IsRegular() && filepath.Ext(e.Name()) == ".json" {
					names = append(names, e.Name())
				}
			}
			sort.Sort(sort.Reverse(sort.StringSlice(names)))
			if len(names) > MaxFileCandidates {
				names = names[:MaxFileCandidates]
			}
			for _, n := range names {
				add(filepath.Join(env.ManagedDir, "managed-settings.d", n), ScopeManaged)
			}
		}
	}
	if env.Dir != "" {
		add(filepath.Join(env.Dir, ".claude", "settings.local.json"), ScopeLocal)
		add(filepath.Join(env.Dir, ".claude", "settings.json"), ScopeProject)
	}
	if env.Home != "" {
		add(filepath.Join(env.Home, ".claude", "settings.json"), ScopeUser)
	}
	return out
}

// settingsFiles is ClaudeSettingsFiles for this discovery's home and
// project, made absolute, so every reader of the settings reads the same
// files.
func (d *discovery) settingsFiles() []ClaudeSettingsFile {
	return ClaudeSettingsFiles(&Env{Home: d.home, Dir: d.dir, ManagedDir: d.env.ManagedDir})
}
