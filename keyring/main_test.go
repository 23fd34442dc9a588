package keyring_test

import (
	"os"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// TestMain fails the run if a test leaves a daemon (dbus-daemon,
// gnome-keyring-daemon, gpg-agent) running.
func TestMain(m *testing.M) { os.Exit(testproc.Wrap(m).Run()) }
