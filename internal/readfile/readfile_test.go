//go:build unix

package readfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		limit      int64
		want       error
	}{
		{"regular", small, 5, nil},
		{"over the limit", small, 4, ErrTooLarge},
		{"missing", filepath.Join(dir, "nope"), 10, fs.ErrNotExist},
		{"directory", dir, 10, ErrNotRegular},
		{"fifo without a writer", fifo, 10, ErrNotRegular},
		{"character device", "/dev/zero", 10, ErrNotRegular},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan struct{})
			var data []byte
			var err error
			go func() { data, err = Read(tc.path, tc.limit); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Read blocked")
			}
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err == nil && string(data) != "hello" {
				t.Fatalf("data = %q", data)
			}
			if err != nil && strings.Contains(err.Error(), "hello") {
				t.Fatalf("error carries content: %v", err)
			}
		})
	}
}

// TestCapped: output past the bound is refused, and what was kept is what
// came before it.
func TestCapped(t *testing.T) {
	w := &Capped{Max: 10}
	var err error
	for i := 0; i < 5 && err == nil; i++ {
		_, err = w.Write([]byte("1234"))
	}
	if w.String() != "12341234" || !w.Over || err == nil {
		t.Errorf("%q over=%v err=%v", w.String(), w.Over, err)
	}
	if _, ok := any(&Capped{}).(io.ReaderFrom); ok {
		t.Error("Capped has ReadFrom, which io.Copy would use instead of its Write")
	}
}
