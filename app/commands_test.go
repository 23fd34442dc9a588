package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
	"github.com/aws-mfa/aws-mfa/setup"
	"github.com/aws-mfa/aws-mfa/shells"
)

// These tests call each command's function directly, with an input
// struct, as the urfave/cli actions do.

// session is the session flags as the CLI defaults them.
func session() SessionInput { return SessionInput{Timeout: 15 * time.Second} }

func TestRefreshCommand(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	sys, s := r.system("")
	in := session()
	in.Token = "314159"
	if err := RefreshCommand(context.Background(), sys, RefreshInput{Session: in}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(r.creds)
	if !strings.Contains(string(b), "[default]\naws_access_key_id = ASIA") {
		t.Errorf("no session in [default]:\n%s", b)
	}
	if !strings.Contains(s.err.String(), "wrote an MFA session to [default]") {
		t.Errorf("stderr: %s", s.err)
	}
}

// TestRefreshCommandRefuses: bad input is an input error (exit 2), found
// before STS is asked anything.
func TestRefreshCommandRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   func(*RefreshInput)
		want string
	}{
		{"zero timeout", func(in *RefreshInput) { in.Session.Timeout = 0 }, "--timeout"},
		{"huge timeout", func(in *RefreshInput) { in.Session.Timeout = time.Hour }, "--timeout"},
		{"bad duration", func(in *RefreshInput) { in.Session.Duration = "5m" }, "15m"},
		{"two codes", func(in *RefreshInput) { in.Args = []string{"314159", "extra"} }, "unexpected argument"},
		{"code twice", func(in *RefreshInput) { in.Args, in.Session.Token = []string{"314159"}, "314159" }, "given twice"},
		{"malformed code", func(in *RefreshInput) { in.Args = []string{"31415"} }, "six digits"},
		{"no pair", func(in *RefreshInput) { in.Session.Pair = "nosuch" }, "nosuch"},
		// The config's margin, 20m, with --duration 15m: every session would
		// be refreshed at once (the config alone is refused the same way).
		{"duration within the margin", func(in *RefreshInput) { in.Session.Duration, in.Session.Config = "15m", "margin.toml" }, "refresh_margin 20m0s must be at least 0 and less than the duration 15m0s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, aliceProfile)
			sys, _ := r.system("")
			in := RefreshInput{Session: session()}
			tc.in(&in)
			if in.Session.Config != "" { // a config of that name in the rig's home
				in.Session.Config = filepath.Join(r.env["HOME"], in.Session.Config)
				os.WriteFile(in.Session.Config, []byte("[defaults]\nrefresh_margin = \"20m\"\n"), 0o600)
			}
			err := RefreshCommand(context.Background(), sys, in)
			if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an input error with %q", err, tc.want)
			}
			if r.emu.Requests() != 0 {
				t.Errorf("%d requests to STS", r.emu.Requests())
			}
		})
	}
}

func TestEnvCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		format, shell string
		unset         bool
		want          string
	}{
		{"shell", "bash", false, "export AWS_SESSION_TOKEN="},
		{"shell", "fish", false, "set -gx AWS_SESSION_TOKEN "},
		{"shell", "bash", true, "unset "},
		{"dotenv", "", false, "AWS_SESSION_TOKEN="},
		{"json", "", false, `"SessionToken":`},
	} {
		t.Run(tc.format+tc.shell, func(t *testing.T) {
			r := newRig(t, aliceProfile)
			sys, s := r.system("")
			in := EnvInput{Session: session(), Args: []string{"314159"}, Format: tc.format, Shell: tc.shell, Unset: tc.unset}
			if err := EnvCommand(context.Background(), sys, in); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(s.out.String(), tc.want) {
				t.Errorf("stdout has no %q:\n%s", tc.want, s.out)
			}
			if tc.format == "json" && !json.Valid(s.out.Bytes()) {
				t.Errorf("not JSON: %s", s.out)
			}
		})
	}
}

func TestEnvCommandRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   EnvInput
		want string
	}{
		{"format", EnvInput{Format: "yaml"}, "unknown --format"},
		{"empty format", EnvInput{Format: ""}, "unknown --format"},
		{"shell", EnvInput{Format: "shell", Shell: "bsh"}, "unknown --shell"},
		{"unset json", EnvInput{Format: "json", Unset: true}, "--unset needs a shell format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, aliceProfile)
			sys, s := r.system("")
			tc.in.Session, tc.in.Args = session(), []string{"314159"}
			err := EnvCommand(context.Background(), sys, tc.in)
			if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an input error with %q", err, tc.want)
			}
			if s.out.Len() != 0 || r.emu.Requests() != 0 {
				t.Errorf("printed %q, asked STS %d times", s.out, r.emu.Requests())
			}
		})
	}
}

func TestExecCommand(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	sys, _ := r.system("")
	var gotPath string
	var gotArgv, gotEnv []string
	sys.Environ = func() []string { return []string{"AWS_PROFILE=old", "KEEP=1"} }
	sys.Exec = func(path string, argv, env []string) error {
		gotPath, gotArgv, gotEnv = path, argv, env
		return exitCode(7)
	}
	in := ExecInput{Session: session(), Args: []string{"314159", "--", "true", "x"}}
	in.Session.NoWrite = true
	err := ExecCommand(context.Background(), sys, in)
	var exit exitCode
	if !errors.As(err, &exit) || exit != 7 {
		t.Fatalf("got %v, want the command's exit code 7", err)
	}
	if filepath.Base(gotPath) != "true" || !slices.Equal(gotArgv, []string{"true", "x"}) {
		t.Errorf("ran %s %q", gotPath, gotArgv)
	}
	if !slices.Contains(gotEnv, "KEEP=1") || slices.Contains(gotEnv, "AWS_PROFILE=old") || !slices.ContainsFunc(gotEnv, func(kv string) bool { return strings.HasPrefix(kv, "AWS_SESSION_TOKEN=") }) {
		t.Errorf("environment: %q", gotEnv)
	}
	if b, _ := os.ReadFile(r.creds); string(b) != aliceProfile {
		t.Errorf("NoWrite wrote the file:\n%s", b)
	}
	if err := ExecCommand(context.Background(), sys, ExecInput{Session: session()}); !errors.Is(err, inputerr.Err) {
		t.Errorf("no command: %v", err)
	}
}

func TestStatusCommand(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	config := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(config, []byte("[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n\n[pair.play]\nsource = \"aws-mfa\"\ntarget = \"play\"\n"), 0o600)
	sys, s := r.system("")
	if err := StatusCommand(sys, StatusInput{PairFlags: PairFlags{Config: config}, Names: true}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(s.out.String()); !slices.Contains(got, "work") || !slices.Contains(got, "play") {
		t.Errorf("names: %q", got)
	}
	s.out.Reset()
	if err := StatusCommand(sys, StatusInput{PairFlags: PairFlags{Config: config, Pair: "work"}, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var rows []statusRow
	if err := json.Unmarshal(s.out.Bytes(), &rows); err != nil || len(rows) != 1 || rows[0].Pair != "work" || rows[0].State != "never" {
		t.Errorf("rows %+v (%v) from:\n%s", rows, err, s.out)
	}
	err := StatusCommand(sys, StatusInput{PairFlags: PairFlags{Config: config, Pair: "wrok"}})
	if !errors.Is(err, inputerr.Err) {
		t.Errorf("unknown pair: %v", err)
	}
}

func TestHookCommand(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	for _, name := range shells.HookNames() {
		sys, s := r.system("")
		if err := HookCommand(sys, []string{name}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !strings.Contains(s.out.String(), "/bin/aws-mfa") {
			t.Errorf("%s: the hook does not run the binary's path", name)
		}
	}
	for _, args := range [][]string{nil, {"cmd"}, {"dotenv"}, {"bsh"}, {"bash", "zsh"}} {
		sys, _ := r.system("")
		if err := HookCommand(sys, args); !errors.Is(err, inputerr.Err) {
			t.Errorf("%q: %v", args, err)
		}
	}
}

func TestDoctorCommandExitCode(t *testing.T) {
	t.Parallel()
	r := newRig(t, "")
	sys, s := r.system("")
	err := DoctorCommand(sys, PairFlags{})
	var exit exitCode
	if !errors.As(err, &exit) || int(exit) != ExitFailure || err.Error() != "" {
		t.Errorf("got %v, want a silent exit 1", err)
	}
	if !strings.Contains(s.out.String(), "FIX") {
		t.Errorf("no finding:\n%s", s.out)
	}
}

// TestSetupFirstRefresh: setup's first refresh is the refresh itself,
// with setup's --endpoint-url and --timeout (an argv built for Run once
// dropped --timeout).
func TestSetupFirstRefresh(t *testing.T) {
	t.Parallel()
	hang := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(silent.Close)
	t.Cleanup(func() { close(hang) })
	emu := stsemu.Start(alice)
	t.Cleanup(emu.Close)
	for _, tc := range []struct {
		name     string
		endpoint string
		timeout  time.Duration
		want     string // in the error; "" for success
	}{
		{"endpoint", emu.URL, 15 * time.Second, ""},
		{"timeout", silent.URL, 50 * time.Millisecond, "within 50ms"},
		{"other timeout", silent.URL, 70 * time.Millisecond, "within 70ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\n")
			r.env["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:1" // never reached
			sys, s := r.system("")
			before := len(emu.Calls())
			err := SetupCommand(context.Background(), sys, SetupInput{
				Request: setup.Request{Source: "aws-mfa", Target: "default", Serial: alice.Serial},
				Token:   alice.Code, Yes: true, Endpoint: tc.endpoint, Timeout: tc.timeout,
			})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("%v\n%s", err, s.err)
				}
				calls := emu.Calls()[before:]
				if len(calls) != 1 || calls[0].Action != "GetSessionToken" {
					t.Errorf("calls at --endpoint-url: %+v", calls)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}
