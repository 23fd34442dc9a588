//go:build unix

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// privateDir fails unless dir is a directory, not a link to one, that this
// user owns and no one else may use: the build directory's name in the
// shared temp directory is known in advance, so another local user may
// have made it first, to put a binary of theirs where the tests run it.
func privateDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || int(st.Uid) != os.Getuid() || fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("%s is not a directory only this user can use (%v); remove it", dir, fi.Mode())
	}
	return nil
}

// TestPrivateDirRefusesWhatOthersControl: the build directory sits in the
// shared temp directory under a name anyone can compute, so one made by
// another user, or open to others, could hold a binary of theirs that the
// tests then run.
func TestPrivateDirRefusesWhatOthersControl(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	mk := func(name string, mode os.FileMode) string {
		p := filepath.Join(base, name)
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // past the umask
			t.Fatal(err)
		}
		return p
	}
	private := mk("private", 0o700)
	if err := privateDir(private); err != nil {
		t.Errorf("a directory only its owner can use: %v", err)
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink(private, link); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	refused := map[string]string{
		"open to all":       mk("all", 0o777),
		"open to the group": mk("group", 0o750),
		"readable by all":   mk("read", 0o705),
		"a symbolic link":   link, // its target may change under the tests
		"a file":            file,
		"absent":            filepath.Join(base, "absent"),
	}
	if os.Getuid() == 0 {
		other := mk("other", 0o700)
		if err := os.Chown(other, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		refused["another user's"] = other
	}
	for what, dir := range refused {
		if err := privateDir(dir); err == nil {
			t.Errorf("%s directory is taken as private", what)
		}
	}
}
