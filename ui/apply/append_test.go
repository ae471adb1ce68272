package apply

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestAppendFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "summary.md")
	if err := os.WriteFile(p, []byte("before\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"one\n", "two\n"} {
		if err := AppendFile(p, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(p); string(b) != "before\none\ntwo\n" {
		t.Errorf("got %q", b)
	}

	// Missing: created, for this user only.
	fresh := filepath.Join(dir, "fresh.md")
	if err := AppendFile(fresh, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(fresh); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("fresh file: %v %v", st.Mode(), err)
	}

	// A symlink, to a file or to nowhere, is refused; nothing is written.
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, to := range map[string]string{"link": target, "dangling": filepath.Join(dir, "nowhere")} {
		l := filepath.Join(dir, name)
		if err := os.Symlink(to, l); err != nil {
			t.Fatal(err)
		}
		if err := AppendFile(l, []byte("x")); !errors.Is(err, ErrSymlink) {
			t.Errorf("%s: %v, want ErrSymlink", name, err)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("written through a link: %q", b)
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dangling link's target was created: %v", err)
	}

	// A FIFO nobody reads and a directory are refused without blocking.
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{fifo, dir} {
		if err := AppendFile(q, []byte("x")); err == nil {
			t.Errorf("%s: appended", q)
		}
	}
}
