package fix

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"mvdan.cc/sh/v3/syntax"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps"
)

// clock is the fixed time every test plan is made at.
var clock = time.Date(2026, 11, 29, 10, 30, 0, 0, time.UTC)

// readFile is the test's Reader: the file as it is, never through a
// symlink (the applier's rule too).
func readFile(path string) ([]byte, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	return os.ReadFile(path)
}

// world is one simulated machine: a home, a project in it (a git
// repository), variables, and the stub API on loopback.
type world struct {
	t    *testing.T
	env  *probe.Env
	stub *stub.Server
	keys []string
}

func newWorld(t *testing.T, opts stub.Options) *world {
	t.Helper()
	root := t.TempDir()
	home := filepath.Join(root, "home")
	dir := filepath.Join(home, "project")
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := stub.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return &world{t: t, stub: s, env: &probe.Env{
		Vars: map[string]string{"HOME": home}, Home: home, Dir: dir,
		BaseURL: s.URL, StatusURL: s.URL,
		Timeout: time.Minute, Retries: 1, Backoff: 5 * time.Millisecond,
		Now:         func() time.Time { return clock },
		DialContext: stub.DialLoopback,
		LookupHost:  stub.LookupLocalhost,
	}}
}

// file writes a file under the home directory.
func (w *world) file(rel, content string) string {
	w.t.Helper()
	p := filepath.Join(w.env.Home, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
	return p
}

func (w *world) key(k string) string { w.keys = append(w.keys, k); return k }

// run probes the world and diagnoses it.
func (w *world) run() (*probe.Report, steps.Diagnosis) {
	w.t.Helper()
	env := *w.env
	env.Vars = maps.Clone(w.env.Vars)
	r := probe.Run(context.Background(), &env)
	return r, steps.Diagnose(r)
}

// plan probes, diagnoses and plans.
func (w *world) plan() (*probe.Report, steps.Diagnosis, Plan) {
	w.t.Helper()
	r, d := w.run()
	p := MakeWith(r, d, readFile, Options{Dir: w.env.Dir, Now: func() time.Time { return clock }})
	return r, d, p
}

// apply is a test-only applier: it checks Before, writes After and the
// mode, and does the manual steps a test can do (unset a variable of the
// simulated shell, and the key given on stdin is gone once saved).
func (w *world) apply(p Plan) {
	w.t.Helper()
	for _, c := range p.Changes {
		stillParses(w.t, c)
		now, err := os.ReadFile(c.Path)
		switch {
		case c.Before == nil && !errors.Is(err, fs.ErrNotExist):
			w.t.Fatalf("%s: the plan creates it, but it exists (%v)", c.Path, err)
		case c.Before != nil && !bytes.Equal(now, c.Before):
			w.t.Fatalf("%s changed since the plan was made", c.Path)
		}
		mode := fs.FileMode(0o644)
		if st, err := os.Stat(c.Path); err == nil {
			mode = st.Mode().Perm()
		}
		if c.Mode != 0 {
			mode = c.Mode
		}
		if err := os.WriteFile(c.Path, c.After, mode); err != nil {
			w.t.Fatal(err)
		}
		if err := os.Chmod(c.Path, mode); err != nil {
			w.t.Fatal(err)
		}
	}
	for _, m := range p.Manual {
		if name, ok := strings.CutPrefix(m.Command, "unset "); ok {
			delete(w.env.Vars, name)
		}
	}
}

// changeFor returns the plan's change of path.
func changeFor(t *testing.T, p Plan, path string) Change {
	t.Helper()
	for _, c := range p.Changes {
		if c.Path == path {
			return c
		}
	}
	t.Fatalf("no change planned for %s; plan: %s", path, describe(p))
	return Change{}
}

// describe is a plan in words, for failures.
func describe(p Plan) string {
	var b strings.Builder
	for _, c := range p.Changes {
		b.WriteString("change " + c.Path + "\n")
		for _, r := range c.Why {
			b.WriteString("  " + string(r.Code) + ": " + r.Title + "\n")
		}
	}
	for _, m := range p.Manual {
		b.WriteString("manual " + string(m.Code) + ": " + m.Title + " [" + m.Command + "] " + m.URL + "\n")
	}
	return b.String()
}

// stillParses fails when a change breaks a POSIX shell start-up file
// that parsed before it.
func stillParses(t *testing.T, c Change) {
	t.Helper()
	name := filepath.Base(c.Path)
	if !slices.Contains(probe.ShellFiles, name) || c.Before == nil {
		return
	}
	lang := syntax.LangBash
	if strings.HasPrefix(name, ".z") {
		lang = syntax.LangZsh
	}
	parse := func(b []byte) error {
		_, err := syntax.NewParser(syntax.Variant(lang)).Parse(bytes.NewReader(b), name)
		return err
	}
	if parse(c.Before) == nil {
		if err := parse(c.After); err != nil {
			t.Errorf("%s no longer parses: %v", c.Path, err)
		}
	}
}
