package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fix401/fix401/probe/stub"
)

func TestWriteEnvKey(t *testing.T) {
	key := stub.NewAPIKey()
	tests := []struct {
		name string
		old  *string // nil: no file
		want string  // with <KEY> for the key
	}{
		{"new file", nil, "ANTHROPIC_API_KEY=<KEY>\n"},
		{"empty file", ptr(""), "ANTHROPIC_API_KEY=<KEY>\n"},
		{"added at the end", ptr("A=1\nB=2\n"), "A=1\nB=2\nANTHROPIC_API_KEY=<KEY>\n"},
		{"no final newline", ptr("A=1"), "A=1\nANTHROPIC_API_KEY=<KEY>\n"},
		{"replaced in place", ptr("A=1\nANTHROPIC_API_KEY=old\nB=2\n"), "A=1\nANTHROPIC_API_KEY=<KEY>\nB=2\n"},
		{"quoted value replaced", ptr(`ANTHROPIC_API_KEY="old\n"` + "\n"), "ANTHROPIC_API_KEY=<KEY>\n"},
		{"export kept", ptr("  export ANTHROPIC_API_KEY = old\n"), "  export ANTHROPIC_API_KEY=<KEY>\n"},
		{"comment and lookalikes untouched", ptr("# ANTHROPIC_API_KEY=old\nMY_ANTHROPIC_API_KEY=x\nANTHROPIC_API_KEY_2=y\n"),
			"# ANTHROPIC_API_KEY=old\nMY_ANTHROPIC_API_KEY=x\nANTHROPIC_API_KEY_2=y\nANTHROPIC_API_KEY=<KEY>\n"},
		{"CRLF kept when replacing", ptr("A=1\r\nANTHROPIC_API_KEY=old\r\nB=2\r\n"), "A=1\r\nANTHROPIC_API_KEY=<KEY>\r\nB=2\r\n"},
		{"CRLF kept when adding", ptr("A=1\r\nB=2"), "A=1\r\nB=2\r\nANTHROPIC_API_KEY=<KEY>\r\n"},
		{"every assignment replaced", ptr("ANTHROPIC_API_KEY=a\nX=1\nANTHROPIC_API_KEY=b\n"), "ANTHROPIC_API_KEY=<KEY>\nX=1\nANTHROPIC_API_KEY=<KEY>\n"},
		{"a quoted value over lines is replaced whole", ptr("A=1\nANTHROPIC_API_KEY=\"old\n\"\nB=2\n"), "A=1\nANTHROPIC_API_KEY=<KEY>\nB=2\n"},
		{"an unclosed quote takes no other line", ptr("ANTHROPIC_API_KEY='old\nB=2\n"), "ANTHROPIC_API_KEY=<KEY>\nB=2\n"},
		{"the last line without a newline", ptr("A=1\nANTHROPIC_API_KEY=old"), "A=1\nANTHROPIC_API_KEY=<KEY>"},
		{"every other byte kept", ptr("\ufeff# café ☕\r\nA=\"x\\ny\"  # c\n\tB = 'q'\n\n\x01\xff\nANTHROPIC_API_KEY=old # keep?\nZ=1"),
			"\ufeff# café ☕\r\nA=\"x\\ny\"  # c\n\tB = 'q'\n\n\x01\xff\nANTHROPIC_API_KEY=<KEY>\nZ=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, ".env")
			if tt.old != nil {
				if err := os.WriteFile(p, []byte(*tt.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := WriteEnvKey(dir, key)
			if err != nil {
				t.Fatal(err)
			}
			if got != p {
				t.Errorf("path %s, want %s", got, p)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.ReplaceAll(tt.want, "<KEY>", key); string(data) != want {
				t.Errorf("file is\n%q\nwant\n%q", data, want)
			}
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", st.Mode().Perm())
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".fix401-*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func ptr(s string) *string { return &s }

func TestWriteEnvKeyRefusesOddValues(t *testing.T) {
	for _, k := range []string{"", "sk-ant-api03-abc def", "sk-ant-api03-abc\nEVIL=1", `"sk-ant-api03-abc"`, "sk-ant-api03-abc#x"} {
		dir := t.TempDir()
		if _, err := WriteEnvKey(dir, k); !errors.Is(err, ErrNotAKey) {
			t.Errorf("WriteEnvKey(%q) = %v, want ErrNotAKey", k, err)
		}
		if _, err := os.Stat(filepath.Join(dir, ".env")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("WriteEnvKey(%q) wrote a file", k)
		}
	}
}

// repo lays out files under a temporary directory; a name ending in / is
// a directory.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestGitIgnored(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		dir     string // the project, relative to the root
		repo    bool
		ignored bool
		source  string // file:line that decided, relative to the root
	}{
		{"not a repository", map[string]string{".gitignore": ".env\n"}, ".", false, false, ""},
		{"ignored at the root", map[string]string{".git/": "", ".gitignore": "node_modules/\n.env\n"}, ".", true, true, ".gitignore:2"},
		{"not mentioned", map[string]string{".git/": "", ".gitignore": "*.log\n"}, ".", true, false, ""},
		{"no .gitignore", map[string]string{".git/": ""}, ".", true, false, ""},
		{"glob", map[string]string{".git/": "", ".gitignore": ".env*\n"}, ".", true, true, ".gitignore:1"},
		{"negated later", map[string]string{".git/": "", ".gitignore": ".env\n!.env\n"}, ".", true, false, ".gitignore:2"},
		{"root pattern matches in a subdirectory", map[string]string{".git/": "", ".gitignore": ".env\n", "app/": ""}, "app", true, true, ".gitignore:1"},
		{"anchored pattern does not", map[string]string{".git/": "", ".gitignore": "/.env\n", "app/": ""}, "app", true, false, ""},
		{"anchored with a path", map[string]string{".git/": "", ".gitignore": "app/.env\n", "app/": ""}, "app", true, true, ".gitignore:1"},
		{"double star", map[string]string{".git/": "", ".gitignore": "**/.env\n", "a/b/": ""}, "a/b", true, true, ".gitignore:1"},
		{"deeper file wins", map[string]string{".git/": "", ".gitignore": ".env\n", "app/.gitignore": "!.env\n"}, "app", true, false, "app/.gitignore:1"},
		{"directory ignored", map[string]string{".git/": "", ".gitignore": "secrets/\n", "secrets/": ""}, "secrets", true, true, ".gitignore:1"},
		{"dir-only pattern skips the file", map[string]string{".git/": "", ".gitignore": ".env/\n"}, ".", true, false, ""},
		{"info/exclude", map[string]string{".git/info/exclude": ".env\n"}, ".", true, true, ".git/info/exclude:1"},
		{"comments and blanks", map[string]string{".git/": "", ".gitignore": "# .env\n\n   \n"}, ".", true, false, ""},
		{"worktree .git file", map[string]string{".git": "gitdir: /elsewhere\n", ".gitignore": ".env\r\n"}, ".", true, true, ".gitignore:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := repo(t, tt.files)
			// A repository around the temporary directory would change the
			// answer; the test needs the root to be the outermost one.
			if up := repoRoot(filepath.Dir(root)); up != "" {
				t.Skipf("the temporary directory is inside a repository (%s)", up)
			}
			// fix401's own reading of the ignore files, as when git is
			// missing (TestGitIgnoredByGit asks git).
			got, err := ignoredByFiles(filepath.Join(root, tt.dir), ".env")
			if err != nil {
				t.Fatal(err)
			}
			if (got.Repo != "") != tt.repo || got.Ignored != tt.ignored {
				t.Errorf("got %+v, want repo %v ignored %v", got, tt.repo, tt.ignored)
			}
			want := ""
			if tt.source != "" {
				want = filepath.Join(root, filepath.FromSlash(tt.source))
			}
			if got.Source != want {
				t.Errorf("source %q, want %q", got.Source, want)
			}
		})
	}
}

func TestAddToGitignore(t *testing.T) {
	tests := []struct{ name, old, want string }{
		{"new", "", ".env\n"},
		{"appended", "*.log\n", "*.log\n.env\n"},
		{"missing newline", "*.log", "*.log\n.env\n"},
		{"CRLF", "*.log\r\n", "*.log\r\n.env\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := repo(t, map[string]string{".git/": ""})
			if tt.old != "" {
				if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(tt.old), 0o640); err != nil {
					t.Fatal(err)
				}
			}
			p, err := AddToGitignore(dir, ".env")
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(p)
			if string(data) != tt.want {
				t.Errorf("got %q, want %q", data, tt.want)
			}
			res, err := GitIgnored(dir, ".env")
			if err != nil || !res.Ignored {
				t.Errorf("after adding, GitIgnored = %+v, %v", res, err)
			}
			if tt.old != "" {
				if st, _ := os.Stat(p); st.Mode().Perm() != 0o640 {
					t.Errorf("mode changed to %v", st.Mode().Perm())
				}
			}
		})
	}
}

func TestSaveSummary(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 25, 17, 3, 0, 0, time.UTC)
	var paths []string
	for i := range 3 {
		p, err := SaveSummary(dir, "summary "+string(rune('a'+i)), now)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, filepath.Base(p))
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", p, st.Mode().Perm())
		}
	}
	want := []string{"fix401-summary-2026-11-25.md", "fix401-summary-2026-11-25-2.md", "fix401-summary-2026-11-25-3.md"}
	for i := range want {
		if paths[i] != want[i] {
			t.Errorf("file %d is %s, want %s", i, paths[i], want[i])
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, want[0])); string(data) != "summary a" {
		t.Errorf("the first summary was overwritten: %q", data)
	}
}
