//go:build unix

package probe

import "syscall"

// openNoBlock makes opening a FIFO return at once instead of waiting for a
// writer, and keeps a terminal device from becoming the controlling one.
const openNoBlock = syscall.O_NONBLOCK | syscall.O_NOCTTY
