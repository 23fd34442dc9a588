package app

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeTTY answers from a string and discards what is written to it.
type fakeTTY struct{ io.Reader }

func (*fakeTTY) Write(p []byte) (int, error) { return len(p), nil }
func (*fakeTTY) Close() error                { return nil }

func testSystem(t *testing.T, home string) (System, *bytes.Buffer, *int) {
	t.Helper()
	var stderr bytes.Buffer
	opened := 0
	env := map[string]string{"HOME": home}
	return System{
		Stdin:         strings.NewReader("stdin is not for questions\n"),
		Stdout:        io.Discard,
		Stderr:        &stderr,
		Getenv:        func(k string) string { return env[k] },
		Environ:       func() []string { return nil },
		Now:           time.Now,
		IsTerminal:    func(any) bool { return false },
		ParentProcess: func() string { return "" },
		TTY: func() (io.ReadWriteCloser, error) {
			opened++
			return &fakeTTY{Reader: strings.NewReader("\n")}, nil
		},
	}, &stderr, &opened
}

const configured = "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n"

func TestSetupYesNeverOpensTheTerminal(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(configured), 0o600)
	sys, stderr, opened := testSystem(t, home)
	if rc := Run([]string{"aws-mfa", "setup", "--yes", "--serial", "arn:aws:iam::123456789012:mfa/alice"}, sys); rc != 0 {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	if *opened != 0 {
		t.Errorf("--yes opened the terminal %d times", *opened)
	}
}

func TestSetupAsksOnTheTerminalNotStdin(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(configured), 0o600)
	sys, stderr, opened := testSystem(t, home)
	if rc := Run([]string{"aws-mfa", "setup", "--serial", "arn:aws:iam::123456789012:mfa/alice"}, sys); rc != 0 {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	if *opened != 1 || !strings.Contains(stderr.String(), "MFA code for a first refresh now (Enter to skip): ") {
		t.Errorf("opened %d; stderr:\n%s", *opened, stderr)
	}
	if !strings.Contains(stderr.String(), "run `aws-mfa CODE` to get a session") {
		t.Errorf("no next step:\n%s", stderr)
	}
}

func TestRefreshPromptsOnATerminal(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte("[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"), 0o600)
	sys, stderr, _ := testSystem(t, home)
	sys.IsTerminal = func(s any) bool { return s == sys.Stdin }
	tty := &recordingTTY{Reader: strings.NewReader("12345\n1\n2\n")} // short codes, thrice: refused before any request
	sys.TTY = func() (io.ReadWriteCloser, error) { return tty, nil }
	if rc := Run([]string{"aws-mfa", "--endpoint-url", "http://127.0.0.1:1"}, sys); rc != ExitUsage {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	prompt := "MFA code for arn:aws:iam::123456789012:mfa/alice: "
	if want := strings.Repeat(prompt+"aws-mfa: MFA code must be exactly six digits, as your authenticator shows it; try again\n", 2) + prompt; tty.String() != want {
		t.Errorf("terminal got %q\nwant %q", tty.String(), want)
	}
	want := "aws-mfa: MFA code must be exactly six digits, as your authenticator shows it\n"
	if stderr.String() != want {
		t.Errorf("stderr %q\nwant   %q", stderr, want)
	}
}

func TestEnvOnATerminalSaysItOnlyPrints(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte("[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[default]\naws_access_key_id = ASIAX\naws_secret_access_key = s\naws_session_token = t\nexpiration = "+exp+"\n"), 0o600)
	sys, stderr, _ := testSystem(t, home)
	var stdout bytes.Buffer
	sys.Stdout = &stdout
	sys.IsTerminal = func(s any) bool { return s == sys.Stdout }
	if rc := Run([]string{"aws-mfa", "env", "--shell", "bash"}, sys); rc != 0 {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	if !strings.Contains(stderr.String(), `to apply it run eval "$(aws-mfa env)"`) || !strings.Contains(stdout.String(), "export AWS_SESSION_TOKEN='t'") {
		t.Errorf("stdout %q\nstderr %q", stdout.String(), stderr)
	}
}

// TestSetupCodeChecks: a malformed -t is refused before setup changes
// anything (exit 2, the file byte for byte, no backup, no request); a
// code typed at setup's question that fails comes after setup's changes,
// so its error says setup is done and how to try again.
func TestSetupCodeChecks(t *testing.T) {
	t.Parallel()
	const creds = "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\n"
	for _, code := range []string{"12345", "1234567", "12a456", "123 4567", "123--456", "٣١٤١٥٩", "314159\n1"} {
		r := newRig(t, creds)
		_, stderr, exit := r.run("", "setup", "--serial", alice.Serial, "-t", code)
		entries, _ := os.ReadDir(filepath.Dir(r.creds))
		if exit != 2 || !strings.Contains(stderr, "six digits") || read(r.creds) != creds || len(entries) != 1 || r.emu.Requests() != 0 {
			t.Errorf("setup -t %q: exit %d, %d files, %d requests: %s", code, exit, len(entries), r.emu.Requests(), stderr)
		}
	}
	r := newRig(t, creds)
	r.terminal["stdin"], r.terminal["stderr"] = true, true
	_, stderr, exit := r.run("12345\n", "setup", "--serial", alice.Serial)
	if exit != 2 || !strings.Contains(stderr, "aws-mfa: set up, but the first refresh failed (`aws-mfa CODE` tries again): MFA code must be") || !strings.Contains(read(r.creds), "[aws-mfa]") {
		t.Errorf("a malformed code typed at the question: exit %d: %s", exit, stderr)
	}
}

// TestSetupAsksNoCodeForAValidSession: run again over a session still
// valid, setup asks for no code (the refresh would refuse it as still
// valid) and says until when the session holds.
func TestSetupAsksNoCodeForAValidSession(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	exp := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	creds := "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n" +
		"[default]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = " + exp.Format(time.RFC3339) + "\n"
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(creds), 0o600)
	sys, stderr, opened := testSystem(t, home)
	if rc := Run([]string{"aws-mfa", "setup"}, sys); rc != 0 {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	if want := "aws-mfa: set up already, nothing changed; [default] holds a session until " + localTime(exp, time.Now()) + "\n"; *opened != 0 || !strings.HasSuffix(stderr.String(), want) {
		t.Errorf("opened the terminal %d times; stderr:\n%s\nwant it to end %q", *opened, stderr, want)
	}
	// Within the pair's refresh_margin the refresh would ask: so does setup.
	os.MkdirAll(filepath.Join(home, ".config", "aws-mfa"), 0o700)
	os.WriteFile(filepath.Join(home, ".config", "aws-mfa", "config.toml"), []byte("[defaults]\nrefresh_margin = \"3h\"\n"), 0o600)
	sys, stderr, opened = testSystem(t, home)
	if rc := Run([]string{"aws-mfa", "setup"}, sys); rc != 0 || *opened != 1 {
		t.Errorf("exit %d, opened the terminal %d times; stderr:\n%s", rc, *opened, stderr)
	}
}

// TestChooseAsksThreeTimes: an answer to the device question that names
// no device is asked again, as a code is; the third says what to do.
func TestChooseAsksThreeTimes(t *testing.T) {
	t.Parallel()
	serials := []string{"arn:aws:iam::123456789012:mfa/a", "arn:aws:iam::123456789012:mfa/b"}
	for _, tc := range []struct {
		answers []string
		want    int    // the index chosen, -1 for none
		err     string // the error's text, when none is chosen
	}{
		{[]string{""}, 0, ""},
		{[]string{"2"}, 1, ""},
		{[]string{"3", "0", "2"}, 1, ""},
		{[]string{"x", "y", "1"}, 0, ""},
		{[]string{"x", ""}, 0, ""}, // Enter takes the default
		{[]string{"3", "-1", "two"}, -1, `"two" is not a number from 1 to 2; run setup again, or name the device with --serial ARN`},
	} {
		sys, stderr, _ := testSystem(t, t.TempDir())
		answers := append([]string(nil), tc.answers...)
		sys.TTY = func() (io.ReadWriteCloser, error) {
			a := answers[0]
			answers = answers[1:]
			return &fakeTTY{Reader: strings.NewReader(a + "\n")}, nil
		}
		n, err := (&asker{sys: sys}).choose(serials)
		if tc.want >= 0 && (err != nil || n != tc.want) || tc.want < 0 && (err == nil || err.Error() != tc.err) {
			t.Errorf("%q: chose %d (%v), want %d %q", tc.answers, n, err, tc.want, tc.err)
		}
		if retries := min(len(tc.answers)-1, 2); len(answers) != 0 || strings.Count(stderr.String(), "try again") != retries {
			t.Errorf("%q: %d answers left; stderr:\n%s", tc.answers, len(answers), stderr)
		}
	}
}
