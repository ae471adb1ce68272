package probe

import (
	"fmt"
	"maps"
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

// manySettings returns a Claude Code settings file of about size bytes,
// every entry of its env block holding a different key.
func manySettings(size int) string {
	var b strings.Builder
	b.WriteString("{\"env\": {\n")
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  \"OLD_KEY_%d\": %q", i, ktKey(PrefixAPI))
	}
	b.WriteString("\n}}\n")
	return b.String()
}

// BenchmarkDiscoverManySettingsEntries is issue 15's 376 KB settings file
// of key-like entries, which took 117 s: every entry a candidate, each
// candidate three secrets the redactor scans the output for.
func BenchmarkDiscoverManySettingsEntries(b *testing.B) {
	root := b.TempDir()
	home, dir := filepath.Join(root, "home"), filepath.Join(root, "home", "app")
	for p, content := range map[string]string{
		filepath.Join(dir, ".git", "HEAD"):             "ref: refs/heads/main\n",
		filepath.Join(dir, ".claude", "settings.json"): manySettings(376 << 10),
	} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	out := strings.Repeat("[✗] ~/app/.claude/settings.json:12 holds sk-ant-api03-abc...wxyz, rejected (401)\n", 300)
	env := &Env{Home: home, Dir: dir}
	for b.Loop() {
		red := NewRedactor()
		for _, c := range Discover(env) {
			red.Add(c.Value, c.Raw, c.Clean)
		}
		red.String(out)
	}
}

func TestDiscoverCapsEntries(t *testing.T) {
	home, dir := ktProject(t)
	var dotenv, bashrc, fish strings.Builder
	for i := range MaxFileCandidates + 20 {
		fmt.Fprintf(&dotenv, "OLD_%d=%s\n", i, ktKey(PrefixAPI))
		fmt.Fprintf(&bashrc, "export OLD_%d=%s\n", i, ktKey(PrefixAPI))
		fmt.Fprintf(&fish, "set -gx OLD_%d %s\n", i, ktKey(PrefixAPI))
	}
	ktWrite(t, filepath.Join(dir, ".env"), dotenv.String())
	ktWrite(t, filepath.Join(home, ".bashrc"), bashrc.String())
	ktWrite(t, filepath.Join(home, ".config", "fish", "config.fish"), fish.String())
	ktWrite(t, filepath.Join(dir, ".claude", "settings.json"), manySettings(64<<10))
	found := DiscoverAll(&Env{Home: home, Dir: dir})
	count := map[Origin]int{}
	for _, c := range found.Candidates {
		count[c.Origin]++
	}
	// .bashrc and config.fish are both shell files.
	want := map[Origin]int{OriginDotenv: MaxFileCandidates, OriginShell: 2 * MaxFileCandidates, OriginClaude: MaxFileCandidates}
	if !maps.Equal(count, want) {
		t.Errorf("candidates per origin %v, want %v", count, want)
	}
	notes := strings.Join(ktNotes(found.Notes), "\n")
	for _, w := range []string{".env: the scan stopped at 100", "~/.bashrc: the scan stopped at 100", "~/.config/fish/config.fish: the scan stopped at 100",
		".claude/settings.json: ", "variables hold keys: only the first 100 were read"} {
		if !strings.Contains(notes, w) {
			t.Errorf("no note %q in\n%s", w, notes)
		}
	}
}

func TestDiscoverLongValues(t *testing.T) {
	home, dir := ktProject(t)
	long := strings.Repeat("a", MaxValue+1)
	ktWrite(t, filepath.Join(dir, ".env"), "ANTHROPIC_API_KEY="+long+"\nANTHROPIC_AUTH_TOKEN=\"sk-ant-oat01-x\" # "+long+"\n")
	cs := Discover(&Env{Home: home, Dir: dir, Vars: map[string]string{VarAPIKey: long}})
	if len(cs) != 3 {
		t.Fatalf("candidates %v", ktSources(cs))
	}
	if c := cs[0]; c.Origin != OriginEnv || c.Value != long {
		t.Errorf("the environment's value is what the process holds: %s %d bytes", c.Source, len(c.Value))
	}
	if c := cs[1]; c.Value != "" || c.Hint != "(not evaluated)" || len(c.Raw) != MaxValue || !strings.Contains(c.Issues[0].Detail, "longer than 4 KiB") {
		t.Errorf("%s: value %d bytes, raw %d bytes, %+v", c.Source, len(c.Value), len(c.Raw), c.Issues)
	}
	if c := cs[2]; c.Value != "sk-ant-oat01-x" || len(c.Raw) != MaxValue {
		t.Errorf("%s: value %q, raw %d bytes", c.Source, c.Value, len(c.Raw))
	}
}

func TestDiscoverWalkBounds(t *testing.T) {
	k := ktKey(PrefixAPI)
	line := "ANTHROPIC_API_KEY=" + k + "\n"
	tests := []struct {
		name  string
		files []string // .env files to create, relative to a fresh root; "/" ends a directory
		home  string   // relative to the root
		dir   string   // relative to the root
		want  []string // files read, relative to the root
	}{
		{"outside a repository and the home: --dir alone", []string{".env", "srv/.env", "srv/app/.env"}, "home", "srv/app", []string{"srv/app/.env"}},
		{"in a repository: up to its root", []string{".env", "srv/.env", "srv/repo/.git/", "srv/repo/.env", "srv/repo/app/.env"}, "home", "srv/repo/app", []string{"srv/repo/app/.env", "srv/repo/.env"}},
		{"in the home: up to it", []string{".env", "home/.env", "home/a/.env", "home/a/b/.env"}, "home", "home/a/b", []string{"home/a/b/.env", "home/a/.env", "home/.env"}},
		{"a repository in the home: its root first", []string{"home/.env", "home/r/.git/", "home/r/.env", "home/r/x/.env"}, "home", "home/r/x", []string{"home/r/x/.env", "home/r/.env"}},
		{"the home in a repository: the home first", []string{".git/", ".env", "home/.env", "home/p/.env"}, "home", "home/p", []string{"home/p/.env", "home/.env"}},
		{"--dir is the repository root", []string{".env", "r/.git/", "r/.env"}, "home", "r", []string{"r/.env"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for up := filepath.Dir(root); ; up = filepath.Dir(up) {
				if _, err := os.Stat(filepath.Join(up, ".git")); err == nil {
					t.Skipf("the temporary directory is inside a repository (%s)", up)
				}
				if up == filepath.Dir(up) {
					break
				}
			}
			for _, f := range tt.files {
				p := filepath.Join(root, filepath.FromSlash(f))
				if strings.HasSuffix(f, "/") {
					if err := os.MkdirAll(p, 0o755); err != nil {
						t.Fatal(err)
					}
					continue
				}
				ktWrite(t, p, line)
			}
			if err := os.MkdirAll(filepath.Join(root, tt.dir), 0o755); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range Discover(&Env{Home: filepath.Join(root, tt.home), Dir: filepath.Join(root, tt.dir)}) {
				rel, _ := filepath.Rel(root, c.Path)
				got = append(got, filepath.ToSlash(rel))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("read %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDiscoverForeignFiles(t *testing.T) {
	home, repo := ktProject(t)
	dir := filepath.Join(repo, "service") // --dir, below the repository root
	mine, theirs, project := ktKey(PrefixAPI), ktKey(PrefixAPI), ktKey(PrefixAPI)
	ktWrite(t, filepath.Join(dir, ".env"), "ANTHROPIC_API_KEY="+mine+"\n")
	ktWrite(t, filepath.Join(repo, ".env.local"), "ANTHROPIC_API_KEY="+theirs+"\n")
	ktWrite(t, filepath.Join(home, ".bashrc"), "export ANTHROPIC_API_KEY="+theirs+"\n")
	ktWrite(t, filepath.Join(dir, ".env.development"), "ANTHROPIC_API_KEY="+project+"\n")
	for _, p := range []string{filepath.Join(repo, ".env.local"), filepath.Join(home, ".bashrc"), filepath.Join(dir, ".env.development")} {
		if err := os.Chown(p, 65534, 65534); err != nil {
			t.Skip("cannot give a file to another user:", err)
		}
	}
	found := DiscoverAll(&Env{Home: home, Dir: dir})
	cs := found.Candidates
	if len(cs) != 4 {
		t.Fatalf("candidates %v", ktSources(cs))
	}
	// A parent's file and the home's can be someone else's; a file in --dir
	// itself is the project the user pointed at (as root in a container, a
	// bind-mounted project belongs to another uid).
	for _, c := range cs {
		if want := c.Value == theirs; c.Foreign != want {
			t.Errorf("%s: foreign %v, want %v", c.Source, c.Foreign, want)
		}
	}
	var parent []Candidate
	for _, c := range cs {
		if c.Value == theirs && c.Origin == OriginDotenv {
			parent = append(parent, c)
		}
	}
	if i := ChooseActive(&Env{Dir: dir}, parent); len(parent) != 1 || i != -1 {
		t.Errorf("ChooseActive chose the foreign key alone: %d of %v", i, ktSources(parent))
	}
	notes := strings.Join(ktNotes(found.Notes), "\n")
	for _, w := range []string{"owned by another user (uid 65534)", "~/.bashrc: owned by another user (uid 65534)"} {
		if !strings.Contains(notes, w) {
			t.Errorf("no note %q in\n%s", w, notes)
		}
	}
	if strings.Contains(notes, ".env.development: owned") {
		t.Errorf("a file in --dir was called another user's:\n%s", notes)
	}
}

// Another user's key is listed but never sent to the API.
func TestForeignKeysAreNotTested(t *testing.T) {
	mine, theirs := ktKey(PrefixAPI), ktKey(PrefixAPI)
	r := &Report{Active: 0, Done: map[string]bool{}, Candidates: []Candidate{
		finish(Candidate{Source: "env ANTHROPIC_API_KEY", Origin: OriginEnv, Var: VarAPIKey, Value: mine}),
		finish(Candidate{Source: "../.env", Origin: OriginDotenv, Var: VarAPIKey, Value: theirs, Foreign: true}),
	}}
	if slices.Contains(r.Planned(), ProbeOthers) {
		t.Error("another user's key is planned for testing")
	}
	r.Candidates[1].Foreign = false
	if !slices.Contains(r.Planned(), ProbeOthers) {
		t.Error("the test proves nothing: a key of one's own is not planned either")
	}
}
