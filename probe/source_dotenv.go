package probe

// The dotenv source: .env-style files in the project and its parents, read
// the way dotenv loaders read them (the parser is dotenv.go).

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// DotenvFiles are the .env-style file names Discover reads in the project
// directory and each parent, in the order it lists them. The example and
// sample files are loaded by nothing: a candidate from them is kept only
// when it looks like a real key (a leaked or stale copy), never for a
// placeholder.
var DotenvFiles = []string{
	".env", ".env.local", ".env.development", ".env.development.local",
	".env.production", ".env.production.local", ".env.test", ".env.test.local",
	".env.example", ".env.sample",
}

// dotenvLoaded are the files an app run in development loads, most
// important first: frameworks (Next.js, Vite) let .env.local and the
// mode's files win over .env, and plain loaders read only .env.
var dotenvLoaded = []string{".env.development.local", ".env.local", ".env.development", ".env"}

// dotenvSource yields the assignments of the .env files of dotenvDirs.
type dotenvSource struct{}

func (dotenvSource) Name() string { return string(OriginDotenv) }

func (dotenvSource) Find(d *discovery) []Candidate { return d.dotenv() }

// dotenv reads the .env files of dotenvDirs, nearest first.
func (d *discovery) dotenv() []Candidate {
	var out []Candidate
	for _, dir := range d.dotenvDirs() {
		for _, name := range DotenvFiles {
			out = append(out, d.dotenvFile(filepath.Join(dir, name))...)
		}
	}
	return out
}

// dotenvDirs are the directories whose .env files Discover reads: from
// the project up to its repository's root (the nearest directory holding
// .git), or up to the home directory when the project is in it, whichever
// comes first; outside both, the project directory alone. A walk that
// reached / would read files nobody meant for this project.
func (d *discovery) dotenvDirs() []string {
	var dirs []string
	for dir := d.dir; ; {
		dirs = append(dirs, dir)
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil || dir == d.home {
			return dirs
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dirs[:1]
		}
		dir = parent
	}
}

// dotenvLine matches an assignment line of a .env file the way godotenv
// and Node's dotenv read it: optional export, a name, '=' or ':'.
var dotenvLine = regexp.MustCompile(`^[ \t]*(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*[=:]`)

func (d *discovery) dotenvFile(path string) []Candidate {
	data, ok := d.readFile(path, true)
	if !ok {
		return nil
	}
	example := strings.HasSuffix(path, ".example") || strings.HasSuffix(path, ".sample")
	return d.mark(path, d.scanDotenv(path, data, example))
}

type dotenvHit struct {
	c    Candidate
	name string
	over string // why the value was not computed
}

// scanDotenv finds the assignments in a .env file. The line scan gives the
// line number and the raw text; parseDotenv, a bounded port of godotenv,
// gives the value a loader returns.
func (d *discovery) scanDotenv(path string, data []byte, example bool) []Candidate {
	var hits []dotenvHit
	lineNo := 0
	for off := 0; off < len(data) && len(hits) < MaxFileCandidates; {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += off
		}
		lineNo++
		line := data[off:end]
		next := end + 1
		m := dotenvLine.FindSubmatchIndex(line)
		if m == nil {
			off = next
			continue
		}
		name := string(line[m[4]:m[5]])
		raw := string(line[m[1]:])
		// A quoted value may run over several lines: the statement ends at
		// its closing quote, and the lines inside are not assignments.
		stmtEnd := end
		rest := bytes.TrimLeft(data[off+m[1]:], " \t")
		if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
			start := len(data) - len(rest)
			if q := closingQuote(rest); q > 0 {
				if e := bytes.IndexByte(data[start+q:], '\n'); e >= 0 {
					stmtEnd = start + q + e
				} else {
					stmtEnd = len(data)
				}
			}
		}
		startLine := lineNo
		lineNo += bytes.Count(data[end:min(stmtEnd, len(data))], []byte{'\n'})
		if stmtEnd > end {
			next = stmtEnd + 1
		}
		if d.wants(name, raw) {
			value := dotenvValue(data[off:stmtEnd], name)
			c := Candidate{
				Origin: OriginDotenv, Var: name, Path: path, Line: startLine,
				Source:   d.label(path, startLine, true),
				Exported: m[2] >= 0,
				Value:    value, Raw: raw,
			}
			hits = append(hits, dotenvHit{c: c, name: name})
		}
		off = next
	}
	d.capped(path, len(hits), true)
	// The whole file, parsed as a loader parses it, decides the value of a
	// name's last assignment (variables expand from earlier lines).
	if whole, err := parseDotenv(data); err == nil {
		seen := map[string]bool{}
		for i := len(hits) - 1; i >= 0; i-- {
			name := hits[i].name
			if v, ok := whole.vals[name]; ok && !seen[name] {
				hits[i].c.Value = v
			} else if why, ok := whole.over[name]; ok && !seen[name] {
				hits[i].over = why
			}
			seen[name] = true
		}
	}
	var out []Candidate
	for _, h := range hits {
		if h.over != "" {
			out = append(out, unresolved(h.c, h.over))
			continue
		}
		c := finish(h.c)
		if example && !realLooking(c) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// closingQuote returns the index of the quote closing s[0], skipping
// backslash-escaped ones as godotenv does, or -1.
func closingQuote(s []byte) int {
	for i := 1; i < len(s); i++ {
		if s[i] == s[0] && s[i-1] != '\\' {
			return i
		}
	}
	return -1
}

// dotenvValue is what a loader returns for one statement: godotenv's
// answer, or when godotenv rejects the line, the lenient reading of Node's
// dotenv (quotes removed, an unquoted value cut at " #").
func dotenvValue(stmt []byte, name string) string {
	if m, err := parseDotenv(stmt); err == nil {
		if v, ok := m.vals[name]; ok {
			return v
		}
	}
	stmt = bytes.ReplaceAll(stmt, []byte("\r\n"), []byte("\n"))
	m := dotenvLine.FindIndex(stmt)
	if m == nil {
		return ""
	}
	v := strings.Trim(string(stmt[m[1]:]), " \t\r\n")
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'' || v[0] == '`') {
		if i := strings.LastIndexByte(v, v[0]); i > 0 {
			inner := v[1:i]
			if v[0] == '"' {
				inner = strings.ReplaceAll(inner, `\n`, "\n")
			}
			return inner
		}
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimRight(v, " \t")
}

// realLooking reports whether a candidate from an example file holds
// something that could be a real key rather than a placeholder.
func realLooking(c Candidate) bool {
	if c.Clean == "" || c.Kind == KindUnknown {
		return false
	}
	for _, is := range c.Issues {
		if is.Code == IssuePlaceholder || is.Code == IssueMasked || is.Code == IssueEmpty {
			return false
		}
	}
	return true
}

// unloadable reports whether no dotenv loader reads the candidate's file:
// one saved as UTF-16.
func unloadable(c Candidate) bool { return c.Encoding == EncUTF16LE || c.Encoding == EncUTF16BE }
