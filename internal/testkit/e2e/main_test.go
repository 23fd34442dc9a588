package e2e

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/moto"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

var updateScripts = flag.Bool("update", false, "rewrite the golden files in testdata/script")

func TestMain(m *testing.M) {
	// The end-to-end tests build and start the real binary, shells and
	// peers: the full tier's work. Under -short the package skips as a
	// whole, before it builds anything.
	flag.Parse()
	if testing.Short() {
		flag.Set("test.run", "^$") // m.Run still writes what go test caches
		os.Exit(m.Run())
	}
	peers.PreferRealPython()
	// The wrapper stops the shared moto servers and fails the run if a
	// test left a process behind.
	os.Exit(testproc.Wrap(m, peers.StopAll, moto.StopAll).Run())
}

// The user every script's STS emulator knows.
var alice = stsemu.User{
	AccessKeyID:     "AKIAALICEEXAMPLE0001",
	SecretAccessKey: "alice/long+term/secret",
	Serial:          "arn:aws:iam::123456789012:mfa/alice",
	Code:            "314159",
}

type emuKey struct{}

// TestScript runs testdata/script/*.txtar against the built command, each
// with its own STS emulator, HOME and credentials file.
func TestScript(t *testing.T) {
	t.Parallel()
	testproc.Require(t, "bash") // and python3 and the AWS CLI, as the scripts say
	bin := toolBinary(t)
	boto := peers.StartBotocore(t)
	testscript.Run(t, testscript.Params{
		Dir:           filepath.Join(moduleRoot, "testdata", "script"),
		UpdateScripts: *updateScripts,
		// testscript removes a root of its own only once every script has
		// run, so never under -run TestScript/NAME: the test's is removed.
		WorkdirRoot: t.TempDir(),
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", filepath.Dir(bin)+string(os.PathListSeparator)+env.Getenv("PATH"))
			emu := stsemu.Start(alice)
			env.Defer(emu.Close)
			env.Values[emuKey{}] = emu
			env.Setenv("HOME", env.WorkDir+"/home")
			env.Setenv("USERPROFILE", env.WorkDir+"/home")
			env.Setenv("AWS_ENDPOINT_URL_STS", emu.URL)
			env.Setenv("STS", emu.URL)
			env.Setenv("TZ", "UTC")
			// The scripts send the emulator's one code again and again;
			// codes.txtar names a state directory that records it.
			k, v, _ := strings.Cut(unrecorded(env.WorkDir), "=")
			env.Setenv(k, v)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// sts-requests N: the emulator has received exactly N requests.
			"sts-requests": func(ts *testscript.TestScript, neg bool, args []string) {
				emu := ts.Value(emuKey{}).(*stsemu.Server)
				if got := strconv.Itoa(emu.Requests()); (got == args[0]) == neg {
					ts.Fatalf("STS requests: %s, want %s", got, args[0])
				}
			},
			// sts-call ACTION KEY=VALUE...: the last accepted call was ACTION with
			// these parameters (KEY= means absent; @region is the signing region).
			"sts-call": func(ts *testscript.TestScript, neg bool, args []string) {
				calls := ts.Value(emuKey{}).(*stsemu.Server).Calls()
				if len(calls) == 0 {
					ts.Fatalf("no STS call")
				}
				last := calls[len(calls)-1]
				if last.Action != args[0] {
					ts.Fatalf("last call %s, want %s", last.Action, args[0])
				}
				for _, kv := range args[1:] {
					k, v, _ := strings.Cut(kv, "=")
					got := last.Params.Get(k)
					if k == "@region" { // the region the request was signed for
						got = last.Region
					}
					if got != v {
						ts.Fatalf("%s = %q, want %q", k, got, v)
					}
				}
			},
			// session PROFILE MINUTES: append a session to the credentials file
			// that expires that many minutes from now.
			"session": func(ts *testscript.TestScript, neg bool, args []string) {
				mins, _ := strconv.Atoi(args[1])
				exp := time.Now().Add(time.Duration(mins) * time.Minute).UTC().Format(time.RFC3339)
				path := ts.MkAbs("home/.aws/credentials")
				f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
				ts.Check(err)
				_, err = fmt.Fprintf(f, "\n[%s]\naws_access_key_id = ASIAFIXTURE000000001\naws_secret_access_key = s\naws_session_token = fixture\nexpiration = %s\n", args[0], exp)
				ts.Check(err)
				ts.Check(f.Close())
			},
			// expire PROFILE: make the session in PROFILE one that expired an
			// hour ago, keeping its keys.
			"expire": func(ts *testscript.TestScript, neg bool, args []string) {
				path := ts.MkAbs("home/.aws/credentials")
				exp := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
				ts.Check(credfile.Writer{}.EditBytes(path, credfile.Parsed(path, func(f *credfile.File) ([]byte, error) {
					return f.Edit(args[0], []credfile.KV{{Key: "expiration", Value: exp}}, nil)
				})))
			},
			// sts-fault NAME: every later request fails that way.
			"sts-fault": func(ts *testscript.TestScript, neg bool, args []string) {
				ts.Value(emuKey{}).(*stsemu.Server).SetFault(stsemu.Fault(args[0]))
			},
			// sts-code CODE: the device shows CODE now, as it does each step.
			"sts-code": func(ts *testscript.TestScript, neg bool, args []string) {
				ts.Value(emuKey{}).(*stsemu.Server).SetCode(alice.AccessKeyID, args[0])
			},
			// sts-clock OFFSET: the emulator's clock runs OFFSET (like -13h)
			// from this machine's, and dates the sessions it hands out by it.
			"sts-clock": func(ts *testscript.TestScript, neg bool, args []string) {
				off, err := time.ParseDuration(args[0])
				ts.Check(err)
				ts.Value(emuKey{}).(*stsemu.Server).SetNow(func() time.Time { return time.Now().Add(off) })
			},
			// doctor-fixes: run every command the last doctor output suggests
			// (a "→ " line that is a command, CODE standing for a valid
			// code) with sh, in order; each must succeed.
			"doctor-fixes": func(ts *testscript.TestScript, neg bool, args []string) {
				ran := 0
				run := func(fix string) {
					ts.Logf("fix: %s", fix)
					if err := ts.Exec("sh", "-c", fix); err != nil {
						ts.Fatalf("doctor's fix %q failed: %v\n%s", fix, err, ts.ReadFile("stderr"))
					}
					ran++
				}
				for _, line := range strings.Split(ts.ReadFile("stdout"), "\n") {
					fix, ok := strings.CutPrefix(strings.TrimSpace(line), "→ ")
					if !ok {
						continue
					}
					// "aws configure --profile P (…), then aws-mfa setup …": the
					// AWS CLI asks for the IAM user's keys, typed here on its
					// stdin (region and output left as they are).
					if i := strings.Index(fix, "aws configure --profile "); i >= 0 {
						profile := strings.Fields(fix[i+len("aws configure --profile "):])[0]
						run(fmt.Sprintf("printf '%%s\\n%%s\\n\\n\\n' %s %s | aws configure --profile %s", alice.AccessKeyID, alice.SecretAccessKey, profile))
						_, fix, _ = strings.Cut(fix[i:], ", then ")
					}
					fix, _, _ = strings.Cut(fix, " (") // an explanation after the command
					if !strings.HasPrefix(fix, "aws-mfa ") && !strings.HasPrefix(fix, "chmod ") && !strings.HasPrefix(fix, "eval ") && !strings.HasPrefix(fix, "aws configure set ") {
						ts.Logf("not a command: %s", fix)
						continue
					}
					run(strings.NewReplacer("CODE", alice.Code, "REGION", "eu-west-1").Replace(fix))
				}
				if want, _ := strconv.Atoi(args[0]); ran != want {
					ts.Fatalf("ran %d fixes, want %d", ran, want)
				}
			},
			// botocore CODE ARGS...: run CODE, a Python program that uses
			// botocore, as `exec python3 -c CODE ARGS...` would, with the
			// environment and directory such a command gets, in the shared
			// botocore process (no Python to start, no botocore to import:
			// 0.2 s of CPU each). What it prints is stdout; an exception
			// fails the script with its traceback.
			"botocore": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) == 0 {
					ts.Fatalf("usage: botocore CODE ARGS...")
				}
				ts.Check(ts.Exec("env", "-0"))
				env := strings.Split(strings.TrimSuffix(ts.ReadFile("stdout"), "\x00"), "\x00")
				out, traceback, err := boto.Run(env, ts.MkAbs("."), args[0], args[1:]...)
				ts.Check(err)
				if traceback != "" {
					ts.Fatalf("botocore raised:\n%s", traceback)
				}
				fmt.Fprint(ts.Stdout(), out)
			},
			// exits N CMD ARGS...: run CMD and check its exit status is N.
			"exits": func(ts *testscript.TestScript, neg bool, args []string) {
				want, _ := strconv.Atoi(args[0])
				err := ts.Exec(args[1], args[2:]...)
				got := 0
				var exit *exec.ExitError
				if errors.As(err, &exit) {
					got = exit.ExitCode()
				} else if err != nil {
					ts.Fatalf("%v", err)
				}
				if got != want {
					ts.Fatalf("exit status %d, want %d", got, want)
				}
			},
		},
	})
}
