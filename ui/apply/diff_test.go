package apply

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps/fix"
)

func TestDiffMasksKeys(t *testing.T) {
	old, fresh := stub.NewAPIKey(), stub.NewAPIKey()
	c := fix.Change{Path: "/h/.zshrc",
		Before: []byte("alias l=ls\nexport ANTHROPIC_API_KEY=\"" + old + "\"\nexport PATH=$PATH:/opt\n"),
		After:  []byte("alias l=ls\n# export ANTHROPIC_API_KEY=\"" + old + "\"  # fix401: stale; the key in .env works\nexport PATH=$PATH:/opt\nexport OTHER=" + fresh + "\n"),
	}
	// Even a redactor that was told nothing masks them; one that knows
	// them masks a piece too.
	for _, red := range []*probe.Redactor{probe.NewRedactor(), probe.NewRedactor(old, fresh)} {
		d := Diff(c, red)
		for _, k := range []string{old, fresh, old[13:40], fresh[20:]} {
			if strings.Contains(d, k) {
				t.Fatalf("the diff shows key material %q:\n%s", k, d)
			}
		}
		for _, want := range []string{probe.Hint(old), probe.Hint(fresh), "-export ANTHROPIC_API_KEY=", "+# export ANTHROPIC_API_KEY=", " alias l=ls", "--- /h/.zshrc", "+++ /h/.zshrc", "@@ -1,3 +1,4 @@"} {
			if !strings.Contains(d, want) {
				t.Errorf("the diff lacks %q:\n%s", want, d)
			}
		}
	}
}

func TestDiffShowsWhatATerminalHides(t *testing.T) {
	key := stub.NewAPIKey()
	red := probe.NewRedactor(key)
	cases := []struct {
		name          string
		before, after string
		want          []string
		not           []string
	}{
		{"no trailing newline", "A=1\nB=2", "A=1\nB=3", []string{"-B=2\n\\ No newline at end of file\n+B=3\n\\ No newline at end of file\n"}, nil},
		{"crlf kept", "A=1\r\nB=2\r\n", "A=1\r\nB=3\r\n", []string{"(CRLF line ends, kept)", "-B=2\n+B=3\n"}, []string{"[CR]"}},
		{"a stray CR", "K=\"" + key + "\r\"\nB=2\n", "K=\"" + key + "\"\nB=2\n", []string{"[CR]", probe.Hint(key)}, []string{"CRLF"}},
		{"zero-width", "K=" + key[:20] + "\u200b" + key[20:] + "\n", "K=" + key + "\n", []string{"[U+200B]"}, []string{key[20:]}},
		{"bom", "\uFEFFK=1\nB=2\n", "K=1\nB=2\n", []string{"(encoding: UTF-8 with a byte-order mark → UTF-8)"}, []string{"@@"}},
		{"new file", "", ".env\n", []string{"--- /dev/null", "(new file, mode 0600)", "@@ -0,0 +1 @@\n+.env\n"}, nil},
		{"trailing space", "K=1 \n", "K=1\n", []string{"-K=1   [trailing space]\n+K=1\n"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fix.Change{Path: "/p/.env", Before: []byte(tc.before), After: []byte(tc.after)}
			if tc.name == "new file" {
				c.Before = nil
			}
			d := Diff(c, red)
			for _, w := range tc.want {
				if !strings.Contains(d, w) {
					t.Errorf("lacks %q:\n%s", w, d)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(d, w) {
					t.Errorf("has %q:\n%s", w, d)
				}
			}
			if strings.ContainsAny(d, "\r\u200b\ufeff") {
				t.Errorf("raw invisible characters in %q", d)
			}
		})
	}
}

func TestDiffUTF16(t *testing.T) {
	// PowerShell's > writes UTF-16LE with a byte-order mark.
	le := []byte{0xFF, 0xFE}
	for _, r := range "A=1\r\n" {
		le = append(le, byte(r), 0)
	}
	d := Diff(fix.Change{Path: "/p/.env", Before: le, After: []byte("A=1\n")}, probe.NewRedactor())
	if !strings.Contains(d, "(encoding: UTF-16LE → UTF-8)") || !strings.Contains(d, "-A=1  [CR]\n+A=1\n") {
		t.Errorf("diff:\n%s", d)
	}
	if strings.ContainsRune(d, 0) {
		t.Error("NUL in the diff")
	}
}

func TestDiffMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "credentials.json")
	put(t, p, []byte("{}"), 0o644)
	d := Diff(fix.Change{Path: p, Before: []byte("{}"), After: []byte("{}"), Mode: 0o600}, probe.NewRedactor())
	if !strings.Contains(d, "mode 0644 → 0600") || strings.Contains(d, "@@") {
		t.Errorf("diff:\n%s", d)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if d := Diff(fix.Change{Path: p, Before: []byte("{}"), After: []byte("{}"), Mode: 0o600}, probe.NewRedactor()); d != "" {
		t.Errorf("a change to nothing shows %q", d)
	}
}

func TestColorsPaintOnlyDiffLines(t *testing.T) {
	key := stub.NewAPIKey()
	c := fix.Change{Path: "/p/.env", Before: []byte("A=1\n\tK=" + key + "\n"), After: []byte("A=1\n#\tK=" + key + "\n")}
	plan := PlanText(fix.Plan{Changes: []fix.Change{c}, Manual: []fix.Manual{{Title: "- not a diff line", Command: "unset K"}}}, probe.NewRedactor(key), "", 80)
	colored := Colors(plan)
	if !strings.Contains(colored, "\x1b[") {
		t.Fatal("nothing painted")
	}
	// Painted or not, the text is the same.
	if got := probe.Sanitize(colored); got != plan {
		t.Errorf("colours changed the text:\n%s\nwant\n%s", got, plan)
	}
	for _, l := range strings.Split(colored, "\n") {
		plain := probe.Sanitize(l)
		painted := l != plain
		diffLine := strings.HasPrefix(plain, "-") || strings.HasPrefix(plain, "+") || strings.HasPrefix(plain, "@@")
		if painted != diffLine {
			t.Errorf("line %q painted=%v", plain, painted)
		}
	}
	if strings.Contains(colored, key[13:30]) {
		t.Error("key in the coloured plan")
	}
}
