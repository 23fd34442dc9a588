package shells

import (
	"os"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// TestMain fails the run if a test leaves a process it started running.
func TestMain(m *testing.M) { os.Exit(testproc.Wrap(m).Run()) }
