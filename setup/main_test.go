package setup

import (
	"os"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

func TestMain(m *testing.M) {
	peers.PreferRealPython()
	code := m.Run()
	peers.StopAll()
	os.Exit(code)
}
