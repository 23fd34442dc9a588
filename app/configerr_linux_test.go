package app

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// TestUnreadableFilesExitOne: a config or credentials file the file system
// will not let us read is a failure (exit 1), not bad input (exit 2), on
// every command that reads it. Root reads any file, so as root the
// commands run in a copy of this test binary as an unprivileged user.
func TestUnreadableFilesExitOne(t *testing.T) {
	t.Parallel()
	commands := [][]string{
		{"-t", "314159"},
		{"env", "-t", "314159"},
		{"exec", "-t", "314159", "--", "true"},
		{"status"},
		{"status", "--names"},
		{"keyring", "export"},
		{"setup", "--yes", "--keyring", "--serial", "arn:aws:iam::123456789012:mfa/alice"},
	}
	if path := os.Getenv("APP_LOCKED_CONFIG"); path != "" {
		home := os.Getenv("APP_HOME")
		for _, args := range commands {
			var stderr bytes.Buffer
			env := map[string]string{"HOME": home, "AWS_MFA_CONFIG": path, "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1"}
			if creds := os.Getenv("APP_LOCKED_CREDENTIALS"); creds != "" {
				env = map[string]string{"HOME": home, "AWS_SHARED_CREDENTIALS_FILE": creds, "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1"}
			}
			sys := System{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr,
				Getenv: func(k string) string { return env[k] }, Environ: func() []string { return nil },
				IsTerminal: func(any) bool { return false }, ParentProcess: func() string { return "" }}
			rc := Run(append([]string{"aws-mfa"}, args...), sys)
			fmt.Printf("RC %d %q %s", rc, args, stderr.String())
		}
		return
	}
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	os.MkdirAll(filepath.Join(home, ".aws"), 0o755)
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(aliceProfile), 0o644)
	locked := filepath.Join(dir, "locked.toml")
	if err := os.WriteFile(locked, []byte("[defaults]\n"), 0); err != nil {
		t.Fatal(err)
	}
	out := testproc.RunAsNobody(t, dir, "TestUnreadableFilesExitOne", "APP_LOCKED_CONFIG="+locked, "APP_HOME="+home)
	for _, args := range commands {
		want := fmt.Sprintf("RC 1 %q aws-mfa: cannot read the config file %s: permission denied; make it readable by this user\n", args, locked)
		if !strings.Contains(string(out), want) {
			t.Errorf("%q: want exit 1 and the permission error; helper said:\n%s", args, out)
		}
	}

	// The credentials file: every command that reads it (exec too, and
	// setup, which used to call any read failure bad input).
	creds := filepath.Join(dir, "credentials")
	if err := os.WriteFile(creds, []byte(aliceProfile), 0); err != nil {
		t.Fatal(err)
	}
	out = testproc.RunAsNobody(t, dir, "TestUnreadableFilesExitOne", "APP_LOCKED_CONFIG=/nonexistent-default", "APP_LOCKED_CREDENTIALS="+creds, "APP_HOME="+home)
	for _, args := range commands {
		if args[0] == "keyring" || len(args) > 1 && args[1] == "--names" {
			continue // they do not read the credentials file
		}
		want := fmt.Sprintf("RC 1 %q aws-mfa: cannot read %s: permission denied; make it readable by this user\n", args, creds)
		if !strings.Contains(string(out), want) {
			t.Errorf("%q: want exit 1 and the permission error; helper said:\n%s", args, out)
		}
	}
}
