package testproc

import (
	"os"
	"os/exec"
	"testing"
)

// Require is the path of the program name that a test starts: a real
// shell, tmux, python3, moto_server, a keyring daemon. It is the one place
// the test tiers part: under go test -short the test is skipped. Without
// the program the test is skipped too, or fails in CI, where .ci/run
// installs every one.
func Require(t testing.TB, name string) string {
	t.Helper()
	if testing.Short() {
		t.Skipf("-short: the test starts %s", name)
	}
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed; .ci/run must install it", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}
