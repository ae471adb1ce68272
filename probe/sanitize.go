package probe

import (
	"encoding/json"
	"io"
	"unicode/utf8"
)

// Sanitize returns s as fix401 may print it: text that cannot drive a
// terminal or disguise itself, whatever a project file, a variable or a
// server put in it. It drops
//
//   - escape sequences whole: CSI (ESC [ … final byte), OSC, DCS, SOS, PM
//     and APC strings with their terminator (BEL, ESC \ or ST), the
//     two-byte and nF sequences (ESC c, ESC 7, ESC ( B), and a lone ESC. A
//     string left open (another control character, or the end, comes
//     before a terminator) loses only its introducer: a stray introducer
//     at the end of one value cannot hide the text that follows it;
//   - the C0 controls other than newline and tab (CR and DEL too);
//   - the C1 controls U+0080–U+009F, with the sequence that follows CSI,
//     OSC, DCS, SOS, PM and APC in their 8-bit form;
//   - bidirectional formatting: U+202A–U+202E, U+2066–U+2069, U+200E,
//     U+200F and U+061C;
//   - the invisible characters that can split a key so the redactor no
//     longer sees it: U+200B, U+2060, U+FEFF.
//
// Bytes that are not UTF-8 become U+FFFD: a raw 0x9B is CSI to a terminal
// that is not in UTF-8 mode. Everything else is kept as it is.
//
// Every output passes Sanitize through Redactor.String (or, for text fix401
// styled itself, Redactor.Styled).
func Sanitize(s string) string { return sanitize(s, false) }

// sanitize is Sanitize; with keepSGR it keeps the colour and weight
// sequences (ESC [ digits m) that fix401's own styles emit.
func sanitize(s string, keepSGR bool) string {
	if safe(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == 0x1b:
				j := escEnd(s, i)
				if keepSGR && isSGR(s[i:j]) {
					b = append(b, s[i:j]...)
				}
				i = j
			case c == '\n' || c == '\t' || c >= 0x20 && c != 0x7f:
				b = append(b, c)
				i++
			default:
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, "\uFFFD"...)
		case r == 0x9b: // CSI
			i = csiEnd(s, i+size)
			continue
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // DCS, SOS, OSC, PM, APC
			i = stringEnd(s, i+size)
			continue
		case dropRune(r):
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// safe reports whether s has nothing for sanitize to do.
func safe(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || dropRune(r) {
			return false
		}
		i += size
	}
	return true
}

// dropRune reports whether r is a C1 control, a bidirectional control or
// a character that hides inside a key.
func dropRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200b, r == 0x2060, r == 0xfeff:
		return true
	}
	return false
}

// escEnd returns the index just past the escape sequence that starts at
// s[i] (an ESC).
func escEnd(s string, i int) int {
	if i+1 >= len(s) {
		return i + 1
	}
	switch n := s[i+1]; {
	case n == '[':
		return csiEnd(s, i+2)
	case n == ']' || n == 'P' || n == 'X' || n == '^' || n == '_':
		return stringEnd(s, i+2)
	case n >= 0x20 && n <= 0x2f: // nF: intermediates, then a final byte
		j := i + 1
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
			j++
		}
		return j
	case n >= 0x30 && n <= 0x7e: // Fp, Fe, Fs: ESC 7, ESC M, ESC c
		return i + 2
	}
	return i + 1 // ESC before a control or a non-ASCII byte: only the ESC goes
}

// csiEnd returns the index past a control sequence whose parameters start
// at j: parameter bytes, intermediate bytes, one final byte. A sequence
// cut short ends where it stops.
func csiEnd(s string, j int) int {
	for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
		j++
	}
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
		j++
	}
	if j < len(s) && s[j] >= 0x40 && s[j] <= 0x7e {
		j++
	}
	return j
}

// stringEnd returns the index past a control string (OSC, DCS, SOS, PM,
// APC) whose body starts at body: past its terminator (BEL, ESC \, ST).
// A string that another control character or the end of s interrupts
// first is left open: stringEnd returns body, so that only the introducer
// goes and the body stays as text.
func stringEnd(s string, body int) int {
	for j := body; j < len(s); j++ {
		switch c := s[j]; {
		case c == 0x07:
			return j + 1
		case c == 0x1b:
			if j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
			return body
		case c < 0x20 || c == 0x7f:
			return body
		case c == 0xc2 && j+1 < len(s) && s[j+1] >= 0x80 && s[j+1] <= 0x9f: // a C1 control
			if s[j+1] == 0x9c { // ST
				return j + 2
			}
			return body
		}
	}
	return body
}

// isSGR reports whether seq is a Select Graphic Rendition sequence: colour,
// bold, faint, reset.
func isSGR(seq string) bool {
	if len(seq) < 3 || seq[0] != 0x1b || seq[1] != '[' || seq[len(seq)-1] != 'm' {
		return false
	}
	for i := 2; i < len(seq)-1; i++ {
		if c := seq[i]; (c < '0' || c > '9') && c != ';' && c != ':' {
			return false
		}
	}
	return true
}

// mapJSONStrings applies f to every string of an encoded JSON document,
// keys included, and returns the document with each string that f changed
// encoded again the way encoding/json encodes it; everything else is left
// byte for byte. It works on the decoded text: a control character is
// escaped inside a JSON string (\u001b), and a secret may stand right after
// an escape (\n), so the encoded text is not what a reader gets.
func mapJSONStrings(doc []byte, f func(string) string) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(doc); i++ {
		if doc[i] != '"' {
			continue
		}
		j, escaped := i+1, false
		for ; j < len(doc) && doc[j] != '"'; j++ {
			if doc[j] == '\\' {
				escaped = true
				j++
			}
		}
		if j >= len(doc) {
			break
		}
		s := string(doc[i+1 : j])
		ok := true
		if escaped {
			ok = json.Unmarshal(doc[i:j+1], &s) == nil
		}
		if c := f(s); ok && c != s {
			if enc, err := json.Marshal(c); err == nil {
				out = append(append(out, doc[last:i]...), enc...)
				last = j + 1
			}
		}
		i = j
	}
	if out == nil {
		return doc
	}
	return append(out, doc[last:]...)
}

// writer passes every Write through a Redactor.
type writer struct {
	red *Redactor
	w   io.Writer
}

func (w writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, w.red.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
