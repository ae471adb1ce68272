package apply

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ErrChangedSinceFix is returned by Undo for a file edited after the fix:
// restoring it would lose that edit, so nothing is restored unless forced.
var ErrChangedSinceFix = errors.New("changed since the fix")

// UndoOptions change what Undo does.
type UndoOptions struct {
	// Force restores files edited since the fix too (the edits are lost).
	Force bool
}

// Undone is what Undo did.
type Undone struct {
	// Run is the run undone, or found already undone. Its ID is empty when
	// there was no run at all.
	Run Record
	// Already: the latest run was undone (or rolled back) before; nothing
	// was done this time.
	Already bool
	// Restored and Removed are the files written back and the files the
	// fix had created, now removed.
	Restored, Removed []string
}

// Undo restores every file of the latest run in stateDir, byte for byte
// and with its old mode, and removes the files it created. A file edited
// since the fix is refused, all before anything is restored (an error
// wrapping ErrChangedSinceFix that names each), unless opts.Force. A run
// already undone is left alone: Undone.Already. No run at all is not an
// error: Undone.Run.ID is empty.
func Undo(stateDir string, opts UndoOptions) (Undone, error) {
	rec, err := Latest(stateDir)
	if err != nil || rec.ID == "" {
		return Undone{Run: rec}, err
	}
	out := Undone{Run: rec}
	if rec.State == StateUndone || rec.State == StateRolledBack {
		out.Already = true
		return out, nil
	}
	// First check everything: each backup is whole, each file is still
	// what the fix wrote (or the user forces it), none is a symlink or
	// another user's.
	var changed []string
	backups := make([][]byte, len(rec.Files))
	// done: the file is back as it was already (an undo that stopped
	// half-way, run again); it is left alone.
	done := make([]bool, len(rec.Files))
	for i, f := range rec.Files {
		if !f.Created {
			b, err := Read(filepath.Join(rec.Dir, f.Backup))
			if err != nil {
				return out, fmt.Errorf("undo: the backup of %s: %w", f.Path, err)
			}
			if sum(b) != f.SHA256Before {
				return out, fmt.Errorf("undo: the backup of %s in %s is damaged (its checksum differs): nothing was restored", f.Path, rec.Dir)
			}
			backups[i] = b
		}
		st, err := CheckTarget(f.Path)
		if err != nil {
			return out, fmt.Errorf("undo: %w", err)
		}
		if st == nil {
			if !f.Created {
				changed = append(changed, f.Path+" (removed)")
			}
			done[i] = f.Created
			continue
		}
		if uid, other := ownedByOther(st); other {
			return out, fmt.Errorf("undo: %s (uid %d) %w", f.Path, uid, ErrOtherOwner)
		}
		now, err := Read(f.Path)
		if err != nil {
			return out, fmt.Errorf("undo: %w", err)
		}
		switch h := sum(now); {
		case h == f.SHA256After:
		case !f.Created && h == f.SHA256Before && st.Mode().Perm() == fs.FileMode(f.ModeBefore).Perm():
			done[i] = true
		default:
			changed = append(changed, f.Path)
		}
	}
	if len(changed) > 0 && !opts.Force {
		return out, fmt.Errorf("undo: %s %w (run %s): undoing would lose that edit, so nothing was restored; compare with the backup in %s, or run fix401 fix --undo --force to restore anyway",
			strings.Join(changed, ", "), ErrChangedSinceFix, rec.ID, rec.Dir)
	}
	var errs []error
	for i, f := range rec.Files {
		if done[i] {
			continue
		}
		if f.Created {
			err := os.Remove(f.Path)
			switch {
			case err == nil:
				out.Removed = append(out.Removed, f.Path)
			case !errors.Is(err, fs.ErrNotExist):
				errs = append(errs, err)
			}
			continue
		}
		if err := writeFile(f.Path, backups[i], fs.FileMode(f.ModeBefore).Perm()); err != nil {
			errs = append(errs, err)
			continue
		}
		out.Restored = append(out.Restored, f.Path)
	}
	if len(errs) > 0 {
		// The run stays undoable: running --undo again finishes the job.
		return out, fmt.Errorf("undo: %w (the backups are in %s)", errors.Join(errs...), rec.Dir)
	}
	rec.State = StateUndone
	out.Run = rec
	if err := saveManifest(rec); err != nil {
		return out, fmt.Errorf("undo: the files are restored, but the run could not be marked undone: %w", err)
	}
	return out, nil
}

// Latest returns the newest run recorded in stateDir; a zero Record when
// there is none.
func Latest(stateDir string) (Record, error) {
	if stateDir == "" {
		return Record{}, nil
	}
	root := filepath.Join(stateDir, "backups")
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return Record{}, nil
	}
	if err != nil {
		return Record{}, fmt.Errorf("undo: %w", err)
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			ids = append(ids, e.Name())
		}
	}
	slices.Sort(ids)
	for i := len(ids) - 1; i >= 0; i-- {
		dir := filepath.Join(root, ids[i])
		b, err := Read(filepath.Join(dir, manifestName))
		if errors.Is(err, fs.ErrNotExist) {
			continue // a run that failed before its manifest: nothing was changed
		}
		if err != nil {
			return Record{}, fmt.Errorf("undo: %w", err)
		}
		var rec Record
		if err := json.NewDecoder(bytes.NewReader(b)).Decode(&rec); err != nil {
			return Record{}, fmt.Errorf("undo: %s: %w", filepath.Join(dir, manifestName), err)
		}
		rec.Dir = dir
		for _, f := range rec.Files {
			if !filepath.IsAbs(f.Path) || (!f.Created && (f.Backup == "" || f.Backup != filepath.Base(f.Backup))) {
				return Record{}, fmt.Errorf("undo: %s is not a manifest fix401 wrote", filepath.Join(dir, manifestName))
			}
		}
		return rec, nil
	}
	return Record{}, nil
}
