package probe

// SetGOOSForTest plays another OS for Claude Code's stores (the macOS
// Keychain) in tests of other packages' views of a report; it returns the
// function that restores the real one.
func SetGOOSForTest(g string) (restore func()) {
	old := goos
	goos = g
	return func() { goos = old }
}
