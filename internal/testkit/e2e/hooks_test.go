//go:build unix

package e2e

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
	"github.com/aws-mfa/aws-mfa/shells"
)

// sessionPrompt matches AWS_MFA_PROMPT just after a 12-hour session.
var sessionPrompt = regexp.MustCompile(`^default (11h5\dm|12h00m)`)

// hang bounds each wait on a shell's screen or output: a bound on a hung
// shell, not a timing, generous because the tests run in parallel on a
// loaded 2-core machine.
const hang = 60 * time.Second

// tmuxShell is an interactive shell in a tmux pane, driven by send-keys
// through one tmux client in control mode.
type tmuxShell struct {
	t      *testing.T
	socket string
	dir    string
	ctl    *tmuxControl
}

func startTmux(t *testing.T, dir string, env []string, argv ...string) *tmuxShell {
	t.Helper()
	tmux := requireTool(t, "tmux")
	ts := &tmuxShell{t: t, socket: fmt.Sprintf("aws-mfa-test-%d-%d", os.Getpid(), time.Now().UnixNano()), dir: dir}
	args := append([]string{"-L", ts.socket, "-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "50", "env", "-i"}, env...)
	if out, err := exec.Command(tmux, append(args, argv...)...).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	ctl, err := startControl(tmux, ts.socket)
	if err != nil {
		exec.Command(tmux, "-L", ts.socket, "kill-server").Run()
		t.Fatalf("tmux control client: %v", err)
	}
	ts.ctl = ctl
	out, err := ctl.do("display-message", "-p", "#{pane_pid}")
	pid, perr := strconv.Atoi(strings.TrimSpace(out))
	if err != nil || perr != nil {
		ctl.close()
		t.Fatalf("tmux pane pid %q: %v %v", out, err, perr)
	}
	// kill-server only sends SIGHUP, and a shell then still writes its
	// history (bash: $HOME/.bash_history) into the test's directory: wait
	// until the shell has exited, or TempDir's cleanup races with it.
	t.Cleanup(func() {
		ctl.close()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if exited(pid) {
				return
			}
		}
		t.Errorf("the shell in tmux (pid %d) did not exit", pid)
	})
	return ts
}

// tmuxControl is a tmux client in control mode (tmux -C): each command
// the test sends goes to the server through it, so that typing keys or
// looking at the screen starts no process. It does not size the window.
type tmuxControl struct {
	mu      sync.Mutex
	cmd     *exec.Cmd
	in      io.WriteCloser
	pipe    *os.File // out's, for its read deadline
	out     *bufio.Reader
	partial string // a line cut by a deadline, read so far
}

func startControl(tmux, socket string) (*tmuxControl, error) {
	// no-output from the attach on: the client gets command replies only,
	// never the shell's bytes. tmux 3.3a queues a reply behind output still
	// pending for a pane, and once no-output is set that output is never
	// written, nor the replies behind it: set later (refresh-client -f),
	// it lost the reply to a command now and then.
	cmd := exec.Command(tmux, "-L", socket, "-C", "attach-session", "-f", "ignore-size,no-output")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &tmuxControl{cmd: cmd, in: in, pipe: out.(*os.File), out: bufio.NewReader(out)}
	// The attach answers first, in a block of its own (flags 0); commands
	// sent before it would find no client.
	for {
		line, err := c.line(time.Now().Add(hang))
		if err != nil {
			c.close()
			return nil, fmt.Errorf("attach: %v", err)
		}
		if f := strings.Fields(line); len(f) == 4 && f[0] == "%end" && f[3] == "0" {
			break
		}
	}
	return c, nil
}

// do runs one tmux command and returns what it printed. A tmux that stops
// answering fails the test within hang, rather than holding the whole run
// until go test's timeout.
func (c *tmuxControl) do(args ...string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.send(args...); err != nil {
		return "", err
	}
	out, err := c.reply(time.Now().Add(hang))
	if err != nil {
		return "", fmt.Errorf("tmux %s: %v", args[0], err)
	}
	return out, nil
}

// send writes one tmux command.
func (c *tmuxControl) send(args ...string) error {
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = tmuxQuote(a)
	}
	_, err := io.WriteString(c.in, strings.Join(words, " ")+"\n")
	return err
}

// reply reads the next reply: the block "%begin TIME N 1" … "%end TIME N
// 1" (or %error); notifications come only between blocks.
func (c *tmuxControl) reply(deadline time.Time) (string, error) {
	var block string // "TIME N 1" once the reply began
	var body strings.Builder
	for {
		line, err := c.line(deadline)
		if err != nil {
			return "", err
		}
		switch f := strings.Fields(line); {
		case block == "":
			if len(f) == 4 && f[0] == "%begin" && f[3] == "1" {
				block = strings.Join(f[1:], " ")
			}
		case line == "%end "+block:
			return body.String(), nil
		case line == "%error "+block:
			return "", errors.New(strings.TrimSpace(body.String()))
		default:
			body.WriteString(line + "\n")
		}
	}
}

// line reads one line of the client's output, without its newline, by
// deadline; a line a deadline cuts is kept for the next read.
func (c *tmuxControl) line(deadline time.Time) (string, error) {
	c.pipe.SetReadDeadline(deadline)
	line, err := c.out.ReadString('\n')
	c.partial += line
	if err != nil {
		return "", err
	}
	line, c.partial = c.partial, ""
	return strings.TrimSuffix(line, "\n"), nil
}

// close stops the tmux server and waits for the control client to exit.
func (c *tmuxControl) close() {
	c.mu.Lock()
	io.WriteString(c.in, "kill-server\n")
	c.in.Close()
	c.mu.Unlock()
	stop := time.AfterFunc(hang, func() { c.cmd.Process.Kill() })
	defer stop.Stop()
	c.cmd.Wait()
}

// tmuxQuote writes s as one word of a tmux command: in double quotes,
// where tmux takes \\, \", \$ and octal escapes, and expands nothing else.
func tmuxQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\' || r == '"' || r == '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\%03o", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// exited reports whether process pid has exited. The shell's parent, the
// tmux server, is gone too, so the shell is a zombie of init until init
// reaps it, which can take seconds; a zombie has closed all its files.
func exited(pid int) bool {
	if syscall.Kill(pid, 0) == syscall.ESRCH {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false // no /proc (macOS): wait for ESRCH
	}
	// The state follows the command name, which is in parentheses and
	// may hold any byte: "pid (comm) S ...".
	i := bytes.LastIndexByte(stat, ')')
	return i >= 0 && i+2 < len(stat) && stat[i+2] == 'Z'
}

// text is keys that type s as it is.
func text(s string) []string { return []string{"-l", s} }

// press is keys as tmux names them (Tab, C-a, Enter).
func press(k ...string) []string { return k }

// keys sends keys to the shell, in order: a shell reads them in order
// whether they come at once or one by one.
func (ts *tmuxShell) keys(groups ...[]string) {
	ts.t.Helper()
	for _, k := range groups {
		if _, err := ts.ctl.do(append([]string{"send-keys"}, k...)...); err != nil {
			ts.t.Fatalf("send-keys: %v", err)
		}
	}
}

// send types line and Enter.
func (ts *tmuxShell) send(line string) {
	ts.t.Helper()
	ts.keys(text(line), press("Enter"))
}

func (ts *tmuxShell) screen() string {
	out, _ := ts.ctl.do("capture-pane", "-p", "-S", "-200")
	return out
}

// result has the shell write a value to a file and waits for it: after
// keys (sent first, with the same tmux client), the shell runs command,
// its output going to the file.
func (ts *tmuxShell) result(command, name string, keys ...[]string) string {
	ts.t.Helper()
	path := filepath.Join(ts.dir, "out-"+name)
	// bash writes its stdout a line at a time, so the file could be read
	// half written: it gets its name, by a rename, once it is whole.
	ts.keys(append(keys, text(command+" > "+path+".part; mv "+path+".part "+path), press("Enter"))...)
	var value string
	if waitFor(func() bool {
		b, err := os.ReadFile(path)
		value = string(b)
		return err == nil && strings.HasSuffix(value, "\n")
	}) {
		return strings.TrimSuffix(value, "\n")
	}
	ts.t.Fatalf("no %s; the screen:\n%s", name, ts.screen())
	return ""
}

// waitFor reports whether ok came true within hang. It looks again soon
// at first, since a shell mostly answers within milliseconds, then less
// often: each look at a screen has the tmux server render it.
func waitFor(ok func() bool) bool {
	pause := 5 * time.Millisecond
	for deadline := time.Now().Add(hang); ; time.Sleep(pause) {
		if ok() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		pause = min(2*pause, 50*time.Millisecond)
	}
}

// waitScreen waits until the screen shows each of wants.
func (ts *tmuxShell) waitScreen(wants ...string) {
	ts.t.Helper()
	ts.waitUntil(fmt.Sprintf("showed all of %q", wants), func(screen string) bool {
		for _, w := range wants {
			if !strings.Contains(screen, w) {
				return false
			}
		}
		return true
	})
}

// waitLastLine waits until the last non-empty line of the screen passes ok.
func (ts *tmuxShell) waitLastLine(ok func(string) bool) {
	ts.t.Helper()
	ts.waitUntil("had a last line that matched", func(screen string) bool {
		lines := strings.Split(strings.TrimRight(screen, "\n "), "\n")
		return ok(lines[len(lines)-1])
	})
}

// waitUntil waits until the screen passes ok; what says what it never did.
func (ts *tmuxShell) waitUntil(what string, ok func(screen string) bool) {
	ts.t.Helper()
	if !waitFor(func() bool { return ok(ts.screen()) }) {
		ts.t.Fatalf("the screen never %s:\n%s", what, ts.screen())
	}
}

// interactiveHooked starts an interactive bash, zsh or fish in tmux with
// the hook loaded from its rc file, a plain prompt and completion set up;
// bashRC is added to bash's rc file.
func interactiveHooked(t *testing.T, name, dir string, env []string, bashRC string) *tmuxShell {
	t.Helper()
	var argv []string
	switch name {
	case "bash", "bash3.2":
		os.WriteFile(filepath.Join(dir, "rc"), []byte("eval \"$(aws-mfa hook bash)\"\nPS1='$ '\n"+bashRC), 0o600)
		argv = []string{shellPath(name), "--noprofile", "--rcfile", filepath.Join(dir, "rc"), "-i"}
	case "zsh":
		writeZshrc(t, dir, "eval \"$(aws-mfa hook zsh)\"\nPROMPT='%% '\n")
		env = append(env, "ZDOTDIR="+dir)
		argv = []string{"zsh", "-i"}
	case "fish":
		argv = []string{"fish", "--no-config", "-i", "-C", "aws-mfa hook fish | source; function fish_prompt; echo '> '; end"}
	default:
		t.Fatalf("no interactive set-up for %s", name)
	}
	return startTmux(t, dir, env, argv...)
}

var (
	zcompdumpOnce sync.Once
	zcompdumpData []byte
)

// writeZshrc writes dir/.zshrc for an interactive zsh with completion:
// compinit, then body. Each shell starts with a copy of one dump
// (keptZcompdump), which compinit checks and uses.
func writeZshrc(t *testing.T, dir, body string) {
	t.Helper()
	zcompdumpOnce.Do(func() { zcompdumpData = keptZcompdump("", "") })
	if zcompdumpData != nil { // else compinit makes its own
		os.WriteFile(filepath.Join(dir, ".zcompdump"), zcompdumpData, 0o600)
	}
	if err := os.WriteFile(filepath.Join(dir, ".zshrc"), []byte("autoload -U compinit; compinit -u\n"+body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// keptZcompdump is compinit's dump for zsh's own fpath, with a directory
// holding only the completion file name (none if "") of the given
// content in front. compinit spends 0.4 s of CPU reading every
// completion function on the machine when it finds no dump, so the dump
// is kept between runs in the checkout's kept directory and made again
// when what compinit read changes: the zsh, a directory of its fpath (a
// file added or removed there changes the directory's time), or the
// file. compinit checks a dump itself, by its count of files, before it
// uses it. nil if zsh cannot make one.
func keptZcompdump(name, content string) []byte {
	tmp, err := os.MkdirTemp("", "aws-mfa-zcompdump")
	if err != nil {
		return nil
	}
	defer os.RemoveAll(tmp)
	fpath := ""
	if name != "" {
		fpath = "fpath=(" + tmp + "/fpath $fpath); "
		os.Mkdir(filepath.Join(tmp, "fpath"), 0o700)
		if os.WriteFile(filepath.Join(tmp, "fpath", name), []byte(content), 0o600) != nil {
			return nil
		}
	}
	zsh := func(script string) ([]byte, error) {
		cmd := exec.Command("zsh", "-f", "-c", script)
		cmd.Env = []string{"HOME=" + tmp, "PATH=/usr/bin:/bin"}
		return cmd.Output()
	}
	dirs, err := zsh(`print -rl -- $fpath`)
	if err != nil {
		return nil
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", name, content)
	for _, p := range append([]string{"/usr/bin/zsh", "/bin/zsh"}, strings.Split(string(dirs), "\n")...) {
		if fi, err := os.Stat(p); err == nil {
			fmt.Fprintf(h, "%s %d %d\x00", p, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	root, err := filepath.Abs(moduleRoot)
	if err != nil {
		return nil
	}
	kept := filepath.Join(keptDir(root), "zsh")
	dump := filepath.Join(kept, fmt.Sprintf("zcompdump-%x", h.Sum(nil)[:8]))
	if os.MkdirAll(kept, 0o700) != nil || privateDir(keptDir(root)) != nil || privateDir(kept) != nil {
		return nil
	}
	if b, err := os.ReadFile(dump); err == nil {
		return b
	}
	made := filepath.Join(tmp, "dump")
	if _, err := zsh(fpath + "autoload -U compinit; compinit -u -d " + made); err != nil {
		return nil
	}
	b, err := os.ReadFile(made)
	if err != nil {
		return nil
	}
	os.Rename(made, dump) // into place at once: another run may read it
	return b
}

// dialect says how each shell does the few things the test needs.
type dialect struct {
	argv      func(dir string) []string
	printVar  func(name string) string // prints $name, or "unset"
	setExpiry func(delta string) string
}

var interactiveShells = map[string]dialect{
	"bash":    interactiveBash("bash", "EPOCHSECONDS"),
	"bash3.2": interactiveBash(bash32, "$(date +%s)"), // no EPOCHSECONDS before bash 5
	"zsh": {
		argv: func(dir string) []string {
			os.WriteFile(filepath.Join(dir, ".zshrc"), []byte("setopt nounset\neval \"$(aws-mfa hook zsh)\"\neval \"$(aws-mfa hook zsh)\"\nPROMPT='%% '\n"), 0o600)
			return []string{"ZDOTDIR=" + dir, "zsh", "-i"}
		},
		printVar:  func(n string) string { return `printf '%s\n' "${` + n + `-unset}"` },
		setExpiry: func(d string) string { return "AWS_MFA_EXPIRY=$((EPOCHSECONDS" + d + "))" },
	},
	"fish": {
		argv: func(dir string) []string {
			return []string{"fish", "--no-config", "-i", "-C", "aws-mfa hook fish | source; aws-mfa hook fish | source; function fish_prompt; echo '> '; end"}
		},
		printVar: func(n string) string {
			return "if set -q " + n + "; printf '%s\\n' $" + n + "; else; echo unset; end"
		},
		setExpiry: func(d string) string { return "set -gx AWS_MFA_EXPIRY (math (date +%s) " + d + ")" },
	},
}

// interactiveBash is bash at path, whose clock is now.
func interactiveBash(path, now string) dialect {
	return dialect{
		argv: func(dir string) []string {
			os.WriteFile(filepath.Join(dir, "rc"), []byte("set -u -o pipefail\neval \"$(aws-mfa hook bash)\"\neval \"$(aws-mfa hook bash)\"\nPS1='$ '\n"), 0o600)
			return []string{path, "--noprofile", "--rcfile", filepath.Join(dir, "rc"), "-i"}
		},
		printVar:  func(n string) string { return `printf '%s\n' "${` + n + `-unset}"` },
		setExpiry: func(d string) string { return "AWS_MFA_EXPIRY=$((" + now + d + "))" },
	}
}

// TestHookInteractive loads the hook twice in real interactive bash, zsh
// and fish, in their strict modes, and drives them through tmux against
// the STS emulator.
func TestHookInteractive(t *testing.T) {
	t.Parallel()
	requireTool(t, "tmux")
	bin := toolBinary(t)
	// Each shell has its own emulator, directory and tmux server.
	atOnce(t, []string{"bash", "bash3.2", "zsh", "fish"}, func(t *testing.T, name string) {
		d := interactiveShells[name]
		requireTool(t, name)
		emu := stsemu.Start(alice)
		defer emu.Close()
		dir := t.TempDir()
		creds := filepath.Join(dir, "credentials")
		os.WriteFile(creds, []byte(aliceSource), 0o600)
		env := []string{
			"HOME=" + dir, unrecorded(dir), "TERM=xterm", "PATH=" + filepath.Dir(bin) + ":/usr/bin:/bin",
			"AWS_SHARED_CREDENTIALS_FILE=" + creds, "AWS_CONFIG_FILE=" + filepath.Join(dir, "config"),
			"AWS_ENDPOINT_URL_STS=" + emu.URL, "AWS_PROFILE=stale", "XDG_CONFIG_HOME=" + dir,
		}
		argv := d.argv(dir)
		for len(argv) > 0 && strings.Contains(argv[0], "=") {
			env, argv = append(env, argv[0]), argv[1:]
		}
		sh := startTmux(t, dir, env, argv...)
		token := func() string {
			f, err := credfile.Read(creds)
			if err != nil {
				t.Fatal(err)
			}
			return f.Section("default").Get("aws_session_token")
		}

		// env applies the session to this very shell.
		sh.send("aws-mfa env 314159")
		first := sh.result(d.printVar("AWS_SESSION_TOKEN"), "env")
		if first != token() || first == "" {
			t.Fatalf("shell holds %q, file %q", first, token())
		}
		if got := sh.result(d.printVar("AWS_PROFILE"), "profile"); got != "unset" {
			t.Errorf("AWS_PROFILE = %q", got)
		}
		if got := sh.result(d.printVar("AWS_MFA_SHELL"), "shellvar"); got != "unset" {
			t.Errorf("AWS_MFA_SHELL = %q: the hook must not export it", got)
		}

		// A failed run applies nothing.
		emu.SetFault(stsemu.WrongCode)
		sh.send("aws-mfa env --force 314159")
		if got := sh.result(d.printVar("AWS_SESSION_TOKEN"), "failed"); got != first {
			t.Errorf("after a failure the shell holds %q", got)
		}
		emu.SetFault(stsemu.None)

		// A plain refresh updates the variables aws-mfa exported.
		sh.send("aws-mfa --force 314159")
		second := sh.result(d.printVar("AWS_SESSION_TOKEN"), "refresh")
		if second == first || second != token() {
			t.Errorf("after a refresh the shell holds %q, the file %q", second, token())
		}
		if got := sh.result(d.printVar("AWS_MFA_PROMPT"), "prompt"); !sessionPrompt.MatchString(got) {
			t.Errorf("AWS_MFA_PROMPT = %q", got)
		}

		// Ten minutes before expiry the prompt hook warns, once.
		sh.send(d.setExpiry("+ 300"))
		sh.send("")
		sh.send("")
		sh.waitScreen("expires in ")
		if n := strings.Count(sh.screen(), "expires in"); n != 1 {
			t.Errorf("warned %d times", n)
		}
		// At expiry it removes the session and says so.
		sh.send(d.setExpiry("- 1"))
		sh.waitScreen("expired and was removed from this shell")
		if got := sh.result(d.printVar("AWS_SESSION_TOKEN"), "expired"); got != "unset" {
			t.Errorf("after expiry AWS_SESSION_TOKEN = %q", got)
		}

		// In a subshell the session is applied there, no code reaches
		// the screen or the file the output goes to, and the note says
		// that the session ends with the subshell (under eval "$(…)",
		// which the docs show for shells without the hook, too).
		if name != "fish" {
			sh.send(`( aws-mfa env --no-write 314159; echo "sub=${AWS_SESSION_TOKEN:+set}" ) > ` + dir + `/sub.txt 2> ` + dir + `/sub.err`)
			sh.send(`{ eval "$(aws-mfa env --no-write 314159)"; } 2> ` + dir + `/eval.err`)
			if got := sh.result(d.printVar("AWS_SESSION_TOKEN"), "evaled"); got != "unset" {
				t.Errorf("after eval the shell holds %q", got)
			}
			out, _ := os.ReadFile(filepath.Join(dir, "sub.txt"))
			for _, f := range []string{"sub.err", "eval.err"} {
				if b, _ := os.ReadFile(filepath.Join(dir, f)); !strings.Contains(string(b), "applied [default] to a subshell only, where it ends with the subshell") || string(out) != "sub=set\n" {
					t.Errorf("%s: %q; the subshell printed %q", f, b, out)
				}
			}
		}

		// env --unset clears everything env set.
		sh.send("aws-mfa env")
		sh.send("aws-mfa env --unset")
		if got := sh.result(d.printVar("AWS_ACCESS_KEY_ID"), "unset"); got != "unset" {
			t.Errorf("after --unset AWS_ACCESS_KEY_ID = %q", got)
		}
	})
}

// TestHookStrictModes sources the hooks twice under bash's set -euo
// pipefail and zsh's nounset, non-interactively, and uses them.
func TestHookStrictModes(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	emu := stsemu.Start(alice)
	defer emu.Close()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "credentials"), []byte(aliceSource), 0o600)
	env := peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
	script := `eval "$(aws-mfa hook %[1]s)"; eval "$(aws-mfa hook %[1]s)"; aws-mfa env 314159; _aws_mfa_hook; aws-mfa --force 314159; echo "$AWS_MFA_PROMPT"; aws-mfa env --unset; echo "${AWS_SESSION_TOKEN-gone}"`
	for _, c := range [][]string{
		{"bash", "--norc", "-c", "set -euo pipefail; " + fmt.Sprintf(script, "bash")},
		{bash32, "--norc", "-c", "set -euo pipefail; " + fmt.Sprintf(script, "bash")},
		{"zsh", "-f", "-c", "setopt nounset errexit pipefail; " + fmt.Sprintf(script, "zsh")},
	} {
		requireTool(t, c[0])
		out, stderr, err := run(t, env, c[0], c[1:]...)
		if err != nil || !sessionPrompt.MatchString(out) || !strings.HasSuffix(out, "gone\n") {
			t.Errorf("%s: %v\nstdout %q\nstderr %s", c[0], err, out, stderr)
		}
	}
}

// TestPromptHookSpawnsNothing counts, with strace, the processes bash and
// zsh start while running the prompt hook 600 times. It must be none.
func TestPromptHookSpawnsNothing(t *testing.T) {
	t.Parallel()
	strace := requireTool(t, "strace")
	bin := toolBinary(t)
	for _, name := range []string{"bash", "zsh"} {
		t.Run(name, func(t *testing.T) {
			requireTool(t, name)
			dir := t.TempDir()
			hook, _, err := run(t, peerEnv(dir), bin, "hook", name)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "hook"), []byte(hook), 0o600)
			log := filepath.Join(dir, "strace.log")
			// Valid, near expiry (warns), then expired (removes): every branch.
			// Loading the hook may fork once; only what follows the marker counts.
			body := `source ` + dir + `/hook; export AWS_MFA_TARGET=default AWS_SESSION_TOKEN=x
: > ` + dir + `/loaded
for i in {1..200}; do
  AWS_MFA_EXPIRY=$((EPOCHSECONDS + 7200)); _aws_mfa_hook
  AWS_MFA_EXPIRY=$((EPOCHSECONDS + 100)); _aws_mfa_hook
  AWS_MFA_EXPIRY=$((EPOCHSECONDS - 1)); _aws_mfa_hook 2>/dev/null
done`
			args := map[string][]string{"bash": {"--norc", "-c", body}, "zsh": {"-f", "-c", body}}[name]
			// --seccomp-bpf stops the shell at the traced calls only, not at
			// each of the loop's thousands of others.
			out, err := exec.Command(strace, append([]string{"-f", "-qq", "--seccomp-bpf", "-e", "trace=fork,vfork,clone,clone3,execve,openat", "-o", log, name}, args...)...).CombinedOutput()
			if err != nil {
				t.Fatalf("%v %s", err, out)
			}
			data, _ := os.ReadFile(log)
			_, after, found := strings.Cut(string(data), dir+"/loaded")
			if !found {
				t.Fatalf("no marker in the trace:\n%s", data)
			}
			var spawns []string
			for _, l := range strings.Split(strings.TrimSpace(after), "\n") {
				if strings.Contains(l, "clone") || strings.Contains(l, "fork") || strings.Count(l, "execve(") > 0 && !strings.Contains(l, `"/usr/bin/`+name+`"`) && !strings.Contains(l, `"/bin/`+name+`"`) {
					spawns = append(spawns, l)
				}
			}
			if len(spawns) > 0 {
				t.Errorf("the prompt hook started processes:\n%s", strings.Join(spawns, "\n"))
			}
		})
	}
}

// TestHookOtherShells loads the hook in each remaining shell from a
// script, as an rc file would, and applies, then removes, a session.
func TestHookOtherShells(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	emu := stsemu.Start(alice)
	defer emu.Close()
	posix := func(sh string) string {
		return `eval "$(aws-mfa hook sh)"
aws-mfa env 314159
echo "token=$AWS_SESSION_TOKEN"
aws-mfa env --unset
echo "after=${AWS_SESSION_TOKEN-unset}"
`
	}
	csh := "eval \"`aws-mfa hook tcsh`\"\naws-mfa env 314159\necho \"token=$AWS_SESSION_TOKEN\"\naws-mfa env --unset\nif ($?AWS_SESSION_TOKEN) echo after=set\nif (! $?AWS_SESSION_TOKEN) echo after=unset\n"
	cases := []struct {
		bin    string
		args   []string
		script string
	}{
		{"ksh93", nil, posix("ksh93")},
		{"mksh", nil, posix("mksh")},
		{"yash", nil, posix("yash")},
		{"dash", nil, posix("dash")},
		{"busybox", []string{"sh"}, posix("busybox")},
		{"tcsh", []string{"-f"}, csh},
		{"csh", []string{"-f"}, csh},
		// xonsh: its prompt hook, fired as at a prompt, removes the expired
		// session. The hook is read with subprocess: xonsh's $(…) capture is
		// racy under load (see shells/real_test.go).
		{"xonsh", []string{"--no-rc"}, "import subprocess\nexecx(subprocess.run(['aws-mfa', 'hook', 'xonsh'], capture_output=True, text=True).stdout)\naws-mfa env 314159\nprint('token=' + $AWS_SESSION_TOKEN)\n$AWS_MFA_EXPIRY = '1'\n_ = events.on_pre_prompt.fire()\nprint('after=' + ('set' if 'AWS_SESSION_TOKEN' in ${...} else 'unset'))\n"},
	}
	for _, c := range cases {
		t.Run(c.bin, func(t *testing.T) {
			requireTool(t, c.bin)
			dir := t.TempDir()
			creds := filepath.Join(dir, "credentials")
			os.WriteFile(creds, []byte(aliceSource), 0o600)
			script := filepath.Join(dir, "rc")
			os.WriteFile(script, []byte(c.script), 0o600)
			env := peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"), "XONSH_HISTORY_BACKEND=dummy")
			out, stderr, err := run(t, env, c.bin, append(c.args, script)...)
			f, _ := credfile.Read(creds)
			want := "token=" + f.Section("default").Get("aws_session_token") + "\nafter=unset\n"
			if err != nil || out != want {
				t.Errorf("%v\nstdout %q\nwant   %q\nstderr %s", err, out, want, stderr)
			}
		})
	}
}

// TestHookElvishInteractive: elvish keeps what eval defines in eval's
// namespace, so the hook hands its function to the REPL; only an
// interactive elvish shows that it works.
func TestHookElvishInteractive(t *testing.T) {
	t.Parallel()
	requireTool(t, "tmux")
	requireTool(t, "elvish")
	bin := toolBinary(t)
	emu := stsemu.Start(alice)
	defer emu.Close()
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte(aliceSource), 0o600)
	sh := startTmux(t, dir, []string{"HOME=" + dir, unrecorded(dir), "TERM=xterm", "PATH=" + filepath.Dir(bin) + ":/usr/bin:/bin",
		"AWS_SHARED_CREDENTIALS_FILE=" + creds, "AWS_ENDPOINT_URL_STS=" + emu.URL}, "elvish", "-norc")
	sh.send("eval (aws-mfa hook elvish | slurp)")
	sh.send("aws-mfa env 314159")
	got := sh.result("echo $E:AWS_SESSION_TOKEN", "token")
	f, _ := credfile.Read(creds)
	if want := f.Section("default").Get("aws_session_token"); got != want || got == "" {
		t.Errorf("elvish holds %q, the file %q", got, want)
	}
}

// TestHookCompletion completes subcommands, flags, shell names and pair
// names in bash and fish (through their completion functions) and zsh
// (a Tab in an interactive shell with compinit).
func TestHookCompletion(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n"), 0o600)
	env := peerEnv(dir, "AWS_MFA_CONFIG="+cfg, "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))

	t.Run("bash", func(t *testing.T) {
		requireTool(t, "bash")
		script := `eval "$(aws-mfa hook bash)"
c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _aws_mfa_complete; echo "${COMPREPLY[*]}"; }
c aws-mfa st; c aws-mfa env --no-w; c aws-mfa hook xo; c aws-mfa -p w; c aws-mfa env --shell el`
		out, stderr, err := run(t, env, "bash", "--norc", "-c", script)
		if want := "status\n--no-write\nxonsh\nwork\nelvish\n"; err != nil || out != want {
			t.Errorf("%v %q want %q %s", err, out, want, stderr)
		}
	})
	t.Run("fish", func(t *testing.T) {
		requireTool(t, "fish")
		script := `aws-mfa hook fish | source; complete -C "aws-mfa st"; complete -C "aws-mfa env --no-w"; complete -C "aws-mfa -p w"; complete -C "aws-mfa hook xo"`
		out, stderr, err := run(t, env, "fish", "--no-config", "-c", script)
		if want := "status\tshow each pair's session; reads local files only\n--no-write\tdo not write the session to the target profile\nwork\t[aws-mfa] → [work]\nxonsh\tprint the hook for xonsh\n"; err != nil || out != want {
			t.Errorf("%v %q want %q %s", err, out, want, stderr)
		}
	})
	t.Run("zsh", func(t *testing.T) {
		requireTool(t, "zsh")
		requireTool(t, "tmux")
		sh := interactiveHooked(t, "zsh", dir, append(env, "TERM=xterm"), "")
		sh.keys(text("aws-mfa -p wo"), press("Tab"))
		sh.waitScreen("aws-mfa -p work")
		sh.keys(press("C-u"), text("aws-mfa sta"), press("Tab"))
		sh.waitScreen("aws-mfa status")
	})
}

// TestHookPromptCommandForms registers the bash hook, twice, into both
// forms of PROMPT_COMMAND, keeping what was there.
func TestHookPromptCommandForms(t *testing.T) {
	t.Parallel()
	requireTool(t, "bash")
	bin := toolBinary(t)
	env := peerEnv(t.TempDir(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
	for before, want := range map[string]string{
		`unset PROMPT_COMMAND`:              `declare -- PROMPT_COMMAND="_aws_mfa_hook"`,
		`PROMPT_COMMAND='history -a'`:       `declare -- PROMPT_COMMAND="_aws_mfa_hook;history -a"`,
		`PROMPT_COMMAND=(history\ -a sync)`: `declare -a PROMPT_COMMAND=([0]="_aws_mfa_hook" [1]="history -a" [2]="sync")`,
	} {
		out, stderr, err := run(t, env, "bash", "--norc", "-c", "set -u; "+before+`; eval "$(aws-mfa hook bash)"; eval "$(aws-mfa hook bash)"; declare -p PROMPT_COMMAND`)
		if err != nil || strings.TrimSpace(out) != want {
			t.Errorf("%s: %v\n got %s\nwant %s\n%s", before, err, out, want, stderr)
		}
	}
}

// hostileWords are pair names (and flags) as a config file could spell
// them, each with its own first letter so a Tab completes exactly one.
// `status --names` lists what the config holds; completion must insert
// each one as that literal word and run nothing.
func hostileWords(marker string) []string {
	return []string{
		"a$(touch " + marker + ")", "b`touch " + marker + "`", "c;touch " + marker, "d e", "f*", "g'h", `i"j`, `k\l`,
		"m[$(touch " + marker + ")]", "n{o,p}", "q!!", "r~", "s$HOME", "t|u&v",
	}
}

// completionFake stands in for the binary: it answers every completion
// query (aws-mfa __complete …) with the hostile words, as if they were
// the pair names of a config that the binary did not refuse.
const completionFake = `#!/bin/sh
case "$1" in
__complete) cat "$(dirname "$0")/words" ;;
esac
`

// TestCompletionHostileWords completes pair names that hold shell syntax in
// bash (its completion function), zsh and fish (a Tab in an interactive
// shell), and checks that each inserted word reads back literally.
func TestCompletionHostileWords(t *testing.T) {
	t.Parallel()
	// Each shell has its own directory, fake binary and marker.
	atOnce(t, []string{"bash", "bash3.2", "zsh", "fish"}, func(t *testing.T, name string) {
		requireTool(t, name)
		c := newHostileCompletion(t)
		if strings.HasPrefix(name, "bash") {
			c.bash(shellPath(name))
		} else {
			c.interactive(name)
		}
		c.checkMarker()
	})
}

// hostileCompletion is a directory with the fake binary, its hostile
// words, and the marker any of them would create if run.
type hostileCompletion struct {
	t      *testing.T
	dir    string
	marker string
	words  []string
	fake   string
}

func newHostileCompletion(t *testing.T) *hostileCompletion {
	t.Helper()
	dir := t.TempDir()
	c := &hostileCompletion{t: t, dir: dir, marker: filepath.Join(dir, "ran"), fake: filepath.Join(dir, "aws-mfa")}
	c.words = hostileWords(c.marker)
	testproc.WriteExecutable(c.fake, []byte(completionFake), 0o700)
	os.WriteFile(filepath.Join(dir, "words"), []byte(strings.Join(c.words, "\n")+"\n"), 0o600)
	return c
}

// hook writes the fake binary's hook for shell name and returns its path.
func (c *hostileCompletion) hook(name string) string {
	c.t.Helper()
	sh, _ := shells.Lookup(name)
	code, err := sh.Hook(c.fake, exporter.SessionVars())
	if err != nil {
		c.t.Fatal(err)
	}
	file := filepath.Join(c.dir, "hook."+name)
	os.WriteFile(file, []byte(code), 0o600)
	return file
}

// bash runs bash's completion function: each offered word, placed on a
// command line as bash inserts it, must give back the pair name.
func (c *hostileCompletion) bash(path string) {
	t := c.t
	script := `source '` + c.hook("bash") + `'
for cur in "" a b c d f g i k m n q r s t; do
	COMP_WORDS=(aws-mfa -p "$cur"); COMP_CWORD=2; _aws_mfa_complete
	for w in "${COMPREPLY[@]}"; do eval "printf '%s\n' $w"; done
done`
	out, stderr, err := run(t, []string{"PATH=/usr/bin:/bin", "HOME=" + c.dir}, path, "--norc", "--noprofile", "-c", script)
	want := strings.Join(append(c.words, c.words...), "\n") + "\n"
	if err != nil || out != want {
		t.Errorf("%v\n got %q\nwant %q\n%s", err, out, want, stderr)
	}
}

// interactive presses Tab in an interactive zsh or fish for each word,
// then has the shell print the completed line's words.
func (c *hostileCompletion) interactive(name string) {
	t := c.t
	requireTool(t, "tmux")
	dir := c.dir
	env := []string{"HOME=" + dir, unrecorded(dir), "TERM=xterm", "PATH=/usr/bin:/bin", "XDG_CONFIG_HOME=" + dir, "XDG_DATA_HOME=" + dir}
	var argv []string
	switch name {
	case "zsh":
		writeZshrc(t, dir, "source '"+c.hook("zsh")+"'\nPROMPT='%% '\n")
		env = append(env, "ZDOTDIR="+dir)
		argv = []string{"zsh", "-i"}
	case "fish":
		argv = []string{"fish", "--no-config", "-i", "-C", "source '" + c.hook("fish") + "'; function fish_prompt; echo '> '; end"}
	}
	sh := startTmux(t, dir, env, argv...)
	for i, w := range c.words {
		// Complete, then turn the line into printf's arguments.
		sh.keys(text("aws-mfa -p "+w[:1]), press("Tab"))
		sh.waitLastLine(func(l string) bool {
			_, after, ok := strings.Cut(l, "aws-mfa -p "+w[:1])
			return ok && strings.TrimSpace(after) != ""
		})
		got := sh.result("", fmt.Sprintf("word%d", i), press("C-a"), text("printf '%s\\n' "), press("C-e"))
		if want := "aws-mfa\n-p\n" + w; got != want {
			t.Errorf("completed %q as %q", w, got)
		}
	}
}

func (c *hostileCompletion) checkMarker() {
	if _, err := os.Stat(c.marker); err == nil {
		c.t.Error("completion ran a command from a pair name")
	}
}

// TestHookDialectStaysInItsShell: what a hook chose reaches only its own
// wrapper. A bash script started from fish with the hook loaded gets
// bash's syntax, and tcsh that inherited AWS_MFA_SHELL=bash gets tcsh's.
func TestHookDialectStaysInItsShell(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	dir := t.TempDir()
	exp := time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)
	os.WriteFile(filepath.Join(dir, "credentials"), []byte(aliceSource+"[default]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = cached-token\nexpiration = "+exp+"\n"), 0o600)
	env := peerEnv(dir, "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
	cases := []struct {
		bin  string
		args []string
		env  []string
	}{
		{"fish", []string{"--no-config", "-c", `aws-mfa hook fish | source; bash --norc --noprofile -c 'eval "$(aws-mfa env)"; printf "%s\n" "$AWS_SESSION_TOKEN"'`}, nil},
		{"zsh", []string{"-f", "-c", `eval "$(aws-mfa hook zsh)"; fish --no-config -c 'aws-mfa env | source; printf "%s\n" $AWS_SESSION_TOKEN'`}, nil},
		{"tcsh", []string{"-f", "-c", "eval \"`aws-mfa env`\"; printenv AWS_SESSION_TOKEN"}, []string{"AWS_MFA_SHELL=bash"}},
		{"bash", []string{"--norc", "--noprofile", "-c", `eval "$(aws-mfa env)"; printf "%s\n" "$AWS_SESSION_TOKEN"`}, []string{"AWS_MFA_SHELL=fish"}},
	}
	for _, c := range cases {
		t.Run(c.bin, func(t *testing.T) {
			requireTool(t, c.bin)
			requireTool(t, "bash")
			requireTool(t, "fish")
			out, stderr, err := run(t, append(env, c.env...), c.bin, c.args...)
			if err != nil || out != "cached-token\n" {
				t.Errorf("%v %q %s", err, out, stderr)
			}
		})
	}
}

// TestHookNushell loads the nushell hook in the real nu (npm's nushell,
// installed by .ci/run), and applies, then removes, a session: removal
// sets the variables empty, as load-env cannot remove them.
func TestHookNushell(t *testing.T) {
	t.Parallel()
	nu := requireTool(t, "nu")
	bin := toolBinary(t)
	emu := stsemu.Start(alice)
	defer emu.Close()
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte(aliceSource), 0o600)
	env := peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
	hook, stderr, err := run(t, env, bin, "hook", "nu")
	if err != nil {
		t.Fatal(err, stderr)
	}
	os.WriteFile(filepath.Join(dir, "hook.nu"), []byte(hook), 0o600)
	script := "source '" + filepath.Join(dir, "hook.nu") + "'\n" +
		"aws-mfa env 314159\nprint $\"token=($env.AWS_SESSION_TOKEN)\"\n" +
		"aws-mfa env --unset\nprint $\"after=($env.AWS_SESSION_TOKEN? | default unset)\"\n"
	os.WriteFile(filepath.Join(dir, "rc.nu"), []byte(script), 0o600)
	out, stderr, err := run(t, env, nu, "-n", filepath.Join(dir, "rc.nu"))
	f, _ := credfile.Read(creds)
	want := "token=" + f.Section("default").Get("aws_session_token") + "\nafter=\n"
	if err != nil || out != want || strings.HasPrefix(want, "token=\n") {
		t.Errorf("%v\nstdout %q\nwant   %q\nstderr %s", err, out, want, stderr)
	}
}

// TestCompletionInteractive presses Tab in real interactive bash, zsh and
// fish with the hook loaded and the real binary answering: subcommands,
// flags, the shells hook accepts (not cmd or dotenv), dialects, formats
// and pair names are inserted; nothing is inserted where nothing fits; a
// bare -- lists every flag; zsh and fish show descriptions.
func TestCompletionInteractive(t *testing.T) {
	t.Parallel()
	requireTool(t, "tmux")
	bin := toolBinary(t)
	inserts := []struct{ typed, want string }{
		{"aws-mfa sta", "aws-mfa status"},
		{"aws-mfa env --no-w", "aws-mfa env --no-write"},
		{"aws-mfa env --shell fi", "aws-mfa env --shell fish"},
		{"aws-mfa env --shell=fi", "aws-mfa env --shell=fish"},
		{"aws-mfa env --format js", "aws-mfa env --format json"},
		{"aws-mfa hook xo", "aws-mfa hook xonsh"},
		{"aws-mfa hook d", "aws-mfa hook dash"}, // not dotenv, which hook refuses
		{"aws-mfa hook c", "aws-mfa hook csh"},  // not cmd
		{"aws-mfa -p wo", "aws-mfa -p work"},
		{"aws-mfa status --pair wo", "aws-mfa status --pair work"},
		{"aws-mfa env ", "aws-mfa env"}, // a code comes next: nothing to insert
		// exec's command: a command name, before or after --.
		{"aws-mfa exec -- aws-mfa-e2", "aws-mfa exec -- aws-mfa-e2e-tool"},
		{"aws-mfa exec aws-mfa-e2", "aws-mfa exec aws-mfa-e2e-tool"},
		{"aws-mfa -p work exec 123456 -- aws-mfa-e2", "aws-mfa -p work exec 123456 -- aws-mfa-e2e-tool"},
	}
	lists := []struct {
		typed string
		want  []string
		desc  string // shown by zsh and fish
	}{
		{"aws-mfa env --", []string{"--no-write", "--cached", "--unset", "--shell", "--format", "--pair", "--timeout"}, "do not write the session to the target profile"},
		{"aws-mfa env --format ", []string{"shell", "json", "dotenv"}, "credential_process JSON"},
		{"aws-mfa env --", []string{"--format"}, "output F: shell, json or dotenv"},
		{"aws-mfa ", []string{"env", "exec", "console", "status", "hook", "setup", "doctor"}, "run a command with the session in its environment"},
		{"aws-mfa console --", []string{"--print", "--federation-url", "--pair", "--no-write"}, "print the sign-in URL"},
	}
	// Each shell has its own tmux server and directory.
	atOnce(t, []string{"bash", "bash3.2", "zsh", "fish"}, func(t *testing.T, name string) {
		requireTool(t, name)
		dir := t.TempDir()
		cfg := filepath.Join(dir, "config.toml")
		os.WriteFile(cfg, []byte("[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n"), 0o600)
		tools := filepath.Join(dir, "bin")
		os.Mkdir(tools, 0o700)
		testproc.WriteExecutable(filepath.Join(tools, "aws-mfa-e2e-tool"), []byte("#!/bin/sh\n"), 0o700)
		env := []string{"HOME=" + dir, unrecorded(dir), "TERM=xterm", "PATH=" + filepath.Dir(bin) + ":" + tools + ":/usr/bin:/bin", "AWS_MFA_CONFIG=" + cfg,
			"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"), "XDG_CONFIG_HOME=" + dir, "XDG_DATA_HOME=" + dir}
		sh := interactiveHooked(t, name, dir, env, "bind 'set show-all-if-ambiguous on'\n")
		ins, ls := inserts, lists
		if !strings.HasPrefix(name, "bash") { // bash needs bash-completion for it: TestExecCompletionBashCompletion
			ins = append(ins[:len(ins):len(ins)], struct{ typed, want string }{"aws-mfa exec -- aws-mfa sta", "aws-mfa exec -- aws-mfa status"})
		} else {
			// Right after the = of --format=, which bash 4 completes as a word.
			ls = append(ls[:len(ls):len(ls)], struct {
				typed string
				want  []string
				desc  string
			}{"aws-mfa env --format=", []string{"shell", "json", "dotenv"}, ""})
		}
		// The shell reads keys in order, so the line edits after the Tab
		// apply to what the Tab completed: they turn the line into
		// printf's arguments, to compare word for word.
		for i, c := range ins {
			got := sh.result("", fmt.Sprintf("insert%d", i), text(c.typed), press("Tab", "C-a"), text("printf '%s\\n' "), press("C-e"))
			if want := strings.Join(strings.Fields(c.want), "\n"); got != want {
				t.Errorf("%q + Tab gave %q, want %q", c.typed, strings.Fields(got), c.want)
			}
		}
		for i, c := range ls {
			// A clear screen, so that only this list can match.
			sh.result("clear; echo cleared", fmt.Sprintf("clear%d", i))
			sh.ctl.do("clear-history")
			sh.waitUntil("lost the cleared command", func(screen string) bool { return !strings.Contains(screen, "clear") })
			bash := strings.HasPrefix(name, "bash")
			if bash {
				sh.keys(text(c.typed), press("Tab", "Tab"))
			} else {
				sh.keys(text(c.typed), press("Tab"))
			}
			if bash {
				sh.waitScreen(c.want...)
			} else {
				sh.waitScreen(append(c.want, c.desc)...)
			}
			if got := sh.result("echo listed", fmt.Sprintf("list%d", i), press("C-e", "C-u")); got != "listed" {
				t.Errorf("after the list the line held %q", got)
			}
		}
	})
}

// TestExecCompletionBashCompletion: with bash-completion loaded, exec's
// command line completes as a line of its own in bash: the command name,
// then what that command's completion offers (aws-mfa's own, here).
func TestExecCompletionBashCompletion(t *testing.T) {
	t.Parallel()
	requireTool(t, "tmux")
	requireTool(t, "bash")
	const bashCompletion = "/usr/share/bash-completion/bash_completion"
	if _, err := os.Stat(bashCompletion); err != nil {
		testproc.Missing(t, fmt.Sprintf("%s: %v; .ci/run must install bash-completion", bashCompletion, err))
	}
	bin := toolBinary(t)
	dir := t.TempDir()
	tools := filepath.Join(dir, "bin")
	os.Mkdir(tools, 0o700)
	testproc.WriteExecutable(filepath.Join(tools, "aws-mfa-e2e-tool"), []byte("#!/bin/sh\n"), 0o700)
	env := []string{"HOME=" + dir, unrecorded(dir), "TERM=xterm", "PATH=" + filepath.Dir(bin) + ":" + tools + ":/usr/bin:/bin",
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"), "XDG_CONFIG_HOME=" + dir, "XDG_DATA_HOME=" + dir}
	sh := interactiveHooked(t, "bash", dir, env, ". "+bashCompletion+"\n")
	for i, c := range []struct{ typed, want string }{
		{"aws-mfa exec -- aws-mfa-e2", "aws-mfa exec -- aws-mfa-e2e-tool"},
		{"aws-mfa exec -- aws-mfa sta", "aws-mfa exec -- aws-mfa status"},
		{"aws-mfa exec aws-mfa env --no-w", "aws-mfa exec aws-mfa env --no-write"},
	} {
		got := sh.result("", fmt.Sprintf("insert%d", i), text(c.typed), press("Tab", "C-a"), text("printf '%s\\n' "), press("C-e"))
		if want := strings.Join(strings.Fields(c.want), "\n"); got != want {
			t.Errorf("%q + Tab gave %q, want %q", c.typed, strings.Fields(got), c.want)
		}
	}
}

// TestZshHookBeforeCompinit: a .zshrc that loads the hook before
// compinit (and no packaged completion file in fpath) still completes
// aws-mfa from the first prompt on; compinit after the hook used to lose
// it without a word.
func TestZshHookBeforeCompinit(t *testing.T) {
	t.Parallel()
	requireTool(t, "tmux")
	requireTool(t, "zsh")
	bin := toolBinary(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n"), 0o600)
	writeZshrc(t, dir, "") // for its dump
	os.WriteFile(filepath.Join(dir, ".zshrc"), []byte("eval \"$(aws-mfa hook zsh)\"\nautoload -U compinit; compinit -u\nPROMPT='%% '\n"), 0o600)
	env := peerEnv(dir, "TERM=xterm", "AWS_MFA_CONFIG="+cfg, "XDG_DATA_HOME="+dir, "ZDOTDIR="+dir, "PATH="+filepath.Dir(bin)+":/usr/bin:/bin")
	sh := startTmux(t, dir, env, "zsh", "-i")
	tabs(t, sh, true)
	if got := sh.result(`print -r -- "${precmd_functions[*]}"`, "precmd"); got != "_aws_mfa_hook" {
		t.Errorf("precmd_functions %q: the registration did not remove itself", got)
	}
}

// TestHookOptionsBeforeEnv: options may come before the subcommand
// (aws-mfa -p default env). Through the hook that is still env: its output
// is applied to the shell, never printed on the terminal.
func TestHookOptionsBeforeEnv(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	dir := t.TempDir()
	exp := time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)
	os.WriteFile(filepath.Join(dir, "credentials"), []byte(aliceSource+"[default]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = cached-secret\naws_session_token = cached-token\nexpiration = "+exp+"\n"), 0o600)
	env := peerEnv(dir, "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
	// Scripts, one command a line: an alias (sh, csh) applies from the
	// next line on.
	posix := func(hook string) string {
		return `eval "$(aws-mfa hook ` + hook + `)"
aws-mfa -p default env
aws-mfa --pair=default -v env --no-write
printf 'token=%s\n' "$AWS_SESSION_TOKEN"
`
	}
	csh := "eval \"`aws-mfa hook %s`\"\naws-mfa -p default env\naws-mfa --pair=default -v env --no-write\necho token=$AWS_SESSION_TOKEN\n"
	for _, c := range []struct {
		bin    string
		args   []string
		script string
	}{
		{"bash", []string{"--norc", "--noprofile"}, posix("bash")},
		{"zsh", []string{"-f"}, posix("zsh")},
		{"dash", nil, posix("sh")},
		{"mksh", nil, posix("sh")},
		{"fish", []string{"--no-config"}, "aws-mfa hook fish | source\naws-mfa -p default env\naws-mfa --pair=default -v env --no-write\necho token=$AWS_SESSION_TOKEN\n"},
		{"tcsh", []string{"-f"}, fmt.Sprintf(csh, "tcsh")},
		{"csh", []string{"-f"}, fmt.Sprintf(csh, "csh")},
	} {
		t.Run(c.bin, func(t *testing.T) {
			requireTool(t, c.bin)
			script := filepath.Join(t.TempDir(), "rc")
			os.WriteFile(script, []byte(c.script), 0o600)
			out, stderr, err := run(t, env, c.bin, append(c.args, script)...)
			if err != nil || out != "token=cached-token\n" || strings.Contains(stderr, "cached-secret") {
				t.Errorf("%v\nstdout %q\nstderr %s", err, out, stderr)
			}
		})
	}
}
