//go:build unix

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/moto"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// chainConfig chains [prod-session] from the default pair's [default].
const chainConfig = `[pair.prod]
source_pair = "default"
target = "prod-session"
role_arn = "arn:aws:iam::210987654321:role/admin"
`

// credProcSetup writes a source profile, an aws-mfa config (extra is
// appended to it) and an ~/.aws/config with credential_process profiles
// "base" and "prod", and returns the directory.
func credProcSetup(t *testing.T, bin, extra string) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "credentials"), []byte(aliceSource), 0o600)
	os.MkdirAll(filepath.Join(dir, "aws-mfa"), 0o700)
	os.WriteFile(filepath.Join(dir, "aws-mfa", "config.toml"), []byte(chainConfig+extra), 0o600)
	os.WriteFile(filepath.Join(dir, "config"), []byte("[profile base]\ncredential_process = "+bin+" env --format json -p default\n\n[profile prod]\ncredential_process = "+bin+" env --format json -p prod\n"), 0o600)
	return dir
}

// TestConcurrentCredentialProcesses starts several credential processes
// at once, as the AWS SDKs may, with the session expired. token_command
// counts its runs: exactly one, and every process prints the same session.
func TestConcurrentCredentialProcesses(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	for _, pair := range []string{"default", "prod"} {
		t.Run(pair, func(t *testing.T) {
			emu := stsemu.Start(alice)
			defer emu.Close()
			dir := t.TempDir()
			counter := filepath.Join(dir, "asked")
			script := filepath.Join(dir, "code.sh")
			// The pause widens the window in which the others find the
			// session expired; the assertion does not depend on it.
			testproc.WriteExecutable(script, []byte("#!/bin/sh\necho asked >> '"+counter+"'\nsleep 0.3\necho 314159\n"), 0o700)
			dir = credProcSetup(t, bin, "\n[defaults]\ntoken_command = \""+script+"\"\n")
			env := peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "XDG_CONFIG_HOME="+dir)
			const n = 6
			outs := make([]string, n)
			errs := make([]string, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					out, stderr, err := run(t, env, bin, "env", "--format", "json", "-p", pair)
					outs[i] = out
					if err != nil {
						errs[i] = err.Error() + ": " + stderr
					}
				}()
			}
			wg.Wait()
			var first map[string]any
			for i := range n {
				var got map[string]any
				if errs[i] != "" || json.Unmarshal([]byte(outs[i]), &got) != nil {
					t.Fatalf("process %d: %s %q", i, errs[i], outs[i])
				}
				if first == nil {
					first = got
				}
				if got["SessionToken"] != first["SessionToken"] || got["Version"] != 1.0 {
					t.Errorf("process %d printed another session", i)
				}
			}
			b, _ := os.ReadFile(counter)
			if asks := strings.Count(string(b), "asked"); asks != 1 {
				t.Errorf("token_command ran %d times for %d processes", asks, n)
			}
			want := 1
			if pair == "prod" {
				want = 2
			}
			if got := len(emu.Calls()); got != want {
				t.Errorf("%d STS calls, want %d", got, want)
			}
		})
	}
}

// TestCredentialProcessWithoutTerminal: no token_command and no
// controlling terminal (a new session): one line naming both fixes,
// stdin left alone, nothing written.
func TestCredentialProcessWithoutTerminal(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	emu := stsemu.Start(alice)
	defer emu.Close()
	dir := credProcSetup(t, bin, "")
	cmd := exec.Command(bin, "env", "--format", "json", "-p", "prod")
	cmd.Env = peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "XDG_CONFIG_HOME="+dir)
	cmd.Stdin = strings.NewReader("314159\n")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	want := "aws-mfa: [prod-session] needs a new session and there is no terminal to ask for the MFA code; set token_command in " +
		filepath.Join(dir, "aws-mfa", "config.toml") + ", or run `aws-mfa -p prod` in a terminal first\n"
	if exitCode(err) != 2 || stderr.String() != want || stdout.Len() != 0 {
		t.Fatalf("exit %d\nstderr %q\nwant   %q", exitCode(err), stderr.String(), want)
	}
	if emu.Requests() != 0 {
		t.Error("the code on stdin was used")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "credentials")); string(b) != aliceSource {
		t.Error("file changed")
	}
}

// TestAWSCLICredentialProcess drives the real AWS CLI v2 in a terminal
// (tmux): with the session expired it runs aws-mfa as credential_process,
// which asks for the code on the terminal though the CLI captures its
// stdout and stderr; the code is typed and the command succeeds. Then a
// chained role, expired, is renewed from the valid base with no question.
func TestAWSCLICredentialProcess(t *testing.T) {
	t.Parallel()
	aws := "/usr/bin/aws"
	if _, err := os.Stat(aws); err != nil {
		testproc.Missing(t, "/usr/bin/aws (Debian's awscli) is not installed")
	}
	requireTool(t, "tmux")
	bin := toolBinary(t)
	emu := stsemu.Start(alice)
	defer emu.Close()
	dir := credProcSetup(t, bin, "")
	expired := "[default]\naws_access_key_id = ASIAOLDSESSION000001\naws_secret_access_key = s\naws_session_token = t\nexpiration = " +
		time.Now().Add(-time.Hour).UTC().Format(time.RFC3339) + "\n"
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte(aliceSource+expired), 0o600)
	os.WriteFile(filepath.Join(dir, "rc"), []byte("eval \"$(aws-mfa hook bash)\"\nPS1='$ '\n"), 0o600)
	env := []string{
		"HOME=" + dir, unrecorded(dir), "TERM=xterm", "PATH=" + filepath.Dir(bin) + ":/usr/bin:/bin", "XDG_CONFIG_HOME=" + dir,
		"AWS_SHARED_CREDENTIALS_FILE=" + creds, "AWS_CONFIG_FILE=" + filepath.Join(dir, "config"),
		"AWS_ENDPOINT_URL_STS=" + emu.URL, "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "HISTFILE=/dev/null",
	}
	sh := startTmux(t, dir, env, "bash", "--noprofile", "--rcfile", filepath.Join(dir, "rc"), "-i")
	identity := func(profile, name string) string {
		return aws + " sts get-caller-identity --profile " + profile + " --endpoint-url " + emu.URL +
			" --region us-east-1 --query Arn --output text > " + filepath.Join(dir, "out-"+name) + " 2>&1; echo \"exit $?\" >> " + filepath.Join(dir, "out-"+name)
	}
	wait := func(name string) string {
		var out string
		if !waitFor(func() bool {
			b, err := os.ReadFile(filepath.Join(dir, "out-"+name))
			out = string(b)
			return err == nil && strings.Contains(out, "exit ")
		}) {
			t.Fatalf("%s never finished; the screen:\n%s", name, sh.screen())
		}
		return out
	}

	sh.send(identity("base", "expired"))
	sh.waitScreen("MFA code for arn:aws:iam::123456789012:mfa/alice:") // tmux trims the trailing space
	sh.send("314159")
	if out := wait("expired"); out != "arn:aws:iam::123456789012:user/alice\nexit 0\n" {
		t.Fatalf("aws after typing the code: %q\n%s", out, sh.screen())
	}
	f, err := credfile.Read(creds)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := f.Session("default")
	if !ok || s.AccessKeyID == "ASIAOLDSESSION000001" {
		t.Fatal("the new session was not written to [default]")
	}

	// Served from the file: no question, no STS call.
	before := emu.Requests()
	sh.send(identity("base", "cached"))
	if out := wait("cached"); !strings.HasSuffix(out, "exit 0\n") || emu.Requests() != before+1 {
		t.Errorf("cached: %q, %d requests (want only the CLI's own)", out, emu.Requests()-before)
	}

	// The chained role, never obtained: renewed from the valid base.
	sh.send(identity("prod", "chained"))
	if out := wait("chained"); !strings.HasSuffix(out, "exit 0\n") {
		t.Fatalf("chained: %q\n%s", out, sh.screen())
	}
	calls := emu.Calls()
	var assumed bool
	for _, c := range calls {
		if c.Action == "AssumeRole" && c.Key == s.AccessKeyID && c.Params.Get("TokenCode") == "" {
			assumed = true
		}
	}
	if !assumed {
		t.Errorf("no AssumeRole signed with the base session: %v", calls)
	}
	// In the hooked shell, env -p prod renews the role again from the
	// valid base and applies it, asking nothing.
	sh.send("aws-mfa env -p prod --force")
	if got := sh.result(`printf '%s\n' "${AWS_MFA_TARGET-unset}"`, "hooked"); got != "prod-session" {
		t.Errorf("hooked env -p prod applied %q\n%s", got, sh.screen())
	}
	if n := strings.Count(sh.screen(), "MFA code for"); n != 1 {
		t.Errorf("asked %d times in all, want 1:\n%s", n, sh.screen())
	}
}

// TestMotoChain runs a chained refresh against moto in plain mode, a
// second STS that nobody on this project wrote: one code, GetSessionToken
// then AssumeRole, both targets written; then the role alone from the
// valid base. (Plain moto checks no signature: the emulator tests prove
// the AssumeRole is signed with the base session.)
func TestMotoChain(t *testing.T) {
	moto.Prestart(false)
	t.Parallel()
	url := moto.URL(t, false)
	bin := toolBinary(t)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte(aliceSource), 0o600)
	cfg := filepath.Join(dir, "aws-mfa.toml")
	os.WriteFile(cfg, []byte("[pair.prod]\nsource_pair = \"default\"\ntarget = \"prod\"\nrole_arn = \"arn:aws:iam::123456789012:role/admin\"\n"), 0o600)
	env := peerEnv(dir, "AWS_ENDPOINT_URL_STS="+url, "AWS_MFA_CONFIG="+cfg)
	if _, stderr, err := run(t, env, bin, "-p", "prod", "123456"); err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	f, err := credfile.Read(creds)
	if err != nil {
		t.Fatal(err)
	}
	base, ok1 := f.Session("default")
	prod, ok2 := f.Session("prod")
	if !ok1 || !ok2 || base.SessionToken == prod.SessionToken {
		t.Fatalf("targets: default %v, prod %v", ok1, ok2)
	}
	if left := time.Until(prod.Expiration); left > time.Hour || left < 50*time.Minute {
		t.Errorf("role session lasts %s, want the chained hour", left)
	}
	// The role again, forced, from the valid base: no code (stdin is empty).
	cmd := exec.Command(bin, "-p", "prod", "--force")
	cmd.Env, cmd.Stdin = env, strings.NewReader("")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	f, _ = credfile.Read(creds)
	if again, _ := f.Session("prod"); again.SessionToken == prod.SessionToken {
		t.Error("prod not renewed")
	}
	if again, _ := f.Session("default"); again.SessionToken != base.SessionToken {
		t.Error("the base was renewed too")
	}
}

// TestReadmeManyAccounts: docs/configuration.md's Many accounts shows
// what setup writes (testdata/script/accounts.txtar runs its commands): a
// valid pair chained as the text says, and a credential_process line that
// names it and parses as the AWS CLI reads it.
func TestReadmeManyAccounts(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join(moduleRoot, "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	section := string(b)[strings.Index(string(b), "## Many accounts"):]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	block := func(lang string, nth int) string {
		parts := strings.Split(section, "```"+lang+"\n")
		if len(parts) <= nth {
			t.Fatalf("no %s block %d in Many accounts", lang, nth)
		}
		return parts[nth][:strings.Index(parts[nth], "```")]
	}
	cfg, err := config.Parse("config.toml", []byte(block("toml", 1)))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"prod": "default prod"} {
		p, err := cfg.Select(name)
		if err != nil {
			t.Fatal(err)
		}
		chain, _ := cfg.Chain(p)
		var got []string
		for _, l := range chain {
			got = append(got, l.Name)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: chain %v, want %s", name, got, want)
		}
	}
	awsConfig, err := credfile.Parse([]byte(block("ini", 1)))
	if err != nil {
		t.Fatal(err)
	}
	for _, profile := range []string{"prod"} {
		cp, _ := awsConfig.Value("profile "+profile, "credential_process")
		args := strings.Fields(cp)
		if len(args) != 6 || args[1] != "env" || args[2] != "--format" || args[3] != "json" || args[4] != "-p" {
			t.Fatalf("[profile %s] credential_process = %q", profile, cp)
		}
		p, err := cfg.Select(args[5])
		if err != nil || p.Target == profile {
			t.Errorf("[profile %s] runs pair %s (%v): it must exist and write another profile", profile, args[5], err)
		}
	}
}

// TestConcurrentPromptAsksOnce: three credential processes started at once
// in a terminal, the session expired and no token_command. One question
// shows on the terminal; after the code is typed, all three print the
// session it got.
func TestConcurrentPromptAsksOnce(t *testing.T) {
	t.Parallel()
	requireTool(t, "tmux")
	bin := toolBinary(t)
	emu := stsemu.Start(alice)
	defer emu.Close()
	dir := credProcSetup(t, bin, "")
	os.WriteFile(filepath.Join(dir, "rc"), []byte("PS1='$ '\n"), 0o600)
	env := []string{
		"HOME=" + dir, unrecorded(dir), "TERM=xterm", "PATH=/usr/bin:/bin", "XDG_CONFIG_HOME=" + dir, "HISTFILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"), "AWS_CONFIG_FILE=" + filepath.Join(dir, "config"),
		"AWS_ENDPOINT_URL_STS=" + emu.URL,
	}
	sh := startTmux(t, dir, env, "bash", "--noprofile", "--rcfile", filepath.Join(dir, "rc"), "-i")
	out := func(i int) string { return filepath.Join(dir, "out-"+string(rune('0'+i))) }
	// A non-interactive bash keeps them in the terminal's foreground
	// process group, as the AWS CLI's children are; an interactive
	// shell's background jobs would be stopped on reading the terminal.
	sh.send("bash -c 'for i in 1 2 3; do " + bin + " env --format json -p prod > " + dir + "/out-$i 2> " + dir + "/err-$i & done; wait'; echo done > " + dir + "/out-done")
	sh.waitScreen("MFA code for arn:aws:iam::123456789012:mfa/alice:")
	sh.send("314159")
	if !waitFor(func() bool {
		_, err := os.Stat(filepath.Join(dir, "out-done"))
		return err == nil
	}) {
		t.Fatalf("the processes never finished:\n%s", sh.screen())
	}
	var first string
	for i := 1; i <= 3; i++ {
		b, _ := os.ReadFile(out(i))
		var got struct{ SessionToken string }
		if json.Unmarshal(b, &got) != nil || got.SessionToken == "" {
			t.Fatalf("process %d printed %q", i, b)
		}
		if first == "" {
			first = got.SessionToken
		}
		if got.SessionToken != first {
			t.Errorf("process %d printed another session", i)
		}
	}
	if n := strings.Count(sh.screen(), "MFA code for"); n != 1 {
		t.Errorf("asked %d times:\n%s", n, sh.screen())
	}
	if got := len(emu.Calls()); got != 2 {
		t.Errorf("%d STS calls, want 2 (GetSessionToken, AssumeRole)", got)
	}
}
