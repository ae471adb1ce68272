package apply

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/fix401/fix401/steps/fix"
)

// ErrChanged is returned for a file that no longer holds what the plan
// read: someone edited it since. Nothing is written; make the plan again.
var ErrChanged = errors.New("changed since the plan was made: nothing was written")

// Options say where Apply may write and where it keeps its backups.
type Options struct {
	Roots Roots
	// StateDir is fix401's state folder (DefaultStateDir); each run's
	// backups go in StateDir/backups/<run id>.
	StateDir string
	// Now stamps the run; time.Now when nil.
	Now func() time.Time
}

// DefaultStateDir is $XDG_STATE_HOME/fix401, else ~/.local/state/fix401;
// "" when neither is known.
func DefaultStateDir(vars map[string]string, home string) string {
	if v := vars["XDG_STATE_HOME"]; filepath.IsAbs(v) {
		return filepath.Join(v, "fix401")
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".local", "state", "fix401")
}

// Run states, as the manifest records them.
const (
	StateApplying   = "applying"    // backups taken, files being written (a crash leaves this)
	StateApplied    = "applied"     // every change written
	StateRolledBack = "rolled-back" // a write failed; the earlier ones were restored
	StateUndone     = "undone"      // fix401 fix --undo restored the files
)

// Record is one run of Apply: its backups and what each file was and
// became. It is kept as manifest.json in the run's folder, readable only
// by its owner.
type Record struct {
	ID    string       `json:"id"`
	Time  time.Time    `json:"time"`
	State string       `json:"state"`
	Files []FileRecord `json:"files"`
	// Dir is the run's folder (not stored: it is where the manifest is).
	Dir string `json:"-"`
}

// FileRecord is one file of a run.
type FileRecord struct {
	Path string `json:"path"`
	// Created: the file did not exist; undo removes it.
	Created bool `json:"created"`
	// Backup is the copy of the old bytes, a name in the run's folder.
	Backup       string `json:"backup,omitempty"`
	SHA256Before string `json:"sha256_before,omitempty"`
	SHA256After  string `json:"sha256_after"`
	ModeBefore   Mode   `json:"mode_before,omitempty"`
	ModeAfter    Mode   `json:"mode_after"`
}

// Mode is a file's permission bits, written in octal ("0600") in the
// manifest.
type Mode fs.FileMode

// MarshalJSON writes the mode as an octal string.
func (m Mode) MarshalJSON() ([]byte, error) {
	return json.Marshal(fmt.Sprintf("%04o", fs.FileMode(m).Perm()))
}

// UnmarshalJSON reads an octal string.
func (m *Mode) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := strconv.ParseUint(s, 8, 32)
	if err != nil || v > 0o777 {
		return fmt.Errorf("mode %q: want octal permission bits like 0600", s)
	}
	*m = Mode(v)
	return nil
}

// writeFile is the write Apply and Undo make; tests replace it to fail
// part of the way through.
var writeFile = WriteAtomic

// target is one change checked and ready to write.
type target struct {
	c       fix.Change
	created bool
	before  fs.FileMode // the old mode; 0 when created
	after   fs.FileMode
}

// Apply makes every change of plan or none: each file is checked first
// (inside the roots, not a symlink, a regular file of this user, still
// what the plan read), then backed up under the state folder, then
// written atomically with its mode kept (or set to Change.Mode). When a
// write fails, the files written before it are restored and the error
// says so. The plan's manual steps are not Apply's business.
func Apply(plan fix.Plan, opts Options) (Record, error) {
	targets, err := check(plan.Changes, opts.Roots)
	if err != nil || len(targets) == 0 {
		return Record{}, err
	}
	if opts.StateDir == "" {
		return Record{}, errors.New("no folder for the backups (set HOME or XDG_STATE_HOME): nothing was written")
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	rec, err := backup(targets, opts.StateDir, now())
	if err != nil {
		if rec.Dir != "" {
			_ = os.RemoveAll(rec.Dir) // half a backup is no use, and may hold keys
		}
		return Record{}, err
	}
	for i, t := range targets {
		if err := write(t); err != nil {
			rerr := rollback(targets[:i])
			rec.State = StateRolledBack
			if rerr != nil {
				// The manifest keeps the run undoable by hand.
				rec.State = StateApplying
			}
			_ = saveManifest(rec)
			if rerr != nil {
				return rec, fmt.Errorf("%w; restoring the files written before it failed too: %w (the backups are in %s)", err, rerr, rec.Dir)
			}
			return rec, fmt.Errorf("%w; the files written before it were restored, nothing is changed", err)
		}
	}
	rec.State = StateApplied
	if err := saveManifest(rec); err != nil {
		return rec, fmt.Errorf("the changes were made, but the record of them was not saved: %w", err)
	}
	return rec, nil
}

// check validates every change before anything is written. Changes that
// change nothing (same bytes, same mode) are dropped.
func check(changes []fix.Change, roots Roots) ([]target, error) {
	var out []target
	seen := map[string]bool{}
	for _, c := range changes {
		if seen[c.Path] {
			return nil, fmt.Errorf("%s: the plan changes it twice: nothing was written", c.Path)
		}
		seen[c.Path] = true
		t, err := checkOne(c, roots)
		if err != nil {
			return nil, err
		}
		if !t.created && t.before == t.after && bytes.Equal(c.Before, c.After) {
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

func checkOne(c fix.Change, roots Roots) (target, error) {
	t := target{c: c}
	if err := roots.Check(c.Path); err != nil {
		return t, err
	}
	if err := checkParent(c.Path, roots); err != nil {
		return t, err
	}
	st, err := current(c)
	if err != nil {
		return t, err
	}
	switch {
	case st == nil:
		// A new file takes its folder's place in the world: the folder
		// must be this user's too.
		if dst, err := os.Stat(filepath.Dir(c.Path)); err == nil {
			if uid, other := ownedByOther(dst); other {
				return t, fmt.Errorf("%s: its folder (uid %d) %w", c.Path, uid, ErrOtherOwner)
			}
		}
		t.created, t.after = true, c.Mode.Perm()
		if t.after == 0 {
			t.after = newFileMode(c.Path)
		}
	default:
		t.before, t.after = st.Mode().Perm(), st.Mode().Perm()
		if c.Mode != 0 {
			t.after = c.Mode.Perm()
		}
	}
	return t, nil
}

// current checks the file on disk still is what the plan read, and
// returns its info (nil when missing, as a plan to create it expects).
func current(c fix.Change) (fs.FileInfo, error) {
	st, err := CheckTarget(c.Path)
	if err != nil {
		return nil, err
	}
	if st == nil {
		if c.Before != nil {
			return nil, fmt.Errorf("%s was removed, %w", c.Path, ErrChanged)
		}
		return nil, nil
	}
	if c.Before == nil {
		return nil, fmt.Errorf("%s now exists, %w", c.Path, ErrChanged)
	}
	data, err := Read(c.Path)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(data, c.Before) {
		return nil, fmt.Errorf("%s %w", c.Path, ErrChanged)
	}
	return st, nil
}

// checkParent refuses a file whose folder, symlinks resolved, leads out
// of the project and the home: a project folder that is a link to /etc
// must not make /etc writable.
func checkParent(path string, roots Roots) error {
	parent, err := filepath.EvalSymlinks(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("%s: its folder: %w; nothing was written", path, err)
	}
	for _, root := range []string{roots.Dir, roots.Home, roots.ConfigHome, roots.ZDotDir, roots.AnthropicDir} {
		if clean(root) == "" {
			continue
		}
		if r, err := filepath.EvalSymlinks(root); err == nil && within(r, parent) {
			return nil
		}
	}
	return fmt.Errorf("%s (its folder leads to %s) %w", path, parent, ErrOutside)
}

// newFileMode is the mode of a file a plan creates without saying: a
// .gitignore is for everyone to read, anything else may hold a secret.
func newFileMode(path string) fs.FileMode {
	if filepath.Base(path) == ".gitignore" {
		return 0o644
	}
	return 0o600
}

// write checks the file once more, just before replacing it, and writes.
func write(t target) error {
	if _, err := current(t.c); err != nil {
		return err
	}
	return writeFile(t.c.Path, t.c.After, t.after)
}

// rollback restores the files written so far, last first.
func rollback(done []target) error {
	var errs []error
	for i := len(done) - 1; i >= 0; i-- {
		t := done[i]
		if t.created {
			if err := os.Remove(t.c.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		if err := writeFile(t.c.Path, t.c.Before, t.before); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// backup makes the run's folder, copies every file about to change into
// it, and writes the manifest, before anything is changed.
func backup(targets []target, stateDir string, now time.Time) (Record, error) {
	dir, id, err := newRunDir(stateDir, now)
	if err != nil {
		return Record{}, err
	}
	rec := Record{ID: id, Time: now, State: StateApplying, Dir: dir}
	for i, t := range targets {
		f := FileRecord{Path: t.c.Path, Created: t.created, SHA256After: sum(t.c.After), ModeAfter: Mode(t.after)}
		if !t.created {
			f.Backup = strconv.Itoa(i+1) + "-" + filepath.Base(t.c.Path)
			f.SHA256Before, f.ModeBefore = sum(t.c.Before), Mode(t.before)
			if err := WriteAtomic(filepath.Join(dir, f.Backup), t.c.Before, 0o600); err != nil {
				return rec, fmt.Errorf("backup: %w; nothing was changed", err)
			}
		}
		rec.Files = append(rec.Files, f)
	}
	if err := saveManifest(rec); err != nil {
		return rec, fmt.Errorf("backup: %w; nothing was changed", err)
	}
	return rec, nil
}

// newRunDir makes a fresh folder for one run, named after the time so the
// latest sorts last.
func newRunDir(stateDir string, now time.Time) (dir, id string, err error) {
	root := filepath.Join(stateDir, "backups")
	if err := os.MkdirAll(root, 0o700); err != nil {
		return "", "", fmt.Errorf("backup: %w; nothing was changed", err)
	}
	base := now.UTC().Format("20060102T150405Z")
	for i := 1; i < 1000; i++ {
		id = base
		if i > 1 {
			id = fmt.Sprintf("%s-%03d", base, i)
		}
		dir = filepath.Join(root, id)
		err := os.Mkdir(dir, 0o700)
		if err == nil {
			return dir, id, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", "", fmt.Errorf("backup: %w; nothing was changed", err)
		}
	}
	return "", "", fmt.Errorf("backup: %s: too many runs this second; nothing was changed", root)
}

const manifestName = "manifest.json"

func saveManifest(rec Record) error {
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	return WriteAtomic(filepath.Join(rec.Dir, manifestName), append(b, '\n'), 0o600)
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Paths lists the files of a run, for messages.
func (r Record) Paths() []string {
	var out []string
	for _, f := range r.Files {
		out = append(out, f.Path)
	}
	return out
}

// String names the run for messages: its id and how many files.
func (r Record) String() string {
	if len(r.Files) == 1 {
		return "run " + r.ID + " (1 file)"
	}
	return fmt.Sprintf("run %s (%d files)", r.ID, len(r.Files))
}
