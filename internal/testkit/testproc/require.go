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
		Missing(t, name+" is not installed; .ci/run must install it")
	}
	return p
}

// Missing ends a test whose program or peer is not there: it fails in CI,
// where .ci/run provides every one, and is skipped elsewhere.
func Missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}
