package probe

import (
	"bytes"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	attack "github.com/fix401/fix401/probe/hostile"
)

// returnsSoon guards the calls handed a FIFO or a device (the name
// hostile is the payload table's in this package).
var returnsSoon = attack.ReturnsSoon

func TestReadRegularRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer l.Close()
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, kind string }{
		{fifo, "a FIFO"},
		{sock, "a socket"},
		{zero, "a device"},
		{dir, "a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			var data []byte
			var err error
			returnsSoon(t, "ReadRegular("+tt.kind+")", func() { data, err = ReadRegular(tt.path, 1<<20) })
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), tt.kind) || data != nil {
				t.Errorf("got %d bytes, %v; want ErrNotRegular naming %s", len(data), err, tt.kind)
			}
		})
	}
}

func TestReadRegularLimit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "big")
	if err := os.WriteFile(p, bytes.Repeat([]byte("x"), 5000), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(p, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"big", "link"} {
		data, err := ReadRegular(filepath.Join(dir, name), 1000)
		if err != nil || len(data) != 1000 {
			t.Errorf("%s: %d bytes, %v; want 1000", name, len(data), err)
		}
	}
	if _, err := ReadRegular(filepath.Join(dir, "missing"), 10); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestReadRegularFS(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "package.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	var got []byte
	var fifoErr error
	returnsSoon(t, "readRegularFS", func() {
		got, _ = readRegularFS(localDir(dir), "go.mod", 4)
		_, fifoErr = readRegularFS(localDir(dir), "package.json", 100)
	})
	if string(got) != "modu" {
		t.Errorf("localDir read %q", got)
	}
	if !errors.Is(fifoErr, ErrNotRegular) {
		t.Errorf("FIFO in a localDir: %v", fifoErr)
	}
	if _, err := readRegularFS(localDir(dir), "../go.mod", 10); err == nil {
		t.Error("a path out of the directory was read")
	}
	m := fstest.MapFS{"a": {Data: []byte("hello")}, "d": {Mode: fs.ModeDir}}
	if data, err := readRegularFS(m, "a", 2); err != nil || string(data) != "he" {
		t.Errorf("MapFS: %q, %v", data, err)
	}
	if _, err := readRegularFS(m, "d", 2); !errors.Is(err, ErrNotRegular) {
		t.Errorf("MapFS directory: %v", err)
	}
}
