package app

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
)

var alice = stsemu.User{
	AccessKeyID:     "AKIAALICEEXAMPLE0001",
	SecretAccessKey: "alice/long+term/secret",
	Serial:          "arn:aws:iam::123456789012:mfa/alice",
	Code:            "314159",
}

// hangTimeout is --timeout for a run that waits for it to fire, on an
// endpoint that hangs or trickles: long enough for the request to arrive,
// and no longer, as the suite waits it out. A run that expects an answer
// keeps the default, so that a loaded machine does not fail it.
const hangTimeout = "100ms"

const aliceProfile = "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"

// rig is an in-process aws-mfa with its own HOME, STS emulator and a
// stdin, stdout and stderr that may pass for terminals.
type rig struct {
	t        *testing.T
	emu      *stsemu.Server
	env      map[string]string
	terminal map[string]bool // "stdin", "stdout", "stderr"
	creds    string
	tty      *recordingTTY
	wait     time.Duration    // System.WaitDelay
	now      func() time.Time // System.Now; nil is time.Now
	clock    *clock           // System.Now and Sleep; beats now
}

func newRig(t *testing.T, creds string) *rig {
	emu := stsemu.Start(alice)
	t.Cleanup(emu.Close)
	home := t.TempDir()
	path := filepath.Join(home, ".aws", "credentials")
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	return &rig{t: t, emu: emu, creds: path, terminal: map[string]bool{}, env: map[string]string{
		"HOME": home, "AWS_ENDPOINT_URL_STS": emu.URL, "TZ": "UTC", "XDG_CONFIG_HOME": filepath.Join(home, ".config"),
	}}
}

type streams struct {
	in       io.Reader
	out, err *bytes.Buffer
}

// run runs args with input on stdin; streams marked terminal answer so,
// and with stdin a terminal, the controlling terminal reads the same
// input and records what is written to it in r.tty.
func (r *rig) run(input string, args ...string) (stdout, stderr string, code int) {
	sys, s := r.system(input)
	code = Run(append([]string{"aws-mfa"}, args...), sys)
	return s.out.String(), s.err.String(), code
}

// system is the rig's System, reading input; tests that call a command's
// function directly use it too.
func (r *rig) system(input string) (System, streams) {
	s := streams{in: strings.NewReader(input), out: &bytes.Buffer{}, err: &bytes.Buffer{}}
	r.tty = &recordingTTY{Reader: s.in}
	sys := System{
		Stdin: s.in, Stdout: s.out, Stderr: s.err,
		Getenv:  func(k string) string { return r.env[k] },
		Environ: func() []string { return nil },
		Now: func() time.Time {
			switch {
			case r.clock != nil:
				return r.clock.now()
			case r.now != nil:
				return r.now()
			}
			return time.Now()
		},
		IsTerminal: func(stream any) bool {
			switch stream {
			case s.in:
				return r.terminal["stdin"]
			case s.out:
				return r.terminal["stdout"]
			case s.err:
				return r.terminal["stderr"]
			}
			return false
		},
		ParentProcess: func() string { return "" },
		Exec:          func(string, []string, []string) error { return nil },
		Args0:         "aws-mfa",
		WaitDelay:     r.wait,
		Sleep:         func(d time.Duration) { r.clock.sleep(d) },
		Executable:    func() (string, error) { return "/bin/aws-mfa", nil },
		TTY: func() (io.ReadWriteCloser, error) {
			if !r.terminal["stdin"] {
				return nil, errors.New("no terminal")
			}
			return r.tty, nil
		},
	}
	return sys, s
}

// TestPromptAsksAgain: at an interactive prompt a malformed code, or one
// STS rejects, is asked for again, three questions in all; a code from an
// argument or a pipe is never asked again.
func TestPromptAsksAgain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		terminal bool
		input    string
		args     []string
		code     int
		prompts  int
		requests int
		want     string
	}{
		{"typo then good", true, "31415\n314159\n", nil, 0, 2, 1, "MFA code must be exactly six digits, as your authenticator shows it; try again"},
		{"spaced", true, "314 159\n", nil, 0, 1, 1, "a new profile"},
		{"dashed", true, "314-159\n", nil, 0, 1, 1, "a new profile"},
		{"rejected then good", true, "111111\n314159\n", nil, 0, 2, 2, "MFA code rejected: wrong or already used; wait for the next code\n"},
		{"mixed, third good", true, "1\n111111\n314159\n", nil, 0, 3, 2, "a new profile"},
		{"three typos", true, "1\n2\n3\n314159\n", nil, 2, 3, 0, "MFA code must be exactly six digits"},
		{"three rejected", true, "111111\n222222\n333333\n314159\n", nil, 1, 3, 3, "aws-mfa: MFA code rejected: wrong or already used; wait for the next code and run again\n"},
		{"pipe: once", false, "111111\n314159\n", nil, 1, 0, 1, "MFA code rejected"},
		{"pipe typo: once", false, "31415\n314159\n", nil, 2, 0, 0, "six digits"},
		{"argument: once", true, "314159\n", []string{"111111"}, 1, 0, 1, "MFA code rejected"},
		{"-t: once", true, "314159\n", []string{"-t", "31415"}, 2, 0, 0, "six digits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, aliceProfile)
			r.terminal["stdin"] = tc.terminal
			_, stderr, code := r.run(tc.input, tc.args...)
			tty := r.tty.String()
			prompts := strings.Count(tty, "MFA code for ")
			if code != tc.code || prompts != tc.prompts || r.emu.Requests() != tc.requests || !strings.Contains(tty+stderr, tc.want) {
				t.Errorf("exit %d, %d prompts, %d requests, terminal:\n%s\nstderr:\n%s\nwant exit %d, %d prompts, %d requests, %q", code, prompts, r.emu.Requests(), tty, stderr, tc.code, tc.prompts, tc.requests, tc.want)
			}
			if strings.Contains(stderr, "MFA code for ") || strings.Contains(stderr, "try again") {
				t.Errorf("a question on stderr:\n%s", stderr)
			}
		})
	}
}

// TestCodeSpellings: a code as authenticators show it, one space or
// hyphen in the middle, is accepted from every source; other spellings
// are refused before STS is called.
func TestCodeSpellings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		input string
		args  []string
		ok    bool
	}{
		{"", []string{"314 159"}, true},
		{"", []string{"314-159"}, true},
		{"", []string{"314", "159"}, true},
		{"", []string{"-t", "314 159"}, true},
		{"", []string{"-t", " 314-159 "}, true},
		{"314 159\n", nil, true},
		{"314-159\r\n", nil, true},
		{"", []string{"env", "--shell", "sh", "314-159"}, true},
		{"", []string{"env", "--shell", "sh", "314", "159"}, true},
		{"", []string{"exec", "314-159", "--", "true"}, true},
		{"", []string{"exec", "314 159", "--", "true"}, true},
		{"", []string{"exec", "31-4159", "--", "true"}, false},
		{"", []string{"31-4159"}, false},
		{"", []string{"314--159"}, false},
		{"", []string{"314  159"}, false},
		{"", []string{"314_159"}, false},
		{"", []string{"3141 59"}, false},
		{"", []string{"31", "4159"}, false},
		{"", []string{"314", "159", "2"}, false},
		{"", []string{"3 1 4 1 5 9"}, false},
		{"", []string{"314\t159"}, false},
		{"314 1 59\n", nil, false},
		{"", []string{"٣١٤١٥٩"}, false},
	} {
		r := newRig(t, aliceProfile)
		_, stderr, code := r.run(tc.input, tc.args...)
		if tc.ok && (code != 0 || r.emu.Requests() != 1) {
			t.Errorf("%q %q refused: exit %d, %s", tc.input, tc.args, code, stderr)
		}
		if !tc.ok && (code != 2 || r.emu.Requests() != 0) {
			t.Errorf("%q %q: exit %d, %d requests, %s; want a refusal before STS", tc.input, tc.args, code, r.emu.Requests(), stderr)
		}
	}
}

// TestCachedIsSilent: a session reused from the file is mentioned only by
// the refresh command on a terminal.
func TestCachedIsSilent(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	if _, stderr, code := r.run("", "314159"); code != 0 {
		t.Fatal(stderr)
	}
	for _, terminal := range []bool{false, true} {
		r.terminal["stderr"] = terminal
		for _, args := range [][]string{nil, {"env", "--shell", "sh"}, {"env", "--format", "json"}, {"env", "--cached", "--shell", "sh"}, {"exec", "--", "true"}} {
			_, stderr, code := r.run("", args...)
			wantNote := terminal && args == nil
			if code != 0 || strings.Contains(stderr, "still valid") != wantNote || (!wantNote && stderr != "") {
				t.Errorf("terminal=%v %q: exit %d, stderr %q", terminal, args, code, stderr)
			}
		}
	}
	if r.emu.Requests() != 1 {
		t.Errorf("%d requests", r.emu.Requests())
	}
}

// TestWaitingForSTS: a terminal is told that aws-mfa waits for STS, and
// the line is erased when the answer (or the timeout) comes; a pipe never
// sees it, nor does a run that needs no request.
func TestWaitingForSTS(t *testing.T) {
	t.Parallel() // its own rigs; it waits for the timeouts
	const msg, erase = "\raws-mfa: waiting for STS…", "\r\x1b[K"
	// Each run waits for its timeout: both wait at once.
	var wg sync.WaitGroup
	for _, terminal := range []bool{true, false} {
		r := newRig(t, aliceProfile)
		r.wait = time.Nanosecond // no sleep in the test: the request hangs until the timeout
		r.terminal["stderr"] = terminal
		r.emu.SetFault(stsemu.Hang)
		wg.Go(func() {
			_, stderr, code := r.run("", "--timeout", hangTimeout, "314159")
			i, j := strings.Index(stderr, msg), strings.Index(stderr, erase)
			if code != 1 {
				t.Errorf("terminal %v: exit %d: %q", terminal, code, stderr)
				return
			}
			if terminal && (i < 0 || j < i || !strings.HasPrefix(stderr[j+len(erase):], "aws-mfa: ")) {
				t.Errorf("terminal: %q; want the message, erased before the error", stderr)
			}
			if !terminal && strings.ContainsAny(stderr, "\r\x1b") {
				t.Errorf("pipe: %q", stderr)
			}
		})
	}
	wg.Wait()
	r := newRig(t, aliceProfile)
	r.wait = time.Nanosecond
	r.terminal["stderr"] = true
	r.run("", "314159")
	if _, stderr, _ := r.run("", "314159"); strings.Contains(stderr, "waiting") {
		t.Errorf("a cached run waited: %q", stderr)
	}
}
