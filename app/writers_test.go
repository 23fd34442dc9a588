//go:build unix

package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/credfile"
)

// TestTokenCommandWritingTheFile: the pair's token_command is the wait;
// while it runs, another program (here the command itself) rotates
// [ci]'s key in the credentials file, in place or by rename. The refresh
// keeps that key and writes its session.
func TestTokenCommandWritingTheFile(t *testing.T) {
	t.Parallel()
	scripts := map[string]string{
		"in place":  `printf '[ci]\naws_access_key_id = AKIAROTATEDEXAMPLE01\n' >> "$F"; echo 314159`,
		"by rename": `cp "$F" "$F.new" && printf '[ci]\naws_access_key_id = AKIAROTATEDEXAMPLE01\n' >> "$F.new" && mv "$F.new" "$F"; echo 314159`,
	}
	for style, script := range scripts {
		t.Run(style, func(t *testing.T) {
			r := newRig(t, aliceProfile)
			cfg := filepath.Join(r.env["XDG_CONFIG_HOME"], "aws-mfa", "config.toml")
			os.MkdirAll(filepath.Dir(cfg), 0o700)
			toml := "[pair.work]\nsource = \"aws-mfa\"\ntarget = \"default\"\ntoken_command = [\"/bin/sh\", \"-c\", '''F=" + r.creds + "; " + script + "''']\n"
			os.WriteFile(cfg, []byte(toml), 0o600)
			if _, stderr, code := r.run("", "-p", "work"); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			f, err := credfile.Read(r.creds)
			if err != nil {
				t.Fatal(err)
			}
			if ci, _ := f.Value("ci", "aws_access_key_id"); ci != "AKIAROTATEDEXAMPLE01" || !strings.HasPrefix(f.Credentials("default").AccessKeyID, "ASIA") {
				t.Fatalf("the file lost a write:\n%s", f.Bytes())
			}
		})
	}
}

// unlockOnWait releases a held lock when the run says it waits for it.
type unlockOnWait struct {
	buf  strings.Builder
	held *credfile.Locked
}

func (u *unlockOnWait) Write(p []byte) (int, error) {
	u.buf.Write(p)
	if u.held != nil && strings.Contains(string(p), "waiting up to 2m0s for it") {
		u.held.Unlock()
		u.held = nil
	}
	return len(p), nil
}

// TestRefreshSaysItWaitsForTheLock: a refresh that finds another run
// holding the lock says so on stderr, naming that run's process, and
// goes on once it is released.
func TestRefreshSaysItWaitsForTheLock(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	held, err := credfile.Writer{}.Lock(r.creds)
	if err != nil {
		t.Fatal(err)
	}
	sys, _ := r.system("")
	stderr := &unlockOnWait{held: held}
	sys.Stderr = stderr
	if code := Run([]string{"aws-mfa", "314159"}, sys); code != 0 || stderr.held != nil {
		t.Fatalf("exit %d: %s", code, stderr.buf.String())
	}
	if want := fmt.Sprintf("aws-mfa: another aws-mfa (process %d) holds %s.lock; waiting up to 2m0s for it\n", os.Getpid(), r.creds); !strings.HasPrefix(stderr.buf.String(), want) {
		t.Errorf("stderr:\n%s\nwant it to start with %q", stderr.buf.String(), want)
	}
}
