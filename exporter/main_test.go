package exporter

import (
	"os"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// TestMain stops the shared botocore process and fails the run if a test
// leaves a process it started running.
func TestMain(m *testing.M) {
	peers.PreferRealPython()
	os.Exit(testproc.Wrap(m, peers.StopAll).Run())
}
