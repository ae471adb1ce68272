// Package bounds holds the guards fix401 puts in front of parsers that
// could be driven past their limits by hostile input. It imports nothing
// of fix401, so every parser's package can use it.
package bounds

// MaxShellNesting is the deepest nesting of shell constructs fix401 hands
// to the mvdan.cc/sh parser, as ShellNesting estimates it. The parser
// recurses once per level (some 4 KiB of stack for a parenthesis), and a
// Go stack overflow is fatal, not a panic: 150,000 nested "(" crash the
// process. Text nested deeper is read another way (line by line) or
// reported as not parsed. Real start-up files and scripts nest a few
// levels; a thousand costs a few MiB of stack.
const MaxShellNesting = 1000

type frameKind uint8

const (
	fList    frameKind = iota // a command list: ( … ), { … }, $( … ), ` … `, if … fi
	fArith                    // (( … )), $(( … )) and the parentheses inside
	fTest                     // [[ … ]]
	fParam                    // ${ … }
	fDquote                   // " … "
	fHeredoc                  // a here-document body
)

type frame struct {
	kind  frameKind
	close string // what ends it: ")", "}", "`", "]]", "fi", "done", "esac", "\"" or a here-document's delimiter
	// Levels that are not brackets, counted on the frame they occur in:
	extra  int  // operators the parser reads by recursion: ! time coproc && || | in a list, every operator in (( )), [[ ]] and let; done at the statement's end
	funcs  int  // "name()" heads waiting for their body; done when a body closes
	held   int  // elif and else, which nest in the if; done when the frame closes
	let    bool // the statement is a let: its words are arithmetic
	dash   bool // here-document: <<- strips leading tabs before the delimiter
	quoted bool // here-document: quoted delimiter, the body is literal
}

type heredoc struct {
	delim  string
	dash   bool
	quoted bool
}

// ShellNesting returns an estimate, from above, of how deeply the shell
// (bash, zsh, POSIX) text src nests: subshells, groups, command and
// process substitutions, parameter expansions, double quotes, [[ ]] and
// arithmetic, if/case/loops, function heads, and the operators the parser
// reads by recursion (!, time, coproc, &&, ||, |, and every operator
// inside (( )), [[ ]] and let). It runs in one pass, allocates only per
// open level, and never recurses, so any input is safe to give it.
//
// It follows quoting (' " $' \), comments and here-documents the way the
// shell does, so a ")" inside quotes closes nothing; a closer that does
// not match the innermost open construct is ignored, and openers are
// counted generously (a word "if" in command position opens a level), so
// ordinary scripts may get a number higher than their true depth, never
// lower unless the shell and this scanner disagree on where a quote or
// comment starts.
func ShellNesting[T ~string | ~[]byte](src T) int {
	for i := 0; i < len(src); i++ {
		if src[i] == 0 { // the parser drops NUL bytes: "t\x00ime" is time
			clean := make([]byte, 0, len(src))
			for j := 0; j < len(src); j++ {
				if src[j] != 0 {
					clean = append(clean, src[j])
				}
			}
			return ShellNesting(clean)
		}
	}
	s := sh[T]{src: src, stack: []frame{{kind: fList}}}
	return s.run()
}

// sh is the scanner's state. stack[0] is the outermost list: it is not a
// level, but its operators are.
type sh[T ~string | ~[]byte] struct {
	src     T
	i       int
	stack   []frame
	depth   int // levels open now
	max     int
	pending []heredoc // here-documents whose bodies start at the next newline
}

func (s *sh[T]) top() *frame { return &s.stack[len(s.stack)-1] }

func (s *sh[T]) grow(n int) {
	s.depth += n
	s.max = max(s.max, s.depth)
}

func (s *sh[T]) push(f frame) {
	s.stack = append(s.stack, f)
	s.grow(1)
}

func (s *sh[T]) pop() {
	if len(s.stack) == 1 {
		return
	}
	f := s.top()
	s.depth -= 1 + f.extra + f.funcs + f.held
	s.stack = s.stack[:len(s.stack)-1]
	// A body just ended: the function heads before it are complete.
	p := s.top()
	s.depth -= p.funcs
	p.funcs = 0
}

// bump counts an operator that the parser reads by recursion.
func (s *sh[T]) bump() {
	s.top().extra++
	s.grow(1)
}

// reset ends a statement: its operators are done.
func (s *sh[T]) reset() {
	f := s.top()
	s.depth -= f.extra
	f.extra, f.let = 0, false
}

func (s *sh[T]) kind() frameKind { return s.top().kind }

func (s *sh[T]) closer() string { return s.top().close }

func (s *sh[T]) at(i int) byte {
	if i >= 0 && i < len(s.src) {
		return s.src[i]
	}
	return 0
}

func (s *sh[T]) has(i int, w string) bool {
	if i+len(w) > len(s.src) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if s.src[i+j] != w[j] {
			return false
		}
	}
	return true
}

// wordStart: the byte before i ends a word or starts a command.
func (s *sh[T]) wordStart(i int) bool {
	if i == 0 {
		return true
	}
	switch s.src[i-1] {
	case ' ', '\t', '\r', '\n', ';', '&', '|', '(', ')', '`', '{', '}':
		return true
	}
	return false
}

// skipBlanks returns the index of the first byte from i that is not a
// space or a tab.
func (s *sh[T]) skipBlanks(i int) int {
	for i < len(s.src) && (s.src[i] == ' ' || s.src[i] == '\t') {
		i++
	}
	return i
}

func wordEnd(c byte) bool {
	switch c {
	case 0, ' ', '\t', '\r', '\n', ';', '&', '|', '(', ')', '<', '>', '`':
		return true
	}
	return false
}

// word returns the lower-case word at i when nothing but a word end
// follows it: a keyword candidate.
func (s *sh[T]) word(i int) string {
	j := i
	for j < len(s.src) && j-i < 8 && s.src[j] >= 'a' && s.src[j] <= 'z' {
		j++
	}
	if !wordEnd(s.at(j)) {
		return ""
	}
	return string(s.src[i:j])
}

var openers = map[string]string{"if": "fi", "case": "esac", "while": "done", "until": "done", "for": "done", "select": "done", "repeat": "done", "foreach": "end"}

func (s *sh[T]) run() int {
	for s.i < len(s.src) {
		switch s.kind() {
		case fDquote:
			s.dquote()
		case fHeredoc:
			s.heredocLine()
		default:
			s.code()
		}
	}
	return s.max
}

// code reads one token in a list, [[ ]], (( )) or ${ }.
func (s *sh[T]) code() {
	k, c := s.kind(), s.src[s.i]
	if s.expansion() {
		return
	}
	switch {
	case c == '\\':
		s.i += 2
	case c == '\'':
		s.skipSingle(s.i + 1)
	case c == '"':
		s.i++
		s.push(frame{kind: fDquote, close: `"`})
	case c == '(' && k == fList && s.at(s.skipBlanks(s.i+1)) == ')':
		// f() f( ) f() { … } nests one function in the next
		s.i = s.skipBlanks(s.i+1) + 1
		s.top().funcs++
		s.grow(1)
	case c == '(':
		s.i++
		switch {
		case k != fList:
			s.push(frame{kind: k, close: ")"})
		case s.at(s.i) == '(':
			s.i++
			s.push(frame{kind: fList, close: ")"})
			s.push(frame{kind: fArith, close: ")"})
		default:
			s.push(frame{kind: fList, close: ")"})
		}
	case c == ')':
		s.i++
		if s.closer() == ")" {
			s.pop()
		}
	case c == '{' && k != fArith:
		s.i++
		s.push(frame{kind: fList, close: "}"})
	case c == '}':
		s.i++
		if s.closer() == "}" {
			s.pop()
		}
	case c == '[' && s.at(s.i+1) == '[' && k == fList:
		s.i += 2
		s.push(frame{kind: fTest, close: "]]"})
	case c == ']' && s.at(s.i+1) == ']' && k == fTest:
		s.i += 2
		s.pop()
	case c == '[' && k == fArith:
		s.i++
		s.push(frame{kind: fArith, close: "]"})
	case c == ']' && s.closer() == "]":
		s.i++
		s.pop()
	case k == fArith || k == fTest || k == fList && s.top().let && c != '\n' && c != ';':
		s.i++
		switch c {
		case '!', '?', '=', '~', '-', '+', '*', '/', '%', '<', '>', '&', '|', '^', ':', ',':
			s.bump()
		}
	case k == fParam:
		s.i++
	case c == '#' && s.wordStart(s.i):
		for s.i < len(s.src) && s.src[s.i] != '\n' {
			s.i++
		}
	case c == '\n':
		s.i++
		s.reset()
		s.startHeredocs()
	case c == ';' || c == '&' && s.at(s.i+1) != '&' && s.at(s.i-1) != '&':
		s.i++
		s.reset()
	case c == '|' || c == '&':
		s.i++
		if s.at(s.i) == c {
			s.i++
		}
		s.bump()
	case c == '!' && s.wordStart(s.i) && wordEnd(s.at(s.i+1)):
		s.i++
		s.bump()
	case c == '<' && s.has(s.i, "<<<"):
		s.i += 3
	case c == '<' && s.has(s.i, "<<"):
		s.readHeredoc()
	case c >= 'a' && c <= 'z' && s.wordStart(s.i):
		w := s.word(s.i)
		switch {
		case openers[w] != "":
			s.push(frame{kind: fList, close: openers[w]})
		case w == "time" || w == "coproc":
			s.bump()
		case w == "let":
			s.top().let = true
		case w == "elif" || w == "else":
			s.top().held++
			s.grow(1)
		case w != "" && w == s.closer():
			s.pop()
		}
		s.i += max(len(w), 1) // a keyword, or one letter of a longer word
	default:
		s.i++
	}
}

// expansion reads $( $(( $[ ${ $' and ` where they start, in any context
// but a quoted here-document.
func (s *sh[T]) expansion() bool {
	c := s.src[s.i]
	switch {
	case c == '$' && s.at(s.i+1) == '(':
		s.i += 2
		s.push(frame{kind: fList, close: ")"})
		if s.at(s.i) == '(' {
			s.i++
			s.push(frame{kind: fArith, close: ")"})
		}
	case c == '$' && s.at(s.i+1) == '[':
		s.i += 2
		s.push(frame{kind: fArith, close: "]"})
	case c == '$' && s.at(s.i+1) == '{':
		s.i += 2
		s.push(frame{kind: fParam, close: "}"})
	case c == '$' && s.at(s.i+1) == '\'' && s.kind() != fDquote && s.kind() != fHeredoc:
		s.i += 2
		for s.i < len(s.src) && s.src[s.i] != '\'' {
			if s.src[s.i] == '\\' {
				s.i++
			}
			s.i++
		}
		s.i++
	case c == '`':
		s.i++
		if s.closer() == "`" {
			s.pop()
		} else {
			s.push(frame{kind: fList, close: "`"})
		}
	default:
		return false
	}
	return true
}

func (s *sh[T]) skipSingle(from int) {
	s.i = from
	for s.i < len(s.src) && s.src[s.i] != '\'' {
		s.i++
	}
	s.i++
}

func (s *sh[T]) dquote() {
	if s.expansion() {
		return
	}
	switch s.src[s.i] {
	case '\\':
		s.i += 2
	case '"':
		s.i++
		s.pop()
	default:
		s.i++
	}
}

// readHeredoc reads the operator and delimiter of a here-document; its
// body starts at the next newline.
func (s *sh[T]) readHeredoc() {
	s.i += 2
	h := heredoc{}
	if s.at(s.i) == '-' {
		h.dash = true
		s.i++
	}
	for s.at(s.i) == ' ' || s.at(s.i) == '\t' {
		s.i++
	}
	var delim []byte
	for s.i < len(s.src) && !wordEnd(s.src[s.i]) {
		switch c := s.src[s.i]; c {
		case '\'', '"':
			h.quoted = true
			for s.i++; s.i < len(s.src) && s.src[s.i] != c; s.i++ {
				delim = append(delim, s.src[s.i])
			}
			s.i++
		case '\\':
			h.quoted = true
			if s.i+1 < len(s.src) {
				delim = append(delim, s.src[s.i+1])
			}
			s.i += 2
		default:
			delim = append(delim, c)
			s.i++
		}
	}
	if len(delim) > 0 {
		h.delim = string(delim)
		s.pending = append(s.pending, h)
	}
}

// startHeredocs opens the bodies announced on the line just ended, the
// first on top.
func (s *sh[T]) startHeredocs() {
	for j := len(s.pending) - 1; j >= 0; j-- {
		h := s.pending[j]
		s.push(frame{kind: fHeredoc, close: h.delim, dash: h.dash, quoted: h.quoted})
	}
	s.pending = s.pending[:0]
}

// heredocLine reads a here-document body from s.i: at a line's start, the
// delimiter ends it; an unquoted body expands $( ${ and `.
func (s *sh[T]) heredocLine() {
	f := s.stack[len(s.stack)-1]
	if s.i == 0 || s.src[s.i-1] == '\n' {
		j := s.i
		if f.dash {
			for s.at(j) == '\t' {
				j++
			}
		}
		if s.has(j, f.close) && (j+len(f.close) == len(s.src) || s.src[j+len(f.close)] == '\n') {
			s.i = j + len(f.close)
			s.pop()
			return
		}
	}
	if !f.quoted {
		if s.expansion() {
			return
		}
		if s.src[s.i] == '\\' {
			s.i += 2
			return
		}
	}
	s.i++
}
