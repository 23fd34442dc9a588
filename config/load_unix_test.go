//go:build unix

package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// TestLoad: only the default location may be absent; any file is read
// bounded and without blocking; permissions are a file-system failure.
func TestLoad(t *testing.T) {
	dir := t.TempDir()
	missing := dir + "/none.toml"
	if _, err := Load(Location{Path: missing}); err != nil {
		t.Errorf("default location absent: %v", err)
	}
	for _, by := range []string{"--config", "AWS_MFA_CONFIG"} {
		_, err := Load(Location{Path: missing, By: by})
		if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "no config file at "+missing+" (named by "+by+")") {
			t.Errorf("%s: %v", by, err)
		}
	}
	big := dir + "/big.toml"
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", MaxSize)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := dir + "/fifo.toml"
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/dev/zero": "not a regular file (a device)",
		"/dev/null": "not a regular file (a device)",
		fifo:        "not a regular file (a FIFO)",
		dir:         "not a regular file (a directory)",
		big:         "file too large",
	} {
		for _, by := range []string{"", "--config"} {
			_, err := Load(Location{Path: path, By: by})
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v; want %q", path, err, want)
			}
		}
	}
}

// TestUnreadableIsAFileSystemFailure: permission denied is not an invalid
// config. Root reads any file, so as root the check runs in a copy of
// this test binary as an unprivileged user.
func TestUnreadableIsAFileSystemFailure(t *testing.T) {
	if path := os.Getenv("CONFIG_LOCKED_PATH"); path != "" {
		_, err := Load(Location{Path: path, By: "--config"})
		fmt.Printf("ERR: invalid=%v missing=%v permission=%v %v\n", errors.Is(err, ErrInvalid), errors.Is(err, ErrMissing), errors.Is(err, fs.ErrPermission), err)
		return
	}
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked.toml")
	if err := os.WriteFile(locked, []byte("[defaults]\n"), 0); err != nil {
		t.Fatal(err)
	}
	out := testproc.RunAsNobody(t, dir, "TestUnreadableIsAFileSystemFailure", "CONFIG_LOCKED_PATH="+locked)
	want := "ERR: invalid=false missing=false permission=true cannot read the config file " + locked + ": permission denied; make it readable by this user"
	if !strings.Contains(string(out), want) {
		t.Fatalf("helper said:\n%s\nwant %q", out, want)
	}
}
