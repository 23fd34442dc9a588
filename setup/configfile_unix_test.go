//go:build unix

package setup

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// TestSetupRefusesAConfigOthersRefuse: a config file that every other
// command refuses (not TOML, over config.MaxSize, a FIFO, a directory) is
// refused by every setup (plain, -p, --keyring), as bad input, with
// config's own message, and nothing is written: setup used to append the
// pair to a file too large for any refresh to read, or to set up beside a
// broken one, and say that the next aws-mfa CODE would work.
func TestSetupRefusesAConfigOthersRefuse(t *testing.T) {
	cases := map[string]func(path string){
		"not TOML":    func(p string) { os.WriteFile(p, []byte("this is = = not toml\n"), 0o600) },
		"too large":   func(p string) { os.WriteFile(p, bytes.Repeat([]byte("# a comment\n"), config.MaxSize/12+1), 0o600) },
		"a FIFO":      func(p string) { syscall.Mkfifo(p, 0o600) },
		"a directory": func(p string) { os.Mkdir(p, 0o700) },
	}
	for name, make := range cases {
		for _, keyring := range []string{"", "aws-mfa", "plain"} {
			t.Run(name+" "+keyring, func(t *testing.T) {
				req, out := setupFiles(t, afterConfigure)
				os.MkdirAll(filepath.Dir(req.ConfigPath), 0o700)
				make(req.ConfigPath)
				if keyring == "" {
					req.Pair, req.Source, req.Target = "work", "work-keys", "default"
				}
				if keyring == "plain" { // plain setup: no pair, no keyring
					keyring = ""
				}
				req.Keyring, req.Serial = keyring, "arn:aws:iam::123456789012:mfa/alice"
				before, _ := os.ReadFile(req.Paths.Credentials)
				st, _ := os.Lstat(req.ConfigPath)
				_, err := Run(context.Background(), req, deps(&fakeDevices{}, out))
				if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), "invalid config: ") || strings.Count(err.Error(), req.ConfigPath) != 1 {
					t.Fatalf("err %v, want the invalid config naming it once", err)
				}
				after, _ := os.ReadFile(req.Paths.Credentials)
				m, _ := filepath.Glob(filepath.Join(filepath.Dir(req.ConfigPath), "*.aws-mfa-backup-*"))
				now, _ := os.Lstat(req.ConfigPath)
				if !bytes.Equal(after, before) || now.Size() != st.Size() || !now.ModTime().Equal(st.ModTime()) || len(m) != 0 || out.Len() != 0 {
					t.Errorf("written: backups %v, said %q", m, out)
				}
			})
		}
	}
}
