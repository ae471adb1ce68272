package probe

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// dotenvResult is a .env file as a loader reads it: each name's value, or
// why its value was not computed.
type dotenvResult struct {
	vals map[string]string
	over map[string]string // name → why the value was not computed
}

// parseDotenv reads .env text the way godotenv v1.5.1's UnmarshalBytes
// does (github.com/joho/godotenv, MIT licence; this is a port of its
// parser.go): the same statements, quotes, comments, escapes, and
// ${VAR} / $VAR expansion from earlier lines. Only the expansion differs,
// and only past a bound: a value that would grow past MaxValue, read
// through more than MaxExpansionDepth variables, or take the file's
// expansions past MaxExpandedTotal is not computed; its name maps to the
// reason in over, and so does any later value that reads it (with the
// same reason). Like
// godotenv, it stops at the first statement it cannot read and returns
// an error.
func parseDotenv(src []byte) (dotenvResult, error) {
	p := dotenvParser{
		res:   dotenvResult{vals: map[string]string{}, over: map[string]string{}},
		depth: map[string]int{},
	}
	err := p.parse(src)
	return p.res, err
}

type dotenvParser struct {
	res   dotenvResult
	depth map[string]int // how many variables deep each value reads
	b     budget
}

func (p *dotenvParser) parse(src []byte) error {
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	cutset := src
	for {
		cutset = dotenvStatementStart(cutset)
		if cutset == nil {
			return nil
		}
		key, left, err := dotenvKeyName(cutset)
		if err != nil {
			return err
		}
		value, depth, why, left, err := p.value(left)
		if err != nil {
			return err
		}
		if why != "" {
			delete(p.res.vals, key)
			p.res.over[key] = why
		} else {
			delete(p.res.over, key)
			p.res.vals[key] = value
			p.depth[key] = depth
		}
		cutset = left
	}
}

// dotenvStatementStart skips blank space and comment lines.
func dotenvStatementStart(src []byte) []byte {
	for {
		pos := bytes.IndexFunc(src, func(r rune) bool { return !unicode.IsSpace(r) })
		if pos == -1 {
			return nil
		}
		src = src[pos:]
		if src[0] != '#' {
			return src
		}
		pos = bytes.IndexByte(src, '\n')
		if pos == -1 {
			return nil
		}
		src = src[pos:]
	}
}

// dotenvKeyName reads the name of a statement and returns the rest.
func dotenvKeyName(src []byte) (key string, cutset []byte, err error) {
	src = bytes.TrimLeftFunc(src, dotenvSpace)
	if trimmed, ok := bytes.CutPrefix(src, []byte("export")); ok && bytes.IndexFunc(trimmed, dotenvSpace) == 0 {
		src = bytes.TrimLeftFunc(trimmed, dotenvSpace)
	}
	offset := 0
loop:
	for i, char := range src {
		r := rune(char)
		if dotenvSpace(r) {
			continue
		}
		switch char {
		case '=', ':':
			key = string(src[0:i])
			offset = i + 1
			break loop
		case '_':
		default:
			if unicode.IsLetter(r) || unicode.IsNumber(r) || r == '.' {
				continue
			}
			return "", nil, fmt.Errorf("unexpected character %q in variable name", string(char))
		}
	}
	if len(src) == 0 {
		return "", nil, errors.New("zero length string")
	}
	key = strings.TrimRightFunc(key, unicode.IsSpace)
	return key, bytes.TrimLeftFunc(src[offset:], dotenvSpace), nil
}

// value reads a statement's value: what it expands to and how deep it
// reads, or why it was not computed.
func (p *dotenvParser) value(src []byte) (value string, depth int, why string, rest []byte, err error) {
	if len(src) == 0 || src[0] != '"' && src[0] != '\'' {
		end := bytes.IndexFunc(src, func(r rune) bool { return r == '\n' || r == '\r' })
		if end == -1 {
			end = len(src)
			if end == 0 {
				return "", 0, "", nil, nil
			}
		}
		line := []rune(string(src[:end]))
		endOfVar := len(line)
		if endOfVar == 0 {
			return "", 0, "", src[end:], nil
		}
		for i := endOfVar - 1; i >= 0; i-- {
			if line[i] == '#' && i > 0 && dotenvSpace(line[i-1]) {
				endOfVar = i
				break
			}
		}
		value, depth, why = p.expand(strings.TrimFunc(string(line[:endOfVar]), dotenvSpace))
		return value, depth, why, src[end:], nil
	}
	quote := src[0]
	for i := 1; i < len(src); i++ {
		if src[i] != quote || src[i-1] == '\\' {
			continue
		}
		isQuote := func(r rune) bool { return r == rune(quote) }
		value = string(bytes.TrimLeftFunc(bytes.TrimRightFunc(src[:i], isQuote), isQuote))
		if quote == '"' {
			value, depth, why = p.expand(dotenvEscapes(value))
		}
		return value, depth, why, src[i+1:], nil
	}
	return "", 0, "", nil, errors.New("unterminated quoted value")
}

var (
	dotenvEscapeRe   = regexp.MustCompile(`\\.`)
	dotenvExpandRe   = regexp.MustCompile(`(\\)?(\$)(\()?\{?([A-Z0-9_]+)?\}?`)
	dotenvUnescapeRe = regexp.MustCompile(`\\([^$])`)
)

func dotenvEscapes(s string) string {
	out := dotenvEscapeRe.ReplaceAllStringFunc(s, func(m string) string {
		switch strings.TrimPrefix(m, `\`) {
		case "n":
			return "\n"
		case "r":
			return "\r"
		}
		return m
	})
	return dotenvUnescapeRe.ReplaceAllString(out, "$1")
}

// expand replaces $NAME and ${NAME} with the values of earlier lines, as
// godotenv does, within the file's budget: the first pass only measures,
// so a value past the budget is never built.
func (p *dotenvParser) expand(v string) (out string, depth int, why string) {
	size := len(v)
	for m := range p.refs(v) {
		switch {
		case m.name != "":
			if why, over := p.res.over[m.name]; over {
				return "", 0, why // a value that reads it would be past the same bound
			}
			depth = max(depth, p.depth[m.name]+1)
			size += len(p.res.vals[m.name]) - len(m.text)
		case m.unescape:
			size--
		}
	}
	if depth > 0 {
		if why := p.b.take(size, depth, size-len(v)); why != "" {
			return "", 0, why
		}
	}
	var b strings.Builder
	b.Grow(size)
	pos := 0
	for m := range p.refs(v) {
		b.WriteString(v[pos:m.start])
		switch {
		case m.name != "":
			b.WriteString(p.res.vals[m.name])
		case m.unescape:
			b.WriteString(m.text[1:])
		default:
			b.WriteString(m.text)
		}
		pos = m.start + len(m.text)
	}
	b.WriteString(v[pos:])
	return b.String(), depth, ""
}

// dotenvRef is one match of godotenv's expansion pattern: a variable to
// expand (name), an escaped \$ or $( that loses its first byte
// (unescape), or text that stays.
type dotenvRef struct {
	start    int
	text     string
	name     string
	unescape bool
}

// refs yields the matches of the expansion pattern in v, read as godotenv
// reads each: the submatches of the match on its own.
func (p *dotenvParser) refs(v string) func(func(dotenvRef) bool) {
	return func(yield func(dotenvRef) bool) {
		for pos := 0; pos < len(v); {
			loc := dotenvExpandRe.FindStringIndex(v[pos:])
			if loc == nil {
				return
			}
			r := dotenvRef{start: pos + loc[0], text: v[pos+loc[0] : pos+loc[1]]}
			pos += loc[1]
			if sub := dotenvExpandRe.FindStringSubmatch(r.text); sub != nil {
				r.unescape = sub[1] == `\` || sub[2] == "("
				if !r.unescape {
					r.name = sub[4]
				}
			}
			if !yield(r) {
				return
			}
		}
	}
}

// dotenvSpace is godotenv's isSpace: blank space but not a line break.
func dotenvSpace(r rune) bool {
	switch r {
	case '\t', '\v', '\f', '\r', ' ', 0x85, 0xA0:
		return true
	}
	return false
}
