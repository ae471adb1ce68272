package ui

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/ui/apply"
)

// envVar is the line WriteEnvKey adds or replaces.
const envVar = "ANTHROPIC_API_KEY"

// ErrNotAKey is returned by WriteEnvKey for a value that is empty or holds
// characters no Anthropic key has; such a value would need quoting, and a
// quoted key is one of the causes of a 401.
var ErrNotAKey = errors.New("not a plain key: only letters, digits, - and _ belong in a key")

// maxEditFile is the largest file WriteEnvKey and AddToGitignore change:
// a file must be read whole to keep all but one line byte for byte.
const maxEditFile = probe.MaxKeyFile

// ErrSymlink is returned for a write to a path that is a symbolic link:
// fix401 never writes through one, and writes nothing instead.
var ErrSymlink = apply.ErrSymlink

// WriteEnvKey puts key in the .env file of dir: it replaces every
// ANTHROPIC_API_KEY assignment (keeping an `export ` in front; a quoted
// value over several lines is replaced whole), or adds one line at the
// end. Every other byte of the file stays as it was; a file with CRLF
// line ends keeps them. The file is replaced atomically and is readable
// only by its owner (0600). A .env that is a symlink, not a regular file,
// or larger than maxEditFile is left alone, with an error saying so. It
// returns the path written.
func WriteEnvKey(dir, key string) (string, error) {
	if !plainKey(key) {
		return "", ErrNotAKey
	}
	path := filepath.Join(dir, ".env")
	old, err := readForEdit(path)
	if err != nil {
		return "", err
	}
	if err := writeAtomic(path, setEnvLine(old, key), 0o600); err != nil {
		return "", err
	}
	return path, nil
}

// WriteFile replaces the file at path with data, readable as perm says
// whatever the old file's mode was: atomically (a temporary file in the
// same directory, renamed over it), and never through a symlink (an error
// wrapping ErrSymlink) or onto anything but a regular file.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	if _, err := checkTarget(path); err != nil {
		return err
	}
	return writeAtomic(path, data, perm)
}

// CheckWrite reports, before any work, whether WriteFile may replace
// path: nil when it is missing or a regular file.
func CheckWrite(path string) error {
	_, err := checkTarget(path)
	return err
}

// checkTarget says whether path may be replaced (apply.CheckTarget).
func checkTarget(path string) (fs.FileInfo, error) { return apply.CheckTarget(path) }

// readForEdit reads a file about to be changed in place: nil when it does
// not exist yet, an error when it may not be replaced or is too large to
// keep whole.
func readForEdit(path string) ([]byte, error) {
	st, err := checkTarget(path)
	if err != nil || st == nil {
		return nil, err
	}
	data, err := probe.ReadRegular(path, maxEditFile+1)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w; nothing was written", path, err)
	}
	if len(data) > maxEditFile {
		return nil, fmt.Errorf("%s is larger than %d KiB: nothing was written", path, maxEditFile>>10)
	}
	return data, nil
}

func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range []byte(k) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}

// assignment matches a dotenv line that sets ANTHROPIC_API_KEY: its indent
// and optional export.
var assignment = regexp.MustCompile(`^(\s*(?:export\s+)?)` + envVar + `\s*=`)

// setEnvLine returns content with the key assigned, line ends kept.
func setEnvLine(content []byte, key string) []byte {
	eol := "\n"
	if bytes.Contains(content, []byte("\r\n")) {
		eol = "\r\n"
	}
	var out bytes.Buffer
	replaced := false
	rest := content
	for len(rest) > 0 {
		line, end := rest, []byte(nil)
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, end = rest[:i], []byte("\n")
			rest = rest[i+1:]
		} else {
			rest = nil
		}
		cr := bytes.HasSuffix(line, []byte("\r"))
		if m := assignment.FindSubmatchIndex(bytes.TrimSuffix(line, []byte("\r"))); m != nil {
			// A quoted value that runs over several lines is one
			// statement: the lines up to its closing quote go with it.
			if v := bytes.TrimLeft(line[m[1]:], " \t"); len(v) > 0 && (v[0] == '"' || v[0] == '\'') && closing(v) < 0 {
				if j := closing(append(append([]byte(nil), v...), rest...)); j > 0 {
					j -= len(v) // into rest
					if k := bytes.IndexByte(rest[j:], '\n'); k >= 0 {
						cr = bytes.HasSuffix(rest[:j+k], []byte("\r"))
						rest, end = rest[j+k+1:], []byte("\n")
					} else {
						cr = bytes.HasSuffix(rest, []byte("\r"))
						rest, end = nil, nil
					}
				}
			}
			line = []byte(string(line[m[2]:m[3]]) + envVar + "=" + key)
			if cr {
				line = append(line, '\r')
			}
			replaced = true
		}
		out.Write(line)
		out.Write(end)
	}
	if !replaced {
		if out.Len() > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
			out.WriteString(eol)
		}
		out.WriteString(envVar + "=" + key + eol)
	}
	return out.Bytes()
}

// closing returns the index of the quote that closes v[0], skipping
// backslash-escaped ones as dotenv loaders do, or -1.
func closing(v []byte) int {
	for i := 1; i < len(v); i++ {
		if v[i] == v[0] && v[i-1] != '\\' {
			return i
		}
	}
	return -1
}

// writeAtomic replaces path atomically, never through a symlink's target
// (apply.WriteAtomic).
func writeAtomic(path string, data []byte, perm fs.FileMode) error {
	return apply.WriteAtomic(path, data, perm)
}

// IgnoreResult says whether git would commit a file.
type IgnoreResult struct {
	Repo string // the repository's root; empty when the file is in none
	// Ignored: git leaves the file out of commits, because an ignore rule
	// matches it (Source, Pattern) and git does not track it already.
	Ignored bool
	// Tracked: git already tracks the file. Ignore rules do not apply to a
	// tracked file: a key written there goes into the next commit, and it
	// is in the history already if the file held a key before. The way
	// out is git rm --cached and a new key.
	Tracked bool
	Source  string // the deciding line: /path/.gitignore:3
	Pattern string
	// ByGit: git itself answered. Without git on the PATH (or when it
	// fails), fix401 reads the repository's ignore files itself: global
	// excludes are not read, and Tracked is not known (false).
	ByGit bool
}

// GitIgnored reports whether git would commit name in dir. It asks git
// (git check-ignore and git ls-files, with core.fsmonitor off so no
// command of the repository's configuration runs) and, when git is not
// there or fails, reads the .gitignore files from dir up to the
// repository root and the root's .git/info/exclude.
func GitIgnored(dir, name string) (IgnoreResult, error) {
	if res, ok := gitIgnored(dir, name); ok {
		return res, nil
	}
	return ignoredByFiles(dir, name)
}

// GitTracked reports whether git tracks the file at path (it was
// committed); false when git cannot tell.
func GitTracked(path string) bool {
	res, err := GitIgnored(filepath.Dir(path), filepath.Base(path))
	return err == nil && res.Tracked
}

// gitTimeout bounds each git command GitIgnored runs.
const gitTimeout = 10 * time.Second

// git runs git in dir and returns its output and exit code; ok is false
// when git could not be run at all.
func git(dir string, args ...string) (out string, code int, ok bool) {
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", append([]string{"-c", "core.fsmonitor=false", "-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C")
	b, err := cmd.Output()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(b), 0, true
	case errors.As(err, &exit) && ctx.Err() == nil:
		return string(b), exit.ExitCode(), true
	}
	return "", 0, false
}

// checkIgnoreLine reads git check-ignore -v's "source:line:pattern<TAB>path".
var checkIgnoreLine = regexp.MustCompile(`^(.*?):(\d+):(.*)\t`)

// gitIgnored asks git; ok is false when git cannot answer.
func gitIgnored(dir, name string) (IgnoreResult, bool) {
	top, code, ok := git(dir, "rev-parse", "--show-toplevel")
	if !ok || code != 0 {
		return IgnoreResult{}, false
	}
	res := IgnoreResult{Repo: filepath.Clean(strings.TrimSpace(top)), ByGit: true}
	out, code, ok := git(dir, "check-ignore", "-v", "--no-index", "--", name)
	switch {
	case !ok || code > 1:
		return IgnoreResult{}, false
	case code == 0:
		if m := checkIgnoreLine.FindStringSubmatch(out); m != nil && !strings.HasPrefix(m[3], "!") {
			res.Ignored, res.Pattern = true, m[3]
			src := m[1]
			if !filepath.IsAbs(src) {
				src = filepath.Join(res.Repo, src)
			}
			res.Source = src + ":" + m[2]
		}
	}
	_, code, ok = git(dir, "ls-files", "--error-unmatch", "--", name)
	if !ok || code > 1 {
		return IgnoreResult{}, false
	}
	res.Tracked = code == 0
	res.Ignored = res.Ignored && !res.Tracked
	return res, true
}

// ignoredByFiles reads the .gitignore files from dir up to the repository
// root and the root's .git/info/exclude, as git would. It runs no git
// binary and cannot tell whether the file is tracked.
func ignoredByFiles(dir, name string) (IgnoreResult, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return IgnoreResult{}, fmt.Errorf("gitignore: %w", err)
	}
	root := repoRoot(abs)
	if root == "" {
		return IgnoreResult{}, nil
	}
	res := IgnoreResult{Repo: root}
	rel, err := filepath.Rel(root, filepath.Join(abs, name))
	if err != nil {
		return res, fmt.Errorf("gitignore: %w", err)
	}
	rel = filepath.ToSlash(rel)

	// Lowest precedence first: info/exclude, then .gitignore from the root
	// down; the last matching line decides.
	var files []struct{ path, base string }
	if st, err := os.Stat(filepath.Join(root, ".git")); err == nil && st.IsDir() {
		files = append(files, struct{ path, base string }{filepath.Join(root, ".git", "info", "exclude"), ""})
	}
	parts := strings.Split(rel, "/")
	for i := 0; i < len(parts); i++ {
		base := strings.Join(parts[:i], "/")
		files = append(files, struct{ path, base string }{filepath.Join(root, filepath.FromSlash(base), ".gitignore"), base})
	}
	for _, f := range files {
		if err := applyIgnoreFile(&res, f.path, f.base, rel); err != nil {
			return res, err
		}
	}
	return res, nil
}

// repoRoot finds the nearest directory at or above dir that holds .git.
func repoRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return ""
		}
		d = up
	}
}

func applyIgnoreFile(res *IgnoreResult, path, base, rel string) error {
	data, err := probe.ReadRegular(path, maxEditFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("gitignore: %w", err)
	}
	sub := rel
	if base != "" {
		sub = strings.TrimPrefix(rel, base+"/")
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		negate := strings.HasPrefix(line, "!")
		pat := strings.TrimPrefix(line, "!")
		if ignoreMatch(pat, sub) {
			res.Ignored = !negate
			res.Source = fmt.Sprintf("%s:%d", path, n)
			res.Pattern = line
		}
	}
	return nil
}

// ignoreMatch reports whether a gitignore pattern matches the file at rel
// (slash-separated, relative to the pattern's directory) or one of its
// parent directories.
func ignoreMatch(pat, rel string) bool {
	dirOnly := strings.HasSuffix(pat, "/")
	pat = strings.TrimSuffix(pat, "/")
	anchored := strings.Contains(pat, "/")
	pat = strings.TrimPrefix(pat, "/")
	if pat == "" {
		return false
	}
	re, err := regexp.Compile("^" + globRegexp(pat) + "$")
	if err != nil {
		return false
	}
	parts := strings.Split(rel, "/")
	for i := 1; i <= len(parts); i++ {
		isFile := i == len(parts)
		if isFile && dirOnly {
			continue
		}
		cand := strings.Join(parts[:i], "/")
		if !anchored {
			cand = parts[i-1]
		}
		if re.MatchString(cand) {
			return true
		}
	}
	return false
}

// globRegexp turns a gitignore glob into a regular expression: * and ?
// stay inside one path segment, ** crosses them.
func globRegexp(g string) string {
	var b strings.Builder
	for i := 0; i < len(g); i++ {
		c := g[i]
		switch {
		case strings.HasPrefix(g[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(g[i:], "/**"):
			b.WriteString("/.*")
			i += 2
		case strings.HasPrefix(g[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			j := strings.IndexByte(g[i:], ']')
			if j < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := g[i+1 : i+j]
			class = strings.Replace(class, "!", "^", 1)
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += j
		case c == '\\' && i+1 < len(g):
			i++
			b.WriteString(regexp.QuoteMeta(string(g[i])))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// AddToGitignore appends name to dir's .gitignore, creating it if needed,
// keeping the file's line ends and mode, atomically. A .gitignore that is
// a symlink or too large is left alone. It returns the path written.
func AddToGitignore(dir, name string) (string, error) {
	path := filepath.Join(dir, ".gitignore")
	old, err := readForEdit(path)
	if err != nil {
		return "", err
	}
	perm := fs.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		perm = st.Mode().Perm()
	}
	eol := "\n"
	if bytes.Contains(old, []byte("\r\n")) {
		eol = "\r\n"
	}
	data := append([]byte(nil), old...)
	if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) {
		data = append(data, eol...)
	}
	data = append(data, name+eol...)
	if err := writeAtomic(path, data, perm); err != nil {
		return "", err
	}
	return path, nil
}

// SaveSummary writes the summary to a new file in dir named after the
// date, fix401-summary-2026-11-25.md (then -2, -3… rather than overwrite
// anything), readable only by its owner. The file appears whole or not
// at all: it is written aside, then linked under its name, which fails
// rather than replace anything (a file, or a symlink planted there). It
// returns the path written.
func SaveSummary(dir, text string, now time.Time) (string, error) {
	base := "fix401-summary-" + now.Format(time.DateOnly)
	tmp, err := apply.WriteTemp(filepath.Join(dir, base+".md"), []byte(text), 0o600)
	if err != nil {
		return "", fmt.Errorf("save summary: %w", err)
	}
	defer os.Remove(tmp)
	for i := 1; i < 100; i++ {
		name := base + ".md"
		if i > 1 {
			name = fmt.Sprintf("%s-%d.md", base, i)
		}
		path := filepath.Join(dir, name)
		err := os.Link(tmp, path)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			// No hard links here (some network and FAT file systems):
			// rename, after checking the name is free.
			if _, lerr := os.Lstat(path); lerr == nil {
				continue
			}
			if err := os.Rename(tmp, path); err != nil {
				return "", fmt.Errorf("save summary: %w", err)
			}
		}
		apply.SyncDir(dir)
		return path, nil
	}
	return "", fmt.Errorf("save summary: %s: too many summaries today", filepath.Join(dir, base+".md"))
}
