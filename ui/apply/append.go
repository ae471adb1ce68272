package apply

import (
	"fmt"
	"os"

	"github.com/fix401/fix401/probe"
)

// AppendFile adds data to the end of the file at path, creating it (mode
// 0600) when it is missing, and never writes through a symlink
// (ErrSymlink) or into anything but a regular file: a FIFO, a device or
// a directory is refused before it is opened, and again once open. What
// the file held stays as it was. It is how fix401 writes to
// $GITHUB_STEP_SUMMARY.
func AppendFile(path string, data []byte) error {
	before, err := CheckTarget(path)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|appendFlags, 0o600)
	if err != nil {
		return fmt.Errorf("%s: %w; nothing was written", path, err)
	}
	st, err := f.Stat()
	switch {
	case err != nil:
		f.Close()
		return fmt.Errorf("%s: %w; nothing was written", path, err)
	case !st.Mode().IsRegular():
		f.Close()
		return fmt.Errorf("%s is %s: nothing was written", path, probe.FileKind(st.Mode()))
	case before != nil && !os.SameFile(before, st):
		f.Close()
		return fmt.Errorf("%s changed while it was opened: nothing was written", path)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("append to %s: %w", path, err)
	}
	return f.Close()
}
