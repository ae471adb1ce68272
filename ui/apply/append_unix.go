//go:build unix

package apply

import "syscall"

// appendFlags: a symlink put in place after the check is not followed
// (O_NOFOLLOW), and a FIFO does not block the open (O_NONBLOCK).
const appendFlags = syscall.O_NOFOLLOW | syscall.O_NONBLOCK | syscall.O_NOCTTY
