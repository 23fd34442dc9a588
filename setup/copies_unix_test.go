//go:build unix

package setup

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSetupKeyringNamesPlaintextCopies: after the move, setup names every
// file under the credentials' and AWS config's directories that still
// holds the secret key (an earlier setup's backup, a profile in the AWS
// config, a file in a subdirectory), offers to delete aws-mfa's own
// backups and says that rotating the key is the real fix; a FIFO, a link
// and a huge file are passed over without blocking. (Nothing was said.)
func TestSetupKeyringNamesPlaintextCopies(t *testing.T) {
	t.Parallel()
	const secret = "alice/long+term/secret"
	const creds = "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = " + secret + "\n"
	for _, yes := range []bool{false, true} {
		req, out := setupFiles(t, creds)
		dir := filepath.Dir(req.Paths.Credentials)
		backup := req.Paths.Credentials + ".aws-mfa-backup-20261101T000000Z"
		os.WriteFile(backup, []byte(creds), 0o600)
		os.WriteFile(req.Paths.Config, []byte("[profile old]\nregion = x\naws_secret_access_key = "+secret+"\n"), 0o600)
		os.MkdirAll(filepath.Join(dir, "cli", "cache"), 0o700)
		os.WriteFile(filepath.Join(dir, "cli", "cache", "notes"), []byte(secret), 0o600)
		os.WriteFile(filepath.Join(dir, "cli", "cache", "clean.json"), []byte("{}"), 0o600)
		evil := filepath.Join(dir, "evil\x1b[2J\nname")
		os.WriteFile(evil, []byte(secret), 0o600)
		if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Symlink("/dev/zero", filepath.Join(dir, "zero"))
		os.WriteFile(filepath.Join(dir, "huge"), make([]byte, copiesFileSize+1), 0o600)
		req.Serial = "arn:aws:iam::123456789012:mfa/alice"
		req.Pair, req.Keyring = "default", "aws-mfa"
		d := deps(&fakeDevices{}, out)
		d.Store = memStore{}
		asked := ""
		d.Confirm = func(q string) (bool, error) { asked = q; return yes, nil }
		if _, err := Run(context.Background(), req, d); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		for _, want := range []string{
			"is still in plaintext in " + backup + " (line 3)",
			"is still in plaintext in " + req.Paths.Config + " (line 3)",
			"is still in plaintext in " + filepath.Join(dir, "cli", "cache", "notes") + " (line 1)",
			"did not search " + filepath.Join(dir, "huge") + " (over 4 MiB)",
			"is still in plaintext in " + strconv.Quote(evil) + " (line 1)",
			"rotate the access key: aws-mfa rotate",
		} {
			if !strings.Contains(s, want) {
				t.Errorf("yes=%v: output lacks %q:\n%s", yes, want, s)
			}
		}
		if strings.Contains(s, secret) || strings.Contains(s, "\x1b") || strings.Contains(s, "clean.json") || strings.Contains(s, "in plaintext in "+req.Paths.Credentials+" ") || !strings.Contains(asked, backup) || strings.Contains(asked, req.Paths.Config) {
			t.Errorf("yes=%v: asked %q\n%s", yes, asked, s)
		}
		if _, err := os.Stat(backup); (err == nil) == yes || yes && !strings.Contains(s, "deleted "+backup) {
			t.Errorf("yes=%v: backup there: %v\n%s", yes, err == nil, s)
		}
		if _, err := os.Stat(req.Paths.Config); err != nil {
			t.Errorf("the AWS config was deleted")
		}
	}
}

// TestFindCopiesStopsWhileListing: the deadline bounds the listing of a
// directory itself, read in chunks: one full of links (no file to count)
// past the deadline is named as not searched, not listed to its end. One
// link more than a chunk makes it more than one chunk; each costs a file
// creation, which is slow on a busy disk.
func TestFindCopiesStopsWhileListing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i := range 257 {
		os.Symlink("/dev/null", filepath.Join(dir, "link"+strconv.Itoa(i)))
	}
	_, skipped := findCopies([]string{dir}, "alice/long+term/secret", time.Time{})
	if len(skipped) != 1 || skipped[0] != "the rest of "+dir+" (stopped after 0 files)" {
		t.Fatalf("skipped: %q", skipped)
	}
}
