//go:build !unix

package apply

// appendFlags: no extra open flags where O_NOFOLLOW does not exist; the
// checks before and after the open stand alone.
const appendFlags = 0
