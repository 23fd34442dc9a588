//go:build !windows

package credfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gofrs/flock"
)

// TestLockIsNeverFollowed plants something other than a regular file at
// credentials.lock: a link to a missing file (which a followed open
// creates, root-owned when run as root), to an existing file, to a
// directory, a directory and a FIFO. Each is refused with one line, the
// link's target is not created, and the credentials file is unchanged.
func TestLockIsNeverFollowed(t *testing.T) {
	for _, c := range []struct {
		name  string
		plant func(t *testing.T, lock, elsewhere string)
		kind  string
	}{
		{"link to a missing file", func(t *testing.T, lock, elsewhere string) { must(t, os.Symlink(elsewhere, lock)) }, "symbolic link"},
		{"relative link to a missing file", func(t *testing.T, lock, elsewhere string) {
			must(t, os.Symlink(filepath.Join("..", filepath.Base(filepath.Dir(elsewhere)), filepath.Base(elsewhere)), lock))
		}, "symbolic link"},
		{"link to an existing file", func(t *testing.T, lock, elsewhere string) {
			write(t, elsewhere, "x", 0o600)
			must(t, os.Symlink(elsewhere, lock))
		}, "symbolic link"},
		{"link to a directory", func(t *testing.T, lock, elsewhere string) {
			must(t, os.Mkdir(elsewhere, 0o700))
			must(t, os.Symlink(elsewhere, lock))
		}, "symbolic link"},
		{"directory", func(t *testing.T, lock, _ string) { must(t, os.Mkdir(lock, 0o700)) }, "directory"},
		{"fifo", func(t *testing.T, lock, _ string) { must(t, syscall.Mkfifo(lock, 0o600)) }, "FIFO"},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "home")
			must(t, os.Mkdir(dir, 0o700))
			must(t, os.Mkdir(filepath.Join(root, "x"), 0o700))
			path := filepath.Join(dir, "credentials")
			elsewhere := filepath.Join(root, "x", "created-by-root")
			write(t, path, sample, 0o600)
			c.plant(t, path+".lock", elsewhere)
			before, _ := os.Lstat(elsewhere)
			err := editINI(Writer{}, path, setSession)
			if err == nil || !strings.Contains(err.Error(), "refusing to lock through "+path+".lock: it is a "+c.kind) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v", err)
			}
			if after, _ := os.Lstat(elsewhere); (before == nil) != (after == nil) {
				t.Errorf("%s created through the lock path", elsewhere)
			}
			if data, _ := os.ReadFile(path); string(data) != sample {
				t.Errorf("file changed")
			}
		})
	}
}

// TestLockOpenNeverFollows: should a link replace the lock file after it
// was checked, the open itself fails instead of creating the target.
func TestLockOpenNeverFollows(t *testing.T) {
	dir := t.TempDir()
	lock, target := filepath.Join(dir, "credentials.lock"), filepath.Join(dir, "target")
	must(t, os.Symlink(target, lock))
	l := flock.New(lock, flock.SetFlag(os.O_CREATE|os.O_RDONLY|lockOpenFlags))
	if ok, err := l.TryLock(); err == nil || ok {
		l.Unlock()
		t.Errorf("locked through a link: %v %v", ok, err)
	}
	if _, err := os.Lstat(target); err == nil {
		t.Errorf("the link's target was created")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
