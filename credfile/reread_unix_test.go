//go:build unix

package credfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRereadFailsWritesNothing: just before its rename aws-mfa reads the
// file again, to keep what another program wrote meanwhile. When that
// read fails, the file cannot be shown unchanged, and the rename would
// replace whatever the other program put there: the edit fails instead
// and leaves it alone, whatever kind of file it became.
func TestRereadFailsWritesNothing(t *testing.T) {
	big := bytes.Repeat([]byte("# padding\n"), MaxSize/10+1)
	for name, tc := range map[string]struct {
		become func(t *testing.T, path string)
		left   func(path string) bool // whether what the other program left is still there
	}{
		"grown past MaxSize": {
			func(t *testing.T, path string) { write(t, path, sample+string(big), 0o600) },
			func(path string) bool { st, err := os.Stat(path); return err == nil && st.Size() > MaxSize },
		},
		"a FIFO": {
			func(t *testing.T, path string) {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
				if err := syscall.Mkfifo(path, 0o600); err != nil {
					t.Fatal(err)
				}
			},
			func(path string) bool {
				st, err := os.Lstat(path)
				return err == nil && st.Mode()&os.ModeNamedPipe != 0
			},
		},
		"a directory": {
			func(t *testing.T, path string) {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
				if err := os.Mkdir(path, 0o700); err != nil {
					t.Fatal(err)
				}
			},
			func(path string) bool { st, err := os.Lstat(path); return err == nil && st.IsDir() },
		},
	} {
		t.Run(name, func(t *testing.T) {
			if testing.Short() && name == "grown past MaxSize" {
				t.Skip("writes 32 MiB: the full tier")
			}
			path := filepath.Join(t.TempDir(), "credentials")
			write(t, path, sample, 0o600)
			w := Writer{beforeRename: func() { tc.become(t, path) }}
			err := editINI(w, path, setSession)
			if err == nil {
				t.Fatal("the edit was written over a file it could not read again")
			}
			if !tc.left(path) {
				t.Errorf("what the other program left at %s is gone (err = %v)", path, err)
			}
			if strings.Contains(err.Error(), "padding") {
				t.Errorf("the error quotes the file: %.200s", err)
			}
			if temps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), tempPattern(path))); len(temps) > 0 {
				t.Errorf("temp files left: %v", temps)
			}
		})
	}
}
