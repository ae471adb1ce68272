package fix

import (
	"bytes"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps"
)

// fileEdit collects the edits planned for one file. Edits are byte-range
// replacements on the file's text as discovery read it (decoded, so line
// numbers match the candidates'); they are applied together, last first,
// so no edit moves another.
type fileEdit struct {
	path   string
	before []byte // the bytes read; nil when the file does not exist yet
	text   []byte // before, decoded
	enc    string // before's encoding (probe.Enc*)
	reenc  bool   // write the text as plain UTF-8 (drop the BOM, leave UTF-16)
	starts []int  // byte offset of each line's start in text
	edits  []edit
	mode   fs.FileMode
	why    []Reason
}

// edit replaces text[start:end] with with.
type edit struct {
	start, end int
	with       string
}

func newFileEdit(path string, before []byte) *fileEdit {
	f := &fileEdit{path: path, before: before}
	f.text, f.enc = probe.Decode(before)
	f.starts = []int{0}
	for i, b := range f.text {
		if b == '\n' {
			f.starts = append(f.starts, i+1)
		}
	}
	return f
}

// lines returns the number of lines of the text.
func (f *fileEdit) lines() int {
	n := len(f.starts)
	if n > 1 && f.starts[n-1] == len(f.text) {
		n-- // a final newline opens no line
	}
	return n
}

// line returns line n (1-based) without its newline, and its start offset;
// ok is false past the end.
func (f *fileEdit) line(n int) (text []byte, start int, ok bool) {
	if n < 1 || n > len(f.starts) || f.starts[n-1] > len(f.text) {
		return nil, 0, false
	}
	start = f.starts[n-1]
	end := len(f.text)
	if n < len(f.starts) {
		end = f.starts[n] - 1
	}
	if start == end && n == len(f.starts) && n > 1 {
		return nil, 0, false
	}
	return f.text[start:end], start, true
}

// add plans one edit; it refuses an edit that overlaps one already
// planned, except an insert at the same offset as another insert.
func (f *fileEdit) add(e edit) bool {
	for _, o := range f.edits {
		if e.start < o.end && o.start < e.end || e.start == o.start && (e.start != e.end || o.start != o.end) {
			return false
		}
		if e.start == e.end && e.start > o.start && e.start < o.end {
			return false
		}
	}
	f.edits = append(f.edits, e)
	return true
}

// commented reports whether a line already starts with a comment.
func (f *fileEdit) commented(n int) bool {
	l, _, ok := f.line(n)
	return ok && bytes.HasPrefix(bytes.TrimLeft(l, " \t"), []byte("#"))
}

// commentOut plans a "# " before lines from..to, the first with the
// stamp that says who disabled it and when. It returns false when any of
// the lines is missing or already edited.
//
// In a POSIX shell file (block), an indented line is likely the body of
// an if or a function, which must not be left empty: it becomes
// "true # …", a command that does nothing, after its indentation.
func (f *fileEdit) commentOut(from, to int, stamp string, block bool) bool {
	var es []edit
	for n := from; n <= to; n++ {
		l, start, ok := f.line(n)
		if !ok {
			return false
		}
		prefix := "# "
		if n == from {
			prefix = "# " + stamp + ": "
			if indent := len(l) - len(bytes.TrimLeft(l, " \t")); block && indent > 0 {
				start += indent
				prefix = "true " + prefix
			}
		}
		es = append(es, edit{start: start, end: start, with: prefix})
	}
	for _, e := range es {
		for _, o := range f.edits {
			if o.start == e.start && o.end == e.end && o.with == e.with {
				return true // planned already, by another finding
			}
		}
	}
	saved := slices.Clone(f.edits)
	for _, e := range es {
		if !f.add(e) {
			f.edits = saved
			return false
		}
	}
	return true
}

// after returns the whole file with every planned edit made.
func (f *fileEdit) after() []byte {
	// Last first; of two inserts at one offset, the one planned first
	// stays first.
	es := slices.Clone(f.edits)
	slices.Reverse(es)
	slices.SortStableFunc(es, func(a, b edit) int { return b.start - a.start })
	out := slices.Clone(f.text)
	for _, e := range es {
		out = slices.Concat(out[:e.start], []byte(e.with), out[e.end:])
	}
	if f.before == nil {
		return out
	}
	if !f.reenc && f.enc != probe.EncUTF8 {
		if len(es) == 0 {
			return slices.Clone(f.before)
		}
		if f.enc == probe.EncUTF8BOM {
			return slices.Concat([]byte{0xEF, 0xBB, 0xBF}, out)
		}
	}
	return out
}

// change returns the Change, or false when nothing changes.
func (f *fileEdit) change() (Change, bool) {
	after := f.after()
	if f.before != nil && bytes.Equal(after, f.before) && f.mode == 0 {
		return Change{}, false
	}
	return Change{Path: f.path, Before: f.before, After: after, Mode: f.mode, Why: f.why}, true
}

// appendLine plans line (ending in a newline) at the end of the file.
func (f *fileEdit) appendLine(line string) bool {
	if bytes.Contains(f.text, []byte("\r\n")) {
		line = strings.TrimSuffix(line, "\n") + "\r\n" // the file's own line ends
	}
	at := len(f.text)
	if at > 0 && f.text[at-1] != '\n' {
		fresh := true
		for _, e := range f.edits {
			fresh = fresh && !(e.start == at && e.end == at)
		}
		if fresh {
			line = lineEnd(f.text) + line
		}
	}
	for _, e := range f.edits {
		if e.start == at && e.end == at && strings.HasSuffix("\n"+e.with, "\n"+strings.TrimLeft(line, "\r\n")) {
			return true
		}
	}
	return f.add(edit{start: at, end: at, with: line})
}

// because adds a reason, once.
func (f *fileEdit) because(code steps.Code, format string, args ...any) {
	r := Reason{Code: code, Title: fmt.Sprintf(format, args...)}
	if !slices.Contains(f.why, r) {
		f.why = append(f.why, r)
	}
}

// lineEnd is the file's line ending: \r\n when it has one, else \n.
func lineEnd(text []byte) string {
	if bytes.Contains(text, []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}
