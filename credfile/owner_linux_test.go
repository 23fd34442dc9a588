package credfile

import (
	"os"
	"path/filepath"
	"strings"
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
		if err := editINI(Writer{}, path, setSession); err != nil {
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
		if err := editINI(Writer{}, path, setSession); err != nil {
			t.Fatal(err)
		}
		owned(t, path, nobody, nobody)
		owned(t, path+".lock", 0, 0)
	})
	t.Run("new file and directory", func(t *testing.T) {
		dir := home(t)
		path := filepath.Join(dir, ".aws", "credentials")
		if err := editINI(Writer{}, path, setSession); err != nil {
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
		if err := editINI(Writer{}, link, setSession); err != nil {
			t.Fatal(err)
		}
		owned(t, real, nobody, group)
	})
	// A user's link dangling into a directory that is not theirs (/etc)
	// would have root create a file there: refused, nothing created.
	for name, plant := range map[string]func(home, away string) string{
		"dangling file link": func(home, away string) string {
			link := filepath.Join(home, "credentials")
			os.Symlink(filepath.Join(away, "nologin"), link)
			os.Lchown(link, nobody, nobody)
			return link
		},
		"linked directory": func(home, away string) string {
			link := filepath.Join(home, ".aws")
			os.Symlink(away, link)
			os.Lchown(link, nobody, nobody)
			return filepath.Join(link, "credentials")
		},
		"chain through a user's link": func(home, away string) string {
			link := filepath.Join(home, "credentials") // root's own link
			os.Symlink("a", link)
			os.Symlink(filepath.Join(away, "nologin"), filepath.Join(home, "a"))
			os.Lchown(filepath.Join(home, "a"), nobody, nobody)
			return link
		},
		"dangling into a missing directory": func(home, away string) string {
			link := filepath.Join(home, "credentials")
			os.Symlink(filepath.Join(away, "new", "nologin"), link)
			os.Lchown(link, nobody, nobody)
			return link
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir, away := home(t), t.TempDir() // away is root's
			path := plant(dir, away)
			err := editINI(Writer{}, path, setSession)
			if err == nil || !strings.Contains(err.Error(), "a link of user 65534") {
				t.Fatalf("err = %v", err)
			}
			if entries, _ := os.ReadDir(away); len(entries) != 0 {
				t.Errorf("created in root's directory: %v", entries)
			}
		})
	}
	// The user's own link to the user's own directory is followed.
	t.Run("own dangling link", func(t *testing.T) {
		dir := home(t)
		link := filepath.Join(dir, "credentials")
		os.Symlink(filepath.Join(dir, "real"), link)
		os.Lchown(link, nobody, nobody)
		if err := editINI(Writer{}, link, setSession); err != nil {
			t.Fatal(err)
		}
		owned(t, filepath.Join(dir, "real"), nobody, nobody)
	})
}
