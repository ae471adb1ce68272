//go:build !unix

package probe

// openNoBlock: outside Unix a FIFO cannot be met under a config file's name.
const openNoBlock = 0
