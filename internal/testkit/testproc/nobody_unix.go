//go:build unix

package testproc

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// RunAsNobody runs this test binary's test named test again, as the
// unprivileged user nobody when the tests run as root (a permission test
// means nothing to root), with env added to the environment, and returns
// what it printed. The binary is copied into dir, and dir and its parents
// up to the temp root are opened to other users so that nobody can reach
// it; the test is skipped where that cannot be done.
func RunAsNobody(t *testing.T, dir, test string, env ...string) []byte {
	t.Helper()
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "helper.test")
	if err := WriteExecutable(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	// -short: the helper starts no peer, so TestMain need not prepare one.
	cmd := exec.Command(bin, "-test.short", "-test.run=^"+test+"$")
	cmd.Env = append(os.Environ(), env...)
	if os.Geteuid() == 0 {
		top := filepath.Dir(filepath.Dir(dir)) // the temp root, e.g. /tmp
		for d := top; d != "/"; d = filepath.Dir(d) {
			if st, err := os.Stat(d); err != nil || st.Mode().Perm()&0o001 == 0 {
				t.Skipf("%s is closed to other users; set TMPDIR to an open directory", d)
			}
		}
		for d := dir; d != top; d = filepath.Dir(d) {
			st, _ := os.Stat(d)
			os.Chmod(d, st.Mode().Perm()|0o005)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	out, err := cmd.CombinedOutput()
	if err != nil && len(out) == 0 {
		t.Skipf("cannot run the helper as an unprivileged user: %v", err)
	}
	return out
}
