package probe

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotRegular is returned for a path that names a directory, a pipe, a
// socket or a device: opening a pipe named like a config file could block
// forever, and reading a device could never end. The error's text names
// the kind of file.
var ErrNotRegular = errors.New("not a regular file")

// notRegular wraps ErrNotRegular with the kind of file found.
func notRegular(mode fs.FileMode) error {
	return fmt.Errorf("%w: %s", ErrNotRegular, FileKind(mode))
}

// FileKind names the type of a file in a few words: "a FIFO", "a device".
func FileKind(mode fs.FileMode) string {
	switch t := mode.Type(); {
	case t == 0:
		return "a regular file"
	case t&fs.ModeDir != 0:
		return "a directory"
	case t&fs.ModeSymlink != 0:
		return "a symlink"
	case t&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&fs.ModeDevice != 0, t&fs.ModeCharDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// ReadRegular reads at most limit bytes of the regular file at path,
// following symlinks. It is the one way fix401 reads a local file, so no
// file can block it or cost more than its limit: a path that is not a
// regular file (a FIFO, a socket, a device, a directory) is never opened
// (ErrNotRegular); a regular file is opened without blocking and checked
// again once open, so a file swapped for a FIFO between the check and the
// open cannot hang it either.
func ReadRegular(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, notRegular(st.Mode())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNoBlock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	open, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !open.Mode().IsRegular() {
		return nil, notRegular(open.Mode())
	}
	if !os.SameFile(st, open) {
		return nil, fmt.Errorf("%s changed while it was opened", path)
	}
	return io.ReadAll(io.LimitReader(f, limit))
}

// localDir is os.DirFS whose files readRegularFS reads with ReadRegular.
type localDir string

func (d localDir) Open(name string) (fs.File, error) { return os.DirFS(string(d)).Open(name) }

// readRegularFS reads at most limit bytes of the regular file name in
// fsys: through ReadRegular for a localDir, else with the same checks
// before and after the open.
func readRegularFS(fsys fs.FS, name string, limit int64) ([]byte, error) {
	if d, ok := fsys.(localDir); ok {
		if !fs.ValidPath(name) {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
		}
		return ReadRegular(filepath.Join(string(d), filepath.FromSlash(name)), limit)
	}
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, notRegular(st.Mode())
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if open, err := f.Stat(); err != nil || !open.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	return io.ReadAll(io.LimitReader(f, limit))
}
