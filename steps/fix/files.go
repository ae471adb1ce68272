package fix

import (
	"bytes"
	"path"
	"path/filepath"
	"strings"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// encodings saves every .env file with a byte-order mark or in UTF-16 as
// plain UTF-8: python-dotenv and godotenv misread the first, no loader
// reads the second.
func (b *builder) encodings() {
	seen := map[string]bool{}
	for i := range b.r.Candidates {
		c := &b.r.Candidates[i]
		if c.Origin != probe.OriginDotenv || c.Encoding == probe.EncUTF8 || c.Foreign || seen[c.Path] {
			continue
		}
		seen[c.Path] = true
		f := b.file(c.Path)
		if f == nil || f.enc == probe.EncUTF8 || f.reenc {
			continue // nothing to re-encode, or planned already for the diagnosis
		}
		f.reenc = true
		what := "drop the UTF-8 byte-order mark that hides its first variable from dotenv loaders"
		if f.enc != probe.EncUTF8BOM {
			what = "save as UTF-8: no dotenv loader reads UTF-16"
		}
		f.because(FileEncoding, "%s: %s", label(c), what)
	}
}

// gitignore adds a key-holding .env file to .gitignore when the project is
// a git repository that would commit it. A file git already tracks needs
// more than that: `git rm --cached`, and a new key, since the old one was
// committed.
func (b *builder) gitignore() {
	seen := map[string]bool{}
	for i := range b.r.Candidates {
		c := &b.r.Candidates[i]
		if c.Origin != probe.OriginDotenv || c.Foreign || seen[c.Path] || !holdsKey(c) {
			continue
		}
		seen[c.Path] = true
		b.ignore(c.Path)
	}
	// A .env the plan creates is ignored too.
	for _, p := range b.order {
		if f := b.files[p]; f.before == nil && len(f.edits) > 0 && filepath.Base(p) == ".env" && !seen[p] {
			seen[p] = true
			b.ignore(p)
		}
	}
}

// holdsKey reports whether a candidate holds something that works as a
// credential somewhere: a key or token, not a placeholder.
func holdsKey(c *probe.Candidate) bool {
	switch c.Kind {
	case probe.KindAPI, probe.KindAdmin, probe.KindOAuth:
	default:
		return false
	}
	for _, is := range c.Issues {
		if is.Code == probe.IssuePlaceholder || is.Code == probe.IssueMasked || is.Code == probe.IssueEmpty {
			return false
		}
	}
	return c.Value != ""
}

// ignore plans what keeps file out of git.
func (b *builder) ignore(file string) {
	root := b.repoRoot(filepath.Dir(file))
	if root == "" {
		return
	}
	rel, err := filepath.Rel(root, file)
	if err != nil || strings.HasPrefix(rel, "..") {
		return
	}
	rel = filepath.ToSlash(rel)
	name := path.Base(rel)
	if b.o.Tracked != nil && b.o.Tracked(file) {
		b.manual(NotIgnored, "Stop tracking "+rel+" (git keeps the file, only forgets it)", "git -C "+steps.ShellQuote(root)+" rm --cached "+steps.ShellQuote(rel), "")
		b.manual(NotIgnored, rel+" was committed with a key: create a new key and delete the old one", "", URLKeys)
	}
	if strings.HasSuffix(name, ".example") || strings.HasSuffix(name, ".sample") {
		// Meant to be committed: the key must leave it instead.
		b.manual(NotIgnored, rel+" is meant to be committed: replace the key in it with a placeholder", "", "")
		return
	}
	if b.ignored(root, rel) {
		return
	}
	gi := filepath.Join(root, ".gitignore")
	f := b.newFile(gi)
	if f == nil {
		b.manual(NotIgnored, "Add "+name+" to .gitignore", "", "")
		return
	}
	line := "/" + rel + "\n"
	if !strings.Contains(rel, "/") {
		line = name + "\n"
	}
	if f.appendLine(line) {
		f.because(NotIgnored, ".gitignore: add %s, which holds a key and would be committed", strings.TrimSpace(line))
		return
	}
	b.manual(NotIgnored, "Add "+name+" to .gitignore", "", "")
}

// repoRoot finds the directory holding .git, from dir up (at most 32
// levels); "" when dir is in no repository.
func (b *builder) repoRoot(dir string) string {
	for range 32 {
		if _, err := b.read(filepath.Join(dir, ".git", "HEAD")); err == nil {
			return dir
		}
		if _, err := b.read(filepath.Join(dir, ".git")); err == nil {
			return dir // a worktree or submodule: .git is a file
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	return ""
}

// ignored reports whether the .gitignore files from the repository's root
// down to the file's directory ignore rel (a slash path from the root). It
// reads the patterns git reads there, with the usual rules: the last match
// wins, ! re-includes, a pattern with a slash is anchored to its file's
// directory, one ending in / matches directories only. When unsure it
// says no: an extra line in .gitignore does no harm.
func (b *builder) ignored(root, rel string) bool {
	dirs := []string{""}
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		dirs = append(dirs, strings.Join(parts[:i], "/"))
	}
	ignored := false
	for _, d := range dirs {
		data, err := b.read(filepath.Join(root, filepath.FromSlash(d), ".gitignore"))
		if err != nil {
			continue
		}
		data, _ = probe.Decode(data)
		sub := strings.TrimPrefix(rel, d+"/")
		if d == "" {
			sub = rel
		}
		for _, line := range bytes.Split(data, []byte{'\n'}) {
			pat := strings.TrimRight(string(line), "\r")
			pat = strings.TrimRight(pat, " ")
			if pat == "" || strings.HasPrefix(pat, "#") {
				continue
			}
			neg := strings.HasPrefix(pat, "!")
			pat = strings.TrimPrefix(pat, "!")
			if matchIgnore(pat, sub) {
				ignored = !neg
			}
		}
	}
	return ignored
}

// matchIgnore reports whether one gitignore pattern matches the file at
// rel or one of its parent directories.
func matchIgnore(pat, rel string) bool {
	dirOnly := strings.HasSuffix(pat, "/")
	pat = strings.TrimSuffix(pat, "/")
	pat = strings.TrimPrefix(pat, "**/")
	anchored := strings.Contains(pat, "/")
	pat = strings.TrimPrefix(pat, "/")
	parts := strings.Split(rel, "/")
	for i := range parts {
		isDir := i < len(parts)-1
		if dirOnly && !isDir {
			continue
		}
		var target string
		if anchored {
			target = strings.Join(parts[:i+1], "/")
		} else {
			target = parts[i]
		}
		if ok, _ := path.Match(pat, target); ok {
			return true
		}
		if strings.HasSuffix(pat, "/**") && strings.HasPrefix(target+"/", strings.TrimSuffix(pat, "**")) {
			return true
		}
	}
	return false
}
