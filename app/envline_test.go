package app

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/shells"
)

// lineSystem is a System over a home with a config and a credentials file.
func lineSystem(t *testing.T, config, creds string) (System, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(creds), 0o600)
	cfg := filepath.Join(home, "config.toml")
	os.WriteFile(cfg, []byte(config), 0o600)
	env := map[string]string{"HOME": home, "AWS_MFA_CONFIG": cfg, "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1"}
	var stdout, stderr bytes.Buffer
	return System{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }, Environ: func() []string { return nil },
		Now: time.Now, IsTerminal: func(any) bool { return false }, ParentProcess: func() string { return "" },
		TTY: func() (io.ReadWriteCloser, error) { return nil, os.ErrNotExist },
	}, &stdout, &stderr
}

const lineCreds = "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"

// TestEnvLineForAnotherOutput: a hook's wrapper evaluates what env prints,
// so for an env line that prints JSON, dotenv or another shell's code,
// __env prints code that writes that output unchanged (it was refused);
// a failure is env's own, with nothing on stdout. Lines that print this
// shell's code still run.
func TestEnvLineForAnotherOutput(t *testing.T) {
	t.Parallel()
	n := 0
	for _, dialect := range []string{"bash", "zsh", "sh", "fish", "tcsh", "elvish", "xonsh", "nu", "pwsh"} {
		other := "fish"
		if dialect == "fish" {
			other = "bash"
		}
		sh, _ := shells.Lookup(dialect)
		for _, words := range [][]string{
			{"env", "--unset", "--shell", other}, {"env", "--unset", "--shell=" + other}, {"-p", "default", "env", "--unset", "-shell", other},
			{"env", "--format", "json", "--cached"}, {"env", "--format=dotenv", "--cached"}, {"-p", "default", "env", "--format", "json", "314159"},
		} {
			if n++; testing.Short() && n%3 != 0 {
				continue // the inner loop runs every third: each dialect, each line
			}
			sys, stdout, stderr := lineSystem(t, "", lineCreds)
			rc := Run(append([]string{"aws-mfa", "__env", dialect}, words...), sys)
			dsys, direct, dstderr := lineSystem(t, "", lineCreds)
			drc := Run(append([]string{"aws-mfa"}, words...), dsys)
			want, err := sh.Print(direct.String())
			if drc != 0 {
				want = "" // nothing, in any dialect
			}
			if err != nil || rc != drc || stdout.String() != want || stderr.String() != dstderr.String() {
				t.Errorf("%s %q: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr %q", dialect, words, rc, stdout, stderr, drc, want, dstderr)
			}
		}
		for _, words := range [][]string{
			{"env", "--unset"}, {"env", "--unset", "--format", "shell"}, {"env", "--unset", "--shell", dialect}, {"env", "--unset", "--shell=" + dialect},
		} {
			if n++; testing.Short() && n%3 != 0 {
				continue
			}
			sys, stdout, stderr := lineSystem(t, "", lineCreds)
			if rc := Run(append([]string{"aws-mfa", "__env", dialect}, words...), sys); rc != 0 || stdout.Len() == 0 {
				t.Errorf("%s %q: exit %d, stdout %q, stderr %q", dialect, words, rc, stdout, stderr)
			}
		}
	}
}

const lineConfig = `[pair.default]
source = "aws-mfa"
target = "default"

[pair.ci]
source = "aws-mfa"
target = "ci-session"
write = false

[pair.prod]
source_pair = "default"
role_arn = "arn:aws:iam::123456789012:role/admin"
target = "prod"
`

// TestReexportOfAnUnwrittenPair: a shell holding a write = false pair's
// session has nothing to re-apply from the file after a refresh: silence,
// not an error whose advice (a refresh) cannot help.
func TestReexportOfAnUnwrittenPair(t *testing.T) {
	t.Parallel()
	sys, stdout, stderr := lineSystem(t, lineConfig, lineCreds)
	if rc := Run([]string{"aws-mfa", "__reexport", "bash", "ci-session"}, sys); rc != 0 || stdout.Len() != 0 || stderr.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", rc, stdout, stderr)
	}
}

// TestCachedUnwrittenAdvice: env --cached for a pair that never writes its
// target says so, and points at a new session, not at a refresh.
func TestCachedUnwrittenAdvice(t *testing.T) {
	t.Parallel()
	sys, stdout, stderr := lineSystem(t, lineConfig, lineCreds)
	rc := Run([]string{"aws-mfa", "env", "-p", "ci", "--cached", "--shell", "sh"}, sys)
	if rc != ExitUsage || stdout.Len() != 0 || !strings.Contains(stderr.String(), "does not write one there (write = false or --no-write); get a session with aws-mfa env and a code") {
		t.Errorf("exit %d, stdout %q, stderr %q", rc, stdout, stderr)
	}
}

// TestCompletionNamesAChainsBase: a chained pair is offered with its base
// pair, as status shows it, not with an empty source profile.
func TestCompletionNamesAChainsBase(t *testing.T) {
	t.Parallel()
	sys, stdout, stderr := lineSystem(t, lineConfig, lineCreds)
	Run([]string{"aws-mfa", "__complete", "-p", ""}, sys)
	out := stdout.String() + stderr.String()
	if !strings.Contains(out, "prod\tpair default → [prod]") || strings.Contains(out, "[] →") {
		t.Errorf("completion:\n%s", out)
	}
}
