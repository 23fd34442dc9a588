package e2e

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/moto"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// toolBinary builds aws-mfa once for tests that run it as a subprocess,
// as the README builds it: static, trimmed paths, without urfave/cli's
// man-page generator (the shipped binary, and the build TestVersionFromBuild
// and TestFirstScreen make, which then share its compiled packages).
func toolBinary(t testing.TB) string {
	buildOnce.Do(func() { builtBin, buildErr = buildOwn() })
	if buildErr != nil {
		panic(fmt.Sprintf("build aws-mfa: %v", buildErr))
	}
	return builtBin
}

func buildOwn() (string, error) {
	root, err := filepath.Abs(moduleRoot)
	if err != nil {
		return "", err
	}
	bin := filepath.Join("bin", "aws-mfa") // bin holds nothing else: tests put it on PATH
	err = buildKept(bin, root)
	return filepath.Join(keptDir(root), bin), err
}

// keptDir is where this checkout's tests keep what they build: the same
// place on every run, where go build finds a binary up to date and skips
// the link (a second of CPU).
func keptDir(root string) string {
	sum := sha256.Sum256([]byte(root))
	return filepath.Join(os.TempDir(), fmt.Sprintf("aws-mfa-test-%x", sum[:6]))
}

// buildKept builds the main package in src as the README does, with
// the go build flags given, into name under keptDir(moduleRoot); a lock
// keeps two runs from writing it at once. Every directory on the way is
// private.
func buildKept(name, src string, flags ...string) error {
	root, err := filepath.Abs(moduleRoot)
	if err != nil {
		return err
	}
	dir := keptDir(root)
	out := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		return err
	}
	for d := filepath.Dir(out); ; d = filepath.Dir(d) {
		if err := privateDir(d); err != nil {
			return err
		}
		if d == dir {
			break
		}
	}
	lock := flock.New(filepath.Join(dir, "lock"))
	if err := lock.Lock(); err != nil {
		return fmt.Errorf("lock %s: %w", dir, err)
	}
	defer lock.Unlock()
	args := append([]string{"build", "-trimpath", "-tags", "urfave_cli_no_docs"}, flags...)
	cmd := exec.Command("go", append(args, "-o", out, ".")...)
	cmd.Dir, cmd.Env = src, append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w\n%s", cmd, err, b)
	}
	return nil
}

// requireTool is testproc.Require: the test starts the program name.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	return testproc.Require(t, shellPath(name))
}

// bash32 is bash 3.2, macOS's /bin/bash, which .ci/run builds and names in
// AWS_MFA_BASH32; elsewhere a bash3.2 on PATH. Tests name it "bash3.2".
var bash32 = cmp.Or(os.Getenv("AWS_MFA_BASH32"), "bash3.2")

// shellPath is the program a test's shell name runs.
func shellPath(name string) string {
	if name == "bash3.2" {
		return bash32
	}
	return name
}

// unrecorded is the environment entry of runs that send the emulator's
// one code more than once in 30 seconds, which no real device allows. Its
// state directory, dir/state, has a directory where the record of codes
// would go, so aws-mfa keeps no record and sends the code each time, as
// where that file cannot be written; the rest of the state works. The
// record is tested in app's codes_test.go and by
// TestCodeOnceAcrossProcesses, whose runs have a state of their own.
func unrecorded(dir string) string {
	state := filepath.Join(dir, "state")
	os.MkdirAll(filepath.Join(state, "aws-mfa", "codes"), 0o700)
	return "XDG_STATE_HOME=" + state
}

// peerEnv is a clean environment for a run against a peer: its own HOME
// and files, nothing from the user's AWS set-up, and no record of codes.
func peerEnv(dir string, extra ...string) []string {
	return append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		unrecorded(dir),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"),
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"),
		"AWS_EC2_METADATA_DISABLED=true",
		"TZ=UTC",
	}, extra...)
}

func run(_ testing.TB, env []string, name string, args ...string) (string, string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = env
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// TestMoto refreshes against moto in auth mode, where moto verifies the
// SigV4 signature with the key it issued, then has both AWS CLIs use what
// aws-mfa wrote.
func TestMoto(t *testing.T) {
	moto.Prestart(true)
	t.Parallel()
	authURL := moto.URL(t, true)
	acct := moto.Provision(t, authURL)
	bin := toolBinary(t)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	source := "# written by the test\n[aws-mfa]\naws_access_key_id = " + acct.AccessKeyID +
		"\naws_secret_access_key = " + acct.SecretAccessKey + "\nmfa_serial = " + acct.Serial + "\n"

	t.Run("setup finds the virtual MFA device", func(t *testing.T) {
		sdir := t.TempDir()
		configured := "[default]\naws_access_key_id = " + acct.AccessKeyID + "\naws_secret_access_key = " + acct.SecretAccessKey + "\n"
		os.WriteFile(filepath.Join(sdir, "credentials"), []byte(configured), 0o600)
		_, stderr, err := run(t, peerEnv(sdir), bin, "setup", "--yes", "--endpoint-url", authURL)
		if err != nil {
			t.Fatalf("%v: %s", err, stderr)
		}
		f, err := credfile.Read(filepath.Join(sdir, "credentials"))
		if err != nil || f.Section("aws-mfa").Get("mfa_serial") != acct.Serial {
			t.Fatalf("serial not found: %v\n%s", err, stderr)
		}
	})

	t.Run("wrong secret", func(t *testing.T) {
		bad := strings.Replace(source, acct.SecretAccessKey, "not-the-secret", 1)
		os.WriteFile(creds, []byte(bad), 0o600)
		_, stderr, err := run(t, peerEnv(dir, "AWS_ENDPOINT_URL_STS="+authURL), bin, "123456")
		if code := exitCode(err); code != 1 || !strings.Contains(stderr, "keys rejected by AWS (SignatureDoesNotMatch)") {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if b, _ := os.ReadFile(creds); string(b) != bad {
			t.Error("file changed")
		}
	})

	os.WriteFile(creds, []byte(source), 0o600)
	_, stderr, err := run(t, peerEnv(dir, "AWS_ENDPOINT_URL_STS="+authURL), bin, "123456")
	if err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	f, err := credfile.Read(creds)
	if err != nil {
		t.Fatal(err)
	}
	d := f.Section("default")
	if d == nil || d.Get("aws_session_token") == "" || !strings.HasPrefix(d.Get("aws_access_key_id"), "AKIA") {
		t.Fatalf("moto's session (AKIA key) not written: %v", f.Sections())
	}
	if !strings.HasSuffix(d.Get("expiration"), "Z") || strings.Contains(d.Get("expiration"), ".") {
		t.Errorf("expiration %q is not whole-second RFC 3339", d.Get("expiration"))
	}
	token := d.Get("aws_session_token")

	t.Run("assume role", func(t *testing.T) {
		cfg := filepath.Join(dir, "aws-mfa.toml")
		os.WriteFile(cfg, []byte("[pair.admin]\nsource = \"aws-mfa\"\ntarget = \"admin\"\nrole_arn = \""+acct.RoleARN+"\"\nexternal_id = \"x-1\"\nduration = \"1h\"\n"), 0o600)
		_, stderr, err := run(t, peerEnv(dir, "AWS_ENDPOINT_URL_STS="+authURL, "AWS_MFA_CONFIG="+cfg), bin, "-p", "admin", "123456")
		if err != nil {
			t.Fatalf("%v: %s", err, stderr)
		}
		f, _ := credfile.Read(creds)
		if s := f.Section("admin"); s == nil || s.Get("aws_session_token") == "" || f.Section("default").Get("aws_session_token") != token {
			t.Fatalf("role session not written beside the other: %s", stderr)
		}
	})

	// moto in auth mode rejects its own session keys. The STS emulator,
	// told of moto's session, takes it, and checks each CLI's request: it
	// must be signed with the session's keys and carry its token, so the
	// CLI read all three from what aws-mfa wrote.
	exp, err := time.Parse(time.RFC3339, d.Get("expiration"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cli := range []string{"aws", "/usr/bin/aws"} {
		t.Run(cli, func(t *testing.T) {
			t.Parallel() // both only read the file; each has its own emulator
			path := testproc.Require(t, cli)
			emu := stsemu.Start()
			defer emu.Close()
			emu.Accept(stsemu.User{}, d.Get("aws_access_key_id"), d.Get("aws_secret_access_key"), token, exp)
			out, stderr, err := run(t, peerEnv(dir), path, "sts", "get-caller-identity", "--profile", "default", "--endpoint-url", emu.URL, "--region", "us-east-1", "--output", "text")
			if err != nil || !strings.Contains(out, "arn:aws:") {
				t.Errorf("get-caller-identity: %q %v %s", out, err, stderr)
			}
			if calls := emu.Calls(); len(calls) != 1 || calls[0].Key != d.Get("aws_access_key_id") {
				t.Errorf("the CLI's calls: %+v", calls)
			}
		})
	}
}

func exitCode(err error) int {
	if e, ok := err.(*exec.ExitError); ok {
		return e.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
