package probe

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/fix401/fix401/probe/bounds"
	"github.com/fix401/fix401/probe/lint"
)

// ktNotes returns the notes' sources and texts, one string each.
func ktNotes(ns []FileNote) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Source+": "+n.Note)
	}
	return out
}

func TestDiscoverDeepShellFile(t *testing.T) {
	home, dir := ktProject(t)
	k := ktKey(PrefixAPI)
	deep := strings.Repeat("(", 150_000) + "\n"
	ktWrite(t, filepath.Join(home, ".bashrc"), "export ANTHROPIC_API_KEY="+k+"\n"+deep)
	ktWrite(t, filepath.Join(home, ".zshrc"), "export ANTHROPIC_AUTH_TOKEN=sk-ant-"+deep)
	found := DiscoverAll(&Env{Home: home, Dir: dir})
	cs := found.Candidates
	if len(cs) != 2 || cs[0].Value != k || cs[0].Source != "~/.bashrc:1" {
		t.Fatalf("candidates %v", ktSources(cs))
	}
	if c := cs[1]; c.Source != "~/.zshrc:1" || c.Value != "" || len(c.Issues) != 1 || c.Issues[0].Code != IssueUnresolved ||
		!strings.Contains(c.Issues[0].Detail, "levels deep") {
		t.Errorf("the deep line: %s %+v", c.Source, c.Issues)
	}
	want := []string{"~/.bashrc: " + bounds.ErrTooDeep.Error() + ": read line by line", "~/.zshrc: " + bounds.ErrTooDeep.Error() + ": read line by line"}
	if got := ktNotes(found.Notes); !slices.Equal(got, want) {
		t.Errorf("notes %q, want %q", got, want)
	}
}

func TestLintDeepShellFile(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"parens.sh": strings.Repeat("(", 200_000),
		"curl.sh":   "curl https://api.anthropic.com/v1/models " + strings.Repeat("$(", 100_000),
	} {
		p := filepath.Join(dir, name)
		ktWrite(t, p, src)
		r := LintFile(p, name)
		if r.Err != "" || !slices.ContainsFunc(r.Report.Findings, func(f lint.Finding) bool { return f.ID == lint.IDInputParse }) {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

func TestDiscoverNotesSkippedFiles(t *testing.T) {
	home, dir := ktProject(t)
	k := ktKey(PrefixAPI)
	if err := syscall.Mkfifo(filepath.Join(dir, ".env"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, ".env.local")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".env.test", "bin"), 0o755); err != nil { // a virtualenv: no note
		t.Fatal(err)
	}
	ktWrite(t, filepath.Join(dir, ".env.development"), "ANTHROPIC_API_KEY="+k+"\n"+strings.Repeat("#\n", MaxKeyFile))
	ktWrite(t, filepath.Join(home, ".bashrc"), "\x00\x01")
	var found Discovery
	returnsSoon(t, "DiscoverAll", func() { found = DiscoverAll(&Env{Home: home, Dir: dir}) })
	if got := ktSources(found.Candidates); !slices.Equal(got, []string{".env.development:1"}) {
		t.Errorf("sources %v", got)
	}
	want := []string{
		".env: a FIFO (named pipe): not read",
		".env.local: a device: not read",
		".env.development: larger than 1024 KiB: only the first 1024 KiB were read",
		"~/.bashrc: looks binary: not read",
	}
	if got := ktNotes(found.Notes); !slices.Equal(got, want) {
		t.Errorf("notes\n%q\nwant\n%q", got, want)
	}
}
