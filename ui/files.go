package ui

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// envVar is the line WriteEnvKey adds or replaces.
const envVar = "ANTHROPIC_API_KEY"

// ErrNotAKey is returned by WriteEnvKey for a value that is empty or holds
// characters no Anthropic key has; such a value would need quoting, and a
// quoted key is one of the causes of a 401.
var ErrNotAKey = errors.New("not a plain key: only letters, digits, - and _ belong in a key")

// WriteEnvKey puts key in the .env file of dir: it replaces every
// ANTHROPIC_API_KEY assignment (keeping an `export ` in front), or adds one
// line at the end. Nothing else in the file changes; a file with CRLF line
// ends keeps them. The file is replaced atomically and is readable only by
// its owner (0600). It returns the path written.
func WriteEnvKey(dir, key string) (string, error) {
	if !plainKey(key) {
		return "", ErrNotAKey
	}
	path, err := target(filepath.Join(dir, ".env"))
	if err != nil {
		return "", err
	}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	if err := writeAtomic(path, setEnvLine(old, key), 0o600); err != nil {
		return "", err
	}
	return path, nil
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
		if m := assignment.FindSubmatch(bytes.TrimSuffix(line, []byte("\r"))); m != nil {
			line = []byte(string(m[1]) + envVar + "=" + key)
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

// target resolves a symlinked file so that the link's target is what
// changes, not the link.
func target(path string) (string, error) {
	if _, err := os.Lstat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		return "", fmt.Errorf("stat %s: %w", path, err)
	}
	p, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	return p, nil
}

// writeAtomic replaces path with data through a temporary file in the same
// directory, so a crash never leaves half a file.
func writeAtomic(path string, data []byte, perm fs.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".fix401-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		_ = f.Close()
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// IgnoreResult says whether git ignores a file, as far as the repository's
// own ignore files tell (global excludes are not read).
type IgnoreResult struct {
	Repo    string // the repository's root; empty when the file is in none
	Ignored bool
	Source  string // the deciding line: /path/.gitignore:3
	Pattern string
}

// GitIgnored reports whether git would ignore name in dir, reading the
// .gitignore files from dir up to the repository root and the root's
// .git/info/exclude. It runs no git binary.
func GitIgnored(dir, name string) (IgnoreResult, error) {
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
	data, err := os.ReadFile(path)
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
// keeping the file's line ends. It returns the path written.
func AddToGitignore(dir, name string) (string, error) {
	path, err := target(filepath.Join(dir, ".gitignore"))
	if err != nil {
		return "", err
	}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read %s: %w", path, err)
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
// anything), readable only by its owner. It returns the path written.
func SaveSummary(dir, text string, now time.Time) (string, error) {
	base := "fix401-summary-" + now.Format(time.DateOnly)
	for i := 1; i < 100; i++ {
		name := base + ".md"
		if i > 1 {
			name = fmt.Sprintf("%s-%d.md", base, i)
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("save summary: %w", err)
		}
		if _, err := f.WriteString(text); err != nil {
			_ = f.Close()
			return "", fmt.Errorf("save summary: %w", err)
		}
		if err := f.Close(); err != nil {
			return "", fmt.Errorf("save summary: %w", err)
		}
		return path, nil
	}
	return "", fmt.Errorf("save summary: %s: too many summaries today", filepath.Join(dir, base+".md"))
}
