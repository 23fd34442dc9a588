package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
)

// clock is a test's time: it moves when a test says, or when aws-mfa
// sleeps. Each step it enters, the emulated device shows a new code:
// alice.Code in the first, then 100001, 100002, …; tick, if set, hears
// of each new code (a token_command's file).
type clock struct {
	mu    sync.Mutex
	t     time.Time
	first int64 // the first step
	emu   *stsemu.Server
	tick  func(code string)
	slept time.Duration
}

// clockRig is a rig whose clock starts 5 s into a step and moves only
// when told; STS dates its sessions by it.
func clockRig(t *testing.T, creds string) (*rig, *clock) {
	r := newRig(t, creds)
	start := time.Now().Truncate(30 * time.Second).Add(5 * time.Second)
	r.clock = &clock{t: start, first: start.Unix() / 30, emu: r.emu}
	r.emu.SetNow(r.clock.now)
	return r, r.clock
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// code is the code the device shows now.
func (c *clock) code() string { return c.codeAt(c.now()) }

func (c *clock) codeAt(t time.Time) string {
	if n := t.Unix()/30 - c.first; n != 0 {
		return fmt.Sprint(100000 + n)
	}
	return alice.Code
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	before := c.t
	c.t = c.t.Add(d)
	after, tick := c.t, c.tick
	c.mu.Unlock()
	if before.Unix()/30 != after.Unix()/30 {
		c.emu.SetCode(alice.AccessKeyID, c.codeAt(after))
		if tick != nil {
			tick(c.codeAt(after))
		}
	}
}

func (c *clock) sleep(d time.Duration) {
	if c == nil {
		time.Sleep(d)
		return
	}
	c.mu.Lock()
	c.slept += d
	c.mu.Unlock()
	c.add(d)
}

// TestCodeNeverSentTwice: a code sent by refresh, env or exec is refused
// by each of them in its step and the next, before any request, with
// exit 2, the seconds until the next code, and the file left alone; the
// next code is taken.
func TestCodeNeverSentTwice(t *testing.T) {
	t.Parallel()
	cmds := map[string][]string{
		"refresh": {"--force"},
		"env":     {"env", "--no-write", "--force"},
		"exec":    {"exec", "--force"},
	}
	with := func(cmd []string, code string) []string {
		args := append(append([]string{}, cmd...), code)
		if cmd[0] == "exec" {
			args = append(args, "--", "true")
		}
		return args
	}
	for first, a := range cmds {
		for second, b := range cmds {
			t.Run(first+" then "+second, func(t *testing.T) {
				t.Parallel()
				r, c := clockRig(t, aliceProfile)
				if _, stderr, code := r.run("", with(a, c.code())...); code != 0 {
					t.Fatalf("first: exit %d: %s", code, stderr)
				}
				file := read(r.creds)
				c.add(10 * time.Second)
				_, stderr, code := r.run("", with(b, c.code())...)
				if code != ExitUsage || r.emu.Requests() != 1 || read(r.creds) != file ||
					stderr != "aws-mfa: this MFA code was already used, and AWS accepts each code once; wait 15s for the next one\n" {
					t.Fatalf("again in its step: exit %d, %d requests: %q", code, r.emu.Requests(), stderr)
				}
				old := c.code()
				c.add(20 * time.Second) // the next step, the next code
				_, stderr, code = r.run("", with(b, old)...)
				if code != ExitUsage || r.emu.Requests() != 1 || !strings.Contains(stderr, "once; run again with the one your device shows now\n") {
					t.Fatalf("the old code in the next step: exit %d, %d requests: %q", code, r.emu.Requests(), stderr)
				}
				if _, stderr, code = r.run("", with(b, c.code())...); code != 0 || r.emu.Requests() != 2 {
					t.Fatalf("the next code: exit %d, %d requests: %s", code, r.emu.Requests(), stderr)
				}
			})
		}
	}
}

// TestCodeRecordedUnlessWrong: a code is recorded whatever the answer,
// a timeout or a reset included (AWS may have used it), except when AWS
// called it wrong.
func TestCodeRecordedUnlessWrong(t *testing.T) {
	t.Parallel()
	for fault, recorded := range map[stsemu.Fault]bool{
		stsemu.WrongCode: false, stsemu.Hang: true, stsemu.Reset: true, stsemu.Close: true,
		stsemu.ServerError: true, stsemu.Garbage: true, stsemu.Throttling: true, stsemu.None: true,
	} {
		t.Run(string(fault), func(t *testing.T) {
			t.Parallel()
			r, c := clockRig(t, aliceProfile)
			r.emu.SetFault(fault)
			timeout := "15s" // a bound never reached, on a busy machine too
			if fault == stsemu.Hang {
				timeout = hangTimeout
			}
			r.run("", "env", "--no-write", "--timeout", timeout, c.code())
			r.emu.SetFault(stsemu.None)
			_, stderr, code := r.run("", "env", "--no-write", c.code())
			if recorded && (code != ExitUsage || r.emu.Requests() != 1 || !strings.Contains(stderr, "already used")) {
				t.Errorf("not recorded: exit %d, %d requests: %s", code, r.emu.Requests(), stderr)
			}
			if !recorded && (code != 0 || r.emu.Requests() != 2) {
				t.Errorf("recorded: exit %d, %d requests: %s", code, r.emu.Requests(), stderr)
			}
		})
	}
}

// TestCodeNeverSentIsNotRecorded: a code that never left the machine
// (no connection could be made) is not recorded, so the same code works
// once the network is back.
func TestCodeNeverSentIsNotRecorded(t *testing.T) {
	t.Parallel()
	for name, endpoint := range map[string]string{"refused": "http://127.0.0.1:1"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, c := clockRig(t, aliceProfile)
			if _, stderr, code := r.run("", "env", "--no-write", "--endpoint-url", endpoint, c.code()); code == 0 || !strings.Contains(stderr, "cannot connect") {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if _, stderr, code := r.run("", "env", "--no-write", c.code()); code != 0 || r.emu.Requests() != 1 {
				t.Errorf("the unsent code refused: exit %d, %d requests: %s", code, r.emu.Requests(), stderr)
			}
		})
	}
}

// TestConcurrentRunsSendACodeOnce: of two runs given one code at once,
// one sends it and the other is refused; neither waits for STS in vain.
func TestConcurrentRunsSendACodeOnce(t *testing.T) {
	t.Parallel()
	r, c := clockRig(t, aliceProfile)
	codes := make(chan int, 2)
	var wg sync.WaitGroup
	for range 2 {
		sys, _ := r.system("") // made here: the rig is not safe for concurrent use
		wg.Go(func() { codes <- Run([]string{"aws-mfa", "env", "--no-write", c.code()}, sys) })
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for code := range codes {
		got[code]++
	}
	if got[0] != 1 || got[ExitUsage] != 1 || r.emu.Requests() != 1 {
		t.Errorf("exit codes %v, %d requests", got, r.emu.Requests())
	}
}

// tokenRig is a clock rig whose pairs take the code from a token_command
// that prints the device's code, and follows it.
func tokenRig(t *testing.T, config string) (*rig, *clock) {
	r, c := clockRig(t, aliceProfile)
	file := filepath.Join(t.TempDir(), "code")
	os.WriteFile(file, []byte(c.code()+"\n"), 0o600)
	c.tick = func(code string) { os.WriteFile(file, []byte(code+"\n"), 0o600) }
	os.MkdirAll(filepath.Dir(r.configFile()), 0o700)
	os.WriteFile(r.configFile(), []byte(fmt.Sprintf("[defaults]\ntoken_command = [\"cat\", %q]\n%s", file, config)), 0o600)
	return r, c
}

// TestTokenCommandWaitsForTheNextCode: a token_command's code already
// used is no failure: aws-mfa waits for the next step, counting down on
// a terminal, and asks the command again.
func TestTokenCommandWaitsForTheNextCode(t *testing.T) {
	t.Parallel()
	for _, terminal := range []bool{false, true} {
		r, c := tokenRig(t, "")
		r.terminal["stderr"] = terminal
		r.run("", "env", "--no-write")
		c.add(10 * time.Second)
		_, stderr, code := r.run("", "env", "--no-write")
		calls := r.emu.Calls()
		if code != 0 || len(calls) != 2 || calls[1].Params.Get("TokenCode") != "100001" || c.slept != 15*time.Second {
			t.Fatalf("terminal %v: exit %d, %d calls, slept %s: %q", terminal, code, len(calls), c.slept, stderr)
		}
		// A countdown on a terminal, erased at the end; a pipe waits quietly.
		const msg = "aws-mfa: the code from token_command was already used; asking it again in "
		want := ""
		if terminal {
			want = "\r" + msg + "15s\x1b[K\r" + msg + "14s\x1b[K"
		}
		if !strings.HasPrefix(stderr, want) || terminal != strings.Contains(stderr, "1s\x1b[K\r\x1b[K") || !terminal && strings.Contains(stderr, msg) {
			t.Errorf("terminal %v: %q", terminal, stderr)
		}
	}
}

// TestTokenCommandStuckOnOneCode: a command that keeps printing a used
// code (a device whose clock stopped) is asked a bounded number of times.
func TestTokenCommandStuckOnOneCode(t *testing.T) {
	t.Parallel()
	r, c := tokenRig(t, "")
	r.run("", "env", "--no-write")
	c.tick = nil
	_, stderr, code := r.run("", "env", "--no-write")
	if code != ExitUsage || r.emu.Requests() != 1 || !strings.HasSuffix(stderr, "already used, and AWS accepts each code once; run again with the one your device shows now\n") {
		t.Errorf("exit %d, %d requests: %q", code, r.emu.Requests(), stderr)
	}
}

// TestTwoCodesOnOneDevice: a session and a role with its own MFA on the
// same device, one after the other within a step: the second waits for
// the next code instead of failing.
func TestTwoCodesOnOneDevice(t *testing.T) {
	t.Parallel()
	r, _ := tokenRig(t, "[pair.admin]\nsource = \"aws-mfa\"\ntarget = \"admin\"\nrole_arn = \"arn:aws:iam::123456789012:role/admin\"\n")
	for _, pair := range []string{"default", "admin"} {
		if _, stderr, code := r.run("", "-p", pair); code != 0 {
			t.Fatalf("%s: exit %d: %s", pair, code, stderr)
		}
	}
	calls := r.emu.Calls()
	if len(calls) != 2 || calls[0].Params.Get("TokenCode") != alice.Code || calls[1].Action != "AssumeRole" || calls[1].Params.Get("TokenCode") != "100001" {
		t.Errorf("calls %v", calls)
	}
}

// TestMFAAge: status shows when the code behind each session was
// entered; a chained session renewed from its base without a code
// inherits the base's time.
func TestMFAAge(t *testing.T) {
	t.Parallel()
	r, c := clockRig(t, aliceProfile)
	os.MkdirAll(filepath.Dir(r.configFile()), 0o700)
	os.WriteFile(r.configFile(), []byte("[pair.role]\nsource_pair = \"default\"\ntarget = \"role\"\nrole_arn = \"arn:aws:iam::123456789012:role/ro\"\n"), 0o600)
	entered := c.now()
	if _, stderr, code := r.run("", "-p", "role", c.code()); code != 0 {
		t.Fatal(stderr)
	}
	c.add(70 * time.Minute) // the role's hour is over, the base's 12 are not
	if _, stderr, code := r.run("", "-p", "role"); code != 0 || r.emu.Requests() != 3 {
		t.Fatalf("renewal without a code: exit %d, %d requests: %s", code, r.emu.Requests(), stderr)
	}
	stdout, stderr, code := r.run("", "status")
	if code != 0 || strings.Count(stdout, ", MFA 1h10m ago") != 2 {
		t.Errorf("status: exit %d:\n%s%s", code, stdout, stderr)
	}
	stdout, _, _ = r.run("", "status", "--json")
	var rows []statusRow
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("%v: %s", err, stdout)
	}
	for _, row := range rows {
		if row.MFAAt != entered.UTC().Format(time.RFC3339) || row.MFASecondsAgo == nil || *row.MFASecondsAgo != 4200 {
			t.Errorf("%s: mfa_at %q, %v seconds ago", row.Pair, row.MFAAt, row.MFASecondsAgo)
		}
	}
	// A session no record knows of shows no age.
	os.RemoveAll(filepath.Join(r.env["HOME"], ".local", "state"))
	if stdout, _, _ := r.run("", "status"); strings.Contains(stdout, "MFA") {
		t.Errorf("an age without a record:\n%s", stdout)
	}
}

// TestMFAMaxAge: a session whose code is older than mfa_max_age is
// renewed as one about to expire is: the refresh asks for a code, and
// env --cached has none to give; so is a chained pair's base, whose
// time its role would inherit.
func TestMFAMaxAge(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, config, pair string
		within, calls      int // the requests of a run within the age (no code), and of the renewal
	}{
		{"defaults", "[defaults]\nmfa_max_age = \"1h\"\n", "default", 0, 1},
		{"pair", "[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nmfa_max_age = \"1h\"\n", "default", 0, 1},
		// At 50 minutes the role's hour is nearly over: it is renewed
		// from the base, with no code, and inherits the base's MFA time.
		{"chained", "[pair.role]\nsource_pair = \"default\"\ntarget = \"role\"\nrole_arn = \"arn:aws:iam::123456789012:role/ro\"\nduration = \"1h\"\nmfa_max_age = \"1h\"\n", "role", 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, c := clockRig(t, aliceProfile)
			os.MkdirAll(filepath.Dir(r.configFile()), 0o700)
			os.WriteFile(r.configFile(), []byte(tc.config), 0o600)
			if _, stderr, code := r.run("", "-p", tc.pair, c.code()); code != 0 {
				t.Fatal(stderr)
			}
			sent := r.emu.Requests()
			c.add(50 * time.Minute)
			if _, stderr, code := r.run("", "-p", tc.pair); code != 0 || r.emu.Requests() != sent+tc.within {
				t.Fatalf("within the age: exit %d: %s", code, stderr)
			}
			sent += tc.within
			c.add(11 * time.Minute)
			for _, args := range [][]string{{"-p", tc.pair}, {"env", "--cached", "-p", tc.pair}} {
				_, stderr, code := r.run("", args...)
				if code != ExitUsage || r.emu.Requests() != sent || !strings.Contains(stderr, "no MFA code given") && !strings.Contains(stderr, "no session valid") && !strings.Contains(stderr, "is valid, but") {
					t.Errorf("%q past the age: exit %d, %d requests: %s", args, code, r.emu.Requests()-sent, stderr)
				}
				// Not "no session valid": it is, for hours more.
				if args[0] == "env" && tc.name != "chained" && !strings.Contains(stderr, "is valid, but its MFA code was entered longer ago than mfa_max_age (1h0m0s)") {
					t.Errorf("--cached past the age: %s", stderr)
				}
			}
			if _, stderr, code := r.run("", "-p", tc.pair, c.code()); code != 0 || r.emu.Requests() != sent+tc.calls {
				t.Errorf("renewal: exit %d, %d requests: %s", code, r.emu.Requests()-sent, stderr)
			}
		})
	}
}

// TestMFAMaxAgeUnknown: a valid session of unknown MFA age (none of
// aws-mfa's records knows it) is renewed under mfa_max_age, and kept
// without.
func TestMFAMaxAgeUnknown(t *testing.T) {
	t.Parallel()
	session := aliceProfile + "[default]\naws_access_key_id = ASIAEXAMPLE000000001\naws_secret_access_key = s\naws_session_token = t\nexpiration = " +
		time.Now().Add(6*time.Hour).UTC().Format(time.RFC3339) + "\n"
	for _, maxAge := range []string{"", "mfa_max_age = \"8h\"\n"} {
		r, c := clockRig(t, session)
		os.MkdirAll(filepath.Dir(r.configFile()), 0o700)
		os.WriteFile(r.configFile(), []byte("[defaults]\n"+maxAge), 0o600)
		r.run("", c.code())
		if renewed := r.emu.Requests() == 1; renewed != (maxAge != "") {
			t.Errorf("mfa_max_age %q: renewed %v", maxAge, renewed)
		}
	}
}
