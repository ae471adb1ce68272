package apply

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/probe/stub"
	"github.com/fix401/fix401/steps/fix"
)

// world is a temporary home with a project inside, and a state folder.
type world struct {
	home, dir, state string
}

func newWorld(t *testing.T) world {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := world{home: filepath.Join(root, "home"), state: filepath.Join(root, "home", ".local", "state", "fix401")}
	w.dir = filepath.Join(w.home, "app")
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w world) opts() Options {
	return Options{Roots: Roots{Dir: w.dir, Home: w.home}, StateDir: w.state,
		Now: func() time.Time { return time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC) }}
}

func put(t *testing.T, path string, data []byte, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask
		t.Fatal(err)
	}
}

// same fails unless path holds exactly data with mode.
func same(t *testing.T, path string, data []byte, mode fs.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("%s holds %q, want %q", path, got, data)
	}
	st, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode() != mode {
		t.Errorf("%s has mode %v, want %v", path, st.Mode(), mode)
	}
}

func TestApplyThenUndoIsByteExact(t *testing.T) {
	key := stub.NewAPIKey()
	cases := []struct {
		name          string
		rel           string
		before, after string
		mode, newMode fs.FileMode
	}{
		{"crlf", "app/.env", "A=1\r\nANTHROPIC_API_KEY=\"" + key + "\\n\"\r\nB=2\r\n", "A=1\r\nANTHROPIC_API_KEY=\"" + key + "\"\r\nB=2\r\n", 0o600, 0},
		{"no trailing newline", "app/.env", "ANTHROPIC_API_KEY=" + key + " ", "ANTHROPIC_API_KEY=" + key, 0o640, 0},
		{"bom dropped", "app/.env", "\uFEFFANTHROPIC_API_KEY=" + key + "\n", "ANTHROPIC_API_KEY=" + key + "\n", 0o644, 0},
		{"shell file", ".zshrc", "alias l=ls\nexport ANTHROPIC_API_KEY=" + key + "\n", "alias l=ls\n# export ANTHROPIC_API_KEY=" + key + "  # fix401\n", 0o644, 0},
		{"mode only", ".config/anthropic/credentials/default.json", "{\"x\":1}", "{\"x\":1}", 0o644, 0o600},
		{"mode and bytes", "app/.env.local", "X=1\n", "X=2\n", 0o664, 0o600},
		{"empty file", "app/.gitignore", "", ".env\n", 0o644, 0},
		{"to empty", "app/.env", "ANTHROPIC_API_KEY=\n", "", 0o600, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			path := filepath.Join(w.home, tc.rel)
			put(t, path, []byte(tc.before), tc.mode)
			plan := fix.Plan{Changes: []fix.Change{{Path: path, Before: []byte(tc.before), After: []byte(tc.after), Mode: tc.newMode}}}
			rec, err := Apply(plan, w.opts())
			if err != nil {
				t.Fatal(err)
			}
			wantMode := tc.mode
			if tc.newMode != 0 {
				wantMode = tc.newMode
			}
			same(t, path, []byte(tc.after), wantMode)
			if rec.State != StateApplied || len(rec.Files) != 1 || rec.Files[0].Created {
				t.Fatalf("record %+v", rec)
			}
			// The backup is private: it may hold a key.
			same(t, filepath.Join(rec.Dir, rec.Files[0].Backup), []byte(tc.before), 0o600)
			same(t, filepath.Join(rec.Dir, manifestName), mustRead(t, filepath.Join(rec.Dir, manifestName)), 0o600)
			if st, _ := os.Stat(rec.Dir); st.Mode().Perm() != 0o700 {
				t.Errorf("run folder mode %v", st.Mode())
			}
			if strings.Contains(string(mustRead(t, filepath.Join(rec.Dir, manifestName))), key) {
				t.Error("the manifest holds the key")
			}

			u, err := Undo(w.state, UndoOptions{})
			if err != nil {
				t.Fatal(err)
			}
			same(t, path, []byte(tc.before), tc.mode)
			if u.Already || len(u.Restored) != 1 || u.Restored[0] != path {
				t.Errorf("undo %+v", u)
			}
			// Twice is a no-op that says so.
			u, err = Undo(w.state, UndoOptions{})
			if err != nil || !u.Already || len(u.Restored) != 0 {
				t.Errorf("second undo: %+v, %v", u, err)
			}
			same(t, path, []byte(tc.before), tc.mode)
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestApplyCreatesAndUndoRemoves(t *testing.T) {
	w := newWorld(t)
	path := filepath.Join(w.dir, ".gitignore")
	rec, err := Apply(fix.Plan{Changes: []fix.Change{{Path: path, After: []byte(".env\n")}}}, w.opts())
	if err != nil {
		t.Fatal(err)
	}
	same(t, path, []byte(".env\n"), 0o644)
	if !rec.Files[0].Created || rec.Files[0].Backup != "" {
		t.Errorf("record %+v", rec.Files[0])
	}
	u, err := Undo(w.state, UndoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the created file is still there: %v", err)
	}
	if len(u.Removed) != 1 {
		t.Errorf("undo %+v", u)
	}
	// A new .env (it may hold a key) is private.
	env := filepath.Join(w.dir, ".env")
	if _, err := Apply(fix.Plan{Changes: []fix.Change{{Path: env, After: []byte("A=1\n")}}}, w.opts()); err != nil {
		t.Fatal(err)
	}
	same(t, env, []byte("A=1\n"), 0o600)
}

func TestApplyRefuses(t *testing.T) {
	key := stub.NewAPIKey()
	content := []byte("ANTHROPIC_API_KEY=" + key + "\n")
	fixed := []byte("ANTHROPIC_API_KEY=" + key + "2\n")
	cases := []struct {
		name  string
		setup func(t *testing.T, w world) fix.Change
		want  error  // errors.Is, when set
		text  string // in the message
	}{
		{"symlink", func(t *testing.T, w world) fix.Change {
			real := filepath.Join(w.dir, "real.env")
			put(t, real, content, 0o600)
			link := filepath.Join(w.dir, ".env")
			if err := os.Symlink(real, link); err != nil {
				t.Fatal(err)
			}
			return fix.Change{Path: link, Before: content, After: fixed}
		}, ErrSymlink, "symlink"},
		{"outside the roots", func(t *testing.T, w world) fix.Change {
			p := filepath.Join(filepath.Dir(w.home), "elsewhere.env")
			put(t, p, content, 0o600)
			return fix.Change{Path: p, Before: content, After: fixed}
		}, ErrOutside, "outside"},
		{"a home file that is no start-up or config file", func(t *testing.T, w world) fix.Change {
			p := filepath.Join(w.home, ".ssh", "config")
			put(t, p, content, 0o600)
			return fix.Change{Path: p, Before: content, After: fixed}
		}, ErrOutside, "outside"},
		{"relative path", func(t *testing.T, w world) fix.Change {
			return fix.Change{Path: "app/.env", Before: content, After: fixed}
		}, ErrOutside, ""},
		{"dot-dot", func(t *testing.T, w world) fix.Change {
			return fix.Change{Path: w.dir + "/../../x/.env", Before: content, After: fixed}
		}, ErrOutside, ""},
		{"changed since the plan", func(t *testing.T, w world) fix.Change {
			p := filepath.Join(w.dir, ".env")
			put(t, p, append([]byte("# edited\n"), content...), 0o600)
			return fix.Change{Path: p, Before: content, After: fixed}
		}, ErrChanged, "changed since the plan"},
		{"removed since the plan", func(t *testing.T, w world) fix.Change {
			return fix.Change{Path: filepath.Join(w.dir, ".env"), Before: content, After: fixed}
		}, ErrChanged, "removed"},
		{"created since the plan", func(t *testing.T, w world) fix.Change {
			p := filepath.Join(w.dir, ".gitignore")
			put(t, p, []byte("node_modules\n"), 0o644)
			return fix.Change{Path: p, After: []byte(".env\n")}
		}, ErrChanged, "now exists"},
		{"a FIFO", func(t *testing.T, w world) fix.Change {
			p := filepath.Join(w.dir, ".env")
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				t.Skip("no FIFOs here:", err)
			}
			return fix.Change{Path: p, Before: content, After: fixed}
		}, nil, "FIFO"},
		{"a directory", func(t *testing.T, w world) fix.Change {
			p := filepath.Join(w.dir, ".env")
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			return fix.Change{Path: p, Before: content, After: fixed}
		}, nil, "directory"},
		{"a project folder that links out", func(t *testing.T, w world) fix.Change {
			out := filepath.Join(filepath.Dir(w.home), "etc")
			put(t, filepath.Join(out, ".env"), content, 0o600)
			if err := os.Symlink(out, filepath.Join(w.dir, "conf")); err != nil {
				t.Fatal(err)
			}
			return fix.Change{Path: filepath.Join(w.dir, "conf", ".env"), Before: content, After: fixed}
		}, ErrOutside, "leads to"},
		{"another user's file", func(t *testing.T, w world) fix.Change {
			p := filepath.Join(w.dir, ".env")
			put(t, p, content, 0o644)
			giveAway(t, p)
			return fix.Change{Path: p, Before: content, After: fixed}
		}, ErrOtherOwner, "another user"},
		{"a new file in another user's folder", func(t *testing.T, w world) fix.Change {
			sub := filepath.Join(w.dir, "shared")
			if err := os.Mkdir(sub, 0o777); err != nil {
				t.Fatal(err)
			}
			giveAway(t, sub)
			return fix.Change{Path: filepath.Join(sub, ".gitignore"), After: []byte(".env\n")}
		}, ErrOtherOwner, "its folder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			c := tc.setup(t, w)
			// A good change first: it must not be written either.
			good := filepath.Join(w.home, ".zshrc")
			put(t, good, []byte("export A=1\n"), 0o644)
			plan := fix.Plan{Changes: []fix.Change{{Path: good, Before: []byte("export A=1\n"), After: []byte("# export A=1\n")}, c}}
			_, err := Apply(plan, w.opts())
			if err == nil {
				t.Fatal("applied")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %q does not say %q", err, tc.text)
			}
			same(t, good, []byte("export A=1\n"), 0o644)
			if rec, _ := Latest(w.state); rec.ID != "" {
				t.Errorf("a run was recorded: %+v", rec)
			}
		})
	}
}

func TestApplyRollsBackOnFailure(t *testing.T) {
	w := newWorld(t)
	a, b, c := filepath.Join(w.dir, ".env"), filepath.Join(w.home, ".zshrc"), filepath.Join(w.dir, ".gitignore")
	put(t, a, []byte("A=1\r\n"), 0o600)
	put(t, b, []byte("export A=1"), 0o640)
	plan := fix.Plan{Changes: []fix.Change{
		{Path: c, After: []byte(".env\n")},
		{Path: a, Before: []byte("A=1\r\n"), After: []byte("A=2\r\n"), Mode: 0o644},
		{Path: b, Before: []byte("export A=1"), After: []byte("# export A=1")},
	}}
	boom := errors.New("disk full")
	writeFile = func(path string, data []byte, perm fs.FileMode) error {
		if path == b {
			return boom
		}
		return WriteAtomic(path, data, perm)
	}
	t.Cleanup(func() { writeFile = WriteAtomic })
	rec, err := Apply(plan, w.opts())
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "restored") {
		t.Fatalf("error %v", err)
	}
	same(t, a, []byte("A=1\r\n"), 0o600)
	same(t, b, []byte("export A=1"), 0o640)
	if _, err := os.Lstat(c); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the created file stayed: %v", err)
	}
	if rec.State != StateRolledBack {
		t.Errorf("state %q", rec.State)
	}
	writeFile = WriteAtomic
	u, err := Undo(w.state, UndoOptions{})
	if err != nil || !u.Already {
		t.Errorf("undo after a rollback: %+v, %v", u, err)
	}
}

func TestUndoRefusesAFileEditedSinceTheFix(t *testing.T) {
	w := newWorld(t)
	a, b := filepath.Join(w.dir, ".env"), filepath.Join(w.home, ".bashrc")
	put(t, a, []byte("A=1\n"), 0o600)
	put(t, b, []byte("export A=1\n"), 0o644)
	plan := fix.Plan{Changes: []fix.Change{
		{Path: a, Before: []byte("A=1\n"), After: []byte("A=2\n")},
		{Path: b, Before: []byte("export A=1\n"), After: []byte("# export A=1\n")},
	}}
	if _, err := Apply(plan, w.opts()); err != nil {
		t.Fatal(err)
	}
	put(t, b, []byte("# export A=1\nalias x=y\n"), 0o644)
	_, err := Undo(w.state, UndoOptions{})
	if !errors.Is(err, ErrChangedSinceFix) || !strings.Contains(err.Error(), b) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("error %v", err)
	}
	// Nothing restored, not even the untouched file.
	same(t, a, []byte("A=2\n"), 0o600)
	u, err := Undo(w.state, UndoOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	same(t, a, []byte("A=1\n"), 0o600)
	same(t, b, []byte("export A=1\n"), 0o644)
	if len(u.Restored) != 2 {
		t.Errorf("undo %+v", u)
	}
}

func TestUndoWithNothingToUndo(t *testing.T) {
	w := newWorld(t)
	u, err := Undo(w.state, UndoOptions{})
	if err != nil || u.Run.ID != "" || u.Already {
		t.Errorf("%+v, %v", u, err)
	}
}

func TestUndoTakesTheLatestRun(t *testing.T) {
	w := newWorld(t)
	p := filepath.Join(w.dir, ".env")
	put(t, p, []byte("1\n"), 0o600)
	o := w.opts()
	for i, next := range []string{"2\n", "3\n"} {
		prev := []string{"1\n", "2\n"}[i]
		if _, err := Apply(fix.Plan{Changes: []fix.Change{{Path: p, Before: []byte(prev), After: []byte(next)}}}, o); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Undo(w.state, UndoOptions{}); err != nil {
		t.Fatal(err)
	}
	same(t, p, []byte("2\n"), 0o600)
	if u, _ := Undo(w.state, UndoOptions{}); !u.Already {
		t.Errorf("the latest run was undone; a second undo must say so, got %+v", u)
	}
}

func TestUndoRefusesADamagedBackup(t *testing.T) {
	w := newWorld(t)
	p := filepath.Join(w.dir, ".env")
	put(t, p, []byte("1\n"), 0o600)
	rec, err := Apply(fix.Plan{Changes: []fix.Change{{Path: p, Before: []byte("1\n"), After: []byte("2\n")}}}, w.opts())
	if err != nil {
		t.Fatal(err)
	}
	put(t, filepath.Join(rec.Dir, rec.Files[0].Backup), []byte("9\n"), 0o600)
	if _, err := Undo(w.state, UndoOptions{Force: true}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("error %v", err)
	}
	same(t, p, []byte("2\n"), 0o600)
}

func TestManifest(t *testing.T) {
	w := newWorld(t)
	p := filepath.Join(w.dir, ".env")
	put(t, p, []byte("1\n"), 0o640)
	rec, err := Apply(fix.Plan{Changes: []fix.Change{{Path: p, Before: []byte("1\n"), After: []byte("2\n"), Mode: 0o600}}}, w.opts())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(mustRead(t, filepath.Join(rec.Dir, manifestName)), &m); err != nil {
		t.Fatal(err)
	}
	f := m["files"].([]any)[0].(map[string]any)
	want := map[string]any{"path": p, "created": false, "mode_before": "0640", "mode_after": "0600",
		"sha256_before": sum([]byte("1\n")), "sha256_after": sum([]byte("2\n")), "backup": "1-.env"}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("%s = %v, want %v", k, f[k], v)
		}
	}
	if m["state"] != StateApplied || m["id"] != "20261129T100000Z" {
		t.Errorf("manifest %v", m)
	}
	if !strings.HasPrefix(rec.Dir, filepath.Join(w.state, "backups")+string(filepath.Separator)) {
		t.Errorf("run folder %s", rec.Dir)
	}
}

func TestApplyNothing(t *testing.T) {
	w := newWorld(t)
	p := filepath.Join(w.dir, ".env")
	put(t, p, []byte("1\n"), 0o600)
	// A change that changes nothing is no run.
	rec, err := Apply(fix.Plan{Changes: []fix.Change{{Path: p, Before: []byte("1\n"), After: []byte("1\n")}}}, w.opts())
	if err != nil || rec.ID != "" {
		t.Errorf("%+v, %v", rec, err)
	}
	if _, err := os.Stat(w.state); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("state folder made for nothing: %v", err)
	}
}

func TestStateDir(t *testing.T) {
	if got := DefaultStateDir(map[string]string{"XDG_STATE_HOME": "/s"}, "/h"); got != filepath.FromSlash("/s/fix401") {
		t.Error(got)
	}
	if got := DefaultStateDir(map[string]string{"XDG_STATE_HOME": "rel"}, "/h"); got != filepath.FromSlash("/h/.local/state/fix401") {
		t.Error(got)
	}
	if got := DefaultStateDir(nil, ""); got != "" {
		t.Error(got)
	}
}

func TestRoots(t *testing.T) {
	r := Roots{Dir: "/h/app", Home: "/h", ConfigHome: "/xdg", ZDotDir: "/z", AnthropicDir: "/ac"}
	ok := []string{"/h/app/.env", "/h/app/sub/.env.local", "/h/.zshrc", "/h/.bashrc", "/h/.bash_profile", "/h/.profile",
		"/h/.zprofile", "/h/.zshenv", "/h/.config/fish/config.fish", "/h/.config/fish/conf.d/keys.fish",
		"/h/.config/anthropic/credentials/default.json", "/h/.claude/settings.json", "/h/.claude.json",
		"/xdg/anthropic/configs/default.json", "/xdg/fish/config.fish", "/z/.zshrc", "/ac/credentials/work.json"}
	no := []string{"/h/.ssh/config", "/h/.gitconfig", "/h/app", "/h/.config/git/config", "/etc/profile", "/h/app/../.ssh/x",
		"/h/.config/fish/functions/x.fish", "/xdg/git/config", "/z/.bashrc", "relative/.env", "/h/appx/.env", "/ac"}
	for _, p := range ok {
		if err := r.Check(p); err != nil {
			t.Errorf("%s refused: %v", p, err)
		}
	}
	for _, p := range no {
		if err := r.Check(p); !errors.Is(err, ErrOutside) {
			t.Errorf("%s allowed (%v)", p, err)
		}
	}
	// A project at the home opens its .env files and .gitignore, not all of it.
	home := Roots{Dir: "/h", Home: "/h"}
	for p, want := range map[string]bool{"/h/.env": true, "/h/.gitignore": true, "/h/.env.local": true, "/h/.ssh/config": false, "/h/x/.env": false, "/h/.zshrc": true} {
		if got := home.Check(p) == nil; got != want {
			t.Errorf("project at home: %s allowed=%v, want %v", p, got, want)
		}
	}
}

func TestRead(t *testing.T) {
	w := newWorld(t)
	p := filepath.Join(w.dir, ".env")
	if _, err := Read(p); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	put(t, p, []byte("A=1\n"), 0o600)
	if b, err := Read(p); err != nil || string(b) != "A=1\n" {
		t.Errorf("%q, %v", b, err)
	}
	link := filepath.Join(w.dir, "link.env")
	if err := os.Symlink(p, link); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(link); !errors.Is(err, ErrSymlink) {
		t.Errorf("symlink: %v", err)
	}
	big := filepath.Join(w.dir, "big.env")
	put(t, big, bytes.Repeat([]byte("#\n"), MaxFile/2+1), 0o600)
	if _, err := Read(big); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("big: %v", err)
	}
	giveAway(t, p)
	if _, err := Read(p); !errors.Is(err, ErrOtherOwner) {
		t.Errorf("other owner: %v", err)
	}
}

func TestRootsOf(t *testing.T) {
	env := &probe.Env{Dir: "/h/app", Home: "/h", Vars: map[string]string{"XDG_CONFIG_HOME": "/xdg", "ZDOTDIR": "rel", probe.VarConfigDir: "/ac/"}}
	want := Roots{Dir: "/h/app", Home: "/h", ConfigHome: "/xdg", AnthropicDir: "/ac"}
	if got := RootsOf(env); got != want {
		t.Errorf("%+v, want %+v", got, want)
	}
}

func TestUndoNeverWritesThroughASymlink(t *testing.T) {
	w := newWorld(t)
	p := filepath.Join(w.dir, ".env")
	put(t, p, []byte("1\n"), 0o600)
	if _, err := Apply(fix.Plan{Changes: []fix.Change{{Path: p, Before: []byte("1\n"), After: []byte("2\n")}}}, w.opts()); err != nil {
		t.Fatal(err)
	}
	// Someone swaps the file for a link to a file elsewhere.
	victim := filepath.Join(filepath.Dir(w.home), "victim")
	put(t, victim, []byte("2\n"), 0o644)
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, p); err != nil {
		t.Fatal(err)
	}
	if _, err := Undo(w.state, UndoOptions{Force: true}); !errors.Is(err, ErrSymlink) {
		t.Errorf("error %v", err)
	}
	same(t, victim, []byte("2\n"), 0o644)
}

// An undo that stopped half-way finishes when run again, without --force.
func TestUndoFinishesAHalfUndo(t *testing.T) {
	w := newWorld(t)
	a, b := filepath.Join(w.dir, ".env"), filepath.Join(w.home, ".zshrc")
	put(t, a, []byte("A=1\n"), 0o600)
	put(t, b, []byte("export A=1\n"), 0o644)
	plan := fix.Plan{Changes: []fix.Change{
		{Path: a, Before: []byte("A=1\n"), After: []byte("A=2\n")},
		{Path: b, Before: []byte("export A=1\n"), After: []byte("# export A=1\n")},
	}}
	if _, err := Apply(plan, w.opts()); err != nil {
		t.Fatal(err)
	}
	writeFile = func(path string, data []byte, perm fs.FileMode) error {
		if path == b {
			return errors.New("disk full")
		}
		return WriteAtomic(path, data, perm)
	}
	t.Cleanup(func() { writeFile = WriteAtomic })
	if _, err := Undo(w.state, UndoOptions{}); err == nil {
		t.Fatal("undo did not fail")
	}
	same(t, a, []byte("A=1\n"), 0o600)
	writeFile = WriteAtomic
	u, err := Undo(w.state, UndoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	same(t, b, []byte("export A=1\n"), 0o644)
	if len(u.Restored) != 1 || u.Restored[0] != b {
		t.Errorf("undo %+v", u)
	}
}

func TestApplyWithoutABackupChangesNothing(t *testing.T) {
	w := newWorld(t)
	p := filepath.Join(w.dir, ".env")
	put(t, p, []byte("1\n"), 0o600)
	blocker := filepath.Join(w.home, "state-is-a-file")
	put(t, blocker, nil, 0o600)
	o := w.opts()
	o.StateDir = filepath.Join(blocker, "fix401")
	if _, err := Apply(fix.Plan{Changes: []fix.Change{{Path: p, Before: []byte("1\n"), After: []byte("2\n")}}}, o); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("error %v", err)
	}
	same(t, p, []byte("1\n"), 0o600)
	o.StateDir = ""
	if _, err := Apply(fix.Plan{Changes: []fix.Change{{Path: p, Before: []byte("1\n"), After: []byte("2\n")}}}, o); err == nil {
		t.Error("applied without a place for backups")
	}
	same(t, p, []byte("1\n"), 0o600)
}

// giveAway makes path another user's: chown when running as root, else
// fix401 is made to run as another user (euid), which is the same to it.
func giveAway(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() == 0 {
		if err := os.Chown(path, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		return
	}
	me := os.Geteuid()
	euid = func() int { return me + 1 }
	t.Cleanup(func() { euid = os.Geteuid })
}
