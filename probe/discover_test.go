package probe

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"mvdan.cc/sh/v3/syntax"
)

// ktWrite creates path with content, and its directories.
func ktWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// ktProject makes a home directory and a project in it whose .git stops
// the parent walk.
func ktProject(t *testing.T) (home, dir string) {
	home = filepath.Join(t.TempDir(), "home")
	dir = filepath.Join(home, "code", "app")
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return home, dir
}

func ktSources(cs []Candidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Source)
	}
	return out
}

func TestDiscoverOrderAndFields(t *testing.T) {
	keys := map[string]string{}
	for _, name := range []string{"stdin", "env", "old", "dotenv", "local", "parent", "beyond", "bash", "zsh", "fish", "claude"} {
		keys[name] = ktKey(PrefixAPI)
	}
	oat := ktKey(PrefixOAuthAccess)
	home := filepath.Join(t.TempDir(), "home")
	repo := filepath.Join(home, "code", "repo")
	dir := filepath.Join(repo, "app")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	ktWrite(t, filepath.Join(dir, ".env"), "ANTHROPIC_API_KEY="+keys["dotenv"]+"\n")
	ktWrite(t, filepath.Join(dir, ".env.local"), "# mine\nANTHROPIC_API_KEY=\""+keys["local"]+"\"\n")
	ktWrite(t, filepath.Join(repo, ".env"), "CLAUDE_API_KEY="+keys["parent"]+"\n")
	ktWrite(t, filepath.Join(home, "code", ".env"), "ANTHROPIC_API_KEY="+keys["beyond"]+"\n")
	ktWrite(t, filepath.Join(home, ".bashrc"), "alias ll='ls -l'\nexport ANTHROPIC_API_KEY="+keys["bash"]+"\n")
	ktWrite(t, filepath.Join(home, ".zshrc"), "# export ANTHROPIC_API_KEY=old\nexport ANTHROPIC_AUTH_TOKEN='"+oat+"'\n")
	ktWrite(t, filepath.Join(home, ".config", "fish", "config.fish"), "set -gx ANTHROPIC_API_KEY "+keys["fish"]+"\n")
	ktWrite(t, filepath.Join(home, ".claude", "settings.json"), "{\n  \"apiKeyHelper\": \"~/bin/key.sh\",\n  \"env\": {\n    \"ANTHROPIC_API_KEY\": \""+keys["claude"]+"\"\n  }\n}\n")

	env := &Env{
		Home: home, Dir: dir,
		Vars:        map[string]string{"ANTHROPIC_API_KEY": keys["env"] + "\n", "MY_OLD_KEY": keys["old"], "PATH": "/bin"},
		StdinKey:    keys["stdin"],
		HasStdinKey: true,
	}
	cs := Discover(env)
	want := []struct {
		source string
		origin Origin
		name   string
		key    string
	}{
		{"stdin", OriginStdin, "", keys["stdin"]},
		{"env ANTHROPIC_API_KEY", OriginEnv, "ANTHROPIC_API_KEY", keys["env"]},
		{"env MY_OLD_KEY", OriginEnv, "MY_OLD_KEY", keys["old"]},
		{".env:1", OriginDotenv, "ANTHROPIC_API_KEY", keys["dotenv"]},
		{".env.local:2", OriginDotenv, "ANTHROPIC_API_KEY", keys["local"]},
		{"~/code/repo/.env:1", OriginDotenv, "CLAUDE_API_KEY", keys["parent"]},
		{"~/.bashrc:2", OriginShell, "ANTHROPIC_API_KEY", keys["bash"]},
		{"~/.zshrc:2", OriginShell, "ANTHROPIC_AUTH_TOKEN", oat},
		{"~/.config/fish/config.fish:1", OriginShell, "ANTHROPIC_API_KEY", keys["fish"]},
		{"~/.claude/settings.json:4", OriginClaude, "ANTHROPIC_API_KEY", keys["claude"]},
		{"~/.claude/settings.json:2", OriginClaude, VarHelper, ""},
	}
	if len(cs) != len(want) {
		t.Fatalf("got %d candidates %v, want %d", len(cs), ktSources(cs), len(want))
	}
	for i, w := range want {
		c := cs[i]
		if c.Source != w.source || c.Origin != w.origin || c.Var != w.name || c.Clean != w.key {
			t.Errorf("candidate %d = %s %s %s (clean %s), want %s %s %s (%s)", i, c.Source, c.Origin, c.Var, Hint(c.Clean),
				w.source, w.origin, w.name, Hint(w.key))
		}
		if w.key != "" && (c.Hint != Hint(w.key) || c.Kind != mustKind(w.key)) {
			t.Errorf("%s: hint %s kind %s", c.Source, c.Hint, c.Kind)
		}
	}
	if c := cs[1]; c.Value != keys["env"]+"\n" || c.Raw != c.Value || len(c.Issues) != 1 || c.Issues[0].Code != IssueNewline {
		t.Errorf("env value with a newline: issues %v", c.Issues)
	}
	if c := cs[4]; c.Raw != `"`+keys["local"]+`"` || c.Value != keys["local"] || c.Path != filepath.Join(dir, ".env.local") || c.Line != 2 {
		t.Errorf(".env.local: raw/value/path/line wrong: %s %d", c.Path, c.Line)
	}
	if c := cs[10]; c.Value != "" || c.Hint != "(not evaluated)" || len(c.Issues) != 1 || c.Issues[0].Code != IssueUnresolved {
		t.Errorf("apiKeyHelper candidate: %+v", c.Issues)
	}
	for _, c := range cs {
		if strings.Contains(c.Source, keys["beyond"][:20]) || c.Clean == keys["beyond"] {
			t.Errorf("the walk went past the directory holding .git: %s", c.Source)
		}
	}
	if got := ChooseActive(env, cs); got != 0 {
		t.Errorf("ChooseActive = %d, want the stdin key", got)
	}
	env.HasStdinKey = false
	cs = Discover(env)
	if got := ChooseActive(env, cs); got < 0 || cs[got].Source != "env ANTHROPIC_API_KEY" {
		t.Errorf("ChooseActive without stdin = %d (%v)", got, ktSources(cs))
	}
}

func mustKind(k string) KeyKind { kind, _ := Classify(k); return kind }

type ktWant struct {
	line     int
	name     string
	value    string
	raw      string
	exported bool
	codes    []string
}

// ktCheck compares candidates with what a table wants; values and raws use
// @K@, @K1@, @K2@ (API keys) and @T@ (an OAuth token) for generated keys.
func ktCheck(t *testing.T, cs []Candidate, want []ktWant, subst func(string) string) {
	t.Helper()
	if len(cs) != len(want) {
		t.Fatalf("got %d candidates %v, want %d", len(cs), ktSources(cs), len(want))
	}
	for i, w := range want {
		c := cs[i]
		var codes []string
		for _, is := range c.Issues {
			codes = append(codes, is.Code)
		}
		if c.Line != w.line || c.Var != w.name || c.Value != subst(w.value) || c.Raw != subst(w.raw) || c.Exported != w.exported || !slices.Equal(codes, w.codes) {
			t.Errorf("candidate %d: line %d var %s value %q raw %q exported %v codes %v;\n want line %d var %s value %q raw %q exported %v codes %v",
				i, c.Line, c.Var, ktUnsubst(c.Value, subst), ktUnsubst(c.Raw, subst), c.Exported, codes,
				w.line, w.name, w.value, w.raw, w.exported, w.codes)
		}
		ktNoKeyInIssues(t, c.Value, c.Issues)
	}
}

// ktUnsubst puts the placeholders back so failures never print a key.
func ktUnsubst(s string, subst func(string) string) string {
	for _, p := range []string{"@K1@", "@K2@", "@T@", "@K@"} {
		if k := subst(p); k != p {
			s = strings.ReplaceAll(s, k, p)
		}
	}
	return s
}

func ktSubst() func(string) string {
	r := strings.NewReplacer("@K1@", ktKey(PrefixAPI), "@K2@", ktKey(PrefixAPI), "@K@", ktKey(PrefixAPI), "@T@", ktKey(PrefixOAuthAccess))
	return r.Replace
}

func TestDiscoverDotenv(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    []ktWant
	}{
		{"plain", "ANTHROPIC_API_KEY=@K@\n", []ktWant{{1, VarAPIKey, "@K@", "@K@", false, nil}}},
		{"no final newline", "A=1\nANTHROPIC_API_KEY=@K@", []ktWant{{2, VarAPIKey, "@K@", "@K@", false, nil}}},
		{"CRLF line endings", "A=1\r\nANTHROPIC_API_KEY=@K@\r\n", []ktWant{{2, VarAPIKey, "@K@", "@K@\r", false, nil}}},
		{"double quotes and trailing spaces", "ANTHROPIC_API_KEY=\"@K@\"   \n", []ktWant{{1, VarAPIKey, "@K@", `"@K@"   `, false, nil}}},
		{"single quotes", "ANTHROPIC_API_KEY='@K@'\n", []ktWant{{1, VarAPIKey, "@K@", "'@K@'", false, nil}}},
		{"export and spaces around =", "export ANTHROPIC_API_KEY = @K@\n", []ktWant{{1, VarAPIKey, "@K@", " @K@", true, nil}}},
		{"commented-out lines", "# ANTHROPIC_API_KEY=@K1@\n   # ANTHROPIC_API_KEY=@K2@\nANTHROPIC_API_KEY=@K@\n", []ktWant{{3, VarAPIKey, "@K@", "@K@", false, nil}}},
		{"inline comment", "ANTHROPIC_API_KEY=@K@ # the new one\n", []ktWant{{1, VarAPIKey, "@K@", "@K@ # the new one", false, nil}}},
		{"escaped newline in double quotes", "ANTHROPIC_API_KEY=\"@K@\\n\"\n", []ktWant{{1, VarAPIKey, "@K@\n", `"@K@\n"`, false, []string{IssueNewline}}}},
		{"unquoted trailing spaces are trimmed", "ANTHROPIC_API_KEY=@K@  \t\n", []ktWant{{1, VarAPIKey, "@K@", "@K@  \t", false, nil}}},
		{"multi-line value hides its inner lines", "CERT=\"line one\nANTHROPIC_API_KEY=@K1@\n\"\nANTHROPIC_API_KEY=@K@\n", []ktWant{{4, VarAPIKey, "@K@", "@K@", false, nil}}},
		{"every assignment is a candidate", "ANTHROPIC_API_KEY=@K1@\nANTHROPIC_API_KEY=@K2@\n", []ktWant{{1, VarAPIKey, "@K1@", "@K1@", false, nil}, {2, VarAPIKey, "@K2@", "@K2@", false, nil}}},
		{"expansion from an earlier line", "BASE=@K@\nANTHROPIC_API_KEY=${BASE}\n", []ktWant{{1, "BASE", "@K@", "@K@", false, nil}, {2, VarAPIKey, "@K@", "${BASE}", false, nil}}},
		{"a line godotenv rejects", "this is not dotenv\nANTHROPIC_API_KEY=\"@K@\"\n", []ktWant{{2, VarAPIKey, "@K@", `"@K@"`, false, nil}}},
		{"yaml-style colon", "ANTHROPIC_API_KEY: @K@\n", []ktWant{{1, VarAPIKey, "@K@", " @K@", false, nil}}},
		{"smart quotes stay in the value", "ANTHROPIC_API_KEY=“@K@”\n", []ktWant{{1, VarAPIKey, "“@K@”", "“@K@”", false, []string{IssueSmartQuotes}}}},
		{"every name of interest", "ANTHROPIC_AUTH_TOKEN=@T@\nCLAUDE_CODE_OAUTH_TOKEN=@T@\nCLAUDE_API_KEY=@K@\nOLD_ANTHROPIC=@K1@\nOPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz\n",
			[]ktWant{{1, VarAuthToken, "@T@", "@T@", false, nil}, {2, VarOAuthToken, "@T@", "@T@", false, nil}, {3, "CLAUDE_API_KEY", "@K@", "@K@", false, nil}, {4, "OLD_ANTHROPIC", "@K1@", "@K1@", false, nil}}},
		{"empty value", "ANTHROPIC_API_KEY=\n", []ktWant{{1, VarAPIKey, "", "", false, []string{IssueEmpty}}}},
		{"empty file", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, dir := ktProject(t)
			subst := ktSubst()
			ktWrite(t, filepath.Join(dir, ".env"), subst(tt.content))
			ktCheck(t, Discover(&Env{Home: home, Dir: dir}), tt.want, subst)
		})
	}
}

func TestDiscoverExampleFiles(t *testing.T) {
	tests := []struct {
		content string
		found   bool
	}{
		{"ANTHROPIC_API_KEY=your-api-key-here\n", false},
		{"ANTHROPIC_API_KEY=sk-ant-api03-...\n", false},
		{"ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxx\n", false},
		{"ANTHROPIC_API_KEY=\n", false},
		{"ANTHROPIC_API_KEY=<your key>\n", false},
		{"ANTHROPIC_API_KEY=@K@\n", true},
		{"ANTHROPIC_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123\n", true},
	}
	for _, name := range []string{".env.example", ".env.sample"} {
		for _, tt := range tests {
			home, dir := ktProject(t)
			subst := ktSubst()
			ktWrite(t, filepath.Join(dir, name), subst(tt.content))
			if got := len(Discover(&Env{Home: home, Dir: dir})) == 1; got != tt.found {
				t.Errorf("%s %q: found %v, want %v", name, tt.content, got, tt.found)
			}
		}
	}
}

func TestDiscoverSkipsWhatItCannotRead(t *testing.T) {
	home, dir := ktProject(t)
	k := ktKey(PrefixAPI)
	// A binary file that happens to hold an assignment.
	bin := append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00"), []byte("\nANTHROPIC_API_KEY="+k+"\n")...)
	if err := os.WriteFile(filepath.Join(dir, ".env"), bin, 0o600); err != nil {
		t.Fatal(err)
	}
	// Mostly invalid UTF-8 without a NUL.
	ktWrite(t, filepath.Join(dir, ".env.development"), strings.Repeat("\xfe\xff\x80", 300)+"\nANTHROPIC_API_KEY="+k+"\n")
	// A Python virtualenv called .env.local is a directory.
	if err := os.MkdirAll(filepath.Join(dir, ".env.local", "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A FIFO would block a reader forever.
	if err := syscall.Mkfifo(filepath.Join(dir, ".env.test"), 0o600); err != nil {
		t.Logf("no FIFO: %v", err)
	}
	// A file larger than the cap: the key before it is found, the one past it is not.
	huge := "ANTHROPIC_API_KEY=" + k + "\n" + strings.Repeat("# "+strings.Repeat("x", 100)+"\n", MaxKeyFile/100) + "ANTHROPIC_AUTH_TOKEN=" + k + "\n"
	ktWrite(t, filepath.Join(dir, ".env.production"), huge)
	// A symlink to the key file is followed.
	ktWrite(t, filepath.Join(home, "secrets", "anthropic.env"), "ANTHROPIC_API_KEY="+k+"\n")
	if err := os.Symlink(filepath.Join(home, "secrets", "anthropic.env"), filepath.Join(dir, ".env.test.local")); err != nil {
		t.Fatal(err)
	}

	done := make(chan []Candidate)
	go func() { done <- Discover(&Env{Home: home, Dir: dir}) }()
	var cs []Candidate
	select {
	case cs = <-done:
	case <-time.After(time.Minute):
		t.Fatal("Discover blocked on a file")
	}
	got := ktSources(cs)
	want := []string{".env.production:1", ".env.test.local:1"}
	if !slices.Equal(got, want) {
		t.Errorf("sources = %v, want %v", got, want)
	}
}

func TestDiscoverWalk(t *testing.T) {
	k := ktKey(PrefixAPI)
	line := "ANTHROPIC_API_KEY=" + k + "\n"
	t.Run("stops at home", func(t *testing.T) {
		root := t.TempDir()
		home := filepath.Join(root, "home")
		dir := filepath.Join(home, "proj", "sub")
		ktWrite(t, filepath.Join(root, ".env"), line)
		ktWrite(t, filepath.Join(home, ".env"), line)
		ktWrite(t, filepath.Join(dir, ".env"), line)
		got := ktSources(Discover(&Env{Home: home, Dir: dir}))
		if want := []string{".env:1", "~/.env:1"}; !slices.Equal(got, want) {
			t.Errorf("sources = %v, want %v", got, want)
		}
	})
	t.Run("outside home: absolute labels, stops at .git", func(t *testing.T) {
		root := t.TempDir()
		repo := filepath.Join(root, "srv", "repo")
		dir := filepath.Join(repo, "svc")
		ktWrite(t, filepath.Join(repo, ".git"), "gitdir: elsewhere\n") // a worktree's .git is a file
		ktWrite(t, filepath.Join(repo, ".env.local"), line)
		ktWrite(t, filepath.Join(root, "srv", ".env"), line)
		ktWrite(t, filepath.Join(dir, ".env"), line)
		got := ktSources(Discover(&Env{Home: filepath.Join(root, "home"), Dir: dir}))
		if want := []string{".env:1", filepath.Join(repo, ".env.local") + ":1"}; !slices.Equal(got, want) {
			t.Errorf("sources = %v, want %v", got, want)
		}
	})
	t.Run("no home", func(t *testing.T) {
		_, dir := ktProject(t)
		ktWrite(t, filepath.Join(dir, ".env"), line)
		if got := ktSources(Discover(&Env{Dir: dir})); !slices.Equal(got, []string{".env:1"}) {
			t.Errorf("sources = %v", got)
		}
	})
}

func TestDiscoverShell(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		content string
		want    []ktWant
	}{
		{"export with double quotes", ".bashrc", "export ANTHROPIC_API_KEY=\"@K@\"\n", []ktWant{{1, VarAPIKey, "@K@", `"@K@"`, true, nil}}},
		{"assignment then export NAME", ".bash_profile", "ANTHROPIC_API_KEY=@K@\nexport ANTHROPIC_API_KEY\n", []ktWant{{1, VarAPIKey, "@K@", "@K@", true, nil}}},
		{"assignment not exported", ".profile", "ANTHROPIC_API_KEY='@K@'\n", []ktWant{{1, VarAPIKey, "@K@", "'@K@'", false, nil}}},
		{"declare -x", ".bash_login", "declare -x ANTHROPIC_API_KEY=@K@\n", []ktWant{{1, VarAPIKey, "@K@", "@K@", true, nil}}},
		{"two on one export", ".bashrc", "export A=1 ANTHROPIC_AUTH_TOKEN=@T@\n", []ktWant{{1, VarAuthToken, "@T@", "@T@", true, nil}}},
		{"prefix of a command is no assignment", ".bashrc", "ANTHROPIC_API_KEY=@K@ claude -p hi\n", nil},
		{"commented out", ".bashrc", "# export ANTHROPIC_API_KEY=@K@\n  #ANTHROPIC_API_KEY=@K@\n", nil},
		{"ANSI-C quoting with a newline", ".bashrc", "export ANTHROPIC_API_KEY=$'@K@\\n'\n", []ktWant{{1, VarAPIKey, "@K@\n", `$'@K@\n'`, true, []string{IssueNewline}}}},
		{"command substitution is not run", ".bashrc", "export ANTHROPIC_API_KEY=\"$(security find-generic-password -w)\"\n",
			[]ktWant{{1, VarAPIKey, "", `"$(security find-generic-password -w)"`, true, []string{IssueUnresolved}}}},
		{"from a variable of the file", ".bashrc", "PART=@K@\nexport ANTHROPIC_API_KEY=\"$PART\"\n", []ktWant{{1, "PART", "@K@", "@K@", false, nil}, {2, VarAPIKey, "@K@", `"$PART"`, true, nil}}},
		{"from an unknown variable", ".bashrc", "export ANTHROPIC_API_KEY=$NOWHERE_SET\n", []ktWant{{1, VarAPIKey, "", "$NOWHERE_SET", true, []string{IssueUnresolved}}}},
		{"default value", ".bashrc", "export ANTHROPIC_API_KEY=${NOWHERE_SET:-@K@}\n", []ktWant{{1, VarAPIKey, "@K@", "${NOWHERE_SET:-@K@}", true, nil}}},
		{"CRLF keeps a carriage return", ".bashrc", "export ANTHROPIC_API_KEY=@K@\r\n", []ktWant{{1, VarAPIKey, "@K@\r", "@K@\r", true, []string{IssueCR}}}},
		{"CRLF after quotes", ".bashrc", "export ANTHROPIC_API_KEY=\"@K@\"\r\n", []ktWant{{1, VarAPIKey, "@K@\r", `"@K@"`, true, []string{IssueCR}}}},
		{"inside an if", ".zshrc", "if [[ -o interactive ]]; then\n  export ANTHROPIC_API_KEY=@K@\nfi\n", []ktWant{{2, VarAPIKey, "@K@", "@K@", true, nil}}},
		{"zsh file", ".zshenv", "typeset -U path\npath=(~/bin $path)\nexport ANTHROPIC_API_KEY='@K@'\n", []ktWant{{3, VarAPIKey, "@K@", "'@K@'", true, nil}}},
		{"file that does not parse", ".zprofile", "if [ -n \"$X\" ; then\nexport ANTHROPIC_API_KEY=@K@\n", []ktWant{{2, VarAPIKey, "@K@", "@K@", true, nil}}},
		{"line that does not parse", ".bashrc", "fi fi (\nexport ANTHROPIC_API_KEY=\"@K@\n", []ktWant{{2, VarAPIKey, "", `"@K@`, true, []string{IssueUnresolved}}}},
		{"other name holding a key", ".zlogin", "export OLD_CLAUDE=@K1@\nexport EDITOR=vim\n", []ktWant{{1, "OLD_CLAUDE", "@K1@", "@K1@", true, nil}}},
		{"fish set -gx", ".config/fish/config.fish", "set -gx ANTHROPIC_API_KEY @K@\n", []ktWant{{1, VarAPIKey, "@K@", "@K@", true, nil}}},
		{"fish quotes and comment", ".config/fish/config.fish", "if status is-interactive\n    set -x ANTHROPIC_API_KEY '@K@' # work\nend\n", []ktWant{{2, VarAPIKey, "@K@", "'@K@' # work", true, nil}}},
		{"fish long options", ".config/fish/config.fish", "set --global --export ANTHROPIC_API_KEY \"@K@\"\n", []ktWant{{1, VarAPIKey, "@K@", `"@K@"`, true, nil}}},
		{"fish not exported", ".config/fish/config.fish", "set -g ANTHROPIC_API_KEY @K@\n", []ktWant{{1, VarAPIKey, "@K@", "@K@", false, nil}}},
		{"fish erase and comment", ".config/fish/config.fish", "set -e ANTHROPIC_API_KEY\n# set -gx ANTHROPIC_API_KEY @K@\n", nil},
		{"fish command substitution", ".config/fish/config.fish", "set -Ux ANTHROPIC_API_KEY (cat ~/.key)\n", []ktWant{{1, VarAPIKey, "", "(cat ~/.key)", true, []string{IssueUnresolved}}}},
		{"fish variable", ".config/fish/config.fish", "set -gx ANTHROPIC_API_KEY \"$OTHER\"\n", []ktWant{{1, VarAPIKey, "", `"$OTHER"`, true, []string{IssueUnresolved}}}},
		{"fish export", ".config/fish/config.fish", "export ANTHROPIC_AUTH_TOKEN=@T@\n", []ktWant{{1, VarAuthToken, "@T@", "@T@", true, nil}}},
		{"fish conf.d", ".config/fish/conf.d/anthropic.fish", "set -gx ANTHROPIC_API_KEY @K@\n", []ktWant{{1, VarAPIKey, "@K@", "@K@", true, nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, dir := ktProject(t)
			subst := ktSubst()
			ktWrite(t, filepath.Join(home, tt.file), subst(tt.content))
			cs := Discover(&Env{Home: home, Dir: dir})
			ktCheck(t, cs, tt.want, subst)
			for _, c := range cs {
				if want := "~/" + tt.file + ":"; !strings.HasPrefix(c.Source, want) || c.Origin != OriginShell {
					t.Errorf("source %s origin %s, want %s…", c.Source, c.Origin, want)
				}
			}
		})
	}
}

func TestDiscoverZDOTDIR(t *testing.T) {
	home, dir := ktProject(t)
	k := ktKey(PrefixAPI)
	ktWrite(t, filepath.Join(home, ".config", "zsh", ".zshrc"), "export ANTHROPIC_API_KEY="+k+"\n")
	cs := Discover(&Env{Home: home, Dir: dir, Vars: map[string]string{"ZDOTDIR": filepath.Join(home, ".config", "zsh")}})
	if got := ktSources(cs); !slices.Equal(got, []string{"~/.config/zsh/.zshrc:1"}) {
		t.Errorf("sources = %v", got)
	}
}

func TestDiscoverClaudeSettings(t *testing.T) {
	k, tok := ktKey(PrefixAPI), ktKey(PrefixOAuthAccess)
	settings := func(v any) string {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name    string
		file    string // under the project; "~/" for home
		content string
		want    []string // sources
	}{
		{"env block", "~/.claude/settings.json", settings(map[string]any{"env": map[string]any{"ANTHROPIC_AUTH_TOKEN": tok, "ANTHROPIC_API_KEY": k, "DISABLE_TELEMETRY": "1"}}),
			[]string{"~/.claude/settings.json:3", "~/.claude/settings.json:4"}},
		{"helper only", "~/.claude/settings.json", settings(map[string]any{"apiKeyHelper": "~/bin/key.sh"}), []string{"~/.claude/settings.json:2"}},
		{"project local settings", ".claude/settings.local.json", settings(map[string]any{"env": map[string]any{"ANTHROPIC_API_KEY": k}}), []string{".claude/settings.local.json:3"}},
		{"not a string", "~/.claude/settings.json", `{"env": {"ANTHROPIC_API_KEY": 12}}`, nil},
		{"broken JSON", "~/.claude/settings.json", `{"env": {"ANTHROPIC_API_KEY": "` + k + `"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, dir := ktProject(t)
			path := filepath.Join(dir, tt.file)
			if rest, ok := strings.CutPrefix(tt.file, "~/"); ok {
				path = filepath.Join(home, rest)
			}
			ktWrite(t, path, tt.content)
			cs := Discover(&Env{Home: home, Dir: dir})
			if got := ktSources(cs); !slices.Equal(got, tt.want) {
				t.Fatalf("sources = %v, want %v", got, tt.want)
			}
			for _, c := range cs {
				if c.Origin != OriginClaude {
					t.Errorf("%s: origin %s", c.Source, c.Origin)
				}
				switch c.Var {
				case VarAPIKey:
					if c.Value != k || c.Kind != KindAPI {
						t.Errorf("%s: wrong value", c.Source)
					}
				case VarAuthToken:
					if c.Value != tok || c.Kind != KindOAuth {
						t.Errorf("%s: wrong value", c.Source)
					}
				case VarHelper:
					if c.Value != "" || c.Raw != "~/bin/key.sh" || !slices.ContainsFunc(c.Issues, func(i Issue) bool { return i.Code == IssueUnresolved }) {
						t.Errorf("helper candidate: %+v", c)
					}
				default:
					t.Errorf("unexpected variable %s", c.Var)
				}
			}
		})
	}
}

func TestChooseActive(t *testing.T) {
	dir := "/home/u/code/app"
	type cand struct {
		origin Origin
		name   string
		path   string
		line   int
		value  string
	}
	stdin := cand{OriginStdin, "", "", 0, "s"}
	envKey := cand{OriginEnv, VarAPIKey, "", 0, "e"}
	envEmpty := cand{OriginEnv, VarAPIKey, "", 0, ""}
	envTok := cand{OriginEnv, VarAuthToken, "", 0, "t"}
	dot := func(file string, line int, name string) cand {
		return cand{OriginDotenv, name, file, line, "d"}
	}
	tests := []struct {
		name  string
		stdin bool
		cands []cand
		want  int
	}{
		{"nothing", false, nil, -1},
		{"stdin first", true, []cand{envKey, stdin}, 1},
		{"stdin candidate ignored without the flag", false, []cand{stdin, envKey}, 1},
		{"environment beats .env", false, []cand{dot(dir+"/.env", 1, VarAPIKey), envKey}, 1},
		{"empty environment value is skipped", false, []cand{envEmpty, dot(dir+"/.env", 1, VarAPIKey)}, 1},
		{".env.local beats .env", false, []cand{dot(dir+"/.env", 1, VarAPIKey), dot(dir+"/.env.local", 1, VarAPIKey)}, 1},
		{".env.development.local beats .env.local", false, []cand{dot(dir+"/.env.local", 1, VarAPIKey), dot(dir+"/.env.development.local", 9, VarAPIKey)}, 1},
		{"nearest directory wins", false, []cand{dot(dir+"/.env", 1, VarAPIKey), dot("/home/u/code/.env.local", 1, VarAPIKey)}, 0},
		{"last assignment in the file wins", false, []cand{dot(dir+"/.env", 2, VarAPIKey), dot(dir+"/.env", 7, VarAPIKey), dot(dir+"/.env", 5, VarAPIKey)}, 1},
		{"example and production files are not loaded", false, []cand{dot(dir+"/.env.example", 1, VarAPIKey), dot(dir+"/.env.production", 1, VarAPIKey)}, -1},
		{"misnamed variable is not loaded", false, []cand{dot(dir+"/.env", 1, "CLAUDE_API_KEY")}, -1},
		{"shell and Claude settings are not loaded", false, []cand{{OriginShell, VarAPIKey, "/home/u/.zshrc", 3, "z"}, {OriginClaude, VarAPIKey, "/home/u/.claude/settings.json", 2, "c"}}, -1},
		{"auth token alone", false, []cand{{OriginShell, VarAPIKey, "/home/u/.zshrc", 3, "z"}, envTok}, 1},
		{"a .env API key beats an environment auth token", false, []cand{envTok, dot(dir+"/.env", 1, VarAPIKey)}, 1},
		{"auth token from .env", false, []cand{dot(dir+"/.env", 1, VarAuthToken)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cs []Candidate
			for _, c := range tt.cands {
				cs = append(cs, Candidate{Origin: c.origin, Var: c.name, Path: c.path, Line: c.line, Value: c.value})
			}
			if got := ChooseActive(&Env{Dir: dir, HasStdinKey: tt.stdin}, cs); got != tt.want {
				t.Errorf("ChooseActive = %d, want %d", got, tt.want)
			}
		})
	}
}

func FuzzDotenvScan(f *testing.F) {
	k := ktKey(PrefixAPI)
	for _, s := range []string{
		"ANTHROPIC_API_KEY=" + k + "\n",
		"export ANTHROPIC_API_KEY=\"" + k + "\"\r\n# c\nX='y'\n",
		"A=\"multi\nline\"\nANTHROPIC_AUTH_TOKEN='" + k + "\n",
		"ANTHROPIC_API_KEY: ${A}\\n\n=\n\"\n'",
		"\x00\xff\xfeANTHROPIC_API_KEY=" + k,
		"CLAUDE_API_KEY=sk-ant-" + k + " # x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := discovery{env: &Env{}, home: "/home/u", dir: "/home/u/p"}
		cs := d.scanDotenv("/home/u/p/.env", data, false)
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, c := range cs {
			if c.Line < 1 || c.Line > lines || !strings.HasPrefix(c.Source, ".env:") {
				t.Fatalf("bad position: %s line %d of %d", c.Source, c.Line, lines)
			}
			for _, secret := range []string{c.Value, c.Raw} {
				ktNoKeyInIssues(t, secret, c.Issues)
				ktNoKeyInIssues(t, secret, []Issue{{Code: "source", Detail: c.Source}})
			}
			if c.Hint != Hint(c.Clean) {
				t.Fatalf("hint not from the cleaned value")
			}
		}
	})
}

func FuzzShellScan(f *testing.F) {
	k := ktKey(PrefixAPI)
	for _, s := range []string{
		"export ANTHROPIC_API_KEY=\"" + k + "\"\n",
		"A=" + k + "\nexport ANTHROPIC_AUTH_TOKEN=${A:-x}$'\\n'\r\n",
		"if [[ $x ]]; then\n declare -x ANTHROPIC_API_KEY=$(cat k)\nfi",
		"set -gx ANTHROPIC_API_KEY '" + k + "' # c\nset -e X\nexport ANTHROPIC_API_KEY=\"$Y\"",
		"ANTHROPIC_API_KEY=${(s.:.)X} ${=Y} $((1+2)) <(ls)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d := discovery{env: &Env{Vars: map[string]string{"Y": "y"}}, home: "/home/u", dir: "/home/u/p"}
		var cs []Candidate
		cs = append(cs, d.scanShell("/home/u/.bashrc", []byte(src), syntax.LangBash)...)
		cs = append(cs, d.scanShell("/home/u/.zshrc", []byte(src), syntax.LangZsh)...)
		cs = append(cs, d.scanFish("/home/u/.config/fish/config.fish", []byte(src))...)
		lines := strings.Count(src, "\n") + 1
		for _, c := range cs {
			if c.Line < 1 || c.Line > lines || !strings.HasPrefix(c.Source, "~/") {
				t.Fatalf("bad position: %s line %d of %d", c.Source, c.Line, lines)
			}
			for _, secret := range []string{c.Value, c.Raw} {
				ktNoKeyInIssues(t, secret, c.Issues)
			}
		}
	})
}

// BenchmarkDiscover runs over a home with every kind of file and a project
// three directories deep.
func BenchmarkDiscover(b *testing.B) {
	root := b.TempDir()
	home := filepath.Join(root, "home")
	dir := filepath.Join(home, "code", "repo", "app")
	k := ktKey(PrefixAPI)
	files := map[string]string{
		filepath.Join(dir, ".env"):                            "A=1\nANTHROPIC_API_KEY=" + k + "\n",
		filepath.Join(dir, ".env.local"):                      "ANTHROPIC_API_KEY=\"" + k + "\"\n",
		filepath.Join(home, "code", "repo", ".git", "HEAD"):   "ref: refs/heads/main\n",
		filepath.Join(home, ".bashrc"):                        strings.Repeat("alias x='ls'\n", 200) + "export ANTHROPIC_API_KEY=" + k + "\n",
		filepath.Join(home, ".zshrc"):                         strings.Repeat("setopt foo\n", 200) + "export ANTHROPIC_API_KEY='" + k + "'\n",
		filepath.Join(home, ".config", "fish", "config.fish"): "set -gx ANTHROPIC_API_KEY " + k + "\n",
		filepath.Join(home, ".claude", "settings.json"):       `{"env": {"ANTHROPIC_API_KEY": "` + k + `"}}`,
	}
	for p, c := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(c), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	env := &Env{Home: home, Dir: dir, Vars: map[string]string{"ANTHROPIC_API_KEY": k}}
	for b.Loop() {
		if len(Discover(env)) != 7 {
			b.Fatal("wrong candidate count")
		}
	}
}
