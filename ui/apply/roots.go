package apply

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fix401/fix401/probe"
)

// ErrOutside is returned for a path fix401 may not change: outside the
// project, and not one of the user's start-up or config files.
var ErrOutside = errors.New("is outside what fix401 changes (the project, and your own shell start-up and config files): nothing was written")

// Roots are the places Apply may write.
type Roots struct {
	// Dir is the project: any file under it. When it is the home
	// directory itself (or above it), only its .env files and .gitignore.
	Dir string
	// Home is the user's home: its shell start-up files (probe.ShellFiles,
	// fish's conf.d), ~/.claude.json, and the files under ~/.claude and
	// ~/.config/anthropic.
	Home string
	// ConfigHome is $XDG_CONFIG_HOME when set: its anthropic/ and fish/
	// files count as the home's .config ones. ZDotDir is $ZDOTDIR: its
	// zsh start-up files count too.
	ConfigHome, ZDotDir string
	// AnthropicDir is $ANTHROPIC_CONFIG_DIR when set: the SDK profiles'
	// folder; any file under it.
	AnthropicDir string
}

// RootsOf are the places a fix may write for env: its project (Dir) and
// home, and the folders its variables move the start-up and config files
// to ($XDG_CONFIG_HOME, $ZDOTDIR, $ANTHROPIC_CONFIG_DIR; absolute only).
func RootsOf(env *probe.Env) Roots {
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return filepath.Clean(p)
		}
		return ""
	}
	return Roots{Dir: env.Dir, Home: env.Home, ConfigHome: abs(env.Vars["XDG_CONFIG_HOME"]),
		ZDotDir: abs(env.Vars["ZDOTDIR"]), AnthropicDir: abs(env.Vars[probe.VarConfigDir])}
}

// Check returns nil when path may be written, else an error wrapping
// ErrOutside. path must be absolute and clean: a relative path or one with
// .. in it is refused as it is.
func (r Roots) Check(path string) error {
	if !filepath.IsAbs(path) || filepath.Clean(path) != path {
		return fmt.Errorf("%s %w", path, ErrOutside)
	}
	if r.allowed(path) {
		return nil
	}
	return fmt.Errorf("%s %w", path, ErrOutside)
}

func (r Roots) allowed(path string) bool {
	home := clean(r.Home)
	if dir := clean(r.Dir); dir != "" {
		if rel, ok := under(dir, path); ok {
			if home == "" || !within(dir, home) {
				return true
			}
			// A project at (or above) the home would open all of it.
			base := filepath.Base(rel)
			if rel == base && (base == ".gitignore" || base == ".env" || strings.HasPrefix(base, ".env.")) {
				return true
			}
		}
	}
	if home == "" {
		return false
	}
	rel, ok := under(home, path)
	if ok {
		if slices.Contains(probe.ShellFiles, filepath.ToSlash(rel)) || rel == ".claude.json" {
			return true
		}
		if isConfig(filepath.ToSlash(rel), ".config/") {
			return true
		}
		if strings.HasPrefix(filepath.ToSlash(rel), ".claude/") {
			return true
		}
	}
	if c := clean(r.ConfigHome); c != "" {
		if rel, ok := under(c, path); ok && isConfig(filepath.ToSlash(rel), "") {
			return true
		}
	}
	if a := clean(r.AnthropicDir); a != "" {
		if _, ok := under(a, path); ok {
			return true
		}
	}
	if z := clean(r.ZDotDir); z != "" {
		if rel, ok := under(z, path); ok && slices.Contains([]string{".zshrc", ".zshenv", ".zprofile", ".zlogin"}, rel) {
			return true
		}
	}
	return false
}

// isConfig: rel (slash-separated, under a config home reached by prefix)
// is fish's config, one of its conf.d files, or under anthropic/.
func isConfig(rel, prefix string) bool {
	rest, ok := strings.CutPrefix(rel, prefix)
	if !ok {
		return false
	}
	switch {
	case rest == "fish/config.fish":
		return true
	case strings.HasPrefix(rest, "fish/conf.d/") && strings.HasSuffix(rest, ".fish") && !strings.Contains(strings.TrimPrefix(rest, "fish/conf.d/"), "/"):
		return true
	case strings.HasPrefix(rest, "anthropic/"):
		return true
	}
	return false
}

func clean(p string) string {
	if p == "" || !filepath.IsAbs(p) {
		return ""
	}
	return filepath.Clean(p)
}

// under returns path relative to root when it is strictly inside it.
func under(root, path string) (string, bool) {
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}

// within reports whether inner is outer or inside it.
func within(outer, inner string) bool {
	if outer == inner {
		return true
	}
	_, ok := under(outer, inner)
	return ok
}
