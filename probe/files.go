package probe

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotRegular is returned for a path that names a directory, a pipe or a
// device: opening a pipe named like a config file could block forever.
var ErrNotRegular = errors.New("not a regular file")

// readRegularFS reads at most limit bytes of the regular file name in fsys.
// Everything fix401 reads from disk goes through here, so no file can
// block it or cost more than its limit.
func readRegularFS(fsys fs.FS, name string, limit int64) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

// ReadRegular reads at most limit bytes of the regular file at path.
func ReadRegular(path string, limit int64) ([]byte, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return readRegularFS(os.DirFS(filepath.Dir(abs)), filepath.Base(abs), limit)
}
