package apply

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"

	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps/fix"
)

// Diff returns the change as a unified diff (three lines of context), every
// line passed through red so a key shows only as its hint. What the
// terminal would not show is named instead: a line's invisible characters
// and stray carriage return in brackets after it, a byte-order mark or a
// UTF-16 encoding in a note under the header, a new mode as "mode 0644 →
// 0600". A change that changes nothing returns "".
func Diff(c fix.Change, red *probe.Redactor) string {
	before, encBefore := probe.Decode(c.Before)
	after, encAfter := probe.Decode(c.After)
	var b strings.Builder
	from := c.Path
	if c.Before == nil {
		from = "/dev/null"
	}
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", red.String(from), red.String(c.Path))
	header := b.Len()
	if c.Before == nil {
		mode := c.Mode.Perm()
		if mode == 0 {
			mode = newFileMode(c.Path)
		}
		fmt.Fprintf(&b, "(new file, mode %04o)\n", mode)
	}
	if encBefore != encAfter {
		fmt.Fprintf(&b, "(encoding: %s → %s)\n", encName(encBefore), encName(encAfter))
	}
	if m := modeChange(c); m != "" {
		b.WriteString(m + "\n")
	}
	crlf := allCRLF(before) && allCRLF(after) && bytes.Contains(before, []byte("\r\n"))
	if !bytes.Equal(before, after) {
		edits := udiff.Bytes(before, after)
		u, err := udiff.ToUnifiedDiff(c.Path, c.Path, string(before), edits, udiff.DefaultContextLines)
		if err != nil {
			// Cannot happen (the edits come from the same text); say so
			// rather than show half a diff.
			fmt.Fprintf(&b, "(no diff: %v)\n", err)
		}
		if crlf && len(u.Hunks) > 0 {
			b.WriteString("(CRLF line ends, kept)\n")
		}
		for _, h := range u.Hunks {
			writeHunk(&b, h, crlf, red)
		}
	}
	if b.Len() == header {
		return ""
	}
	return b.String()
}

func writeHunk(b *strings.Builder, h *udiff.Hunk, crlf bool, red *probe.Redactor) {
	from, to := 0, 0
	for _, l := range h.Lines {
		switch l.Kind {
		case udiff.Delete:
			from++
		case udiff.Insert:
			to++
		default:
			from++
			to++
		}
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", span(h.FromLine, from), span(h.ToLine, to))
	for _, l := range h.Lines {
		mark := " "
		switch l.Kind {
		case udiff.Delete:
			mark = "-"
		case udiff.Insert:
			mark = "+"
		}
		text, eol := strings.CutSuffix(l.Content, "\n")
		if crlf {
			text = strings.TrimSuffix(text, "\r")
		}
		line := mark + red.String(text)
		if l.Kind != udiff.Equal {
			if inv := invisibles(text); inv != "" {
				line += "  [" + inv + "]"
			}
		}
		b.WriteString(line + "\n")
		if !eol {
			b.WriteString("\\ No newline at end of file\n")
		}
	}
}

// span is a hunk's range the way diff -u writes it.
func span(start, n int) string {
	switch {
	case n == 0 && start > 0:
		return fmt.Sprintf("%d,0", start-1)
	case n == 0:
		return "0,0"
	case n == 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

// invisibles names the characters of s a terminal would not show, or
// that Sanitize drops, once each: "CR, U+200B".
func invisibles(s string) string {
	var names []string
	add := func(n string) {
		for _, have := range names {
			if have == n {
				return
			}
		}
		names = append(names, n)
	}
	for i, r := range s {
		switch {
		case r == '\r':
			add("CR")
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			add("not UTF-8")
		case r == '\t', r == ' ':
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
			add(fmt.Sprintf("control %#02x", r))
		case probe.Sanitize(string(r)) != string(r), r == 0xA0, r == 0x2028, r == 0x2029:
			add(fmt.Sprintf("U+%04X", r))
		}
	}
	if t := strings.TrimRight(s, " \t"); t != s && t != "" {
		add("trailing space")
	}
	return strings.Join(names, ", ")
}

// allCRLF: every line of text that ends ends in CRLF.
func allCRLF(text []byte) bool {
	return bytes.Count(text, []byte("\n")) == bytes.Count(text, []byte("\r\n"))
}

func encName(enc string) string {
	switch enc {
	case probe.EncUTF8:
		return "UTF-8"
	case probe.EncUTF8BOM:
		return "UTF-8 with a byte-order mark"
	case probe.EncUTF16LE:
		return "UTF-16LE"
	case probe.EncUTF16BE:
		return "UTF-16BE"
	}
	return enc
}

// modeChange is "mode 0644 → 0600" when the change sets a mode the file
// does not have now.
func modeChange(c fix.Change) string {
	if c.Mode == 0 {
		return ""
	}
	if c.Before == nil {
		return "" // said with "new file"
	}
	st, err := os.Lstat(c.Path)
	if err != nil || !st.Mode().IsRegular() {
		return fmt.Sprintf("mode → %04o", c.Mode.Perm())
	}
	if st.Mode().Perm() == c.Mode.Perm() {
		return ""
	}
	return fmt.Sprintf("mode %04o → %04o", st.Mode().Perm(), fs.FileMode(c.Mode).Perm())
}
