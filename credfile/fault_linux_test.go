package credfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// TestFullDisk writes to a credentials file on a tmpfs too small for the
// new copy: the write fails with a clear error and the file is intact.
func TestFullDisk(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=16k"); err != nil {
		t.Skipf("cannot mount a small tmpfs here (%v); CI runs as root and can", err)
	}
	defer syscall.Unmount(dir, 0)
	path := filepath.Join(dir, "credentials")
	content := sample + strings.Repeat("# padding padding padding\n", 400)
	write(t, path, content, 0o600)
	err := editINI(Writer{}, path, setSession)
	if err == nil || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != content {
		t.Error("file changed")
	}
	if temps, _ := filepath.Glob(filepath.Join(dir, ".credentials.aws-mfa-*")); len(temps) != 0 {
		t.Errorf("temp left: %v", temps)
	}
}

// TestReadOnlyDirectory runs a writer as an unprivileged user against a
// directory it cannot write (root would ignore the permissions).
func TestReadOnlyDirectory(t *testing.T) {
	if path := os.Getenv("CREDFILE_RO_PATH"); path != "" {
		err := editINI(Writer{}, path, setSession)
		os.Stderr.WriteString("ERR: " + errString(err) + "\n")
		return
	}
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o755)
	path := filepath.Join(ro, "credentials")
	write(t, path, sample, 0o644)
	os.Chmod(ro, 0o555)
	// A copy of this test binary that the unprivileged user can run.
	out := testproc.RunAsNobody(t, dir, "TestReadOnlyDirectory", "CREDFILE_RO_PATH="+path)
	if !strings.Contains(string(out), "ERR: cannot lock "+path+".lock (open "+path+".lock: permission denied); aws-mfa needs write access to "+ro) {
		t.Fatalf("helper said:\n%s", out)
	}
	if b, _ := os.ReadFile(path); string(b) != sample {
		t.Error("file changed")
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
