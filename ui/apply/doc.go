// Package apply makes a fix.Plan real, safely: it shows each change as a
// unified diff with keys masked, backs every file up before it is
// written, writes atomically with the file's mode kept, never through a
// symlink, never a file owned by another user, nothing outside the
// project and the user's own start-up and config files, and undoes the
// latest run byte for byte.
package apply
