package apply

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/fix401/fix401/probe"
)

// ErrSymlink is returned for a write to a path that is a symbolic link:
// fix401 never writes through one, and writes nothing instead.
var ErrSymlink = errors.New("is a symlink: nothing was written (fix401 does not write through links)")

// CheckTarget says whether path may be replaced: it is missing (st is
// nil) or a regular file (st is set); a symlink or anything else is
// refused.
func CheckTarget(path string) (st fs.FileInfo, err error) {
	st, err = os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%s: %w; nothing was written", path, err)
	case st.Mode()&fs.ModeSymlink != 0:
		return nil, fmt.Errorf("%s %w", path, ErrSymlink)
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("%s is %s: nothing was written", path, probe.FileKind(st.Mode()))
	}
	return st, nil
}

// WriteAtomic replaces path with data through a temporary file in the same
// directory, so a crash never leaves half a file, and a link to the old
// file (hard or symbolic) never sees the new content. The new file has
// mode perm whatever the old one had.
func WriteAtomic(path string, data []byte, perm fs.FileMode) error {
	tmp, err := WriteTemp(path, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	SyncDir(filepath.Dir(path))
	return nil
}

// WriteTemp writes data to a new temporary file next to path, synced and
// closed, with mode perm, and returns its name.
func WriteTemp(path string, data []byte, perm fs.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".fix401-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) (string, error) {
		_ = f.Close()
		_ = os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return tmp, nil
}

// SyncDir makes a rename in dir durable, where the system allows it.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
