package apply

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/fix401/fix401/probe"
)

// MaxFile is the largest file a plan may change: a file is read whole, to
// be written back byte for byte but for the change.
const MaxFile = probe.MaxKeyFile

// ErrOtherOwner is returned for a file that belongs to another user:
// fix401 neither plans nor makes changes to it.
var ErrOtherOwner = errors.New("belongs to another user: fix401 leaves it alone")

// Read reads a file a plan may change, whole: it is a fix.Reader. A
// missing file is an error wrapping fs.ErrNotExist (the plan may create
// it); a symlink, anything but a regular file, a file of another user, or
// one larger than MaxFile is refused.
func Read(path string) ([]byte, error) {
	st, err := CheckTarget(path)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
	}
	if uid, other := ownedByOther(st); other {
		return nil, fmt.Errorf("%s (uid %d) %w", path, uid, ErrOtherOwner)
	}
	data, err := probe.ReadRegular(path, MaxFile+1)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxFile {
		return nil, fmt.Errorf("%s is larger than %d KiB: fix401 does not change it", path, MaxFile>>10)
	}
	return data, nil
}
