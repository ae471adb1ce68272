package probe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/fix401/fix401/probe/bounds"
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

// ShellFiles are the start-up files Discover reads under the home
// directory. The zsh files are read from $ZDOTDIR when it is set.
var ShellFiles = []string{
	".bashrc", ".bash_profile", ".bash_login", ".profile",
	".zshrc", ".zshenv", ".zprofile", ".zlogin",
	".config/fish/config.fish",
}

// Discover finds every key candidate, in this order: the key given on
// stdin; the process environment (ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN,
// CLAUDE_CODE_OAUTH_TOKEN, the misnamed CLAUDE_API_KEY and ANTHROPIC_KEY,
// then any other variable holding an sk-ant- value); .env-style files in
// env.Dir and its parents, nearest first, up to the directory holding
// .git or env.Home, and only env.Dir when it is under neither (see
// dotenvDirs); shell start-up files under env.Home (and
// ~/.config/fish/conf.d); Claude Code's settings (~/.claude/settings.json,
// then the project's .claude/settings.json and settings.local.json).
// In files it looks for the same names plus any variable whose value
// holds "sk-ant-"; commented-out lines are skipped.
//
// Value is what the consumer reads: the environment's value, what
// godotenv returns for the line, what the shell assigns. A shell value
// that needs a command or an unknown variable, and Claude Code's
// apiKeyHelper (a command), are never run: such a candidate has an empty
// Value, the hint "(not evaluated)" and an IssueUnresolved issue.
// Files are only read, within the bounds of bounds.go; binary files,
// FIFOs, sockets and devices are skipped. Clean and Issues come from
// Hygiene(Value); Kind, Provider and Hint from the cleaned value. A nil
// env finds nothing. DiscoverAll also says which files were skipped or
// read in part.
func Discover(env *Env) []Candidate { return DiscoverAll(env).Candidates }

// FileNote says why Discover read a file only in part, or not at all. Note
// is sanitized words, never a value from the file.
type FileNote struct {
	Path   string // absolute
	Source string // as shown: .env, ~/.bashrc
	Note   string // "a FIFO (named pipe): not read"
}

// Discovery is everything Discover found: the candidates, and a note for
// each file it skipped or read in part.
type Discovery struct {
	Candidates []Candidate
	Notes      []FileNote
}

// DiscoverAll is Discover with the notes on the files.
func DiscoverAll(env *Env) Discovery {
	if env == nil {
		return Discovery{}
	}
	d := discovery{env: env, home: absPath(env.Home), dir: absPath(cmpOr(env.Dir, "."))}
	out := d.find()
	if len(out) > MaxCandidates {
		d.note("", "", fmt.Sprintf("%d candidates found; only the first %d are reported", len(out), MaxCandidates))
		out = out[:MaxCandidates]
	}
	return Discovery{Candidates: out, Notes: d.notes}
}

func (d *discovery) find() []Candidate {
	env := d.env
	var out []Candidate
	if env.HasStdinKey {
		src := env.StdinSource
		if src == "" {
			src = "stdin"
		}
		out = append(out, finish(Candidate{Source: src, Origin: OriginStdin, Value: env.StdinKey, Raw: env.StdinKey}))
	}
	out = append(out, d.environment()...)
	out = append(out, d.dotenv()...)
	if d.home != "" {
		out = append(out, d.shell()...)
	}
	out = append(out, d.claude()...)
	// An Admin key kept under its own name is a lookup credential, not a
	// key to test, wherever it is found (see AdminKey).
	return slices.DeleteFunc(out, func(c Candidate) bool { return c.Var == VarAdminKey })
}

// capped notes a file whose scan stopped at MaxFileCandidates.
func (d *discovery) capped(path string, found int, projectFirst bool) {
	if found >= MaxFileCandidates {
		d.note(path, d.label(path, 0, projectFirst), fmt.Sprintf("the scan stopped at %d candidates", MaxFileCandidates))
	}
}

// note records a file-level note; path may be empty for a note on the
// whole discovery.
func (d *discovery) note(path, source, text string) {
	d.notes = append(d.notes, FileNote{Path: path, Source: source, Note: text})
}

// ChooseActive returns the index of the key an SDK or app would use, or -1
// when none would be found: the stdin key when given; else a non-empty
// ANTHROPIC_API_KEY in the environment; else ANTHROPIC_API_KEY from the
// nearest directory's loaded .env file (.env.development.local,
// .env.local, .env.development, .env; the last assignment in the file) —
// dotenv loaders never override a variable already set, which is why the
// environment wins; else ANTHROPIC_AUTH_TOKEN by the same rules, so that a
// setup with only a bearer token is tested the way the SDKs send it. Keys
// only in shell start-up files or Claude Code's settings are not loaded by
// an SDK: the caller reports them as not loaded. vars, when given, are the
// variables the client reads, first wins (a row of the client table);
// without them, ANTHROPIC_API_KEY then ANTHROPIC_AUTH_TOKEN. A Foreign
// candidate, from a file another user owns, is never chosen.
func ChooseActive(env *Env, c []Candidate, vars ...string) int {
	if env != nil && env.HasStdinKey {
		for i := range c {
			if c[i].Origin == OriginStdin && !c[i].Foreign {
				return i
			}
		}
	}
	if len(vars) == 0 {
		vars = []string{VarAPIKey, VarAuthToken}
	}
	for _, name := range vars {
		for i := range c {
			if c[i].Origin == OriginEnv && c[i].Var == name && c[i].Value != "" && !c[i].Foreign {
				return i
			}
		}
		best, bestDepth, bestRank := -1, -1, 0
		for i := range c {
			if c[i].Origin != OriginDotenv || c[i].Var != name || c[i].Value == "" || c[i].Foreign || unloadable(c[i]) {
				continue
			}
			rank := slices.Index(dotenvLoaded, filepath.Base(c[i].Path))
			if rank < 0 {
				continue
			}
			depth := len(filepath.Dir(c[i].Path))
			switch {
			case depth > bestDepth,
				depth == bestDepth && rank < bestRank,
				depth == bestDepth && rank == bestRank && c[i].Line > c[best].Line:
				best, bestDepth, bestRank = i, depth, rank
			}
		}
		if best >= 0 {
			return best
		}
	}
	return -1
}

// finish fills the derived fields of a candidate from its Value. A value
// from a file longer than MaxValue is no key: it is not evaluated.
func finish(c Candidate) Candidate {
	if len(c.Value) > MaxValue && c.Origin != OriginEnv && c.Origin != OriginStdin {
		return unresolved(c, fmt.Sprintf("its value is longer than %d KiB, which no key is; fix401 did not evaluate it", MaxValue>>10))
	}
	c.Raw = clip(c.Raw)
	c.Clean, c.Issues = Hygiene(c.Value)
	c.Kind, c.Provider = Classify(c.Clean)
	c.Hint = Hint(c.Clean)
	return c
}

// unresolved is a candidate whose value fix401 will not compute.
func unresolved(c Candidate, detail string) Candidate {
	c.Raw = clip(c.Raw)
	c.Value, c.Clean, c.Hint, c.Kind, c.Provider = "", "", "(not evaluated)", KindUnknown, ""
	c.Issues = []Issue{{Code: IssueUnresolved, Detail: detail}}
	return c
}

// clip keeps the first MaxValue bytes of a file's raw text: enough for
// the redactor to know any key in it, never a line of a MiB.
func clip(raw string) string {
	if len(raw) > MaxValue {
		return raw[:MaxValue]
	}
	return raw
}

type discovery struct {
	env       *Env
	home, dir string
	notes     []FileNote
	foreign   map[string]bool   // files read that another user owns
	encoding  map[string]string // files read that are not plain UTF-8: their encoding
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func absPath(p string) string {
	if p == "" {
		return ""
	}
	a, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	return a
}

// label names a file for people: relative to the project when inside it
// (dotenv files), else under ~, else absolute.
func (d *discovery) label(path string, line int, projectFirst bool) string {
	l := path
	if rel, err := filepath.Rel(d.dir, path); projectFirst && err == nil && !strings.HasPrefix(rel, "..") {
		l = rel
	} else if rel, err := filepath.Rel(d.home, path); d.home != "" && err == nil && !strings.HasPrefix(rel, "..") {
		l = "~/" + filepath.ToSlash(rel)
	}
	if line > 0 {
		l += fmt.Sprintf(":%d", line)
	}
	return l
}

// interesting reports whether a variable in a file is worth a candidate.
func interesting(name, raw string) bool {
	return slices.Contains(KeyVars, name) || strings.Contains(raw, "sk-ant-")
}

func (d *discovery) environment() []Candidate {
	var out []Candidate
	add := func(name string) {
		v := d.env.Vars[name]
		out = append(out, finish(Candidate{Source: "env " + name, Origin: OriginEnv, Var: name, Exported: true, Value: v, Raw: v}))
	}
	for _, name := range KeyVars {
		if _, ok := d.env.Vars[name]; ok {
			add(name)
		}
	}
	var others []string
	for name, v := range d.env.Vars {
		if !slices.Contains(KeyVars, name) && strings.Contains(v, "sk-ant-") {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	for _, name := range others {
		add(name)
	}
	return out
}

// readFile reads the first MaxKeyFile bytes of a regular file, cut at the
// last whole line. ok is false for anything missing, unreadable, not a
// regular file (a FIFO would block; a venv named .env is a directory) or
// binary; each but a missing file or a directory gets a note.
func (d *discovery) readFile(path string, projectFirst bool) (data []byte, ok bool) {
	data, err := ReadRegular(path, MaxKeyFile+1)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, false
	case errors.Is(err, ErrNotRegular):
		if st, serr := os.Stat(path); serr != nil || !st.IsDir() {
			d.note(path, d.label(path, 0, projectFirst), strings.TrimPrefix(err.Error(), ErrNotRegular.Error()+": ")+": not read")
		}
		return nil, false
	case err != nil:
		d.note(path, d.label(path, 0, projectFirst), "not read: "+readError(err))
		return nil, false
	}
	if len(data) > MaxKeyFile {
		data = data[:MaxKeyFile]
		if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
			data = data[:i+1]
		}
		d.note(path, d.label(path, 0, projectFirst), fmt.Sprintf("larger than %d KiB: only the first %d KiB were read", MaxKeyFile>>10, MaxKeyFile>>10))
	}
	data, enc := Decode(data)
	switch enc {
	case EncUTF8BOM:
		d.note(path, d.label(path, 0, projectFirst), "starts with a UTF-8 byte-order mark: python-dotenv and godotenv read its first variable under another name; save it without the mark")
	case EncUTF16LE, EncUTF16BE:
		d.note(path, d.label(path, 0, projectFirst), "is saved as UTF-16 (PowerShell's > does this), which no dotenv loader reads: save it as UTF-8")
	}
	if enc != EncUTF8 {
		if d.encoding == nil {
			d.encoding = map[string]string{}
		}
		d.encoding[path] = enc
	}
	if binary(data) {
		d.note(path, d.label(path, 0, projectFirst), "looks binary: not read")
		return nil, false
	}
	// Files in --dir itself are the project the user pointed at (as root in
	// a container, a bind-mounted project belongs to another uid): only the
	// parents' files and the home's can be someone else's.
	if uid, ok := fileOwner(path); ok && uid != os.Geteuid() && filepath.Dir(path) != d.dir {
		if d.foreign == nil {
			d.foreign = map[string]bool{}
		}
		d.foreign[path] = true
		d.note(path, d.label(path, 0, projectFirst), fmt.Sprintf("owned by another user (uid %d), not by you (uid %d): its keys are listed, never offered as the fix", uid, os.Geteuid()))
	}
	return data, true
}

// mark flags the candidates of a file owned by another user.
func (d *discovery) mark(path string, cs []Candidate) []Candidate {
	if enc := d.encoding[path]; enc != "" {
		for i := range cs {
			cs[i].Encoding = enc
		}
	}
	if d.foreign[path] {
		for i := range cs {
			cs[i].Foreign = true
		}
	}
	return cs
}

// binary reports whether data looks like anything but text: a NUL byte, or
// many control characters or invalid UTF-8 sequences near the start.
func binary(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return true
	}
	head := data[:min(len(data), 8192)]
	bad := 0
	for i := 0; i < len(head); {
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n == 1 || r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\v' {
			bad++
		}
		i += n
	}
	return bad*10 > len(head)
}

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
		if interesting(name, raw) {
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

// shell reads the shell start-up files under the home directory.
func (d *discovery) shell() []Candidate {
	var out []Candidate
	zdot := absPath(d.env.Vars["ZDOTDIR"])
	for _, name := range ShellFiles {
		path := filepath.Join(d.home, name)
		lang := syntax.LangBash
		if strings.HasPrefix(name, ".z") {
			lang = syntax.LangZsh
			if zdot != "" {
				path = filepath.Join(zdot, name)
			}
		}
		data, ok := d.readFile(path, false)
		if !ok {
			continue
		}
		if strings.HasSuffix(name, ".fish") {
			out = append(out, d.mark(path, d.scanFish(path, data))...)
		} else {
			out = append(out, d.mark(path, d.scanShell(path, data, lang))...)
		}
	}
	confd, _ := filepath.Glob(filepath.Join(d.home, ".config", "fish", "conf.d", "*.fish"))
	sort.Strings(confd)
	if len(confd) > MaxFishConfD {
		dir := filepath.Join(d.home, ".config", "fish", "conf.d")
		d.note(dir, d.label(dir, 0, false), fmt.Sprintf("%d files: only the first %d were read", len(confd), MaxFishConfD))
	}
	for _, path := range confd[:min(len(confd), MaxFishConfD)] {
		if data, ok := d.readFile(path, false); ok {
			out = append(out, d.mark(path, d.scanFish(path, data))...)
		}
	}
	return out
}

// scanShell parses a POSIX-family start-up file and records the
// assignments of interest with the value the shell would assign. A file
// the parser rejects is read line by line instead.
func (d *discovery) scanShell(path string, data []byte, lang syntax.LangVariant) []Candidate {
	f, err := parseShell(data, path, lang)
	if err != nil && lang != syntax.LangBash && !errors.Is(err, bounds.ErrTooDeep) {
		f, err = parseShell(data, path, syntax.LangBash)
	}
	if errors.Is(err, bounds.ErrTooDeep) {
		d.note(path, d.label(path, 0, false), err.Error()+": read line by line")
	}
	if err != nil {
		return d.scanShellLines(path, data)
	}
	s := newShellScan(d, path)
	s.src = data
	s.walk(f)
	d.capped(path, len(s.hits), false)
	return s.finish()
}

func parseShell(data []byte, name string, lang syntax.LangVariant) (f *syntax.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("shell parser: %v", r)
		}
	}()
	return bounds.ParseShell(syntax.NewParser(syntax.Variant(lang)), data, name)
}

// shellScan records assignments while walking one parsed file.
type shellScan struct {
	d      *discovery
	path   string
	src    []byte
	locals map[string]string // variables assigned earlier in the file, for $NAME
	depths map[string]int    // how many variables deep each local's value reads
	over   map[string]string // variables whose value was past a bound, and why
	b      budget
	hits   []Candidate
	line   int // added to positions when src is one line of a larger file
}

func newShellScan(d *discovery, path string) shellScan {
	return shellScan{d: d, path: path, locals: map[string]string{}, depths: map[string]int{}, over: map[string]string{}}
}

func (s *shellScan) walk(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.CallExpr:
			if len(x.Args) == 0 { // NAME=value alone; with a command it only applies to the command
				for _, a := range x.Assigns {
					s.assign(a, false)
				}
			}
		case *syntax.DeclClause:
			s.decl(x)
		}
		return true
	})
}

func (s *shellScan) decl(x *syntax.DeclClause) {
	variant := x.Variant.Value
	if variant == "local" || variant == "nameref" {
		return
	}
	exported := variant == "export"
	for _, a := range x.Args {
		if a.Name == nil && a.Value != nil {
			if flag := a.Value.Lit(); strings.HasPrefix(flag, "-") && strings.Contains(flag, "x") {
				exported = true
			}
		}
	}
	for _, a := range x.Args {
		switch {
		case a.Name == nil:
		case a.Naked:
			if exported { // "export NAME" after "NAME=value"
				for i := range s.hits {
					if s.hits[i].Var == a.Name.Value {
						s.hits[i].Exported = true
					}
				}
			}
		default:
			s.assign(a, exported)
		}
	}
}

func (s *shellScan) assign(a *syntax.Assign, exported bool) {
	if a.Name == nil || a.Array != nil || a.Index != nil || len(s.hits) >= MaxFileCandidates {
		return
	}
	name := a.Name.Value
	raw := ""
	if a.Value != nil {
		raw = string(s.src[a.Value.Pos().Offset():a.Value.End().Offset()])
	}
	value, depth, why, ok := s.expand(a.Value)
	if ok && a.Value != nil {
		// bash on a CRLF file keeps the \r as the last character of the
		// word; the parser treats it as a line ending.
		tail := s.src[a.Value.End().Offset():]
		if (strings.HasSuffix(raw, "\r") || bytes.HasPrefix(tail, []byte("\r\n")) || string(tail) == "\r") && !strings.HasSuffix(value, "\r") {
			value += "\r"
		}
	}
	if a.Append && ok {
		old := s.locals[name]
		if prev, over := s.over[name]; over {
			why, ok = prev, false
		} else if why = s.b.take(len(old)+len(value), 0, len(old)); why != "" {
			ok = false
		} else {
			value, depth = old+value, max(depth, s.depths[name])
		}
	}
	delete(s.locals, name)
	delete(s.depths, name)
	delete(s.over, name)
	switch {
	case ok:
		s.locals[name], s.depths[name] = value, depth
	case why != "":
		s.over[name] = why
	}
	if !interesting(name, raw) {
		return
	}
	line := int(a.Pos().Line()) + s.line
	c := Candidate{
		Source: s.d.label(s.path, line, false), Origin: OriginShell, Var: name,
		Path: s.path, Line: line, Exported: exported, Value: value, Raw: raw,
	}
	switch {
	case ok:
		c = finish(c)
	case why != "":
		c = unresolved(c, why)
	default:
		c = unresolved(c, "set by a command or from another variable; fix401 does not run it")
	}
	s.hits = append(s.hits, c)
}

// known returns a variable's value as far as the scan knows it: from
// this file, $HOME, or the environment.
func (s *shellScan) known(name string) (string, bool) {
	if v, ok := s.locals[name]; ok {
		return v, true
	}
	if name == "HOME" && s.d.home != "" {
		return s.d.home, true
	}
	v, ok := s.d.env.Vars[name]
	return v, ok
}

// expand returns what the shell assigns for w, when that needs no command
// and only variables known from this file, the environment or $HOME, and
// how many variables deep it reads. A value past a bound is not computed:
// why says which, and ok is false.
func (s *shellScan) expand(w *syntax.Word) (v string, depth int, why string, ok bool) {
	if w == nil {
		return "", 0, "", true
	}
	ok = true
	syntax.Walk(w, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.CmdSubst, *syntax.ProcSubst, *syntax.ArithmExp:
			ok = false
		case *syntax.ParamExp:
			switch {
			case x.Param == nil || x.NestedParam != nil || x.Excl || x.Names != 0:
				ok = false
			case s.over[x.Param.Value] != "":
				why, ok = s.over[x.Param.Value], false
			default:
				if _, k := s.known(x.Param.Value); !k && x.Exp == nil {
					ok = false
				}
			}
		}
		return ok
	})
	if !ok {
		return "", 0, why, false
	}
	size, depth := s.wordBound(w)
	if src := int(w.End().Offset() - w.Pos().Offset()); depth > 0 || size > src {
		if why := s.b.take(size, depth, size-src); why != "" {
			return "", 0, why, false
		}
	}
	defer func() {
		if recover() != nil {
			v, depth, ok = "", 0, false
		}
	}()
	cfg := &expand.Config{Env: expand.FuncEnviron(func(name string) string {
		v, _ := s.known(name)
		return v
	})}
	v, err := expand.Literal(cfg, w)
	return v, depth, "", err == nil
}

// boundMax stands for "too long to compute" in wordBound's sums.
const boundMax = 1 << 40

func boundAdd(a, b int) int { return min(a+b, boundMax) }

func boundMul(a, b int) int {
	if a != 0 && b > boundMax/a {
		return boundMax
	}
	return min(a*b, boundMax)
}

// wordBound returns at least the length of w's expansion, and the longest
// chain of variables it reads through (1 for $NAME of a plain value). It
// never expands anything, so it costs no more than the word's source.
func (s *shellScan) wordBound(w *syntax.Word) (size, depth int) {
	if w == nil {
		return 0, 0
	}
	for _, part := range w.Parts {
		n, d := s.partBound(part)
		size, depth = boundAdd(size, n), max(depth, d)
	}
	return size, depth
}

func (s *shellScan) partBound(part syntax.WordPart) (size, depth int) {
	switch x := part.(type) {
	case *syntax.Lit:
		return len(x.Value), 0
	case *syntax.SglQuoted:
		return len(x.Value), 0 // $'…' escapes only shrink
	case *syntax.DblQuoted:
		for _, p := range x.Parts {
			n, d := s.partBound(p)
			size, depth = boundAdd(size, n), max(depth, d)
		}
		return size, depth
	case *syntax.ExtGlob:
		return len(x.Pattern.Value) + 3, 0
	case *syntax.ParamExp:
		v, _ := s.known(x.Param.Value)
		size, depth = len(v), s.depths[x.Param.Value]+1
		switch {
		case x.Length:
			size = 20
		case x.Repl != nil: // every match replaced: at most one per byte
			with, d := s.wordBound(x.Repl.With)
			size, depth = boundAdd(boundMul(size, boundAdd(with, 1)), with), max(depth, d)
		case x.Exp != nil: // a default, a trim, a change of case, quoting
			word, d := s.wordBound(x.Exp.Word)
			size, depth = boundAdd(boundMul(size, 4), word), max(depth, d)
		case x.Flags != nil || len(x.Modifiers) > 0 || x.Slice != nil || x.Index != nil:
			size = boundMul(size, 4)
		}
		return size, depth
	}
	return boundMax, 0
}

func (s *shellScan) finish() []Candidate { return s.hits }

// shellAssign finds a plain or exported assignment at the start of a line.
var shellAssign = regexp.MustCompile(`^[ \t]*((export|declare[ \t]+-[a-zA-Z]*x[a-zA-Z]*|typeset[ \t]+-[a-zA-Z]*x[a-zA-Z]*)[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=`)

// scanShellLines is the fallback for a file the parser rejects (zsh-only
// syntax, a half-written line): each assignment line is parsed on its own.
func (d *discovery) scanShellLines(path string, data []byte) []Candidate {
	s := newShellScan(d, path)
	for i, line := range bytes.Split(data, []byte{'\n'}) {
		if len(s.hits) >= MaxFileCandidates {
			break
		}
		m := shellAssign.FindSubmatchIndex(line)
		if m == nil || !interesting(string(line[m[6]:m[7]]), string(line[m[1]:])) {
			continue
		}
		f, err := parseShell(line, path, syntax.LangBash)
		if err != nil {
			name := string(line[m[6]:m[7]])
			lineNo := i + 1
			c := Candidate{Source: d.label(path, lineNo, false), Origin: OriginShell, Var: name, Path: path,
				Line: lineNo, Exported: m[2] >= 0, Raw: string(line[m[1]:])}
			why := "the line does not parse as shell; fix401 could not tell its value"
			if errors.Is(err, bounds.ErrTooDeep) {
				why = "the line is " + err.Error() + "; fix401 did not parse it"
			}
			s.hits = append(s.hits, unresolved(c, why))
			continue
		}
		s.src, s.line = line, i
		s.walk(f)
	}
	d.capped(path, len(s.hits), false)
	return s.hits
}

// scanFish reads fish's "set -x NAME value" (and "export NAME=value").
func (d *discovery) scanFish(path string, data []byte) []Candidate {
	var out []Candidate
	for i, line := range bytes.Split(data, []byte{'\n'}) {
		if len(out) >= MaxFileCandidates {
			break
		}
		toks := fishTokens(string(line))
		if len(toks) < 2 {
			continue
		}
		var name string
		var vals []fishToken
		exported := false
		switch toks[0].text {
		case "set":
			j := 1
		flags:
			for ; j < len(toks); j++ {
				t := toks[j].text
				switch {
				case t == "--":
					j++
					break flags
				case t == "--export":
					exported = true
				case t == "--erase", t == "--query", t == "--names", t == "--show":
					j = len(toks)
				case strings.HasPrefix(t, "--"):
				case strings.HasPrefix(t, "-") && len(t) > 1:
					if strings.ContainsAny(t, "eqnS") {
						j = len(toks)
					}
					exported = exported || strings.Contains(t, "x")
				default:
					break flags
				}
			}
			if j >= len(toks) {
				continue
			}
			name, vals = toks[j].text, toks[j+1:]
		case "export":
			n, v, found := strings.Cut(toks[1].text, "=")
			if !found {
				continue
			}
			name, exported = n, true
			first := toks[1]
			first.text = v
			first.start += len(n) + 1
			vals = append([]fishToken{first}, toks[2:]...)
		default:
			continue
		}
		raw := ""
		if len(vals) > 0 {
			raw = string(line[vals[0].start:])
		}
		if !interesting(name, raw) {
			continue
		}
		texts := make([]string, len(vals))
		dynamic := false
		for k, v := range vals {
			texts[k] = v.text
			dynamic = dynamic || v.dynamic
		}
		c := Candidate{Source: d.label(path, i+1, false), Origin: OriginShell, Var: name, Path: path,
			Line: i + 1, Exported: exported, Value: strings.Join(texts, " "), Raw: raw}
		if dynamic {
			c = unresolved(c, "set by a command or from another variable; fix401 does not run it")
		} else {
			c = finish(c)
		}
		out = append(out, c)
	}
	d.capped(path, len(out), false)
	return out
}

type fishToken struct {
	text    string
	start   int // byte offset of the token in the line
	dynamic bool
}

// fishTokens splits the first command of a fish line into words with
// fish's quoting: '…' keeps all but \' and \\, "…" also expands $VAR,
// bare words expand $VAR and (command). A word that would expand is
// marked dynamic.
func fishTokens(line string) []fishToken {
	var toks []fishToken
	var cur strings.Builder
	in := false
	var tok fishToken
	flush := func() {
		if in {
			tok.text = cur.String()
			toks = append(toks, tok)
		}
		cur.Reset()
		in = false
	}
	begin := func(i int) {
		if !in {
			in, tok = true, fishToken{start: i}
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			flush()
		case c == '#' && !in:
			flush()
			return toks
		case c == ';' || c == '|' || c == '&':
			flush()
			return toks
		case c == '\'' || c == '"':
			begin(i)
			q := c
			for i++; i < len(line) && line[i] != q; i++ {
				if line[i] == '\\' && i+1 < len(line) && (line[i+1] == q || line[i+1] == '\\' || q == '"' && line[i+1] == '$') {
					i++
				} else if q == '"' && line[i] == '$' {
					tok.dynamic = true
				}
				cur.WriteByte(line[i])
			}
		case c == '\\' && i+1 < len(line):
			begin(i)
			i++
			switch line[i] {
			case 'n':
				cur.WriteByte('\n')
			case 't':
				cur.WriteByte('\t')
			case 'r':
				cur.WriteByte('\r')
			default:
				cur.WriteByte(line[i])
			}
		case c == '$' || c == '(' || c == '*' || c == '{' || c == '~':
			begin(i)
			tok.dynamic = true
			cur.WriteByte(c)
		default:
			begin(i)
			cur.WriteByte(c)
		}
	}
	flush()
	return toks
}

// claude reads Claude Code's settings files: variables of interest in
// their env block, and apiKeyHelper, which is a command and is not run.
func (d *discovery) claude() []Candidate {
	var paths []string
	if d.home != "" {
		paths = append(paths, filepath.Join(d.home, ".claude", "settings.json"))
	}
	for _, name := range []string{"settings.json", "settings.local.json"} {
		if p := filepath.Join(d.dir, ".claude", name); !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	var out []Candidate
	for _, path := range paths {
		data, ok := d.readFile(path, !strings.HasPrefix(path, filepath.Join(d.home, ".claude")+string(filepath.Separator)) || d.home == "")
		if !ok {
			continue
		}
		out = append(out, d.mark(path, d.scanClaude(path, data))...)
	}
	return out
}

func (d *discovery) scanClaude(path string, data []byte) []Candidate {
	var s struct {
		Env    map[string]json.RawMessage `json:"env"`
		Helper json.RawMessage            `json:"apiKeyHelper"`
	}
	if json.Unmarshal(data, &s) != nil {
		return nil
	}
	projectFirst := !strings.HasPrefix(path, filepath.Join(d.home, ".claude")+string(filepath.Separator)) || d.home == ""
	var names []string
	for _, name := range KeyVars {
		if _, ok := s.Env[name]; ok {
			names = append(names, name)
		}
	}
	var others []string
	for name, raw := range s.Env {
		if !slices.Contains(KeyVars, name) && strings.Contains(string(raw), "sk-ant-") {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	names = append(names, others...)
	if len(names) > MaxFileCandidates {
		d.note(path, d.label(path, 0, projectFirst), fmt.Sprintf("%d variables hold keys: only the first %d were read", len(names), MaxFileCandidates))
		names = names[:MaxFileCandidates]
	}
	var out []Candidate
	for _, name := range names {
		var v string
		if json.Unmarshal(s.Env[name], &v) != nil {
			continue
		}
		line := jsonKeyLine(data, name)
		out = append(out, finish(Candidate{Source: d.label(path, line, projectFirst), Origin: OriginClaude, Var: name,
			Path: path, Line: line, Exported: true, Value: v, Raw: string(s.Env[name])}))
	}
	var helper string
	if len(s.Helper) > 0 && json.Unmarshal(s.Helper, &helper) == nil && helper != "" {
		line := jsonKeyLine(data, VarHelper)
		c := Candidate{Source: d.label(path, line, projectFirst), Origin: OriginClaude, Var: VarHelper,
			Path: path, Line: line, Raw: helper}
		out = append(out, unresolved(c, "apiKeyHelper runs a command to get the key; fix401 does not run it"))
	}
	return out
}

// jsonKeyLine returns the 1-based line of the first `"name":` in data, or 0.
func jsonKeyLine(data []byte, name string) int {
	re := regexp.MustCompile(`"` + regexp.QuoteMeta(name) + `"\s*:`)
	loc := re.FindIndex(data)
	if loc == nil {
		return 0
	}
	return bytes.Count(data[:loc[0]], []byte{'\n'}) + 1
}

// unloadable reports whether no dotenv loader reads the candidate's file:
// one saved as UTF-16.
func unloadable(c Candidate) bool { return c.Encoding == EncUTF16LE || c.Encoding == EncUTF16BE }
