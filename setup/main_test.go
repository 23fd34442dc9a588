package setup

import (
	"os"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

func TestMain(m *testing.M) {
	peers.PreferRealPython()
	os.Exit(testproc.Wrap(m, peers.StopAll).Run())
}
