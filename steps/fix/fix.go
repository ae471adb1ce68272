// Package fix turns a finished report and its diagnosis into a plan: the
// file edits that fix what a file edit can fix, and, for the rest, the
// exact command to run or page to open. It is pure like steps: file
// contents come in through a Reader, and nothing is written here. Writing
// (backups, atomic replace, undo) is ui/apply's job.
package fix

import (
	"io/fs"

	"github.com/fix401/fix401/steps"
)

// Reason is one finding a change answers.
type Reason struct {
	Code  steps.Code // the diagnosis or warning this change answers
	Title string     // one line, specific: "comment out the stale export on line 41"
}

// Change is every edit planned for one file, as the whole file before and
// after. A plan holds at most one Change per path, so the applier never
// has to compose edits.
type Change struct {
	Path string // absolute; where the user's app or shell reads it
	// Before is the file as the plan read it; nil when the change creates
	// the file. The applier refuses to write when the file on disk no
	// longer equals Before (it changed since the plan was made).
	Before []byte
	// After is the whole file once the change is made. For a mode-only
	// change it equals Before.
	After []byte
	// Mode is the permission bits to set; 0 keeps the file's own mode.
	Mode fs.FileMode
	Why  []Reason
}

// Manual is a fix no file edit can make: the variable exported in the
// running shell, a Console setting, a CI secret. It is never skipped in
// silence: it is printed with what to run or where to go.
type Manual struct {
	Code    steps.Code
	Title   string // what to do, one line
	Command string // a command to run, when there is one
	URL     string // a page to open, when the fix is a setting
}

// Plan is what `fix401 fix` shows and, once confirmed, applies.
type Plan struct {
	Changes []Change
	Manual  []Manual
}

// Empty reports whether the plan has nothing to do at all.
func (p Plan) Empty() bool { return len(p.Changes) == 0 && len(p.Manual) == 0 }

// Reader reads a file the plan may change. Tests and the demo inject
// their own; main passes a bounded reader that refuses symlinks and files
// owned by another user.
type Reader func(path string) ([]byte, error)
