package app

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recordingTTY answers from a string and keeps what is written to it.
type recordingTTY struct {
	io.Reader
	bytes.Buffer
	closed bool
}

func (t *recordingTTY) Read(p []byte) (int, error)  { return t.Reader.Read(p) }
func (t *recordingTTY) Write(p []byte) (int, error) { return t.Buffer.Write(p) }
func (t *recordingTTY) Close() error                { t.closed = true; return nil }

const sourceOnly = "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"

// TestCodePrompts: where the question goes and where the answer comes
// from, for every way aws-mfa can be run. A code of five digits is refused
// before any request, so the answer read is visible in the error; a code
// read from a place it must not read would pass that check and reach the
// (closed) endpoint instead.
func TestCodePrompts(t *testing.T) {
	t.Parallel()
	const six = "MFA code must be exactly six digits"
	const prompt = "MFA code for arn:aws:iam::123456789012:mfa/alice: "
	// Short codes, thrice: the prompt asks twice more, then gives up.
	const asked3 = prompt + "aws-mfa: " + six + ", as your authenticator shows it; try again\n" + prompt + "aws-mfa: " + six + ", as your authenticator shows it; try again\n" + prompt
	cases := []struct {
		name     string
		args     []string
		stdinTTY bool   // stdin is a terminal
		stdin    string // what stdin holds
		tty      string // what the terminal answers; "-" for no terminal
		wantTTY  string // written to the terminal
		wantErr  string
	}{
		{name: "terminal", args: []string{"aws-mfa"}, stdinTTY: true, tty: "12345\n1\n2\n",
			wantTTY: asked3, wantErr: six},
		{name: "hooked env, stdout captured", args: []string{"aws-mfa", "env", "--shell", "bash"}, stdinTTY: true, tty: "12345\n1\n2\n",
			wantTTY: asked3, wantErr: six},
		{name: "piped code", args: []string{"aws-mfa"}, stdin: "12345\n", tty: "999999\n", wantErr: six},
		{name: "credential_process on a terminal", args: []string{"aws-mfa", "env", "--format", "json"}, stdin: "314159\n", tty: "12345\n1\n2\n",
			wantTTY: asked3, wantErr: six},
		{name: "credential_process with a terminal stdin", args: []string{"aws-mfa", "env", "--format", "json"}, stdinTTY: true, stdin: "314159\n", tty: "12345\n1\n2\n",
			wantTTY: asked3, wantErr: six},
		{name: "credential_process without a terminal", args: []string{"aws-mfa", "env", "--format", "json", "-p", "default"}, stdin: "314159\n", tty: "-",
			wantErr: "[default] needs a new session and there is no terminal to ask for the MFA code; set token_command in CONFIG, or run `aws-mfa --config CONFIG -p default` in a terminal first"},
		{name: "credential_process, target given", args: []string{"aws-mfa", "env", "--format", "json", "--target", "mfa-session"}, stdin: "314159\n", tty: "-",
			wantErr: "[mfa-session] needs a new session and there is no terminal to ask for the MFA code; set token_command in CONFIG, or run `aws-mfa --config CONFIG --target mfa-session` in a terminal first"},
		{name: "terminal stdin, no terminal", args: []string{"aws-mfa"}, stdinTTY: true, tty: "-", wantErr: "cannot open the terminal to ask for the MFA code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
			os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(sourceOnly), 0o600)
			sys, stderr, _ := testSystem(t, home)
			var stdout bytes.Buffer
			sys.Stdout = &stdout
			stdin := strings.NewReader(tc.stdin)
			sys.Stdin = stdin
			sys.IsTerminal = func(s any) bool { return tc.stdinTTY && s == sys.Stdin }
			tty := &recordingTTY{Reader: strings.NewReader(tc.tty)}
			sys.TTY = func() (io.ReadWriteCloser, error) {
				if tc.tty == "-" {
					return nil, errors.New("open /dev/tty: no such device or address")
				}
				return tty, nil
			}
			cfg := filepath.Join(home, "c.toml")
			os.WriteFile(cfg, []byte("[defaults]\n"), 0o600)
			rc := Run(append(tc.args, "--config", cfg, "--endpoint-url", "http://127.0.0.1:1"), sys)
			want := "aws-mfa: " + strings.ReplaceAll(tc.wantErr, "CONFIG", cfg)
			if rc != ExitUsage || !strings.Contains(stderr.String(), want) {
				t.Fatalf("exit %d, stderr %q\nwant %q", rc, stderr, want)
			}
			if strings.Count(stderr.String(), "\n") != 1 || strings.Contains(stderr.String(), "MFA code for") {
				t.Errorf("stderr is not one error line: %q", stderr)
			}
			if tty.String() != tc.wantTTY || stdout.Len() != 0 {
				t.Errorf("terminal got %q, stdout %q; want %q on the terminal", tty.String(), stdout.String(), tc.wantTTY)
			}
			if tc.wantTTY != "" && !tty.closed {
				t.Error("terminal left open")
			}
			if strings.Contains(strings.Join(tc.args, " "), "json") && stdin.Len() != len(tc.stdin) {
				t.Error("credential_process read stdin, which belongs to the AWS tool")
			}
		})
	}
}
