//go:build unix

package exporter

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// TestObtainRefusesNonRegularFiles names a FIFO or /dev/zero as the
// credentials or the config file: one clear line, at once, no STS call,
// nothing written.
func TestObtainRefusesNonRegularFiles(t *testing.T) {
	for _, which := range []string{"credentials", "config"} {
		for _, kind := range []string{"fifo", "/dev/zero"} {
			t.Run(which+" "+kind, func(t *testing.T) {
				fx := setup(t, aliceFile)
				path := kind
				if kind == "fifo" {
					path = filepath.Join(t.TempDir(), "fifo")
					if err := syscall.Mkfifo(path, 0o600); err != nil {
						t.Fatal(err)
					}
				}
				if which == "credentials" {
					fx.req.Paths.Credentials = path
				} else {
					fx.req.Paths.Config = path
				}
				_, err := Obtain(context.Background(), fx.req, fx.deps)
				if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), path+": not a regular file") || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err = %v", err)
				}
				if fx.sts.Requests() != 0 || fx.asks != 0 {
					t.Error("STS called or code asked")
				}
				if got := fx.file(t); got != aliceFile {
					t.Error("credentials changed")
				}
				if entries, _ := os.ReadDir(filepath.Dir(fx.path)); len(entries) != 1 {
					t.Errorf("files beside the credentials: %v", entries)
				}
			})
		}
	}
}
