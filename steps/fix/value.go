package fix

import (
	"bytes"
	"strings"

	"github.com/fix401/fix401/probe"
)

// span is where one assignment's value sits in a file's text.
type span struct {
	nameAt   int  // offset of the variable's name on the first line
	from, to int  // the key's bytes: inside the quotes when quoted
	quote    byte // the key is inside these quotes
	wrap     byte // a key written here is to be put in these quotes
	lastLine int  // the line the statement ends on (a quoted value may run over several)
}

// fish reports whether path is a fish file, where "set -x NAME value"
// assigns.
func fish(path string) bool { return strings.HasSuffix(path, ".fish") }

// locate finds c's assignment in f: the name on c.Line, and the value that
// follows, as the file's own syntax quotes it. ok is false when the line
// no longer holds what discovery read there.
func (f *fileEdit) locate(c *probe.Candidate) (s span, ok bool) {
	line, start, ok := f.line(c.Line)
	if !ok || c.Var == "" {
		return span{}, false
	}
	name := nameIndex(line, c.Var)
	if name < 0 {
		return span{}, false
	}
	s.nameAt = start + name
	// Where the value starts: after '=' or ':' (shell, .env), or after the
	// name and blanks (fish's set).
	at := name + len(c.Var)
	if fish(f.path) && (at >= len(line) || line[at] != '=') {
		for at < len(line) && (line[at] == ' ' || line[at] == '\t') {
			at++
		}
	} else {
		for at < len(line) && (line[at] == ' ' || line[at] == '\t') && c.Origin == probe.OriginDotenv {
			at++
		}
		if at >= len(line) || line[at] != '=' && !(line[at] == ':' && c.Origin == probe.OriginDotenv) {
			return span{}, false
		}
		at++
		for at < len(line) && (line[at] == ' ' || line[at] == '\t') && c.Origin == probe.OriginDotenv {
			at++
		}
	}
	vs := start + at
	raw := c.Raw
	if c.Origin != probe.OriginShell || fish(f.path) {
		raw = strings.TrimLeft(raw, " \t") // the blanks after '=' were skipped
	}
	if !bytes.HasPrefix(f.text[vs:], []byte(raw)) {
		return span{}, false
	}
	s.from, s.to = vs, vs
	rest := f.text[vs:]
	switch {
	case c.Origin == probe.OriginShell && !fish(f.path):
		// The parser gave the word's source: Raw.
		raw := []byte(raw)
		end := vs + len(raw)
		if len(raw) > 1 && (raw[0] == '"' || raw[0] == '\'') && closing(raw, raw[0] == '"') == len(raw)-1 {
			s.quote, s.from, s.to = raw[0], vs+1, end-1
		} else {
			if len(raw) > 0 && (raw[0] == '"' || raw[0] == '\'') {
				s.wrap = raw[0]
			}
			s.to = end
			// bash keeps a CRLF file's \r in the value: it goes with the
			// stray characters.
			if bytes.HasPrefix(f.text[end:], []byte("\r\n")) || string(f.text[end:]) == "\r" {
				s.to++
			}
		}
	case len(rest) > 0 && (rest[0] == '"' || rest[0] == '\''):
		q := closing(rest, rest[0] == '"' || fish(f.path)) // fish escapes \' too
		if c.Origin == probe.OriginDotenv {
			q = dotenvClosing(rest)
		}
		if q < 0 {
			return span{}, false
		}
		s.quote, s.from, s.to = rest[0], vs+1, vs+q
	default:
		end := bytes.IndexByte(rest, '\n')
		if end < 0 {
			end = len(rest)
		}
		tok := rest[:end]
		if c.Origin == probe.OriginDotenv {
			if i := bytes.Index(tok, []byte(" #")); i >= 0 {
				tok = tok[:i]
			}
			tok = bytes.TrimRight(tok, " \t\r")
		} else {
			n := 0
			for n < len(tok) && !wordEnd(tok[n]) {
				n++
			}
			tok = tok[:n]
		}
		s.to = vs + len(tok)
	}
	s.lastLine = c.Line + bytes.Count(f.text[start:s.to], []byte{'\n'})
	return s, true
}

// wordEnd reports whether b ends an unquoted fish word on its line.
func wordEnd(b byte) bool {
	switch b {
	case ' ', '\t', '\n', ';', '&', '|', '#', ')', '\r':
		return true
	}
	return false
}

// closing returns the index of the quote that closes s[0], or -1;
// escaped says a backslash escapes the quote (double quotes, and every
// quote in a .env file).
func closing(s []byte, escaped bool) int {
	for i := 1; i < len(s); i++ {
		if s[i] == '\\' && escaped && i+1 < len(s) {
			i++
			continue
		}
		if s[i] == s[0] {
			return i
		}
	}
	return -1
}

// dotenvClosing returns the index of the quote that closes s[0] the way
// discovery (and godotenv) read it: the first one not right after a
// backslash; -1 when none does.
func dotenvClosing(s []byte) int {
	for i := 1; i < len(s); i++ {
		if s[i] == s[0] && s[i-1] != '\\' {
			return i
		}
	}
	return -1
}

// nameIndex finds name on a line as a whole word followed by '=', ':',
// '+' or a blank, or -1.
func nameIndex(line []byte, name string) int {
	for off := 0; ; {
		i := bytes.Index(line[off:], []byte(name))
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(name)
		before := i == 0 || !identByte(line[i-1])
		after := end < len(line) && strings.IndexByte("=: \t", line[end]) >= 0
		if before && after {
			return i
		}
		off = i + 1
	}
}

func identByte(b byte) bool {
	return b == '_' || b == '.' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}
