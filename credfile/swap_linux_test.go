package credfile

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestLockSwappedSpecialFile: Lock refuses a FIFO or a directory in the
// file's place by reading it; one that another program swaps for a regular
// file between that stat and the read must be refused too, never answered
// with a nil Locked and a nil error, on which every caller panics. The
// swap is a race, so each kind of special file is swapped back and forth
// (renameat2 RENAME_EXCHANGE) while Lock runs; before the fix about one
// Lock in a thousand returned (nil, nil) on a loaded machine. The kinds
// race side by side, each until the swap has landed between the stat and
// the read ten times (Lock says the file changed), each of which
// returned (nil, nil) before the fix, or for a second.
func TestLockSwappedSpecialFile(t *testing.T) {
	if testing.Short() {
		t.Skip("a race run for seconds: the full tier")
	}
	for name, create := range map[string]func(string) error{
		"FIFO":      func(p string) error { return syscall.Mkfifo(p, 0o600) },
		"directory": func(p string) error { return os.Mkdir(p, 0o700) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path, other := filepath.Join(dir, "credentials"), filepath.Join(dir, "other")
			if err := create(path); err != nil {
				t.Fatal(err)
			}
			write(t, other, sample, 0o600)
			var stop atomic.Bool
			done := make(chan struct{})
			go func() {
				defer close(done)
				for !stop.Load() {
					_ = unix.Renameat2(unix.AT_FDCWD, path, unix.AT_FDCWD, other, unix.RENAME_EXCHANGE)
				}
			}()
			defer func() { stop.Store(true); <-done }()
			for end, hits := time.Now().Add(time.Second), 0; hits < 10 && time.Now().Before(end); {
				l, err := Writer{LockTimeout: time.Second}.Lock(path)
				if l == nil && err == nil {
					t.Fatal("Lock returned neither a Locked nor an error")
				}
				if err != nil && strings.Contains(err.Error(), "changed while aws-mfa looked at it") {
					hits++
				}
				if l != nil {
					l.Unlock()
				}
			}
		})
	}
}
