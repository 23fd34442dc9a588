package credfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRootKeepsTheUsersOwnership runs a refresh as root on files of an
// ordinary user (nobody, 65534): the credentials file keeps its owner and
// group, the lock file gets the file's, and a new file, its lock and a new
// .aws directory get the directory's owner.
func TestRootKeepsTheUsersOwnership(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to own files as another user")
	}
	const nobody, group = 65534, 100
	owned := func(t *testing.T, path string, uid, gid int) {
		t.Helper()
		st, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		s := st.Sys().(*syscall.Stat_t)
		if int(s.Uid) != uid || int(s.Gid) != gid {
			t.Errorf("%s is owned by %d:%d, want %d:%d", filepath.Base(path), s.Uid, s.Gid, uid, gid)
		}
	}
	home := func(t *testing.T) string {
		dir := t.TempDir()
		if err := os.Chown(dir, nobody, nobody); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	t.Run("existing file", func(t *testing.T) {
		dir := home(t)
		path := filepath.Join(dir, "credentials")
		write(t, path, sample, 0o600)
		os.Chown(path, nobody, group) // a group other than the directory's
		if err := (Writer{}).Update(path, setSession); err != nil {
			t.Fatal(err)
		}
		owned(t, path, nobody, group)
		owned(t, path+".lock", nobody, group)
	})
	t.Run("lock file already there", func(t *testing.T) {
		dir := home(t)
		path := filepath.Join(dir, "credentials")
		write(t, path, sample, 0o600)
		os.Chown(path, nobody, nobody)
		write(t, path+".lock", "", 0o600)
		os.Chown(path+".lock", 0, 0) // not ours to change
		if err := (Writer{}).Update(path, setSession); err != nil {
			t.Fatal(err)
		}
		owned(t, path, nobody, nobody)
		owned(t, path+".lock", 0, 0)
	})
	t.Run("new file and directory", func(t *testing.T) {
		dir := home(t)
		path := filepath.Join(dir, ".aws", "credentials")
		if err := (Writer{}).Update(path, setSession); err != nil {
			t.Fatal(err)
		}
		owned(t, filepath.Dir(path), nobody, nobody)
		owned(t, path, nobody, nobody)
		owned(t, path+".lock", nobody, nobody)
	})
	t.Run("through a symlink", func(t *testing.T) {
		dir := home(t)
		real := filepath.Join(dir, "real")
		write(t, real, sample, 0o600)
		os.Chown(real, nobody, group)
		link := filepath.Join(dir, "credentials")
		os.Symlink("real", link)
		if err := (Writer{}).Update(link, setSession); err != nil {
			t.Fatal(err)
		}
		owned(t, real, nobody, group)
	})
}
