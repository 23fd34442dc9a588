package app

import (
	"os"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

func TestMain(m *testing.M) { os.Exit(testproc.Wrap(m).Run()) }
