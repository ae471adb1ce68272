package probe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/joho/godotenv"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Limits on what Discover reads: the first MaxKeyFile bytes of a file, and
// at most maxFileCandidates candidates from one file.
const (
	MaxKeyFile        = 1 << 20
	maxFileCandidates = 100
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
// .git, env.Home or the root; shell start-up files under env.Home (and
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
// Files are only read, at most MaxKeyFile bytes of each; binary files are
// skipped. Clean and Issues come from Hygiene(Value); Kind, Provider and
// Hint from the cleaned value. A nil env finds nothing.
func Discover(env *Env) []Candidate {
	if env == nil {
		return nil
	}
	d := discovery{env: env, home: absPath(env.Home), dir: absPath(cmpOr(env.Dir, "."))}
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
// without them, ANTHROPIC_API_KEY then ANTHROPIC_AUTH_TOKEN.
func ChooseActive(env *Env, c []Candidate, vars ...string) int {
	if env != nil && env.HasStdinKey {
		for i := range c {
			if c[i].Origin == OriginStdin {
				return i
			}
		}
	}
	if len(vars) == 0 {
		vars = []string{VarAPIKey, VarAuthToken}
	}
	for _, name := range vars {
		for i := range c {
			if c[i].Origin == OriginEnv && c[i].Var == name && c[i].Value != "" {
				return i
			}
		}
		best, bestDepth, bestRank := -1, -1, 0
		for i := range c {
			if c[i].Origin != OriginDotenv || c[i].Var != name || c[i].Value == "" {
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

// finish fills the derived fields of a candidate from its Value.
func finish(c Candidate) Candidate {
	c.Clean, c.Issues = Hygiene(c.Value)
	c.Kind, c.Provider = Classify(c.Clean)
	c.Hint = Hint(c.Clean)
	return c
}

// unresolved is a candidate whose value fix401 will not compute.
func unresolved(c Candidate, detail string) Candidate {
	c.Value, c.Clean, c.Hint, c.Kind, c.Provider = "", "", "(not evaluated)", KindUnknown, ""
	c.Issues = []Issue{{Code: IssueUnresolved, Detail: detail}}
	return c
}

type discovery struct {
	env       *Env
	home, dir string
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
// binary.
func readFile(path string) (data []byte, ok bool) {
	data, err := ReadRegular(path, MaxKeyFile+1)
	if err != nil {
		return nil, false
	}
	if len(data) > MaxKeyFile {
		data = data[:MaxKeyFile]
		if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
			data = data[:i+1]
		}
	}
	return data, !binary(data)
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

// dotenv walks from the project directory up and reads its .env files.
func (d *discovery) dotenv() []Candidate {
	var out []Candidate
	for dir := d.dir; ; {
		for _, name := range DotenvFiles {
			out = append(out, d.dotenvFile(filepath.Join(dir, name))...)
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil || dir == d.home {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return out
}

// dotenvLine matches an assignment line of a .env file the way godotenv
// and Node's dotenv read it: optional export, a name, '=' or ':'.
var dotenvLine = regexp.MustCompile(`^[ \t]*(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*[=:]`)

func (d *discovery) dotenvFile(path string) []Candidate {
	data, ok := readFile(path)
	if !ok {
		return nil
	}
	example := strings.HasSuffix(path, ".example") || strings.HasSuffix(path, ".sample")
	return d.scanDotenv(path, data, example)
}

type dotenvHit struct {
	c    Candidate
	name string
}

// scanDotenv finds the assignments in a .env file. The line scan gives the
// line number and the raw text; godotenv gives the value a loader returns.
func (d *discovery) scanDotenv(path string, data []byte, example bool) []Candidate {
	var hits []dotenvHit
	lineNo := 0
	for off := 0; off < len(data) && len(hits) < maxFileCandidates; {
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
	// The whole file, parsed as a loader parses it, decides the value of a
	// name's last assignment (variables expand from earlier lines).
	if whole, err := parseDotenv(data); err == nil {
		seen := map[string]bool{}
		for i := len(hits) - 1; i >= 0; i-- {
			if v, ok := whole[hits[i].name]; ok && !seen[hits[i].name] {
				hits[i].c.Value = v
			}
			seen[hits[i].name] = true
		}
	}
	var out []Candidate
	for _, h := range hits {
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

func parseDotenv(b []byte) (m map[string]string, err error) {
	defer func() {
		if recover() != nil {
			m, err = nil, fmt.Errorf("godotenv: panic")
		}
	}()
	return godotenv.UnmarshalBytes(b)
}

// dotenvValue is what a loader returns for one statement: godotenv's
// answer, or when godotenv rejects the line, the lenient reading of Node's
// dotenv (quotes removed, an unquoted value cut at " #").
func dotenvValue(stmt []byte, name string) string {
	if m, err := parseDotenv(stmt); err == nil {
		if v, ok := m[name]; ok {
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
		data, ok := readFile(path)
		if !ok {
			continue
		}
		if strings.HasSuffix(name, ".fish") {
			out = append(out, d.scanFish(path, data)...)
		} else {
			out = append(out, d.scanShell(path, data, lang)...)
		}
	}
	confd, _ := filepath.Glob(filepath.Join(d.home, ".config", "fish", "conf.d", "*.fish"))
	sort.Strings(confd)
	for _, path := range confd[:min(len(confd), 50)] {
		if data, ok := readFile(path); ok {
			out = append(out, d.scanFish(path, data)...)
		}
	}
	return out
}

// scanShell parses a POSIX-family start-up file and records the
// assignments of interest with the value the shell would assign. A file
// the parser rejects is read line by line instead.
func (d *discovery) scanShell(path string, data []byte, lang syntax.LangVariant) []Candidate {
	f, err := parseShell(data, path, lang)
	if err != nil && lang != syntax.LangBash {
		f, err = parseShell(data, path, syntax.LangBash)
	}
	if err != nil {
		return d.scanShellLines(path, data)
	}
	s := shellScan{d: d, path: path, src: data, locals: map[string]string{}}
	s.walk(f)
	return s.finish()
}

func parseShell(data []byte, name string, lang syntax.LangVariant) (f *syntax.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("shell parser: %v", r)
		}
	}()
	return syntax.NewParser(syntax.Variant(lang)).Parse(bytes.NewReader(data), name)
}

// shellScan records assignments while walking one parsed file.
type shellScan struct {
	d      *discovery
	path   string
	src    []byte
	locals map[string]string // variables assigned earlier in the file, for $NAME
	hits   []Candidate
	line   int // added to positions when src is one line of a larger file
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
	if a.Name == nil || a.Array != nil || a.Index != nil || len(s.hits) >= maxFileCandidates {
		return
	}
	name := a.Name.Value
	raw := ""
	if a.Value != nil {
		raw = string(s.src[a.Value.Pos().Offset():a.Value.End().Offset()])
	}
	value, ok := s.expand(a.Value)
	if ok && a.Value != nil {
		// bash on a CRLF file keeps the \r as the last character of the
		// word; the parser treats it as a line ending.
		tail := s.src[a.Value.End().Offset():]
		if (strings.HasSuffix(raw, "\r") || bytes.HasPrefix(tail, []byte("\r\n")) || string(tail) == "\r") && !strings.HasSuffix(value, "\r") {
			value += "\r"
		}
	}
	if a.Append {
		value = s.locals[name] + value
	}
	if ok {
		s.locals[name] = value
	} else {
		delete(s.locals, name)
	}
	if !interesting(name, raw) {
		return
	}
	line := int(a.Pos().Line()) + s.line
	c := Candidate{
		Source: s.d.label(s.path, line, false), Origin: OriginShell, Var: name,
		Path: s.path, Line: line, Exported: exported, Value: value, Raw: raw,
	}
	if ok {
		c = finish(c)
	} else {
		c = unresolved(c, "set by a command or from another variable; fix401 does not run it")
	}
	s.hits = append(s.hits, c)
}

// expand returns what the shell assigns for w, when that needs no command
// and only variables known from this file, the environment or $HOME.
func (s *shellScan) expand(w *syntax.Word) (v string, ok bool) {
	if w == nil {
		return "", true
	}
	known := func(name string) (string, bool) {
		if v, ok := s.locals[name]; ok {
			return v, true
		}
		if name == "HOME" && s.d.home != "" {
			return s.d.home, true
		}
		v, ok := s.d.env.Vars[name]
		return v, ok
	}
	ok = true
	syntax.Walk(w, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.CmdSubst, *syntax.ProcSubst, *syntax.ArithmExp:
			ok = false
		case *syntax.ParamExp:
			if x.Param == nil || x.NestedParam != nil {
				ok = false
			} else if _, k := known(x.Param.Value); !k && x.Exp == nil {
				ok = false
			}
		}
		return ok
	})
	if !ok {
		return "", false
	}
	defer func() {
		if recover() != nil {
			v, ok = "", false
		}
	}()
	cfg := &expand.Config{Env: expand.FuncEnviron(func(name string) string {
		v, _ := known(name)
		return v
	})}
	v, err := expand.Literal(cfg, w)
	return v, err == nil
}

func (s *shellScan) finish() []Candidate { return s.hits }

// shellAssign finds a plain or exported assignment at the start of a line.
var shellAssign = regexp.MustCompile(`^[ \t]*((export|declare[ \t]+-[a-zA-Z]*x[a-zA-Z]*|typeset[ \t]+-[a-zA-Z]*x[a-zA-Z]*)[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=`)

// scanShellLines is the fallback for a file the parser rejects (zsh-only
// syntax, a half-written line): each assignment line is parsed on its own.
func (d *discovery) scanShellLines(path string, data []byte) []Candidate {
	s := shellScan{d: d, path: path, locals: map[string]string{}}
	for i, line := range bytes.Split(data, []byte{'\n'}) {
		if len(s.hits) >= maxFileCandidates {
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
			s.hits = append(s.hits, unresolved(c, "the line does not parse as shell; fix401 could not tell its value"))
			continue
		}
		s.src, s.line = line, i
		s.walk(f)
	}
	return s.hits
}

// scanFish reads fish's "set -x NAME value" (and "export NAME=value").
func (d *discovery) scanFish(path string, data []byte) []Candidate {
	var out []Candidate
	for i, line := range bytes.Split(data, []byte{'\n'}) {
		if len(out) >= maxFileCandidates {
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
		data, ok := readFile(path)
		if !ok {
			continue
		}
		out = append(out, d.scanClaude(path, data)...)
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
	var out []Candidate
	for _, name := range append(names, others...) {
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
