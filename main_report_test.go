package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe/stub"
)

// TestReportOutputFile: report -o replaces an existing file with a new
// one, readable only by its owner, and never writes through a symlink.
func TestReportOutputFile(t *testing.T) {
	in := newInvocation(t)
	s := in.stubbed(stub.Options{Scenario: stub.Revoked})
	in.vars["ANTHROPIC_API_KEY"] = stub.NewAPIKey()
	dir := t.TempDir()

	t.Run("an existing 0644 file becomes 0600", func(t *testing.T) {
		out := filepath.Join(dir, "summary.md")
		if err := os.WriteFile(out, []byte(strings.Repeat("old report\n", 1000)), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := in.run(append([]string{"report", "-o", out}, in.flags(s)...)...); got != exitProblem {
			t.Fatalf("exit %d: %s", got, in.stderr.String())
		}
		st, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(out)
		if st.Mode().Perm() != 0o600 || strings.Contains(string(b), "old report") || !strings.Contains(string(b), "key_rejected") {
			t.Errorf("mode %v, content:\n%.300s", st.Mode().Perm(), b)
		}
	})
	t.Run("a symlink is not written through", func(t *testing.T) {
		target := filepath.Join(dir, "bashrc")
		if err := os.WriteFile(target, []byte("alias ll='ls -l'\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "link.md")
		if err := os.Symlink(target, out); err != nil {
			t.Fatal(err)
		}
		before := len(s.Requests())
		got := in.run(append([]string{"report", "-o", out}, in.flags(s)...)...)
		if got != exitProblem || !strings.Contains(in.stderr.String(), "is a symlink: nothing was written") {
			t.Errorf("exit %d, stderr %q", got, in.stderr.String())
		}
		if b, _ := os.ReadFile(target); string(b) != "alias ll='ls -l'\n" {
			t.Errorf("the target changed: %q", b)
		}
		if st, err := os.Lstat(out); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Error("the link was replaced")
		}
		if n := len(s.Requests()) - before; n > 0 {
			t.Errorf("%d requests made before refusing the output file", n)
		}
	})
	t.Run("a directory", func(t *testing.T) {
		if got := in.run(append([]string{"report", "-o", dir}, in.flags(s)...)...); got != exitProblem || !strings.Contains(in.stderr.String(), "a directory") {
			t.Errorf("exit %d, stderr %q", got, in.stderr.String())
		}
	})
}
