//go:build unix

package e2e

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
)

const aliceSource = "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"

// faultRig starts an STS emulator and gives the built binary and a
// directory whose credentials file holds content, with exactly mode.
func faultRig(t *testing.T, content string, mode os.FileMode) (emu *stsemu.Server, bin, dir, creds string) {
	t.Helper()
	emu = stsemu.Start(alice)
	t.Cleanup(emu.Close)
	dir = t.TempDir()
	creds = filepath.Join(dir, "credentials")
	if err := os.WriteFile(creds, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(creds, mode); err != nil { // whatever the umask
		t.Fatal(err)
	}
	return emu, toolBinary(t), dir, creds
}

// TestFiftyConcurrentProcesses has 50 aws-mfa processes write 50 targets
// into one file at once (12 under -short, the inner loop). The lock must
// keep every one of them.
func TestFiftyConcurrentProcesses(t *testing.T) {
	t.Parallel()
	emu, bin, dir, creds := faultRig(t, "# shared\n"+aliceSource, 0o600)
	n := 50
	if testing.Short() {
		n = 12
	}
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// --force: t42 is a slip away from t12, which another run may
			// have created by then; each target here is meant to be new.
			_, stderr, err := run(t, peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL), bin, "--target", fmt.Sprintf("t%02d", i), "--force", "314159")
			if err != nil {
				errs <- fmt.Sprintf("t%02d: %v %s", i, err, stderr)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	f, err := credfile.Read(creds)
	if err != nil {
		t.Fatalf("the file no longer parses: %v", err)
	}
	for i := range n {
		s := f.Section(fmt.Sprintf("t%02d", i))
		if s == nil {
			t.Errorf("t%02d lost", i)
			continue
		}
		for _, k := range []string{"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "expiration"} {
			if s.Get(k) == "" {
				t.Errorf("t%02d lacks %s", i, k)
			}
		}
	}
	if got := f.Section("aws-mfa").Get("aws_secret_access_key"); got != "alice/long+term/secret" {
		t.Errorf("source damaged: %q", got)
	}
	if emu.Requests() != n {
		t.Errorf("%d STS requests for %d refreshes", emu.Requests(), n)
	}
}

// TestSecretsNeverPrinted runs failing paths and --verbose and scans all
// output for the long-term secret, the session's secret and its token.
func TestSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	emu, bin, dir, creds := faultRig(t, aliceSource, 0o600)
	env := peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL)

	// A session to have secrets to look for.
	if _, stderr, err := run(t, env, bin, "--verbose", "314159"); err != nil {
		t.Fatal(stderr)
	}
	f, _ := credfile.Read(creds)
	d := f.Section("default")
	secrets := []string{alice.SecretAccessKey, alice.AccessKeyID, d.Get("aws_secret_access_key"), d.Get("aws_session_token")}
	withSession, _ := os.ReadFile(creds)

	var output strings.Builder
	// Each run has a state directory of its own: every run sends the
	// emulator's one code. What they record is scanned below.
	states, runs := filepath.Join(dir, "state"), 0
	check := func(args ...string) {
		runs++
		state := fmt.Sprintf("XDG_STATE_HOME=%s/%d", states, runs)
		stdout, stderr, _ := run(t, append(env, state), bin, args...)
		output.WriteString(stderr)
		if len(args) == 0 || args[0] != "env" || strings.Contains(strings.Join(args, " "), "--unset") {
			output.WriteString(stdout)
		}
	}
	check("--verbose", "--force", "314159")
	check("--verbose", "--target", "aws-mfa", "314159")
	check("--verbose", "--target", "fresh", "12345x")
	check("--verbose", "--source", "default", "--target", "x", "314159")
	check("--verbose", "--force", "--endpoint-url", "http://127.0.0.1:1", "314159")
	check("env", "--verbose", "--unset")
	check("--verbose", "status")
	for _, fault := range []stsemu.Fault{stsemu.WrongCode, stsemu.ExpiredToken, stsemu.Throttling, stsemu.ServerError, stsemu.Garbage, stsemu.SessionCreds} {
		emu.SetFault(fault)
		os.WriteFile(creds, withSession, 0o600)
		check("--verbose", "--force", "314159")
		check("env", "--verbose", "--force", "314159")
	}
	// Keys rejected by STS: the wrong secret must not show either.
	emu.SetFault(stsemu.None)
	os.WriteFile(creds, []byte(strings.Replace(aliceSource, "alice/long+term/secret", "Wrong/Secret+Value", 1)), 0o600)
	check("--verbose", "314159")
	secrets = append(secrets, "Wrong/Secret+Value")

	// Nor do the state files show a secret, the code or the device.
	var state strings.Builder
	filepath.WalkDir(states, func(path string, d fs.DirEntry, err error) error {
		if b, err := os.ReadFile(path); err == nil && d.Type().IsRegular() {
			state.Write(b)
		}
		return nil
	})
	for _, s := range append(secrets, "314159", "alice", "123456789012") {
		if s != "" && strings.Contains(state.String(), s) || !strings.Contains(state.String(), "\n") {
			t.Errorf("the state files show %q, or hold nothing:\n%s", s, state.String())
		}
	}
	out := output.String()
	if !strings.Contains(out, "MFA code rejected") || !strings.Contains(out, "AKIA…0001") {
		t.Fatalf("the runs did not reach the paths they should:\n%s", out)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("output shows %q:\n%s", s, out)
		}
	}
}

// TestPrivateUnderUmask000 refreshes a world-readable file with umask 000:
// the result is 0600 all the same.
func TestPrivateUnderUmask000(t *testing.T) {
	emu, bin, dir, creds := faultRig(t, aliceSource, 0o666)
	old := syscall.Umask(0)
	_, stderr, err := run(t, peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL), bin, "314159")
	syscall.Umask(old)
	if err != nil {
		t.Fatal(stderr)
	}
	st, _ := os.Stat(creds)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	lock, _ := os.Stat(creds + ".lock")
	if lock == nil || lock.Mode().Perm() != 0o600 {
		t.Errorf("lock file mode %v", lock)
	}
}
