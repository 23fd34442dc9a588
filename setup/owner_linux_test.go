package setup

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSetupAsRootLeavesTheUsersBackups: setup run as root on a user's
// files (credentials and config in directories owned by nobody) leaves
// every backup, and every file it writes, owned by that user.
func TestSetupAsRootLeavesTheUsersBackups(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to own files as another user")
	}
	const nobody = 65534
	req, out := setupFiles(t, afterConfigure)
	dir := filepath.Dir(req.Paths.Credentials)
	os.MkdirAll(filepath.Dir(req.ConfigPath), 0o700)
	os.WriteFile(req.ConfigPath, []byte("# mine\n"), 0o600)
	for _, p := range []string{dir, req.Paths.Credentials, filepath.Dir(req.ConfigPath), req.ConfigPath} {
		if err := os.Chown(p, nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}
	req.Pair, req.Source, req.Target = "work", "work-lt", "default"
	req.Serial = "arn:aws:iam::123456789012:mfa/alice"
	if _, err := Run(context.Background(), req, deps(&fakeDevices{}, out)); err != nil {
		t.Fatal(err)
	}
	b := backups(out)
	if len(b) != 2 {
		t.Fatalf("backups: %v", b)
	}
	for _, p := range append(b, req.Paths.Credentials, req.ConfigPath) {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		s := st.Sys().(*syscall.Stat_t)
		if s.Uid != nobody || s.Gid != nobody || st.Mode().Perm() != 0o600 {
			t.Errorf("%s is %d:%d %v, want %d:%d 0600", filepath.Base(p), s.Uid, s.Gid, st.Mode().Perm(), nobody, nobody)
		}
	}
}

// TestSetupAsRootThroughALinkToRootsFile: root runs setup in a user's
// HOME whose credentials file is a link to a file only root may read.
// Everything setup writes for it (backup, temp file, lock) sits beside
// root's file, root's and private; the user's directory gains nothing.
func TestSetupAsRootThroughALinkToRootsFile(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to own files as another user")
	}
	const nobody = 65534
	req, out := setupFiles(t, "")
	home := filepath.Dir(req.Paths.Credentials)
	secret := filepath.Join(t.TempDir(), "root-only")
	os.Chmod(filepath.Dir(secret), 0o700)
	os.WriteFile(secret, []byte(afterConfigure), 0o600)
	if err := os.Symlink(secret, req.Paths.Credentials); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{home, req.Paths.Credentials} {
		if err := os.Lchown(p, nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}
	req.Serial = "arn:aws:iam::123456789012:mfa/alice"
	if _, err := Run(context.Background(), req, deps(&fakeDevices{}, out)); err != nil {
		t.Fatal(err)
	}
	b := backups(out)
	if len(b) != 1 || filepath.Dir(b[0]) != filepath.Dir(secret) {
		t.Fatalf("backups: %v", b)
	}
	entries, _ := os.ReadDir(home)
	if len(entries) != 1 {
		t.Errorf("the user's directory holds %v, want only the link", entries)
	}
	entries, _ = os.ReadDir(filepath.Dir(secret))
	for _, e := range entries {
		st, err := os.Lstat(filepath.Join(filepath.Dir(secret), e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if s := st.Sys().(*syscall.Stat_t); s.Uid != 0 || st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %d:%d %v, want root's and private", e.Name(), s.Uid, s.Gid, st.Mode().Perm())
		}
	}
	if b, _ := os.ReadFile(b[0]); string(b) != afterConfigure {
		t.Errorf("the backup holds\n%s", b)
	}
}
