//go:build unix

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
	"github.com/aws-mfa/aws-mfa/shells"
)

// renewSecret is planted where the child must not look: in the user's
// own [default] of the AWS config and in aws-mfa's environment.
const renewSecret = "PLANTEDrenewSECRET0123456789"

// renewRig is a chained pair prod (a 15-minute role from [default]'s
// session) whose base session is already in [default], in a directory
// named name, which a credential_process line must quote, and which
// AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE name through a
// variable (expanded once, as botocore does). Then the emulator
// refuses every code (GetSessionToken fails), so that nothing can ask for
// one; and each time a command calls GetCallerIdentity, it marks
// [prod-session] expired in the file, as if the job had run for an hour:
// the next time an SDK asks, aws-mfa renews it. botocore asks before each
// call, since a 15-minute session is within its 15-minute advisory window.
func renewRig(t *testing.T, name string) (emu *stsemu.Server, bin, dir string, env []string) {
	t.Helper()
	bin = toolBinary(t)
	emu = stsemu.Start(alice)
	t.Cleanup(emu.Close)
	dir = filepath.Join(t.TempDir(), name)
	os.MkdirAll(filepath.Join(dir, "aws-mfa"), 0o700)
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte(aliceSource), 0o600)
	os.WriteFile(filepath.Join(dir, "aws-mfa", "config.toml"), []byte(chainConfig+"duration = \"15m\"\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "config"), []byte("[default]\nregion = eu-west-1\noutput = json\nretry_mode = standard\ncredential_process = echo "+renewSecret+"\nsource_profile = "+renewSecret+"\naws_secret_access_key = "+renewSecret+"\n"), 0o600)
	env = peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "XDG_CONFIG_HOME="+dir,
		"AWS_ACCESS_KEY_ID=AKIA"+renewSecret, "AWS_SECRET_ACCESS_KEY="+renewSecret, "AWS_SESSION_TOKEN="+renewSecret,
		"RIG="+dir, "AWS_SHARED_CREDENTIALS_FILE=${RIG}/credentials", "AWS_CONFIG_FILE=${RIG}/config", "USER=not-the-rig")
	if _, stderr, err := run(t, env, bin, "-p", "default", "314159"); err != nil {
		t.Fatalf("refresh of the base: %v: %s", err, stderr)
	}
	emu.SetActionFault("GetSessionToken", stsemu.WrongCode)
	emu.SetBefore(func(action string) {
		if action != "GetCallerIdentity" {
			return
		}
		past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
		err := credfile.Writer{}.EditBytes(creds, credfile.Parsed(creds, func(f *credfile.File) ([]byte, error) {
			if f.Section("prod-session") == nil {
				return f.Bytes(), nil
			}
			return f.Edit("prod-session", []credfile.KV{{Key: "expiration", Value: past}}, nil)
		}))
		if err != nil {
			t.Errorf("expire [prod-session]: %v", err)
		}
	})
	return emu, bin, dir, env
}

// renewDir is the rig's usual directory name.
const renewDir = `it's "a" dir`

// noTTY runs cmd in a session of its own: no controlling terminal to ask
// a code on, and no stdin to read one from.
func noTTY(cmd *exec.Cmd, env []string) (string, string, error) {
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

var (
	sdkLoopOnce sync.Once
	sdkLoopBin  string
	sdkLoopErr  error
)

// sdkLoop builds testdata/peers/sdkloop, the aws-sdk-go-v2 peer, beside
// the aws-mfa that toolBinary builds (where go build finds it up to date).
func sdkLoop(t *testing.T) string {
	testproc.Require(t, "go")
	bin := toolBinary(t)
	sdkLoopOnce.Do(func() {
		out := filepath.Join(filepath.Dir(filepath.Dir(bin)), "sdkloop")
		cmd := exec.Command("go", "build", "-o", out, ".")
		cmd.Dir = filepath.Join(moduleRoot, "testdata", "peers", "sdkloop")
		if b, err := cmd.CombinedOutput(); err != nil {
			sdkLoopErr = fmt.Errorf("build the aws-sdk-go-v2 peer: %v\n%s", err, b)
		}
		sdkLoopBin = out
	})
	if sdkLoopErr != nil {
		testproc.Missing(t, sdkLoopErr.Error())
	}
	return sdkLoopBin
}

// botocoreLoop calls GetCallerIdentity argv[1] times with botocore, as a
// Python program run under aws-mfa does.
const botocoreLoop = `import sys, botocore.session
c = botocore.session.get_session().create_client("sts")
for i in range(int(sys.argv[1])):
    c.get_caller_identity()
print("ok", sys.argv[1])
`

// botocoreHere stands, in a sh -c script under exec --renew whose $0 is
// a path to name files by, where `python3 -c botocoreLoop N` would: it
// hands the environment and directory the command was given to
// withBotocore, which runs botocoreLoop with them in the shared botocore
// process (a Python started and botocore imported for each run is 0.2 s
// of CPU), and goes on once that has printed "ok N" or failed, as the
// program would. What botocore reads (the private config and
// credentials files, credential_process, the paths, the directory) is
// what the command had; it is not a child of aws-mfa, but nothing it
// reads comes by way of its parent.
const botocoreHere = `env -0 > "$0.env" && pwd > "$0.pwd" && read -r ok && [ "$ok" = ok ]`

// withBotocore runs cmd, an exec --renew of a sh -c script that holds
// botocoreHere and names base as its $0, and at botocoreHere runs
// botocoreLoop with args in the shared botocore process, in the command's
// environment and directory. stdout is what botocore printed, then what
// the command printed after it; a traceback goes to stderr and fails the
// command, as in a shell script that ran python3 there.
func withBotocore(t *testing.T, cmd *exec.Cmd, env []string, base string, args ...string) (string, string, error) {
	t.Helper()
	boto := peers.StartBotocore(t)
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	exited := false
	waitFor(func() bool {
		select {
		case err := <-waited:
			waited <- err
			exited = true
			return true
		default: // the shell creates the file before pwd writes the line
			pwd, _ := os.ReadFile(base + ".pwd")
			return strings.HasSuffix(string(pwd), "\n")
		}
	})
	var printed, traceback string
	if !exited {
		envs, _ := os.ReadFile(base + ".env")
		pwd, _ := os.ReadFile(base + ".pwd")
		printed, traceback, err = boto.Run(strings.Split(strings.TrimSuffix(string(envs), "\x00"), "\x00"), strings.TrimSuffix(string(pwd), "\n"), botocoreLoop, args...)
		if err != nil {
			traceback = err.Error() + "\n"
		}
		if traceback != "" {
			in.Write([]byte("raised\n"))
		} else {
			in.Write([]byte("ok\n"))
		}
	}
	in.Close()
	err = <-waited
	return printed + stdout.String(), stderr.String() + traceback, err
}

// TestExecRenewSDKs is #22's proof: under exec --renew, botocore,
// aws-sdk-go-v2 and the AWS CLI call STS in a loop while every session they get is soon
// to expire; they sign with several successive sessions, every call
// succeeds, and no code is asked (there is no terminal, and STS refuses
// every code).
func TestExecRenewSDKs(t *testing.T) {
	t.Parallel()
	for _, peer := range []string{"botocore", "aws-sdk-go-v2", "aws"} {
		t.Run(peer, func(t *testing.T) {
			t.Parallel()
			var child []string
			want := "ok 4\n"
			switch peer {
			case "botocore": // in the shared botocore process: withBotocore
				peers.StartBotocore(t) // skips without botocore
				child = []string{"sh", "-c", botocoreHere}
			case "aws-sdk-go-v2":
				child = []string{sdkLoop(t), "4"}
			case "aws": // the AWS CLI, a new process (and a new ask) per call
				requireTool(t, "aws")
				child = []string{"sh", "-c", `for i in 1 2; do aws sts get-caller-identity --endpoint-url "$AWS_ENDPOINT_URL_STS" --output text > /dev/null || exit 1; done; echo ok 2`}
				want = "ok 2\n"
			}
			emu, bin, dir, env := renewRig(t, renewDir)
			before := len(emu.Calls())
			cmd := exec.Command(bin, append([]string{"exec", "--renew", "-p", "prod", "--"}, child...)...)
			var stdout, stderr string
			var err error
			if peer == "botocore" {
				cmd.Args = append(cmd.Args, filepath.Join(dir, "botocore"))
				stdout, stderr, err = withBotocore(t, cmd, env, filepath.Join(dir, "botocore"), "4")
			} else {
				stdout, stderr, err = noTTY(cmd, env)
			}
			if err != nil || stdout != want {
				t.Fatalf("%v\nstdout %q\nstderr %s", err, stdout, stderr)
			}
			keys := map[string]bool{}
			for _, c := range emu.Calls()[before:] {
				switch c.Action {
				case "GetCallerIdentity":
					keys[c.Key] = true
				case "GetSessionToken":
					t.Errorf("a code was sent")
				}
			}
			if len(keys) < 2 {
				t.Errorf("the SDK signed with %d session(s), want at least 2", len(keys))
			}
			if strings.Contains(stderr, "MFA code") {
				t.Errorf("a code was asked: %s", stderr)
			}
		})
	}
}

// TestExecRenewSeesNoKeys runs a command that copies its environment and
// the files it names: none holds the long-term keys, the base session,
// the session aws-mfa itself had in its environment, or anything of the
// user's [default] that fetches credentials. The private directory is
// the user's alone, and gone once the command exits.
func TestExecRenewSeesNoKeys(t *testing.T) {
	t.Parallel()
	requireTool(t, "sh")
	_, bin, dir, env := renewRig(t, renewDir)
	out := filepath.Join(dir, "seen")
	script := `env > "$0.env"; cat "$AWS_CONFIG_FILE" "$AWS_SHARED_CREDENTIALS_FILE" > "$0.files"
stat -c '%a' "$(dirname "$AWS_CONFIG_FILE")" "$AWS_CONFIG_FILE" "$AWS_SHARED_CREDENTIALS_FILE" > "$0.modes"; dirname "$AWS_CONFIG_FILE" > "$0.dir"`
	if _, stderr, err := noTTY(exec.Command(bin, "exec", "--renew", "-p", "prod", "--", "sh", "-c", script, out), env); err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	creds, err := credfile.Read(filepath.Join(dir, "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	base, ok := creds.Session("default")
	if !ok {
		t.Fatal("no base session in [default]")
	}
	secrets := []string{renewSecret, alice.AccessKeyID, alice.SecretAccessKey, base.AccessKeyID, base.SecretAccessKey, base.SessionToken, "source_profile", "[aws-mfa]"}
	for _, name := range []string{".env", ".files"} {
		b, _ := os.ReadFile(out + name)
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("the command's %s holds %q:\n%s", name, s, b)
			}
		}
	}
	files, _ := os.ReadFile(out + ".files")
	for _, want := range []string{"[profile prod-session]\n", "__renew", "output = json\n", "retry_mode = standard\n", "region = eu-west-1\n"} {
		if !strings.Contains(string(files), want) {
			t.Errorf("the private config lacks %q:\n%s", want, files)
		}
	}
	if modes, _ := os.ReadFile(out + ".modes"); string(modes) != "700\n600\n600\n" {
		t.Errorf("modes of the private directory and files: %q", modes)
	}
	privateGone(t, out)
}

// TestExecRenewSignals: each signal that ends a job, sent to aws-mfa, is
// passed on to the command once; aws-mfa exits with the command's status,
// 128+N when signal N killed it, and removes the private directory
// whichever way the command ended.
func TestExecRenewSignals(t *testing.T) {
	t.Parallel()
	requireTool(t, "sh")
	_, bin, dir, env := renewRig(t, renewDir)
	// The session [default] holds stays valid: the pair is the base itself.
	sigs := map[string]syscall.Signal{"INT": syscall.SIGINT, "TERM": syscall.SIGTERM, "HUP": syscall.SIGHUP, "QUIT": syscall.SIGQUIT}
	for name, sig := range sigs {
		for _, trapped := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/trapped=%v", name, trapped), func(t *testing.T) {
				out := filepath.Join(dir, fmt.Sprintf("%s-%v", name, trapped))
				script := `dirname "$AWS_CONFIG_FILE" > "$0.dir"; trap 'echo got >> "$0.got"; exit 7' ` + name + `; echo > "$0.ready"; while :; do sleep 0.05; done`
				if !trapped {
					script = `dirname "$AWS_CONFIG_FILE" > "$0.dir"; echo > "$0.ready"; exec sleep 1000`
				}
				cmd := exec.Command(bin, "exec", "--renew", "-p", "default", "--", "sh", "-c", script, out)
				cmd.Env = env
				cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
				var stderr strings.Builder
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				if !waitFor(func() bool { _, err := os.Stat(out + ".ready"); return err == nil }) {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("the command never started: %s", stderr.String())
				}
				cmd.Process.Signal(sig)
				err := cmd.Wait()
				want := 128 + int(sig)
				if trapped {
					want = 7
				}
				got := exitCode(err)
				if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
					got = 128 + int(ws.Signal()) // as a shell reports it
				}
				if got != want {
					t.Errorf("exit %d, want %d; stderr %s", got, want, stderr.String())
				}
				if got, _ := os.ReadFile(out + ".got"); trapped && string(got) != "got\n" {
					t.Errorf("the command got the signal %q times", got)
				}
				privateGone(t, out)
			})
		}
	}
}

// TestExecRenewExitStatus: the command's own exit status is aws-mfa's.
func TestExecRenewExitStatus(t *testing.T) {
	t.Parallel()
	requireTool(t, "sh")
	_, bin, _, env := renewRig(t, renewDir)
	for _, code := range []int{0, 1, 2, 42, 255} {
		_, stderr, err := noTTY(exec.Command(bin, "exec", "--renew", "-p", "default", "--", "sh", "-c", fmt.Sprintf("exit %d", code)), env)
		if got := exitCode(err); got != code {
			t.Errorf("exit %d, want %d: %s", got, code, stderr)
		}
	}
}

// botocoreAtTerminal calls GetCallerIdentity, waits for the test (file
// argv[1].go), calls again, and then counts the SIGINTs it gets until the
// test says stop. Python runs a handler once for signals that arrive
// before it starts: one arriving while it runs makes it run again.
const botocoreAtTerminal = `import os, signal, sys, time, botocore.session
out = sys.argv[1]
def wait(name):
    while not os.path.exists(out + name):
        time.sleep(0.02)
def interrupted(*a):
    open(out + ".int", "a").write("int\n")
    time.sleep(0.3)  # a second SIGINT now runs this again, not lost
signal.signal(signal.SIGINT, interrupted)
c = botocore.session.get_session().create_client("sts")
c.get_caller_identity()
open(out + ".ready", "w").close()
wait(".go")
c.get_caller_identity()
open(out + ".renewed", "w").close()
wait(".stop")
`

// TestExecRenewAtTerminal runs a botocore job under exec --renew in a
// terminal (tmux). When the base has expired mid-job, the renewal asks
// for the code on the terminal though botocore captures the process's
// output, and the job goes on with the new session. A Ctrl-C typed there
// reaches the job once: the terminal sends it to aws-mfa and the job
// alike, and aws-mfa does not pass on a second.
func TestExecRenewAtTerminal(t *testing.T) {
	t.Parallel()
	peers.StartBotocore(t)
	requireTool(t, "bash")
	emu, bin, dir, env := renewRig(t, renewDir)
	emu.SetActionFault("GetSessionToken", stsemu.None)
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal(err)
	}
	env = append(env, "TERM=xterm", "PS1=$ ", "HISTFILE=/dev/null", "PATH="+filepath.Dir(python)+":/usr/bin:/bin")
	sh := startTmux(t, dir, env, "bash", "--norc", "--noprofile", "-i")
	out := filepath.Join(dir, "job")
	os.WriteFile(out+".py", []byte(botocoreAtTerminal), 0o600)
	sh.send(shells.Line(bin, "exec", "--renew", "-p", "prod", "--", "python3", out+".py", out) + "; echo \"exit $?\" > " + shells.Line(out+".exit"))
	exists := func(name string) bool { _, err := os.Stat(out + name); return err == nil }
	if !waitFor(func() bool { return exists(".ready") }) {
		t.Fatalf("the job never made its first call:\n%s", sh.screen())
	}
	// The base expires, and with it the role's session.
	creds := filepath.Join(dir, "credentials")
	err = credfile.Writer{}.EditBytes(creds, credfile.Parsed(creds, func(f *credfile.File) ([]byte, error) {
		return f.Edit("default", []credfile.KV{{Key: "expiration", Value: time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)}}, nil)
	}))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(out+".go", nil, 0o600)
	sh.waitScreen("MFA code for arn:aws:iam::123456789012:mfa/alice:")
	sh.send("314159")
	if !waitFor(func() bool { return exists(".renewed") }) {
		t.Fatalf("the job's second call never returned:\n%s", sh.screen())
	}
	codes := 0
	for _, c := range emu.Calls() {
		if c.Action == "GetSessionToken" {
			codes++
		}
	}
	if codes != 2 { // the rig's, and the one typed
		t.Errorf("%d GetSessionToken calls, want 2:\n%s", codes, sh.screen())
	}
	sh.keys(press("C-c"))
	if !waitFor(func() bool { return exists(".int") }) {
		t.Fatalf("the job got no SIGINT:\n%s", sh.screen())
	}
	os.WriteFile(out+".stop", nil, 0o600)
	if !waitFor(func() bool { return exists(".exit") }) {
		t.Fatalf("aws-mfa never exited:\n%s", sh.screen())
	}
	if got, _ := os.ReadFile(out + ".int"); string(got) != "int\n" {
		t.Errorf("the job got %d SIGINTs for one Ctrl-C", strings.Count(string(got), "int"))
	}
	if got, _ := os.ReadFile(out + ".exit"); string(got) != "exit 0\n" {
		t.Errorf("aws-mfa: %q\n%s", got, sh.screen())
	}
}

// TestExecRenewNoTerminal: once the base has expired, a renewal needs a
// code; with no terminal and no token_command it fails with aws-mfa's
// one line saying what to do, which the job's SDK passes on, and no code
// is sent.
func TestExecRenewNoTerminal(t *testing.T) {
	t.Parallel()
	child := sdkLoop(t)
	emu, bin, dir, env := renewRig(t, renewDir)
	creds := filepath.Join(dir, "credentials")
	emu.SetBefore(func(action string) {
		if action != "GetCallerIdentity" {
			return
		}
		past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
		err := credfile.Writer{}.EditBytes(creds, credfile.Parsed(creds, func(f *credfile.File) ([]byte, error) {
			out, err := f.Edit("default", []credfile.KV{{Key: "expiration", Value: past}}, nil)
			if f, _ = credfile.Parse(out); err == nil {
				out, err = f.Edit("prod-session", []credfile.KV{{Key: "expiration", Value: past}}, nil)
			}
			return out, err
		}))
		if err != nil {
			t.Errorf("expire the sessions: %v", err)
		}
	})
	emu.SetActionFault("GetSessionToken", stsemu.None)
	stdout, stderr, err := noTTY(exec.Command(bin, "exec", "--renew", "-p", "prod", "--", child, "2"), env)
	want := "aws-mfa: [prod-session] needs a new session and there is no terminal to ask for the MFA code; set token_command in " +
		filepath.Join(dir, "aws-mfa", "config.toml") + ", or run `aws-mfa -p prod` in a terminal first"
	if exitCode(err) != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "sdkloop: call 2:") || stdout != "" {
		t.Errorf("exit %d\nstdout %q\nstderr %s\nwant   %s", exitCode(err), stdout, stderr, want)
	}
	codes := 0
	for _, c := range emu.Calls() {
		if c.Action == "GetSessionToken" {
			codes++
		}
	}
	if codes != 1 { // the rig's
		t.Errorf("%d GetSessionToken calls, want 1", codes)
	}
}

// TestExecRenewPaths: botocore and aws-sdk-go-v2 each renew, from a
// directory after a cd, through the credential_process line of a rig
// whose paths hold what a shell, an INI parser or a path expansion could
// take apart: quotes, inline comment marks, $ references (which must
// not be expanded a second time), backticks, non-ASCII; files named by
// relative paths; and a binary path and a last option that both need
// quotes (aws-sdk-go-v2 strips quotes that wrap a whole value).
func TestExecRenewPaths(t *testing.T) {
	t.Parallel()
	requireTool(t, "sh")
	peers.StartBotocore(t) // skips without botocore
	loop := sdkLoop(t)
	for _, c := range []struct{ name, dir string }{
		{"quotes", renewDir},
		{"comments", "a ;b #c; d#"},
		{"dollars", "h$USER ${HOME} $(touch pwned) `touch pwned`"},
		{"non-ASCII", "é ü 東京"},
		{"relative", "rel"},
		{"quoted ends", "ends"},
		{"spaced target", "spaced"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, bin, dir, env := renewRig(t, c.dir)
			args := []string{"exec", "--renew", "-p", "prod"}
			cmd := exec.Command(bin)
			switch c.name {
			case "relative":
				env = append(env, "AWS_SHARED_CREDENTIALS_FILE=credentials", "AWS_CONFIG_FILE=config")
				cmd.Dir = dir
			case "quoted ends":
				quoted := filepath.Join(dir, "bin dir", "aws-mfa")
				os.MkdirAll(filepath.Dir(quoted), 0o700)
				if b, err := os.ReadFile(bin); err != nil || testproc.WriteExecutable(quoted, b, 0o700) != nil {
					t.Fatal(err)
				}
				cmd.Path, args = quoted, append(args, "--target", "prod!two")
			case "spaced target": // botocore skips [profile prod two]
				args = append(args, "--target", "prod two")
			}
			// botocore (in the shared process, with the command's
			// environment and directory: botocoreHere), then aws-sdk-go-v2.
			base := filepath.Join(t.TempDir(), "botocore")
			cmd.Args = append(append([]string{cmd.Path}, args...), "--", "sh", "-c", `cd / && `+botocoreHere+` && "$1" 2`, base, loop)
			stdout, stderr, err := withBotocore(t, cmd, env, base, "2")
			if err != nil || stdout != "ok 2\nok 2\n" {
				t.Errorf("%v\nstdout %q\nstderr %s", err, stdout, stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
				t.Errorf("a path's text ran as a command")
			}
		})
	}
}

// TestExecRenewInterrupt: a Ctrl-C that kills the command ends the
// script that ran aws-mfa, as it would had the script run the command
// itself: bash goes on after a child that exited 130 (it handled the
// signal), and stops after one that a SIGINT killed. The private
// directory is removed all the same.
func TestExecRenewInterrupt(t *testing.T) {
	t.Parallel()
	requireTool(t, "bash")
	_, bin, dir, env := renewRig(t, renewDir)
	out := filepath.Join(dir, "int")
	cmd := exec.Command("bash", "-c", `"$0" exec --renew -p default -- sh -c 'dirname "$AWS_CONFIG_FILE" > "$0.dir"; echo > "$0.ready"; exec sleep 1000' "$1"; echo went on`, bin, out)
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a terminal's foreground group, without the terminal
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if !waitFor(func() bool { _, err := os.Stat(out + ".ready"); return err == nil }) {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		t.Fatalf("the command never started: %s", stderr.String())
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT || stdout.String() != "" {
		t.Errorf("the script went on after the Ctrl-C: %v, stdout %q, stderr %s", err, stdout.String(), stderr.String())
	}
	privateGone(t, out)
}

// TestExecRenewProcHidden: the command cannot read what exec --renew
// took out of its environment, nor the keys aws-mfa read, in aws-mfa's
// own /proc files (Linux): the environment aws-mfa started with, its
// memory. Root reads every /proc file, so as root aws-mfa runs as nobody.
func TestExecRenewProcHidden(t *testing.T) {
	t.Parallel()
	requireTool(t, "sh")
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skip("no /proc")
	}
	_, bin, dir, env := renewRig(t, renewDir)
	own := filepath.Join(dir, "aws-mfa-bin")
	if b, err := os.ReadFile(bin); err != nil || testproc.WriteExecutable(own, b, 0o755) != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(own, "exec", "--renew", "-p", "default", "--", "sh", "-c", `cat /proc/$PPID/environ /proc/$PPID/mem || echo denied`)
	if os.Getuid() == 0 {
		filepath.WalkDir(dir, func(path string, _ os.DirEntry, _ error) error { return os.Chown(path, 65534, 65534) })
		os.Chmod(filepath.Dir(dir), 0o711)
		os.Chmod(filepath.Dir(filepath.Dir(dir)), 0o711) // t.TempDir's own
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	cmd.Env = env
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil || strings.Contains(stdout.String(), renewSecret) || !strings.HasSuffix(stdout.String(), "denied\n") {
		t.Errorf("%v; the command read %q; stderr %q", err, stdout.String(), stderr.String())
	}
}

// TestExecRenewNohup: a signal ignored when aws-mfa starts stays ignored,
// by aws-mfa and by the command: `nohup aws-mfa exec --renew -- job &`
// survives the SIGHUP of a closed terminal, as `nohup job &` does, and a
// background job of a script keeps ignoring the terminal's SIGINT.
func TestExecRenewNohup(t *testing.T) {
	t.Parallel()
	requireTool(t, "sh")
	_, bin, dir, env := renewRig(t, renewDir)
	for _, sig := range []string{"HUP", "INT"} {
		t.Run(sig, func(t *testing.T) {
			out := filepath.Join(dir, "nohup-"+sig)
			job := `echo > "$0.ready"; while [ ! -e "$0.go" ]; do sleep 0.05; done; echo survived`
			cmd := exec.Command("sh", "-c", `trap "" `+sig+`; exec "$0" exec --renew -p default -- sh -c "$1" "$2"`, bin, job, out)
			cmd.Env = env
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if !waitFor(func() bool { _, err := os.Stat(out + ".ready"); return err == nil }) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("the command never started: %s", stderr.String())
			}
			cmd.Process.Signal(map[string]syscall.Signal{"HUP": syscall.SIGHUP, "INT": syscall.SIGINT}[sig])
			os.WriteFile(out+".go", nil, 0o600)
			if err := cmd.Wait(); err != nil || stdout.String() != "survived\n" {
				t.Errorf("SIG%s, ignored, ended the job: %v, stdout %q, stderr %s", sig, err, stdout.String(), stderr.String())
			}
		})
	}
}

// privateGone checks that the private directory whose name the command
// wrote to out.dir is gone.
func privateGone(t *testing.T, out string) {
	t.Helper()
	private, _ := os.ReadFile(out + ".dir")
	if _, err := os.Stat(strings.TrimSpace(string(private))); !os.IsNotExist(err) {
		t.Errorf("the private directory %q is still there (%v)", private, err)
	}
}
