package probe

// The shell source: start-up files under the home directory (POSIX
// shells and fish), read the way the shell would assign, never run.

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/fix401/fix401/probe/bounds"
)

// ShellFiles are the start-up files Discover reads under the home
// directory. The zsh files are read from $ZDOTDIR when it is set.
var ShellFiles = []string{
	".bashrc", ".bash_profile", ".bash_login", ".profile",
	".zshrc", ".zshenv", ".zprofile", ".zlogin",
	".config/fish/config.fish",
}

// shellSource yields the assignments of the shell start-up files under
// the home directory; without a home directory it finds nothing.
type shellSource struct{}

func (shellSource) Name() string { return string(OriginShell) }

func (shellSource) Find(d *discovery) []Candidate {
	if d.home == "" {
		return nil
	}
	return d.shell()
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
	if !s.d.wants(name, raw) {
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
		if m == nil || !d.wants(string(line[m[6]:m[7]]), string(line[m[1]:])) {
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
		if !d.wants(name, raw) {
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
