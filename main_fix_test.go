package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
	"github.com/fix401/fix401/steps/fix"
	"github.com/fix401/fix401/ui/apply"
)

// handPlan is a small planner for the flow tests: it comments out every
// ANTHROPIC_API_KEY export in ~/.zshrc and drops a \n inside the .env
// key's quotes, reading through apply.Read as the real one does.
func handPlan(r *probe.Report, d steps.Diagnosis, env *probe.Env, c common) fix.Plan {
	var p fix.Plan
	zshrc := filepath.Join(env.Home, ".zshrc")
	if b, err := apply.Read(zshrc); err == nil {
		var out []string
		for _, l := range strings.SplitAfter(string(b), "\n") {
			if strings.HasPrefix(l, "export ANTHROPIC_API_KEY=") {
				l = "# " + l
			}
			out = append(out, l)
		}
		if a := strings.Join(out, ""); a != string(b) {
			p.Changes = append(p.Changes, fix.Change{Path: zshrc, Before: b, After: []byte(a),
				Why: []fix.Reason{{Code: d.Code, Title: "comment out the stale export"}}})
			if _, ok := env.Vars["ANTHROPIC_API_KEY"]; ok {
				p.Manual = append(p.Manual, fix.Manual{Code: d.Code, Title: "clear the old key in this shell", Command: "unset ANTHROPIC_API_KEY"})
			}
		}
	}
	dotenv := filepath.Join(env.Dir, ".env")
	if b, err := apply.Read(dotenv); err == nil {
		if a := bytes.Replace(b, []byte(`\n"`), []byte(`"`), 1); !bytes.Equal(a, b) {
			p.Changes = append(p.Changes, fix.Change{Path: dotenv, Before: b, After: a,
				Why: []fix.Reason{{Code: d.Code, Title: "drop the \\n inside the quotes"}}})
		}
	}
	return p
}

func withPlanner(t *testing.T, f func(*probe.Report, steps.Diagnosis, *probe.Env, common) fix.Plan) {
	t.Helper()
	old := makePlan
	makePlan = f
	t.Cleanup(func() { makePlan = old })
}

// shadowed is the demo's story: an old key exported in ~/.zshrc (and so in
// this shell) hides the new one in .env.
func shadowed(t *testing.T, in *invocation) (old, fresh string, s *stub.Server) {
	old, fresh = stub.NewAPIKey(), stub.NewAPIKey()
	s = in.stubbed(stub.Options{ValidKeys: []string{fresh}, RevokedKeys: []string{old}})
	in.vars["ANTHROPIC_API_KEY"] = old
	in.vars["SHELL"] = "/bin/zsh"
	write(t, filepath.Join(in.home, ".zshrc"), "alias ll='ls -l'\nexport ANTHROPIC_API_KEY=\""+old+"\"\nexport EDITOR=vi\n")
	write(t, filepath.Join(in.dir, ".env"), "ANTHROPIC_API_KEY="+fresh+"\n")
	return old, fresh, s
}

func TestFixShadowed(t *testing.T) {
	withPlanner(t, handPlan)
	in := newInvocation(t)
	old, fresh, s := shadowed(t, in)
	zshrc := filepath.Join(in.home, ".zshrc")
	was, _ := os.ReadFile(zshrc)

	got := in.run(append([]string{"fix", "--yes"}, in.flags(s)...)...)
	out := in.stdout.String()
	t.Log(out, in.stderr.String())
	for _, k := range []string{old, fresh} {
		assertNoKey(t, out+in.stderr.String(), k)
	}
	if got != exitProblem {
		t.Errorf("exit %d; this shell still has the old key, so something is left by hand", got)
	}
	now, _ := os.ReadFile(zshrc)
	if !bytes.Contains(now, []byte("# export ANTHROPIC_API_KEY=")) {
		t.Fatalf(".zshrc not changed:\n%s", now)
	}
	for _, want := range []string{"key_shadowed", "-export ANTHROPIC_API_KEY=\"" + probe.Hint(old), "+# export ANTHROPIC_API_KEY=",
		"Before: " + steps.Mark(probe.Fail) + " key_shadowed", "After (a new terminal): " + steps.Mark(probe.Pass) + " ok", "unset ANTHROPIC_API_KEY", "Changed ~/.zshrc", "fix401 fix --undo"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}

	// (A second fix with the real planner changes nothing:
	// TestFixDemoStories. This one's plan is written by hand.)

	// Undo puts it back byte for byte; twice is a no-op that says so.
	if got := in.run("fix", "--undo", "--dir", in.dir); got != exitOK {
		t.Fatalf("undo: exit %d %s", got, in.stderr.String())
	}
	back, _ := os.ReadFile(zshrc)
	if !bytes.Equal(back, was) {
		t.Errorf("undo left:\n%s", back)
	}
	if !strings.Contains(in.stdout.String(), "Restored ~/.zshrc") {
		t.Errorf("undo said: %s", in.stdout.String())
	}
	if got := in.run("fix", "--undo", "--dir", in.dir); got != exitOK || !strings.Contains(in.stdout.String(), "undone already") {
		t.Errorf("second undo: exit %d: %s", got, in.stdout.String())
	}
}

func TestFixTrailingNewline(t *testing.T) {
	withPlanner(t, handPlan)
	in := newInvocation(t)
	k := stub.NewAPIKey()
	s := in.stubbed(stub.Options{ValidKeys: []string{k}})
	env := filepath.Join(in.dir, ".env")
	before := "WEATHER_CITY=Berlin\r\nANTHROPIC_API_KEY=\"" + k + "\\n\"\r\n"
	write(t, env, before)
	if err := os.Chmod(env, 0o640); err != nil {
		t.Fatal(err)
	}
	got := in.run(append([]string{"fix", "--yes"}, in.flags(s)...)...)
	out := in.stdout.String()
	t.Log(out, in.stderr.String())
	assertNoKey(t, out+in.stderr.String(), k)
	if got != exitOK {
		t.Errorf("exit %d, want 0: fixed and nothing left", got)
	}
	b, _ := os.ReadFile(env)
	if want := "WEATHER_CITY=Berlin\r\nANTHROPIC_API_KEY=\"" + k + "\"\r\n"; string(b) != want {
		t.Errorf(".env now %q", b)
	}
	if st, _ := os.Stat(env); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v", st.Mode())
	}
	for _, want := range []string{"key_malformed", "After: " + steps.Mark(probe.Pass) + " ok", "Fixed: the key works."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if got := in.run("fix", "--undo", "--dir", in.dir); got != exitOK {
		t.Fatal(in.stderr.String())
	}
	if b, _ := os.ReadFile(env); string(b) != before {
		t.Errorf("undo left %q", b)
	}
	if st, _ := os.Stat(env); st.Mode().Perm() != 0o640 {
		t.Errorf("mode after undo %v", st.Mode())
	}
}

func TestFixAsksAndDryRunChangesNothing(t *testing.T) {
	withPlanner(t, handPlan)
	in := newInvocation(t)
	_, _, s := shadowed(t, in)
	zshrc := filepath.Join(in.home, ".zshrc")
	was, _ := os.ReadFile(zshrc)
	cases := []struct {
		name  string
		tty   bool
		stdin string
		args  []string
		want  string
	}{
		{"dry run", false, "", []string{"--dry-run"}, "Dry run: 1 file change not applied"},
		{"no terminal", false, "y\n", nil, "no terminal to ask on"},
		{"answered no", true, "n\n", nil, "Apply 1 file change? [y/N] Not applied"},
		{"no answer", true, "", nil, "Not applied"},
	}
	for _, tc := range cases {
		in.tty, in.stdin = tc.tty, tc.stdin
		got := in.run(append(append([]string{"fix"}, tc.args...), in.flags(s)...)...)
		if got != exitProblem || !strings.Contains(in.stdout.String(), tc.want) {
			t.Errorf("%s: exit %d, output:\n%s", tc.name, got, in.stdout.String())
		}
		if now, _ := os.ReadFile(zshrc); !bytes.Equal(now, was) {
			t.Fatalf("%s changed .zshrc", tc.name)
		}
		if !strings.Contains(in.stdout.String(), "+# export ANTHROPIC_API_KEY=") {
			t.Errorf("%s: no diff shown", tc.name)
		}
	}
	in.tty, in.stdin = true, "y\n"
	if in.run(append([]string{"fix"}, in.flags(s)...)...); !strings.Contains(in.stdout.String(), "Changed ~/.zshrc") {
		t.Errorf("answered yes:\n%s", in.stdout.String())
	}
}

func TestFixNothingToDo(t *testing.T) {
	withPlanner(t, handPlan)
	in := newInvocation(t)
	k := stub.NewAPIKey()
	s := in.stubbed(stub.Options{ValidKeys: []string{k}})
	in.vars["ANTHROPIC_API_KEY"] = k
	if got := in.run(append([]string{"fix"}, in.flags(s)...)...); got != exitOK || !strings.Contains(in.stdout.String(), "Nothing to fix") {
		t.Errorf("exit %d:\n%s", got, in.stdout.String())
	}
	if got := in.run("fix", "--undo", "--dir", in.dir); got != exitOK || !strings.Contains(in.stdout.String(), "Nothing to undo") {
		t.Errorf("undo with no fix: exit %d:\n%s", got, in.stdout.String())
	}
}

func TestFixUsage(t *testing.T) {
	in := newInvocation(t)
	for _, args := range [][]string{{"--undo", "--dry-run"}, {"--force"}, {"--dry-run", "--yes"}, {"extra"}} {
		if got := in.run(append([]string{"fix", "--dir", in.dir}, args...)...); got != exitUsage {
			t.Errorf("fix %v: exit %d", args, got)
		}
	}
	if got := in.run("fix", "--help"); got != exitOK || !strings.Contains(in.stdout.String(), "--undo") || !strings.Contains(in.stdout.String(), "Exit status") {
		t.Errorf("fix --help: %d\n%s", got, in.stdout.String())
	}
}

// The demos' two stories, through the real planner, end to end: fixed,
// checked again, twice changes nothing, undone byte for byte.
func TestFixDemoStories(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, in *invocation) (keys []string, s *stub.Server)
		files []string // relative to home
		want  []string
		exit  int
	}{
		{"shadowed", func(t *testing.T, in *invocation) ([]string, *stub.Server) {
			old, fresh, s := shadowed(t, in)
			return []string{old, fresh}, s
		}, []string{".zshrc", "app/.env", "app/.gitignore"},
			[]string{"-export ANTHROPIC_API_KEY=", "+# disabled by fix401", "unset ANTHROPIC_API_KEY"}, exitProblem},
		{"trailing newline", func(t *testing.T, in *invocation) ([]string, *stub.Server) {
			k := stub.NewAPIKey()
			s := in.stubbed(stub.Options{ValidKeys: []string{k}})
			write(t, filepath.Join(in.dir, ".env"), "WEATHER_CITY=Berlin\nANTHROPIC_API_KEY=\""+k+"\\n\"\n")
			write(t, filepath.Join(in.dir, ".gitignore"), ".env\n")
			return []string{k}, s
		}, []string{"app/.env", "app/.gitignore"},
			[]string{"key_malformed", "Fixed: the key works."}, exitOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := newInvocation(t)
			keys, s := tc.setup(t, in)
			was := snapshot(t, in.home, tc.files)
			got := in.run(append([]string{"fix", "--yes"}, in.flags(s)...)...)
			out := in.stdout.String() + in.stderr.String()
			for _, k := range keys {
				assertNoKey(t, out, k)
			}
			if got != tc.exit {
				t.Errorf("exit %d, want %d:\n%s", got, tc.exit, out)
			}
			for _, w := range append(tc.want, "After", steps.Mark(probe.Pass)+" ok") {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			fixed := snapshot(t, in.home, tc.files)
			if fixed == was {
				t.Fatal("nothing changed")
			}
			// Every key is still in some file: a working key is never removed.
			for _, k := range keys {
				if !strings.Contains(fixed, k) {
					t.Errorf("a key was removed from the files")
				}
			}
			// Twice: the second run has nothing to change.
			in.run(append([]string{"fix", "--yes"}, in.flags(s)...)...)
			if again := snapshot(t, in.home, tc.files); again != fixed {
				t.Errorf("the second fix changed files:\n%s", in.stdout.String())
			}
			if strings.Contains(in.stdout.String(), "Changed ") {
				t.Errorf("the second fix reports a change:\n%s", in.stdout.String())
			}
			if got := in.run("fix", "--undo", "--dir", in.dir); got != exitOK {
				t.Fatalf("undo: %s", in.stderr.String())
			}
			if back := snapshot(t, in.home, tc.files); back != was {
				t.Errorf("undo is not exact:\n%s\nwant\n%s", back, was)
			}
		})
	}
}

// snapshot is the bytes and modes of files (relative to home), missing
// ones included, as one comparable string.
func snapshot(t *testing.T, home string, files []string) string {
	t.Helper()
	var b strings.Builder
	for _, f := range files {
		p := filepath.Join(home, f)
		st, err := os.Lstat(p)
		if err != nil {
			b.WriteString(f + ": missing\n")
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(f + " " + st.Mode().String() + ":\n" + string(data) + "\n")
	}
	return b.String()
}

func TestFixQuestionEndsOnInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe() // an answer that never comes
	defer w.Close()
	done := make(chan bool)
	go func() {
		yes, asked := confirm(ctx, r)
		done <- yes || asked
	}()
	cancel()
	if <-done {
		t.Error("an interrupted question counts as answered")
	}
	if yes, asked := confirm(context.Background(), strings.NewReader("Yes\n")); !yes || !asked {
		t.Error("Yes is a yes")
	}
	if yes, _ := confirm(context.Background(), strings.NewReader("yep\n")); yes {
		t.Error("only y or yes applies")
	}
}

// A key given on stdin that works is saved where the app reads it; the
// diff, the verification and the manifest never show it.
func TestFixSavesAKeyGivenOnStdin(t *testing.T) {
	in := newInvocation(t)
	k := stub.NewAPIKey()
	s := in.stubbed(stub.Options{ValidKeys: []string{k}})
	in.stdin = k + "\n"
	in.progress = true // stderr is a terminal: progress there, never on stdout
	got := in.run(append([]string{"fix", "--key-stdin", "--yes"}, in.flags(s)...)...)
	if !strings.Contains(in.stderr.String(), "checking again…") || !strings.HasSuffix(in.stderr.String(), "\r\x1b[K") || strings.Contains(in.stdout.String(), "checking") {
		t.Errorf("progress: stderr %q", in.stderr.String())
	}
	out := in.stdout.String() + in.stderr.String()
	assertNoKey(t, out, k)
	if got != exitOK {
		t.Errorf("exit %d:\n%s", got, out)
	}
	b, err := os.ReadFile(filepath.Join(in.dir, ".env"))
	if err != nil || !strings.Contains(string(b), "ANTHROPIC_API_KEY="+k) {
		t.Fatalf(".env: %q %v", b, err)
	}
	if !strings.Contains(out, "+ANTHROPIC_API_KEY="+probe.Hint(k)) || !strings.Contains(out, "from .env") {
		t.Errorf("output:\n%s", out)
	}
	rec, err := apply.Latest(apply.DefaultStateDir(in.vars, in.home))
	if err != nil || rec.ID == "" {
		t.Fatalf("no run recorded: %v", err)
	}
	m, _ := os.ReadFile(filepath.Join(rec.Dir, "manifest.json"))
	assertNoKey(t, string(m), k)
}

// Broken keys in every shape pass through the plan's diffs masked: a
// zero-width space or a CR inside the quotes must not split a key into
// pieces the redactor misses.
func TestFixNeverShowsAKey(t *testing.T) {
	for i, shape := range []string{"%s\\n", "%s\r", "%s\u200b", " %s ", "\u200b%s", "%s\\r\\n", "'%s'"} {
		in := newInvocation(t)
		k, shell := stub.NewAPIKey(), stub.NewAPIKey()
		s := in.stubbed(stub.Options{ValidKeys: []string{k}})
		write(t, filepath.Join(in.dir, ".env"), "ANTHROPIC_API_KEY=\""+strings.Replace(shape, "%s", k, 1)+"\"\n")
		write(t, filepath.Join(in.home, ".zshrc"), "export ANTHROPIC_AUTH_TOKEN="+shell+"\n")
		in.vars["ANTHROPIC_AUTH_TOKEN"] = shell
		for _, args := range [][]string{{"fix", "--dry-run"}, {"fix", "--yes"}, {"fix", "--undo"}} {
			in.run(append(args, in.flags(s)...)...)
			out := in.stdout.String() + in.stderr.String()
			assertNoKey(t, out, k)
			assertNoKey(t, out, shell)
			if i == 0 && args[1] == "--dry-run" && !strings.Contains(out, "@@") {
				t.Errorf("no diff to check:\n%s", out)
			}
		}
	}
}

// A fix that does not fix it says so and offers the undo.
func TestFixThatDoesNotFixSaysSo(t *testing.T) {
	in := newInvocation(t)
	k := stub.NewAPIKey()
	s := in.stubbed(stub.Options{RevokedKeys: []string{k}, ValidKeys: []string{stub.NewAPIKey()}})
	env := filepath.Join(in.dir, ".env")
	write(t, env, "ANTHROPIC_API_KEY="+k+"\n")
	withPlanner(t, func(r *probe.Report, d steps.Diagnosis, e *probe.Env, c common) fix.Plan {
		b, err := apply.Read(env)
		if err != nil {
			t.Fatal(err)
		}
		return fix.Plan{Changes: []fix.Change{{Path: env, Before: b, After: append([]byte("# tidied\n"), b...),
			Why: []fix.Reason{{Code: d.Code, Title: "a change that changes nothing that matters"}}}}}
	})
	got := in.run(append([]string{"fix", "--yes"}, in.flags(s)...)...)
	out := in.stdout.String()
	assertNoKey(t, out+in.stderr.String(), k)
	if got != exitProblem {
		t.Errorf("exit %d", got)
	}
	for _, want := range []string{"Before: " + steps.Mark(probe.Fail) + " key_rejected", "After: " + steps.Mark(probe.Fail) + " key_rejected",
		"The fix did not fix it", "fix401 fix --undo"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
