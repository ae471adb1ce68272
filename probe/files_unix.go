//go:build unix

package probe

import (
	"os"
	"syscall"
)

// openNoBlock makes opening a FIFO return at once instead of waiting for a
// writer, and keeps a terminal device from becoming the controlling one.
const openNoBlock = syscall.O_NONBLOCK | syscall.O_NOCTTY

// fileOwner returns the user id owning the file at path, following
// symlinks.
func fileOwner(path string) (uid int, ok bool) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(sys.Uid), true
}
