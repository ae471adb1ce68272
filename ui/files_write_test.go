package ui

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/hostile"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWritesRefuseSymlinks: a .env, .gitignore or report that is a
// symlink (into a tracked source file, into ~/.bashrc) is not written
// through, nor replaced: the error says so and the target is unchanged.
func TestWritesRefuseSymlinks(t *testing.T) {
	key := stub.NewAPIKey()
	targets := map[string]string{
		"a tracked source file": "package main\n\nfunc main() {}\n",
		"~/.bashrc":             "alias ll='ls -l'\n",
	}
	writes := map[string]struct {
		name  string
		write func(dir string) error
	}{
		"WriteEnvKey":    {".env", func(dir string) error { _, err := WriteEnvKey(dir, key); return err }},
		"AddToGitignore": {".gitignore", func(dir string) error { _, err := AddToGitignore(dir, ".env"); return err }},
		"WriteFile":      {"report.md", func(dir string) error { return WriteFile(filepath.Join(dir, "report.md"), []byte("x"), 0o600) }},
	}
	for what, content := range targets {
		for wname, w := range writes {
			t.Run(wname+" into "+what, func(t *testing.T) {
				dir := t.TempDir()
				target := filepath.Join(dir, "target")
				if err := os.WriteFile(target, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				link := filepath.Join(dir, w.name)
				if err := os.Symlink(target, link); err != nil {
					t.Fatal(err)
				}
				err := w.write(dir)
				if !errors.Is(err, ErrSymlink) || !strings.Contains(err.Error(), "symlink") || !strings.Contains(err.Error(), "nothing was written") {
					t.Errorf("error %v, want one saying the path is a symlink and nothing was written", err)
				}
				if got := readString(t, target); got != content {
					t.Errorf("the target changed to %q", got)
				}
				if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
					t.Errorf("the link was replaced: %v %v", st.Mode(), err)
				}
				if left, _ := filepath.Glob(filepath.Join(dir, ".fix401-*")); len(left) > 0 {
					t.Errorf("temporary files left: %v", left)
				}
			})
		}
	}
}

// TestWriteEnvKeyBounded: the .env is read through the bounded reader: a
// device or FIFO is never opened, a huge file is not read whole.
func TestWriteEnvKeyBounded(t *testing.T) {
	key := stub.NewAPIKey()
	t.Run("/dev/zero behind a symlink", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Symlink("/dev/zero", filepath.Join(dir, ".env")); err != nil {
			t.Fatal(err)
		}
		var err error
		hostile.ReturnsSoon(t, "WriteEnvKey", func() { _, err = WriteEnvKey(dir, key) })
		if !errors.Is(err, ErrSymlink) {
			t.Errorf("error %v", err)
		}
	})
	t.Run("FIFO", func(t *testing.T) {
		dir := t.TempDir()
		if err := syscall.Mkfifo(filepath.Join(dir, ".env"), 0o600); err != nil {
			t.Fatal(err)
		}
		var err error
		hostile.ReturnsSoon(t, "WriteEnvKey", func() { _, err = WriteEnvKey(dir, key) })
		if err == nil || !strings.Contains(err.Error(), "a FIFO") || !strings.Contains(err.Error(), "nothing was written") {
			t.Errorf("error %v", err)
		}
		if st, _ := os.Lstat(filepath.Join(dir, ".env")); st.Mode()&os.ModeNamedPipe == 0 {
			t.Error("the FIFO was replaced")
		}
	})
	t.Run("larger than the bound", func(t *testing.T) {
		dir := t.TempDir()
		big := strings.Repeat("# "+strings.Repeat("x", 1000)+"\n", maxEditFile/1000+1)
		if err := os.WriteFile(filepath.Join(dir, ".env"), []byte(big), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := WriteEnvKey(dir, key); err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Errorf("error %v", err)
		}
		if readString(t, filepath.Join(dir, ".env")) != big {
			t.Error("the file changed")
		}
	})
}

// TestWritesAreAtomic: the file is replaced, not written in place: a hard
// link to the old file keeps the old bytes, and nothing is left aside.
func TestWritesAreAtomic(t *testing.T) {
	dir := t.TempDir()
	env, other := filepath.Join(dir, ".env"), filepath.Join(dir, "other")
	if err := os.WriteFile(env, []byte("A=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(env, other); err != nil {
		t.Skip("no hard links:", err)
	}
	key := stub.NewAPIKey()
	if _, err := WriteEnvKey(dir, key); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, other); got != "A=1\n" {
		t.Errorf("the other link sees %q", got)
	}
	if got := readString(t, env); got != "A=1\nANTHROPIC_API_KEY="+key+"\n" {
		t.Errorf(".env holds %q", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".fix401-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.md")
	if err := os.WriteFile(p, []byte("old, readable by all\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 || readString(t, p) != "new" {
		t.Errorf("mode %v, content %q", st.Mode().Perm(), readString(t, p))
	}
	if err := WriteFile(filepath.Join(dir, "fresh.md"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(filepath.Join(dir, "fresh.md")); st.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %v", st.Mode().Perm())
	}
	if err := WriteFile(dir, []byte("x"), 0o600); err == nil || !strings.Contains(err.Error(), "a directory") {
		t.Errorf("onto a directory: %v", err)
	}
}

func TestSaveSummaryNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 25, 17, 3, 0, 0, time.UTC)
	target := filepath.Join(dir, "bashrc")
	if err := os.WriteFile(target, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A symlink planted under the first name, even a dangling one, is
	// skipped, never written through.
	if err := os.Symlink(target, filepath.Join(dir, "fix401-summary-2026-11-25.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "fix401-summary-2026-11-25-2.md")); err != nil {
		t.Fatal(err)
	}
	p, err := SaveSummary(dir, "the summary", now)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(p) != "fix401-summary-2026-11-25-3.md" || readString(t, p) != "the summary" {
		t.Errorf("saved %s: %q", p, readString(t, p))
	}
	if st, _ := os.Lstat(p); st.Mode().Perm() != 0o600 || !st.Mode().IsRegular() {
		t.Errorf("mode %v", st.Mode())
	}
	if readString(t, target) != "mine\n" {
		t.Error("written through the symlink")
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); !errors.Is(err, os.ErrNotExist) {
		t.Error("created the dangling link's target")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".fix401-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// gitRepo makes a real repository with the given files, after git add -f
// of those listed in add; it skips the test when git is not on the PATH.
func gitRepo(t *testing.T, files map[string]string, add ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on the PATH")
	}
	root := repo(t, files)
	run := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", root}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	if len(add) > 0 {
		run(append([]string{"add", "-f", "--"}, add...)...)
	}
	return root
}

func TestGitIgnoredByGit(t *testing.T) {
	tests := []struct {
		name             string
		files            map[string]string
		add              []string
		dir              string
		ignored, tracked bool
		source           string
	}{
		{"ignored, not tracked", map[string]string{".gitignore": "node_modules/\n.env\n", ".env": "A=1\n"}, nil, ".", true, false, ".gitignore:2"},
		{"ignored but tracked", map[string]string{".gitignore": ".env\n", ".env": "A=1\n"}, []string{".env"}, ".", false, true, ".gitignore:1"},
		{"tracked, no rule", map[string]string{".env": "A=1\n"}, []string{".env"}, ".", false, true, ""},
		{"neither", map[string]string{".env": "A=1\n"}, nil, ".", false, false, ""},
		{"not written yet, ignored", map[string]string{".gitignore": "*.env\n.env\n"}, nil, ".", true, false, ".gitignore:2"},
		{"negated in a subdirectory", map[string]string{".gitignore": ".env\n", "app/.gitignore": "!.env\n", "app/.env": "A=1\n"}, nil, "app", false, false, ""},
		{"tracked in a subdirectory", map[string]string{".gitignore": "**/.env\n", "app/.env": "A=1\n"}, []string{"app/.env"}, "app", false, true, ".gitignore:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := gitRepo(t, tt.files, tt.add...)
			got, err := GitIgnored(filepath.Join(root, tt.dir), ".env")
			if err != nil {
				t.Fatal(err)
			}
			if !got.ByGit || got.Repo != root || got.Ignored != tt.ignored || got.Tracked != tt.tracked {
				t.Errorf("got %+v, want ignored %v tracked %v", got, tt.ignored, tt.tracked)
			}
			if want := filepath.Join(root, tt.source); tt.source != "" && got.Source != want {
				t.Errorf("source %q, want %q", got.Source, want)
			}
		})
	}
	t.Run("not a repository", func(t *testing.T) {
		if _, err := exec.LookPath("git"); err != nil {
			t.Skip("git is not on the PATH")
		}
		dir := t.TempDir()
		if up := repoRoot(dir); up != "" {
			t.Skipf("the temporary directory is inside a repository (%s)", up)
		}
		if got, err := GitIgnored(dir, ".env"); err != nil || got.Repo != "" || got.Ignored || got.Tracked {
			t.Errorf("got %+v, %v", got, err)
		}
	})
}

// TestTrackedEnvIsNotCalledSafe: with .env tracked by git, the wizard
// never says it will not be committed, offers no .gitignore line (it
// would not help), and says how to get the key out.
func TestTrackedEnvIsNotCalledSafe(t *testing.T) {
	key := stub.NewAPIKey()
	m := testModel(t, report(401))
	root := gitRepo(t, map[string]string{".gitignore": ".env\n", ".env": "A=1\n"}, ".env")
	m.env.Dir = root
	m.env.StdinKey, m.env.HasStdinKey, m.tried = key, true, []string{probe.Hint(key)}
	m = m.adopt(pasted(report(200), key))
	m = goTo(t, m, steps.VerifyKey)
	res, err := GitIgnored(root, ".env")
	if err != nil || !res.Tracked || res.Ignored {
		t.Fatalf("GitIgnored = %+v, %v", res, err)
	}
	m = update(t, m, ignoreCheckedMsg{result: res})
	if s := strings.Join(strings.Fields(screen(m)), " "); !strings.Contains(s, "git tracks .env") || strings.Contains(s, "will not be committed") {
		t.Errorf("before saving:\n%s", s)
	}
	path, err := WriteEnvKey(root, key)
	if err != nil {
		t.Fatal(err)
	}
	m = update(t, m, envWrittenMsg{path: path}, ignoreCheckedMsg{result: res})
	s := strings.Join(strings.Fields(screen(m)), " ") // one line, however it wraps
	if !strings.Contains(s, "git rm --cached .env") || !strings.Contains(s, "rotate the key") || strings.Contains(s, "will not be committed") {
		t.Errorf("after saving:\n%s", s)
	}
	if strings.Contains(helpBar(m), "g git-ignore") {
		t.Error("offers to git-ignore a tracked file")
	}
}

// initRepo makes dir a git repository: with git when it is on the PATH,
// else with a bare .git directory, which only fix401's own reading of the
// ignore files recognises.
func initRepo(t *testing.T, dir string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err == nil {
		if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		return
	}
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestIgnoredWithoutGitIsNotCalledSafe: when git does not answer, a rule
// in .gitignore is not enough to promise the file stays out of commits.
func TestIgnoredWithoutGitIsNotCalledSafe(t *testing.T) {
	m := goTo(t, testModel(t, report(401)), steps.VerifyKey)
	key := stub.NewAPIKey()
	m.env.StdinKey, m.env.HasStdinKey, m.tried = key, true, []string{probe.Hint(key)}
	m = goTo(t, m.adopt(pasted(report(200), key)), steps.VerifyKey)
	res := IgnoreResult{Repo: m.env.Dir, Ignored: true, Source: filepath.Join(m.env.Dir, ".gitignore") + ":1", Pattern: ".env"}
	m = update(t, m, ignoreCheckedMsg{result: res})
	s := strings.Join(strings.Fields(screen(m)), " ")
	if strings.Contains(s, "will not be committed") || !strings.Contains(s, "git ls-files .env") {
		t.Errorf("screen:\n%s", screen(m))
	}
	res.ByGit = true
	m = update(t, m, ignoreCheckedMsg{result: res})
	if s := strings.Join(strings.Fields(screen(m)), " "); !strings.Contains(s, "it will not be committed") {
		t.Errorf("with git's answer:\n%s", screen(m))
	}
}
