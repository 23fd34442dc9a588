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
	res, err := Run(context.Background(), req, deps(&fakeDevices{}, out))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Backups) != 2 {
		t.Fatalf("backups: %v", res.Backups)
	}
	for _, p := range append(res.Backups, res.Changed...) {
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
