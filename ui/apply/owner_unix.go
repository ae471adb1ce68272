//go:build unix

package apply

import (
	"io/fs"
	"os"
	"syscall"
)

// euid is the user fix401 runs as; tests that cannot give a file away
// (not root) pretend to be another user instead.
var euid = os.Geteuid

// ownedByOther reports whether st belongs to another user than the one
// running fix401.
func ownedByOther(st fs.FileInfo) (uid int, other bool) {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(sys.Uid), int(sys.Uid) != euid()
}
