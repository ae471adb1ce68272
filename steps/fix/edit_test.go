package fix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// An unfinished report has nothing to plan yet.
func TestUnfinishedReportPlansNothing(t *testing.T) {
	r := &probe.Report{Active: -1, Done: map[string]bool{}}
	if p := Make(r, steps.Diagnosis{Code: steps.Incomplete}, readFile); !p.Empty() {
		t.Errorf("plan for an unfinished report:\n%s", describe(p))
	}
	if p := Make(nil, steps.Diagnosis{Code: steps.KeyRejected}, readFile); !p.Empty() {
		t.Errorf("plan for no report:\n%s", describe(p))
	}
}

// A line that no longer holds what discovery read there is not edited:
// the user is told to do it by hand.
func TestChangedFileIsLeftToTheUser(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".zshrc")
	if err := os.WriteFile(path, []byte("export EDITOR=vim\nalias x=y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := stub.NewAPIKey()
	r := &probe.Report{Active: -1, Candidates: []probe.Candidate{{
		Source: "~/.zshrc:2", Origin: probe.OriginShell, Var: "ANTHROPIC_API_KEY", Path: path, Line: 2,
		Exported: true, Value: old, Raw: old, Clean: old, Hint: probe.Hint(old), Kind: probe.KindAPI,
	}}}
	b := newBuilder(r, readFile, Options{})
	if b.disable(steps.KeyShadowed, &r.Candidates[0], "stale") {
		t.Fatal("disabled a line that does not hold the key")
	}
	p := b.plan()
	if len(p.Changes) != 0 || len(p.Manual) != 1 || !strings.Contains(p.Manual[0].Title, "line 2 of ~/.zshrc by hand") {
		t.Errorf("plan:\n%s", describe(p))
	}
}

// Two lines appended to one file keep the order they were planned in, and
// a file without a final newline gets one before them.
func TestAppendsKeepTheirOrder(t *testing.T) {
	f := newFileEdit("/x/.env", []byte("A=1"))
	if !f.appendLine("B=2\n") || !f.appendLine("C=3\n") || !f.appendLine("B=2\n") {
		t.Fatal("append refused")
	}
	if got, want := string(f.after()), "A=1\nB=2\nC=3\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	f = newFileEdit("/x/.env", []byte("A=1\r\nB=2"))
	if !f.appendLine("C=3\n") {
		t.Fatal("append refused")
	}
	if got, want := string(f.after()), "A=1\r\nB=2\r\nC=3\r\n"; got != want {
		t.Errorf("CRLF: got %q, want %q", got, want)
	}
}

// The key is found under each file's syntax, and only its bytes are
// replaced.
func TestLocate(t *testing.T) {
	k := stub.NewAPIKey()
	for _, tc := range []struct {
		path, text string
		origin     probe.Origin
		raw        string
		want       string // the file with the key replaced by KEY
	}{
		{".env", "X=1\nANTHROPIC_API_KEY = \"" + k + "\\n\" # note\n", probe.OriginDotenv, "\"" + k + "\\n\" # note", "X=1\nANTHROPIC_API_KEY = \"KEY\" # note\n"},
		{".env", "export ANTHROPIC_API_KEY: " + k + "  # x\n", probe.OriginDotenv, k + "  # x", "export ANTHROPIC_API_KEY: KEY  # x\n"},
		{".zshrc", "export ANTHROPIC_API_KEY='" + k + "' ; echo\n", probe.OriginShell, "'" + k + "'", "export ANTHROPIC_API_KEY='KEY' ; echo\n"},
		{".zshrc", "export ANTHROPIC_API_KEY=\"" + k + "\"x\n", probe.OriginShell, "\"" + k + "\"x", "export ANTHROPIC_API_KEY=\"KEY\"\n"},
		{"config.fish", "set -gx ANTHROPIC_API_KEY \"" + k + "\" # x\n", probe.OriginShell, "\"" + k + "\" # x", "set -gx ANTHROPIC_API_KEY \"KEY\" # x\n"},
	} {
		f := newFileEdit("/h/"+tc.path, []byte(tc.text))
		line := 1 + strings.Count(tc.text[:strings.Index(tc.text, "ANTHROPIC")], "\n")
		c := probe.Candidate{Var: "ANTHROPIC_API_KEY", Origin: tc.origin, Line: line, Path: f.path, Raw: tc.raw}
		s, ok := f.locate(&c)
		if !ok {
			t.Errorf("%q: not found", tc.text)
			continue
		}
		with := "KEY"
		if s.wrap != 0 {
			with = string(s.wrap) + with + string(s.wrap)
		}
		f.add(edit{start: s.from, end: s.to, with: with})
		if got := string(f.after()); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.text, got, tc.want)
		}
	}
}

// FuzzLocate: whatever the file holds, finding a value stays inside the
// text, and commenting out only adds bytes.
func FuzzLocate(f *testing.F) {
	f.Add(".env", "A=1\nANTHROPIC_API_KEY=\"x\ny\"\n", 2, "\"x")
	f.Add(".zshrc", "export ANTHROPIC_API_KEY='a'\"b\"\r\n", 1, "'a'\"b\"")
	f.Add("config.fish", "set -x ANTHROPIC_API_KEY 'a\\'b' # c", 1, "'a\\'b' # c")
	f.Add(".env", "ANTHROPIC_API_KEY: \"\\\"", 1, "\"\\\"")
	f.Fuzz(func(t *testing.T, name, text string, line int, raw string) {
		origin := probe.OriginShell
		if strings.HasPrefix(name, ".env") {
			origin = probe.OriginDotenv
		}
		fe := newFileEdit("/h/"+name, []byte(text))
		c := probe.Candidate{Var: "ANTHROPIC_API_KEY", Origin: origin, Line: line, Path: fe.path, Raw: raw}
		s, ok := fe.locate(&c)
		if !ok {
			return
		}
		if s.nameAt < 0 || s.nameAt >= s.from || s.from > s.to || s.to > len(fe.text) || s.lastLine < line {
			t.Fatalf("span %+v in %d bytes", s, len(fe.text))
		}
		if fe.commentOut(line, s.lastLine, "x", origin == probe.OriginShell) {
			for _, e := range fe.edits {
				if e.start != e.end || !strings.Contains(e.with, "# ") {
					t.Fatalf("commenting out planned %+v", e)
				}
			}
			if len(fe.after()) <= len(fe.text) {
				t.Fatal("commenting out added nothing")
			}
		}
	})
}
