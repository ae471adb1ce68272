package apply

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fix401/fix401/probe"
	"github.com/fix401/fix401/steps/fix"
)

// FuzzApplyUndo: whatever two contents and mode, Apply writes the second
// exactly, Undo brings back the first exactly, and the diff between them
// never shows a secret the redactor knows.
func FuzzApplyUndo(f *testing.F) {
	f.Add([]byte("A=1\r\nB=2"), []byte("A=1\nB=2\n"), uint16(0o640))
	f.Add([]byte("\xef\xbb\xbfK=x\n"), []byte(""), uint16(0o600))
	f.Add([]byte("\xff\xfeK\x00=\x001\x00"), []byte("K=1\n"), uint16(0o644))
	f.Add([]byte("K=\"sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789\u200b\"\n"), []byte("K=sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789\n"), uint16(0o600))
	f.Fuzz(func(t *testing.T, before, after []byte, mode uint16) {
		perm := fs.FileMode(mode&0o777) | 0o600 // the owner can read and write it
		w := newWorld(t)
		p := filepath.Join(w.dir, ".env")
		put(t, p, before, perm)
		if _, err := Apply(fix.Plan{Changes: []fix.Change{{Path: p, Before: before, After: after}}}, w.opts()); err != nil {
			t.Fatal(err)
		}
		same(t, p, after, perm)
		if _, err := Undo(w.state, UndoOptions{}); err != nil {
			t.Fatal(err)
		}
		same(t, p, before, perm)
		const secret = "Zq9x7Wv5Ut3Sr1Qp"
		d := Diff(fix.Change{Path: p, Before: append(before, secret...), After: append([]byte(secret), after...)}, probe.NewRedactor(secret))
		if strings.Contains(d, secret[:probe.MinPiece]) {
			t.Errorf("the diff shows a secret:\n%s", d)
		}
		_ = os.Remove(p)
	})
}
