//go:build unix

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
	"github.com/aws-mfa/aws-mfa/shells"
)

// hookedShell runs a script in a shell with the real hook loaded: the
// hook's text, then lines that call the wrapper, then one that shows the
// session the shell holds.
type hookedShell struct {
	bin  string
	args []string
	hook string // aws-mfa hook HOOK
	// call runs aws-mfa with words, ignoring its failure.
	call func(words string) string
	// token prints "token=VALUE", or "token=unset".
	token string
	// set sets a variable in the shell (and its environment).
	set func(name, value string) string
}

func posixHooked(bin, hook string, args ...string) hookedShell {
	return hookedShell{
		bin: bin, args: args, hook: hook,
		call:  func(w string) string { return "aws-mfa " + w + " || :\n" },
		token: `printf 'token=%s\n' "${AWS_SESSION_TOKEN-unset}"` + "\n",
		set:   func(n, v string) string { return "export " + n + "='" + v + "'\n" },
	}
}

func cshHooked(bin string) hookedShell {
	return hookedShell{
		bin: bin, args: []string{"-f"}, hook: bin,
		call: func(w string) string { return "aws-mfa " + w + "\n" },
		// csh substitutes a variable even where the if is false.
		token: "sh -c 'printf \"token=%s\\n\" \"${AWS_SESSION_TOKEN-unset}\"'\n",
		set:   func(n, v string) string { return "setenv " + n + " '" + v + "'\n" },
	}
}

// hookedShells is every shell with a hook that this machine can run.
var hookedShells = []hookedShell{
	posixHooked("bash", "bash", "--norc", "--noprofile"),
	posixHooked("zsh", "zsh", "-f"),
	posixHooked("dash", "sh"),
	posixHooked("ksh93", "sh"),
	posixHooked("mksh", "sh"),
	posixHooked("yash", "sh"),
	posixHooked("busybox", "sh", "sh"),
	{
		bin: "fish", args: []string{"--no-config"}, hook: "fish",
		call:  func(w string) string { return "aws-mfa " + w + "\n" },
		token: "if set -q AWS_SESSION_TOKEN; echo token=$AWS_SESSION_TOKEN; else; echo token=unset; end\n",
		set:   func(n, v string) string { return "set -gx " + n + " '" + v + "'\n" },
	},
	cshHooked("tcsh"),
	cshHooked("csh"),
	{
		// The script follows the hook in one file: elvish keeps what eval
		// defines inside that eval. A failure raises an exception.
		bin: "elvish", args: []string{"-norc"}, hook: "elvish",
		call:  func(w string) string { return "try { aws-mfa " + w + " } catch { }\n" },
		token: "if (has-env AWS_SESSION_TOKEN) { echo token=$E:AWS_SESSION_TOKEN } else { echo token=unset }\n",
		set:   func(n, v string) string { return "set E:" + n + " = '" + v + "'\n" },
	},
	{
		bin: "xonsh", args: []string{"--no-rc"}, hook: "xonsh",
		call:  func(w string) string { return "aws-mfa " + w + "\n" },
		token: "print('token=' + ${...}.get('AWS_SESSION_TOKEN', 'unset'))\n",
		set:   func(n, v string) string { return "$" + n + " = '" + v + "'\n" },
	},
	{
		bin: "nu", args: []string{"-n"}, hook: "nu",
		call:  func(w string) string { return "try { aws-mfa " + w + " } catch { }\n" },
		token: "print $\"token=($env.AWS_SESSION_TOKEN? | default unset)\"\n",
		set:   func(n, v string) string { return "$env." + n + " = '" + v + "'\n" },
	},
}

// hookTexts holds what aws-mfa hook NAME printed, by NAME: the text
// depends on nothing but the binary, which the tests share, so each is
// asked for once per run.
var hookTexts sync.Map

// runHooked writes the hook and body into one script and runs it; it
// returns stdout and stderr.
func runHooked(t *testing.T, sh hookedShell, env []string, body string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	hook, ok := hookTexts.Load(sh.hook)
	if !ok {
		out, stderr, err := run(t, env, toolBinary(t), "hook", sh.hook)
		if err != nil {
			t.Fatalf("hook %s: %v %s", sh.hook, err, stderr)
		}
		hook, _ = hookTexts.LoadOrStore(sh.hook, out)
	}
	script := filepath.Join(dir, "script")
	if err := os.WriteFile(script, []byte(hook.(string)+"\n"+body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := run(t, env, sh.bin, append(sh.args, script)...)
	if err != nil {
		t.Fatalf("%s: %v\nstdout %s\nstderr %s", sh.bin, err, out, stderr)
	}
	return out, stderr
}

// hookedEnv is a sandbox for the hooked shells: the emulator, the
// credentials (long-term keys only), a config, and nothing else.
func hookedEnv(t *testing.T, emu *stsemu.Server, dir, config string) []string {
	t.Helper()
	bin := toolBinary(t)
	os.WriteFile(filepath.Join(dir, "credentials"), []byte(aliceSource), 0o600)
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(config), 0o600)
	return peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"),
		"AWS_MFA_CONFIG="+cfg, "XONSH_HISTORY_BACKEND=dummy", "LANG=C.UTF-8", "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir)
}

// TestHookHelpIsNeverCode: the wrappers evaluate what an env line prints,
// and env's help holds eval "$(aws-mfa env)". Help, usage, the version
// and urfave/cli's completion flag, wherever they stand on an env line,
// must not reach the shell as code: nothing asks for a code
// (token_command leaves a mark), nothing goes to STS, nothing is written,
// nothing is applied. The last line, a real env, shows that the harness
// would see it.
func TestHookHelpIsNeverCode(t *testing.T) {
	t.Parallel()
	lines := []string{
		"env --help", "env -h", "env help", "env --version", "--version env", "env --help 314159",
		"-v env --help", "-p default env -h", "--pair=default env --help", "env -h --no-write",
		"env --generate-bash-completion", "--generate-bash-completion env", "env --shell", "env --format",
		"help env", "env --unknown", "env 12", "-h env",
	}
	for _, sh := range hookedShells {
		t.Run(sh.bin, func(t *testing.T) {
			t.Parallel() // each has its own emulator and directory
			requireTool(t, sh.bin)
			emu := stsemu.Start(alice)
			defer emu.Close()
			dir := t.TempDir()
			mark := filepath.Join(dir, "asked")
			env := hookedEnv(t, emu, dir, fmt.Sprintf("[defaults]\ntoken_command = [\"sh\", \"-c\", \"touch '%s'; echo 314159\"]\n", mark))
			creds := filepath.Join(dir, "credentials")
			var body strings.Builder
			for _, l := range lines {
				body.WriteString(sh.call(l))
			}
			body.WriteString(sh.token)
			body.WriteString(sh.call("env --no-write 314159"))
			body.WriteString(sh.token)
			out, stderr := runHooked(t, sh, env, body.String())
			got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(got) < 2 || got[len(got)-2] != "token=unset" {
				t.Errorf("a help or usage line applied a session:\nstdout %s\nstderr %s", out, stderr)
			}
			if len(got) < 1 || !strings.HasPrefix(got[len(got)-1], "token=FwoG") {
				t.Errorf("the real env line applied nothing:\nstdout %s\nstderr %s", out, stderr)
			}
			if _, err := os.Stat(mark); err == nil {
				t.Errorf("a help or usage line ran token_command")
			}
			if n := emu.Requests(); n != 1 {
				t.Errorf("%d requests to STS, want 1 (the real env line)", n)
			}
			if b, _ := os.ReadFile(creds); string(b) != aliceSource {
				t.Errorf("the credentials file changed:\n%s", b)
			}
		})
	}
}

// TestHookOptionsAnywhere: options may stand before env, between, or
// after it, in any spelling; through the hook each such line is still
// env. Its session is applied, and no secret reaches the terminal.
func TestHookOptionsAnywhere(t *testing.T) {
	t.Parallel()
	lines := []string{
		"--endpoint-url {EMU} env --no-write 314159", "env --endpoint-url {EMU} --no-write 314159",
		"--endpoint-url={EMU} env --no-write 314159", "--pair default env --no-write 314159",
		"-p default env --no-write 314159", "-v env --no-write 314159", "--pair=default -v env --no-write -t 314159",
		"-t 314159 env --no-write", "--timeout 5s --config {CFG} env --no-write 314159", "-v --target default env --no-write 314159",
	}
	for _, sh := range hookedShells {
		t.Run(sh.bin, func(t *testing.T) {
			t.Parallel() // each has its own emulator and directory
			requireTool(t, sh.bin)
			emu := stsemu.Start(alice)
			defer emu.Close()
			dir := t.TempDir()
			env := hookedEnv(t, emu, dir, "")
			// Between lines, the shell itself runs the code that
			// env --unset prints, so that each line starts from a shell
			// without a session; the wrapper's env --unset runs once, last,
			// and must leave none (nushell: set empty).
			d, _ := shells.Lookup(sh.hook)
			reset, err := d.Export(exporter.UnsetVars())
			if err != nil {
				t.Fatal(err)
			}
			if sh.hook == "nu" {
				reset = "load-env " + reset
			}
			var body strings.Builder
			for _, l := range lines {
				l = strings.NewReplacer("{EMU}", emu.URL, "{CFG}", filepath.Join(dir, "config.toml")).Replace(l)
				body.WriteString(sh.call(l))
				body.WriteString(sh.token)
				body.WriteString(reset)
			}
			body.WriteString(sh.call("env --unset") + sh.token)
			out, stderr := runHooked(t, sh, env, body.String())
			got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(got) != len(lines)+1 {
				t.Fatalf("stdout %s\nstderr %s", out, stderr)
			}
			if unset := got[len(lines)]; unset != "token=unset" && (sh.hook != "nu" || unset != "token=") {
				t.Errorf("aws-mfa env --unset left %q", unset)
			}
			for i, g := range got[:len(lines)] {
				if !strings.HasPrefix(g, "token=FwoG") {
					t.Errorf("aws-mfa %s applied nothing: %q", lines[i], g)
				}
			}
			for _, secret := range []string{"FwoG", "aws_secret", "AWS_SECRET_ACCESS_KEY", "export ", "setenv", "set -gx"} {
				if strings.Contains(stderr, secret) {
					t.Errorf("%q reached the terminal:\n%s", secret, stderr)
				}
			}
		})
	}
}

// TestHookReexportsByTarget: AWS_MFA_TARGET names a profile; the pair
// named like it may aim elsewhere. Pair x targets profile prod, and pair
// prod targets prod-session. After `aws-mfa env -p x`, a refresh of pair
// prod must leave the shell on profile prod's session (re-applied from
// the file), never switch it to prod-session's.
func TestHookReexportsByTarget(t *testing.T) {
	t.Parallel()
	cfg := "[pair.prod]\nsource = \"aws-mfa\"\ntarget = \"prod-session\"\n[pair.x]\nsource = \"aws-mfa\"\ntarget = \"prod\"\n"
	for _, sh := range hookedShells {
		if sh.hook == "tcsh" || sh.hook == "csh" {
			continue // the alias cannot run a second command after a refresh
		}
		t.Run(sh.bin, func(t *testing.T) {
			t.Parallel() // each has its own emulator and directory
			requireTool(t, sh.bin)
			emu := stsemu.Start(alice)
			defer emu.Close()
			dir := t.TempDir()
			env := hookedEnv(t, emu, dir, cfg)
			body := sh.call("env -p x 314159") + sh.token + sh.call("-p prod 314159") + sh.token
			out, stderr := runHooked(t, sh, env, body)
			f, err := credfile.Read(filepath.Join(dir, "credentials"))
			if err != nil {
				t.Fatal(err)
			}
			prod, other := f.Section("prod").Get("aws_session_token"), f.Section("prod-session").Get("aws_session_token")
			if prod == "" || other == "" || prod == other {
				t.Fatalf("sessions: prod %q prod-session %q\nstderr %s", prod, other, stderr)
			}
			if want := "token=" + prod + "\ntoken=" + prod + "\n"; out != want {
				t.Errorf("got\n%s\nwant\n%s\nstderr %s", out, want, stderr)
			}
		})
	}
}

// TestCompletionRunsNothingInteractive presses Tab in interactive bash,
// zsh and fish (hook loaded, real binary) on lines that would run a
// command, spend a code or write the file if completion executed them:
// nothing runs, STS gets no request, the file stays as it was.
func TestCompletionRunsNothingInteractive(t *testing.T) {
	t.Parallel()
	requireTool(t, "tmux")
	bin := toolBinary(t)
	// Each shell has its own tmux server, emulator and directory.
	atOnce(t, []string{"bash", "zsh", "fish"}, func(t *testing.T, name string) {
		requireTool(t, name)
		emu := stsemu.Start(alice)
		defer emu.Close()
		dir := t.TempDir()
		mark := filepath.Join(dir, "ran")
		creds := filepath.Join(dir, "credentials")
		os.WriteFile(creds, []byte(aliceSource), 0o600)
		cfg := filepath.Join(dir, "config.toml")
		os.WriteFile(cfg, []byte("[defaults]\ntoken_command = [\"touch\", \""+mark+"\"]\n[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n"), 0o600)
		env := []string{"HOME=" + dir, unrecorded(dir), "TERM=xterm", "PATH=" + filepath.Dir(bin) + ":/usr/bin:/bin", "AWS_MFA_CONFIG=" + cfg,
			"AWS_SHARED_CREDENTIALS_FILE=" + creds, "AWS_ENDPOINT_URL_STS=" + emu.URL, "XDG_CONFIG_HOME=" + dir, "XDG_DATA_HOME=" + dir}
		sh := interactiveHooked(t, name, dir, env, "")
		lines := []string{
			"aws-mfa exec 314159 -- touch " + mark + " ", "aws-mfa exec -t 314159 -- touch " + mark + " x",
			"aws-mfa exec -- touch " + mark + " ", "aws-mfa 314159 ", "aws-mfa --force 314159 -", "aws-mfa env 314159 ",
			"aws-mfa -p work env -t 314159 --", "aws-mfa env --generate-bash-completion ", "aws-mfa exec 314159 -- sh -c 'touch " + mark + "' ",
			"aws-mfa setup --yes ", "aws-mfa env ", "aws-mfa ",
		}
		for i, l := range lines {
			if got := sh.result("echo done", fmt.Sprintf("line%d", i), text(l), press("Tab", "Tab", "C-e", "C-u")); got != "done" {
				t.Errorf("after %q the line held %q", l, got)
			}
		}
		if _, err := os.Stat(mark); err == nil {
			t.Error("a Tab ran a command or token_command")
		}
		if n := emu.Requests(); n != 0 {
			t.Errorf("a Tab sent %d requests to STS", n)
		}
		if b, _ := os.ReadFile(creds); string(b) != aliceSource {
			t.Errorf("a Tab changed the credentials file:\n%s", b)
		}
	})
}

// TestCshFailurePrintsNothing: csh's backquotes hide the exit status, so
// the tcsh/csh alias evaluates whatever __env printed. Every failing run
// must print nothing on stdout: STS faults, bad input, bad files, no
// cached session, a value csh cannot hold, help and usage.
func TestCshFailurePrintsNothing(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	emu := stsemu.Start(alice)
	defer emu.Close()
	dir := t.TempDir()
	env := hookedEnv(t, emu, dir, "")
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[pair.x\n"), 0o600)
	failing := filepath.Join(dir, "failing.toml")
	os.WriteFile(failing, []byte("[defaults]\ntoken_command = [\"false\"]\n"), 0o600)
	long := filepath.Join(dir, "long.toml")
	os.WriteFile(long, []byte("[pair.x]\nsource = \"aws-mfa\"\ntarget = \""+strings.Repeat("p", 5000)+"\"\n"), 0o600)
	cases := []struct {
		fault stsemu.Fault
		args  []string
		only  string // the one dialect it fails in
	}{
		{stsemu.WrongCode, []string{"env", "--no-write", "314159"}, ""},
		{stsemu.ExpiredToken, []string{"env", "--no-write", "314159"}, ""},
		{stsemu.Throttling, []string{"env", "--no-write", "314159"}, ""},
		{stsemu.ServerError, []string{"env", "--no-write", "314159"}, ""},
		{stsemu.Garbage, []string{"env", "--no-write", "314159"}, ""},
		{stsemu.Reset, []string{"env", "--no-write", "314159"}, ""},
		{stsemu.Close, []string{"env", "--no-write", "314159"}, ""},
		{stsemu.Denied, []string{"env", "--no-write", "314159"}, ""},
		{stsemu.ClockSkew, []string{"env", "--no-write", "314159"}, ""},
		{stsemu.SessionCreds, []string{"env", "--no-write", "314159"}, ""},
		{stsemu.Hang, []string{"env", "--no-write", "--timeout", "300ms", "314159"}, ""}, // fails whatever the bound
		{"", []string{"env", "12345"}, ""},
		{"", []string{"env", "--cached"}, ""},
		{"", []string{"env", "--source", "nosuch", "314159"}, ""},
		{"", []string{"env", "--config", bad, "314159"}, ""},
		{"", []string{"env", "--config", filepath.Join(dir, "missing.toml"), "314159"}, ""},
		{"", []string{"env", "--config", failing}, ""},
		{"", []string{"--config", long, "-p", "x", "env", "--no-write", "314159"}, "csh"}, // bsd-csh's eval cannot take a 5 KB word
		{"", []string{"env", "--endpoint-url", "http://127.0.0.1:1", "314159"}, ""},
		{"", []string{"env", "--duration", "1s", "314159"}, ""},
		{"", []string{"env", "--format", "nope"}, ""},
		{"", []string{"env", "--help"}, ""},
		{"", []string{"env", "--bogus"}, ""},
		{"", []string{"-p", "nosuch", "env", "314159"}, ""},
	}
	dialects := []string{"tcsh", "csh"}
	if testing.Short() {
		dialects = dialects[:1] // the same code path; csh differs in one case
	}
	for _, dialect := range dialects {
		for _, c := range cases {
			if c.only != "" && c.only != dialect {
				continue
			}
			emu.SetFault(c.fault)
			out, stderr, err := run(t, env, bin, append([]string{"__env", dialect}, c.args...)...)
			if out != "" {
				t.Errorf("%s %s %q: stdout %q (%v)\nstderr %s", dialect, c.fault, c.args, out, err, stderr)
			}
			if err == nil && !strings.Contains(c.args[len(c.args)-1], "help") {
				t.Errorf("%s %s %q: exit 0", dialect, c.fault, c.args)
			}
		}
	}
	emu.SetFault(stsemu.None)
	if out, stderr, err := run(t, env, bin, "__env", "tcsh", "env", "--no-write", "314159"); err != nil || !strings.Contains(out, "setenv AWS_SESSION_TOKEN") {
		t.Errorf("the working case printed %q (%v) %s", out, err, stderr)
	}
}

// TestHookPassesOtherOutputOn: under every hook, env output that is not
// code for the hook's shell (--format json, --format dotenv, another
// dialect) reaches stdout exactly as the binary prints it, and nothing is
// applied; a plain env applies the session and says so in one stderr
// line, with the profile and until when.
func TestHookPassesOtherOutputOn(t *testing.T) {
	t.Parallel()
	// Every shell's sandbox holds the same cached session, so what the
	// binary prints for each line, run directly, is known once.
	exp := time.Now().Add(6 * time.Hour).UTC().Truncate(time.Second)
	creds := aliceSource + "[default]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = cached!secret$(x)`y`\naws_session_token = cached-token\nexpiration = " + exp.Format(time.RFC3339) + "\n"
	direct := map[string]string{}
	printed := func(dir, line string) string {
		if out, ok := direct[line]; ok {
			return out
		}
		emu := stsemu.Start(alice)
		defer emu.Close()
		env := hookedEnv(t, emu, dir, "")
		os.WriteFile(filepath.Join(dir, "credentials"), []byte(creds), 0o600)
		out, stderr, err := run(t, env, toolBinary(t), strings.Fields(line)...)
		if err != nil || out == "" {
			t.Fatalf("%s: %v %s", line, err, stderr)
		}
		direct[line] = out
		return out
	}
	dir := t.TempDir()
	for _, sh := range hookedShells {
		other := "fish"
		if sh.hook == "fish" {
			other = "bash"
		}
		lines := []string{"env --format json", "env --format=dotenv", "-p default env --format json --no-write", "env --shell " + other}
		var want []string
		for _, l := range lines {
			want = append(want, printed(dir, l))
		}
		t.Run(sh.bin, func(t *testing.T) {
			t.Parallel() // each has its own emulator and directory
			requireTool(t, sh.bin)
			emu := stsemu.Start(alice)
			defer emu.Close()
			dir := t.TempDir()
			env := hookedEnv(t, emu, dir, "")
			os.WriteFile(filepath.Join(dir, "credentials"), []byte(creds), 0o600)
			var body strings.Builder
			for _, l := range lines {
				if sh.bin == "nu" {
					l += " | print -n" // the value a nu function returns, printed
				}
				body.WriteString(sh.call(l))
			}
			body.WriteString(sh.token + sh.call("env") + sh.token)
			want := strings.Join(want, "") + "token=unset\ntoken=cached-token\n"
			left := shells.Left(time.Until(exp))
			out, stderr := runHooked(t, sh, env, body.String())
			if out != want {
				t.Errorf("stdout\n%s\nwant\n%s\nstderr %s", out, want, stderr)
			}
			// The time left as the shell ran: a minute may have turned.
			applied := "aws-mfa: applied [default] to this shell, valid until " + exp.Format("Mon 2 Jan 15:04 MST") + " (in %s)\n"
			if stderr != fmt.Sprintf(applied, left) && stderr != fmt.Sprintf(applied, shells.Left(time.Until(exp))) {
				t.Errorf("stderr %q, want %q", stderr, fmt.Sprintf(applied, left))
			}
		})
	}
}
