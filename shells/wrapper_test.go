//go:build unix

package shells

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// A fake aws-mfa for the wrapper tests: it records its arguments and
// whether AWS_MFA_SHELL reached it, prints the file "out" and exits with
// the status in the file "rc" (in "argv" each call is AWS_MFA_SHELL, the
// count and the arguments, each ending in a NUL); asked which subcommand a line names
// (__command), it prints the file "command". The hooks are rendered with
// its path, so no Go binary and no STS is needed to see what they do.
// It forks only cat, which the many calls of the many shells make count.
const fakeBin = `#!/bin/sh
d=${0%/*}
printf '%s|%s\n' "${AWS_MFA_SHELL-unset}" "$*" >>"$d/calls"
printf '%s\0' "${AWS_MFA_SHELL-unset}" $# "$@" >>"$d/argv"
if [ "$1" = __command ]; then
	cat "$d/command"
	exit 0
fi
cat "$d/out"
read -r rc <"$d/rc"
exit "$rc"
`

// wrapperShell says how to run a script in a shell with its hook loaded.
type wrapperShell struct {
	hook    string   // aws-mfa hook NAME
	dialect string   // the --shell the wrapper must pass
	bin     string   // the interpreter
	args    []string // before the script file
	// script loads the hook from file h, then runs the file b.
	script func(h, b string) string
	// call runs the wrapper with the words args, each quoted for the
	// shell, then prints "status=N".
	call func(args ...string) string
	// show prints variable X's value, or "unset".
	show string
	// dump prints every shell variable, to find helpers left holding output.
	dump string
	// reexports: a plain refresh also re-applies AWS_MFA_TARGET's session.
	reexports bool
	// failed is what call prints when the binary exited 3; "status=3"
	// unless set.
	failed string
}

func posixWrapperShell(hook, bin string, args ...string) wrapperShell {
	return wrapperShell{
		hook: hook, dialect: hook, bin: bin, args: args,
		script:    func(h, b string) string { return `eval "$(cat '` + h + `')"` + "\n. '" + b + "'\n" },
		call:      func(a ...string) string { return "aws-mfa " + quoteWords(a, posixQuote) + "\necho \"status=$?\"\n" },
		show:      `echo "X=${X-unset}"` + "\n",
		dump:      "set\n",
		reexports: true,
	}
}

var wrapperShells = []wrapperShell{
	posixWrapperShell("bash", "bash", "--norc", "--noprofile"),
	posixWrapperShell("bash", bash32, "--norc", "--noprofile"),
	posixWrapperShell("bash", "bash", "--norc", "--noprofile", "--posix"), // the function is an alias there
	posixWrapperShell("zsh", "zsh", "-f"),
	posixWrapperShell("sh", "dash"),
	posixWrapperShell("sh", "ksh93"),
	posixWrapperShell("sh", "mksh"),
	posixWrapperShell("sh", "yash"),
	posixWrapperShell("sh", "busybox", "sh"),
	{
		hook: "fish", dialect: "fish", bin: "fish", args: []string{"--no-config"},
		script:    func(h, b string) string { return "source '" + h + "'\nsource '" + b + "'\n" },
		call:      func(a ...string) string { return "aws-mfa " + quoteWords(a, fishQuote) + "\necho \"status=$status\"\n" },
		show:      "if set -q X; echo \"X=$X\"; else; echo X=unset; end\n",
		dump:      "set\n",
		reexports: true,
	},
	cshWrapperShell("tcsh"),
	cshWrapperShell("csh"),
	{
		// elvish keeps what eval defines inside that eval: the test runs
		// in the same eval as the hook. A failure raises an exception.
		hook: "elvish", dialect: "elvish", bin: "elvish", args: []string{"-norc"},
		script: func(h, b string) string { return "eval (cat '" + h + "' '" + b + "' | slurp)\n" },
		call: func(a ...string) string {
			return "try { aws-mfa " + quoteWords(a, elvishQuote) + "; echo status=0 } catch e { echo status=$e[reason][exit-status] }\n"
		},
		show:      "if (has-env X) { echo X=$E:X } else { echo X=unset }\n",
		reexports: true,
	},
	{
		hook: "xonsh", dialect: "xonsh", bin: "xonsh", args: []string{"--no-rc"},
		script: func(h, b string) string { return "execx(open('" + h + "').read())\nexecx(open('" + b + "').read())\n" },
		call: func(a ...string) string {
			return "_st = aliases['aws-mfa']([" + strings.Join(quoteAll(a, pyQuote), ", ") + "])\nprint(f'status={_st}')\n"
		},
		show:      "print('X=' + ${...}.get('X', 'unset'))\n",
		dump:      "print(repr({k: v for k, v in globals().items() if not k.startswith('__')}))\n",
		reexports: true,
	},
	{
		// nushell's nu, from the npm package nushell (.ci/run). A failure
		// is an error, which carries no status.
		hook: "nu", dialect: "nu", bin: "nu", args: []string{"-n"},
		script: func(h, b string) string { return "source '" + h + "'\nsource '" + b + "'\n" },
		call: func(a ...string) string {
			return "try { aws-mfa " + quoteWords(a, nuQuote) + "; print status=0 } catch { print status=failed }\n"
		},
		show:      "print $\"X=($env.X? | default 'unset')\"\n",
		failed:    "status=failed",
		reexports: true,
	},
}

func cshWrapperShell(bin string) wrapperShell {
	return wrapperShell{
		hook: bin, dialect: bin, bin: bin, args: []string{"-f"},
		script: func(h, b string) string { return "eval \"`cat '" + h + "'`\"\nsource '" + b + "'\n" },
		// The alias's last command is a test; its status says nothing.
		// What the binary exited with shows in what was applied.
		call: func(a ...string) string { return "aws-mfa " + quoteWords(a, cshWordQuote) + "\necho status=-\n" },
		show: "if ($?X) echo X=$X:q\nif (! $?X) echo X=unset\n",
		dump: "set\nenv\n",
	}
}

// quoteAll quotes each word with quote.
func quoteAll(words []string, quote func(string) string) []string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = quote(w)
	}
	return q
}

// quoteWords writes words as one command line's arguments.
func quoteWords(words []string, quote func(string) string) string {
	return strings.Join(quoteAll(words, quote), " ")
}

// cshWordQuote is cshQuote for a word typed on a command line, where a
// newline inside quotes is written \ and newline.
func cshWordQuote(s string) string { return strings.ReplaceAll(cshQuote(s), "\n", "\\\n") }

// nuQuote writes s as a nushell double-quoted string. (Raw strings,
// r#'…'#, cannot be empty, and nu 0.115 misreads one that starts with #.)
func nuQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u{%x}`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestWrappers runs every hook's wrapper against the fake binary: every
// env line goes to __env with the dialect (never exported), doctor alone learns that the hook is loaded,
// a failure applies nothing and keeps the status, and no helper variable
// keeps the output, which holds the secret key.
func TestWrappers(t *testing.T) {
	for _, ws := range wrapperShells {
		t.Run(label(ws.bin), func(t *testing.T) {
			t.Parallel() // its own directory and environment
			path := requireShell(t, ws.bin)
			dir := t.TempDir()
			exe := filepath.Join(dir, "aws-mfa")
			write := func(name, s string) {
				t.Helper()
				if err := testproc.WriteExecutable(filepath.Join(dir, name), []byte(s), 0o700); err != nil {
					t.Fatal(err)
				}
			}
			write("aws-mfa", fakeBin)
			d, _ := Lookup(ws.hook)
			hook, err := d.Hook(exe, hookVars)
			if err != nil {
				t.Fatal(err)
			}
			write("hook", hook)
			dialect, _ := Lookup(ws.dialect)
			applied, _ := dialect.Export([]Var{{Name: "X", Value: "CANARY-APPLIED"}, {Name: "NEVERSET", Unset: true}})
			refused, _ := dialect.Export([]Var{{Name: "X", Value: "CANARY-FAILED"}})
			if ws.hook == "tcsh" || ws.hook == "csh" {
				// csh's backquotes hide the exit status, so its alias applies
				// whatever a failed run printed: it relies on the binary
				// printing nothing then (env builds its whole output first).
				refused = ""
			}
			write("out", applied)
			write("rc", "0")

			// Each step rewrites out and rc through the shell-neutral
			// cp, so one script covers success, then failure, then doctor.
			body := ws.call("env", "123456") + ws.show +
				"cp '" + dir + "/refused' '" + dir + "/out'\ncp '" + dir + "/three' '" + dir + "/rc'\n" +
				ws.call("env", "--force", "654321") + ws.show +
				"cp '" + dir + "/zero' '" + dir + "/rc'\ncp '" + dir + "/empty' '" + dir + "/out'\n" +
				ws.call("doctor") + ws.call("status") + ws.call("111111") +
				"cp '" + dir + "/lead' '" + dir + "/out'\ncp '" + dir + "/leadcommand' '" + dir + "/command'\n" +
				ws.call("-p", "work", "env", "222333") + ws.show + ws.dump
			write("refused", refused)
			write("three", "3")
			write("zero", "0")
			write("empty", "")
			write("command", "")
			lead, _ := dialect.Export([]Var{{Name: "X", Value: "CANARY-LEAD"}})
			write("lead", lead)
			write("leadcommand", "3 env\n")
			write("body", body)
			write("script", ws.script(filepath.Join(dir, "hook"), filepath.Join(dir, "body")))
			cmd := exec.Command(path, append(ws.args, filepath.Join(dir, "script"))...)
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8", "XONSH_HISTORY_BACKEND=dummy", "AWS_MFA_TARGET=it's work"}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			got := string(out)
			lines := strings.Split(got, "\n")
			if len(lines) < 6 {
				t.Fatalf("output:\n%s", got)
			}
			wantStatus := [2]string{"status=0", "status=3"}
			if ws.failed != "" {
				wantStatus[1] = ws.failed
			}
			if ws.bin == "tcsh" || ws.bin == "csh" {
				wantStatus = [2]string{"status=-", "status=-"}
			}
			if lines[0] != wantStatus[0] || lines[1] != "X=CANARY-APPLIED" {
				t.Errorf("env: %q %q, want %s and X applied", lines[0], lines[1], wantStatus[0])
			}
			if lines[2] != wantStatus[1] || lines[3] != "X=CANARY-APPLIED" {
				t.Errorf("failed env: %q %q, want %s and X unchanged", lines[2], lines[3], wantStatus[1])
			}
			if n := strings.Count(got, "CANARY-FAILED"); n > 0 {
				t.Errorf("the output of a failed run is still held in the shell:\n%s", got)
			}
			for _, l := range lines[4:] {
				if strings.Contains(l, "CANARY-APPLIED") && !strings.HasPrefix(l, "X=") && !strings.HasPrefix(l, "X ") {
					t.Errorf("the output is held in a helper variable besides X: %s", l)
				}
			}

			calls, _ := os.ReadFile(filepath.Join(dir, "calls"))
			want := "unset|__env " + ws.dialect + " env 123456\n" +
				"unset|__env " + ws.dialect + " env --force 654321\n" +
				ws.dialect + "|doctor\n" +
				"unset|status\n" +
				"unset|111111\n"
			if ws.reexports {
				// By target profile, which __reexport maps to its pair:
				// never --pair, which finds a pair by name first.
				want += "unset|__reexport " + ws.dialect + " it's work 111111\n"
			}
			// Options before env: the binary names the subcommand, then
			// runs the line with this shell's --shell placed after env.
			want += "unset|__command -p work env 222333\n" +
				"unset|__env " + ws.dialect + " -p work env 222333\n"
			if !strings.Contains(got, "X=CANARY-LEAD\n") {
				t.Errorf("aws-mfa -p work env did not apply its output:\n%s", got)
			}
			if string(calls) != want {
				t.Errorf("the binary was called as\n%s\nwant\n%s", calls, want)
			}
		})
	}
}

// TestPromptHookHostileExpiry: the prompt hooks read AWS_MFA_EXPIRY from
// the environment, where anyone may have put anything. bash and zsh
// arithmetic would run a command substitution in it, directly or through
// a variable it names; other values are octal, overflow, or not digits to
// every shell. Each is ignored: nothing runs, nothing is removed, no
// prompt text and no error.
func TestPromptHookHostileExpiry(t *testing.T) {
	// Each script loads the hook from h, then for i below n sets
	// AWS_MFA_EXPIRY to $HOSTILE_i, runs the hook and prints the result.
	type hookShell struct {
		bin    string
		args   []string
		script func(h string, n int) string
	}
	posixLoop := func(indirect string) func(h string, n int) string {
		return func(h string, n int) string {
			return `eval "$(cat '` + h + `')"
i=0
while [ $i -lt ` + fmt.Sprint(n) + ` ]; do
	v=HOSTILE_$i; export AWS_MFA_EXPIRY="` + indirect + `" AWS_SESSION_TOKEN=keep AWS_MFA_TARGET=t
	_aws_mfa_hook
	echo "$i token=${AWS_SESSION_TOKEN-unset} prompt=${AWS_MFA_PROMPT-}"
	i=$((i + 1))
done`
		}
	}
	shells := []hookShell{
		{"bash", []string{"--norc", "--noprofile", "-c"}, posixLoop("${!v}")},
		{bash32, []string{"--norc", "--noprofile", "-c"}, posixLoop("${!v}")},
		{"zsh", []string{"-f", "-c"}, posixLoop("${(P)v}")},
		{"fish", []string{"--no-config", "-c"}, func(h string, n int) string {
			return "source '" + h + "'\nfor i in (seq 0 " + fmt.Sprint(n-1) + ")\n" +
				"set v HOSTILE_$i; set -gx AWS_MFA_EXPIRY $$v; set -gx AWS_SESSION_TOKEN keep; set -gx AWS_MFA_TARGET t\n" +
				"_aws_mfa_hook\nset -q AWS_SESSION_TOKEN; or set AWS_SESSION_TOKEN unset\necho $i token=$AWS_SESSION_TOKEN prompt=$AWS_MFA_PROMPT\nend"
		}},
		{"xonsh", []string{"--no-rc", "-c"}, func(h string, n int) string {
			return "execx(open('" + h + "').read())\nfor i in range(" + fmt.Sprint(n) + "):\n" +
				"    ${...}.update(AWS_MFA_EXPIRY=${...}[f'HOSTILE_{i}'], AWS_SESSION_TOKEN='keep', AWS_MFA_TARGET='t')\n" +
				"    _ = events.on_pre_prompt.fire()\n" +
				"    print(f'{i} token=' + ${...}.get('AWS_SESSION_TOKEN', 'unset') + ' prompt=' + $AWS_MFA_PROMPT)\n"
		}},
	}
	for _, sh := range shells {
		t.Run(label(sh.bin), func(t *testing.T) {
			t.Parallel()
			path := requireShell(t, sh.bin)
			dir := t.TempDir()
			marker := filepath.Join(dir, "ran")
			d, _ := Lookup(sh.bin)
			hook, err := d.Hook(filepath.Join(dir, "aws-mfa"), hookVars)
			if err != nil {
				t.Fatal(err)
			}
			h := filepath.Join(dir, "hook")
			os.WriteFile(h, []byte(hook), 0o600)
			run := "$(touch " + marker + ")"
			values := []string{
				"x[" + run + "]", "a[" + run + "]+1", "1+a[" + run + "]", run, "`touch " + marker + "`",
				"INDIRECT", // names a variable that holds x[$(touch …)]
				"0x7fffffff", "010", "08", "-1", "+5", " 1", "1 ", "1e3", "1_000", "1.5",
				"99999999999999999999999", "\u0661\u0662\u0663", "EPOCHSECONDS", "AWS_MFA_EXPIRY",
			}
			cmd := exec.Command(path, append(sh.args, sh.script(h, len(values)))...)
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8", "XONSH_HISTORY_BACKEND=dummy", "INDIRECT=x[" + run + "]"}
			var want strings.Builder
			for i, v := range values {
				cmd.Env = append(cmd.Env, fmt.Sprintf("HOSTILE_%d=%s", i, v))
				fmt.Fprintf(&want, "%d token=keep prompt=\n", i)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if _, statErr := os.Stat(marker); statErr == nil {
				t.Errorf("a hostile AWS_MFA_EXPIRY ran a command")
			}
			if err != nil || string(out) != want.String() || stderr.Len() > 0 {
				t.Errorf("%v\n got %q\nwant %q\nstderr %q\nvalues %q", err, out, want.String(), stderr.String(), values)
			}
		})
	}
}

// TestBashHookHostileClock: before bash 5, EPOCHSECONDS is an ordinary
// variable the environment may set; the hook reads the clock itself
// unless it is plain digits. bash 5's own is unset here to stand in.
func TestBashHookHostileClock(t *testing.T) {
	path := requireShell(t, "bash")
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	d, _ := Lookup("bash")
	hook, _ := d.Hook(filepath.Join(dir, "aws-mfa"), hookVars)
	h := filepath.Join(dir, "hook")
	os.WriteFile(h, []byte(hook), 0o600)
	script := `unset EPOCHSECONDS; EPOCHSECONDS='x[$(touch ` + marker + `)]'; eval "$(cat '` + h + `')"
AWS_MFA_EXPIRY=$(( $(date +%s) + 7200 )); _aws_mfa_hook; echo "$AWS_MFA_PROMPT"`
	out, err := exec.Command(path, "--norc", "--noprofile", "-c", script).CombinedOutput()
	if _, statErr := os.Stat(marker); statErr == nil {
		t.Error("a hostile EPOCHSECONDS ran a command")
	}
	if err != nil || !strings.HasPrefix(string(out), " 1h5") && !strings.HasPrefix(string(out), " 2h00m") {
		t.Errorf("%v %q", err, out)
	}
}

// TestPromptHookHostileEnvironment: a prompt hook runs in a shell whose
// environment anyone may have set. Every value a hook could read in
// arithmetic (the shells' clocks and counters, the hook's own helper
// names) holds a command substitution; each hook still computes the
// right time left from the real clock, warns, and removes an expired
// session, and runs nothing. zsh once took an inherited EPOCHSECONDS,
// which stops zsh/datetime from loading, as its clock.
func TestPromptHookHostileEnvironment(t *testing.T) {
	// Each shell loads the hook from h, then prompts three times: two
	// hours left, five minutes and shift seconds left, expired. target
	// sets AWS_MFA_TARGET from $TARGET_i and prints "target=i". Steps
	// with a growing shift always have a new expiry, which the hook
	// warns about once more, whatever the clock did in between.
	type hookShell struct {
		bin    string
		args   []string
		load   func(h string) string
		target func(i int) string
		steps  func(shift int) string
	}
	posix := hookShell{
		load:   func(h string) string { return `eval "$(cat '` + h + `')"` + "\n" },
		target: func(i int) string { return fmt.Sprintf("export AWS_MFA_TARGET=\"$TARGET_%d\"; echo target=%d\n", i, i) },
		steps: func(shift int) string {
			return fmt.Sprintf(`export AWS_SESSION_TOKEN=keep
AWS_MFA_EXPIRY=$(( $(date +%%s) + 7200 )); _aws_mfa_hook; echo "prompt=$AWS_MFA_PROMPT"
AWS_MFA_EXPIRY=$(( $(date +%%s) + %d )); _aws_mfa_hook 2>&1; echo "prompt=$AWS_MFA_PROMPT"
AWS_MFA_EXPIRY=$(( $(date +%%s) - 5 )); _aws_mfa_hook 2>/dev/null; echo "token=${AWS_SESSION_TOKEN-unset}"
`, 300+shift)
		},
	}
	bash, oldBash, zsh := posix, posix, posix
	bash.bin, bash.args = "bash", []string{"--norc", "--noprofile", "-c"}
	oldBash.bin, oldBash.args = bash32, bash.args
	zsh.bin, zsh.args = "zsh", []string{"-f", "-c"}
	shells := []hookShell{bash, oldBash, zsh,
		{"fish", []string{"--no-config", "-c"},
			func(h string) string { return "source '" + h + "'\n" },
			func(i int) string { return fmt.Sprintf("set -gx AWS_MFA_TARGET $TARGET_%d; echo target=%d\n", i, i) },
			func(shift int) string {
				return "set -gx AWS_SESSION_TOKEN keep\n" +
					"set -gx AWS_MFA_EXPIRY (math (date +%s) + 7200); _aws_mfa_hook; echo prompt=$AWS_MFA_PROMPT\n" +
					fmt.Sprintf("set -gx AWS_MFA_EXPIRY (math (date +%%s) + %d); _aws_mfa_hook 2>&1; echo prompt=$AWS_MFA_PROMPT\n", 300+shift) +
					"set -gx AWS_MFA_EXPIRY (math (date +%s) - 5); _aws_mfa_hook 2>/dev/null; set -q AWS_SESSION_TOKEN; or set AWS_SESSION_TOKEN unset; echo token=$AWS_SESSION_TOKEN\n"
			}},
		{"xonsh", []string{"--no-rc", "-c"},
			func(h string) string { return "import time, sys\nexecx(open('" + h + "').read())\n" },
			func(i int) string { return fmt.Sprintf("$AWS_MFA_TARGET = $TARGET_%d\nprint('target=%d')\n", i, i) },
			func(shift int) string {
				return "$AWS_SESSION_TOKEN = 'keep'\n" +
					"$AWS_MFA_EXPIRY = str(int(time.time()) + 7200)\n_ = events.on_pre_prompt.fire()\nprint('prompt=' + $AWS_MFA_PROMPT)\n" +
					fmt.Sprintf("sys.stderr = sys.stdout\n$AWS_MFA_EXPIRY = str(int(time.time()) + %d)\n_ = events.on_pre_prompt.fire()\nprint('prompt=' + $AWS_MFA_PROMPT)\n", 300+shift) +
					"sys.stderr = sys.__stderr__\n$AWS_MFA_EXPIRY = str(int(time.time()) - 5)\n_ = events.on_pre_prompt.fire()\nprint('token=' + ${...}.get('AWS_SESSION_TOKEN', 'unset'))\n"
			}},
	}
	hostileNames := []string{"EPOCHSECONDS", "EPOCHREALTIME", "SECONDS", "COLUMNS", "LINES", "RANDOM", "secs", "now", "status",
		"_aws_mfa_secs", "_aws_mfa_target", "target", "_aws_mfa_warned", "_aws_mfa_vars", "_aws_mfa_bin", "AWS_MFA_PROMPT", "fish_pid", "XONSH_INTERACTIVE"}
	for _, sh := range shells {
		t.Run(label(sh.bin), func(t *testing.T) {
			t.Parallel() // its own files and environment
			path := requireShell(t, sh.bin)
			dir := t.TempDir()
			marker := filepath.Join(dir, "ran")
			d, _ := Lookup(sh.bin)
			hook, err := d.Hook(filepath.Join(dir, "aws-mfa"), hookVars)
			if err != nil {
				t.Fatal(err)
			}
			h := filepath.Join(dir, "hook")
			os.WriteFile(h, []byte(hook), 0o600)
			// The environment is read as the shell starts: a shell per value.
			for _, value := range []string{"x[$(touch " + marker + ")]", "$(touch " + marker + ")", "1", "99999999999"} {
				cmd := exec.Command(path, append(sh.args, sh.load(h)+sh.steps(0))...)
				cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8", "XONSH_HISTORY_BACKEND=dummy", "AWS_MFA_TARGET=t"}
				for _, n := range hostileNames {
					cmd.Env = append(cmd.Env, n+"="+value)
				}
				out, err := cmd.CombinedOutput()
				if _, statErr := os.Stat(marker); statErr == nil {
					t.Errorf("%s: the hostile environment ran a command", value)
					os.Remove(marker)
				}
				var lines []string // xonsh's stderr and stdout interleave
				for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
					if !strings.Contains(l, "expired and was removed") {
						lines = append(lines, l)
					}
				}
				ok := err == nil && len(lines) == 4 &&
					(lines[0] == "prompt=t 1h59m" || lines[0] == "prompt=t 2h00m") &&
					strings.HasPrefix(lines[1], "aws-mfa: the session for [t] expires in ") &&
					(lines[2] == "prompt=t 4m" || lines[2] == "prompt=t 5m") && lines[3] == "token=unset"
				if !ok {
					t.Errorf("%s: %v\n%s", value, err, out)
				}
			}
			// AWS_MFA_TARGET reaches the terminal: in the prompt and the
			// warnings. Escape sequences in it must not. The hook reads it
			// at each prompt, so one shell takes every name in turn, each
			// with an expiry of its own, so that each is warned about.
			targets := []string{"t\x1b]0;pwned\x07", "t\x1b[2J\x1b[31m", "t\u009b31m\u009d0;x\u009c", "t\r\x08\x7f\x00x", "t\xc2", "prod é"}
			script := sh.load(h)
			env := []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8", "XONSH_HISTORY_BACKEND=dummy"}
			var asked []string
			for _, target := range targets {
				if strings.ContainsRune(target, 0) && sh.bin != "xonsh" {
					continue // no environment holds a NUL
				}
				i := len(asked)
				asked = append(asked, target)
				env = append(env, fmt.Sprintf("TARGET_%d=%s", i, strings.ReplaceAll(target, "\x00", "")))
				script += sh.target(i) + sh.steps(i)
			}
			cmd := exec.Command(path, append(sh.args, script)...)
			cmd.Env = env
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err = cmd.Run()
			// stdout holds each name's prompts and warning after its
			// "target=i"; stderr only the removals (xonsh's), which name
			// the targets too.
			blocks := strings.Split(stdout.String(), "target=")[1:]
			if err != nil || len(blocks) != len(asked) {
				t.Fatalf("%v: %d of %d targets\n%s\n%s", err, len(blocks), len(asked), &stdout, &stderr)
			}
			for i, target := range asked {
				out := strings.TrimPrefix(blocks[i], fmt.Sprintf("%d\n", i))
				for _, r := range strings.ReplaceAll(out, "\n", "") {
					if r < 0x20 || r >= 0x7f && r <= 0x9f {
						t.Errorf("%q: a control character (%U) reached the terminal: %q", target, r, out)
						break
					}
				}
				if !strings.Contains(out, "prompt=t") && !strings.Contains(out, "prompt=prod é") || !strings.Contains(out, "expires in") {
					t.Errorf("%q: no prompt or no warning: %q", target, out)
				}
			}
			for _, r := range strings.ReplaceAll(stderr.String(), "\n", "") {
				if r < 0x20 || r >= 0x7f && r <= 0x9f {
					t.Errorf("a control character (%U) reached the terminal: %q", r, &stderr)
					break
				}
			}
		})
	}
}

// hostileArgs are arguments a user may pass through a hook, each of which
// a shell that parsed it once more would run or change: the marker file
// appears if any command in them runs.
func hostileArgs(marker string) []string {
	return []string{
		"`touch " + marker + "`", "$(touch " + marker + ")", "(touch " + marker + ")", "x;touch " + marker,
		"$HOME", "${HOME}", "$", `a'b"c`, `'`, `"`, `a"b`, "!", "!!", "x!y", "!$", "%", "%1", "%s",
		"a\nb", "\\", `\'`, "*", "~", "a  b", "{a,b}", "#x", "\t", "|&<>", "-p",
		strings.Repeat("long-", 800), "é€😀\u2019",
	}
}

// TestWrapperHostileArgs passes one table of hostile arguments through
// every hook's wrapper, on each of its paths (env, doctor, another
// subcommand, options first, a refresh): the binary receives each
// argument byte for byte, and nothing in them runs. csh cannot pass an
// empty argument through an alias and says so, running nothing.
func TestWrapperHostileArgs(t *testing.T) {
	for _, ws := range wrapperShells {
		t.Run(label(ws.bin), func(t *testing.T) {
			t.Parallel()
			path := requireShell(t, ws.bin)
			dir := t.TempDir()
			marker := filepath.Join(dir, "ran")
			args := hostileArgs(marker)
			write := func(name, s string) {
				t.Helper()
				if err := testproc.WriteExecutable(filepath.Join(dir, name), []byte(s), 0o700); err != nil {
					t.Fatal(err)
				}
			}
			write("aws-mfa", fakeBin)
			d, _ := Lookup(ws.hook)
			hook, err := d.Hook(filepath.Join(dir, "aws-mfa"), hookVars)
			if err != nil {
				t.Fatal(err)
			}
			write("hook", hook)
			dialect, _ := Lookup(ws.dialect)
			out, _ := dialect.Export([]Var{{Name: "X", Value: "applied"}})
			write("out", out)
			write("rc", "0")
			write("command", "")

			const target = "it's work"
			var body strings.Builder
			var want [][]string // each call: AWS_MFA_SHELL, then argv
			call := func(shell string, argv ...string) { want = append(want, append([]string{shell}, argv...)) }
			refresh := func(a []string) {
				call("unset", a...)
				if ws.reexports {
					call("unset", append([]string{"__reexport", ws.dialect, target}, a...)...)
				}
			}
			with := func(first ...string) []string { return append(first, args...) }
			body.WriteString(ws.call(with("env")...))
			call("unset", append([]string{"__env", ws.dialect}, with("env")...)...)
			body.WriteString(ws.call(with("doctor")...))
			call(ws.dialect, with("doctor")...)
			body.WriteString(ws.call(with("status")...))
			call("unset", with("status")...)
			// Options first: the binary is asked which subcommand this is
			// (none: "command" is empty), then the line runs as a refresh.
			body.WriteString(ws.call(with("-p", "work")...))
			call("unset", with("__command", "-p", "work")...)
			refresh(with("-p", "work"))
			body.WriteString(ws.call(with("123456")...))
			refresh(with("123456"))
			body.WriteString(ws.call()) // a bare refresh
			refresh(nil)
			body.WriteString(ws.call("status", "", "x"))
			if ws.hook != "tcsh" && ws.hook != "csh" {
				call("unset", "status", "", "x")
			}
			write("body", body.String())
			write("script", ws.script(filepath.Join(dir, "hook"), filepath.Join(dir, "body")))
			cmd := exec.Command(path, append(ws.args, filepath.Join(dir, "script"))...)
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8", "XONSH_HISTORY_BACKEND=dummy", "AWS_MFA_TARGET=" + target}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if _, err := cmd.Output(); err != nil {
				t.Fatalf("%v\n%s", err, &stderr)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("an argument ran a command")
			}
			if (ws.hook == "tcsh" || ws.hook == "csh") != strings.Contains(stderr.String(), "drops an empty argument") {
				t.Errorf("stderr: %s", &stderr)
			}
			b, _ := os.ReadFile(filepath.Join(dir, "argv"))
			got := parseCalls(t, b)
			for i := 0; i < max(len(got), len(want)); i++ {
				switch {
				case i >= len(got):
					t.Errorf("call %d never came: %q", i, want[i])
				case i >= len(want):
					t.Errorf("call %d was not expected: %q", i, got[i])
				case !slices.Equal(got[i], want[i]):
					t.Errorf("call %d:\n got %q\nwant %q", i, got[i], want[i])
				}
			}
		})
	}
}

// parseCalls reads the fake binary's argv file: for each call,
// AWS_MFA_SHELL, the count and the arguments, each ending in a NUL.
func parseCalls(t *testing.T, b []byte) [][]string {
	t.Helper()
	fields := strings.Split(string(b), "\x00")
	var calls [][]string
	for len(fields) > 2 {
		n, err := strconv.Atoi(fields[1])
		if err != nil || len(fields) < 2+n {
			t.Fatalf("argv file: %q", b)
		}
		calls = append(calls, append([]string{fields[0]}, fields[2:2+n]...))
		fields = fields[2+n:]
	}
	return calls
}

// TestWrapperInASubshell: bash's and zsh's wrappers tell the binary, in
// AWS_MFA_SUBSHELL for that call only, how deep a subshell runs an env
// line (eval "$(aws-mfa env)", which the docs show for shells without the
// hook, or parentheses whose output goes to a file), so that its note can
// say the session ends with it. They apply the session there, as in the
// shell, and print nothing: the output may be a log.
func TestWrapperInASubshell(t *testing.T) {
	const fake = "#!/bin/sh\nprintf '%s|%s\\n' \"${AWS_MFA_SUBSHELL-unset}\" \"$*\" >>\"${0%/*}/calls\"\ncat \"${0%/*}/out\"\n"
	for _, ws := range wrapperShells {
		if ws.hook != "bash" && ws.hook != "zsh" {
			continue
		}
		t.Run(label(ws.bin), func(t *testing.T) {
			t.Parallel()
			path := requireShell(t, ws.bin)
			dir := t.TempDir()
			d, _ := Lookup(ws.hook)
			hook, _ := d.Hook(filepath.Join(dir, "aws-mfa"), hookVars)
			applied, _ := d.Export([]Var{{Name: "X", Value: "CANARY-APPLIED"}})
			log := filepath.Join(dir, "log")
			for name, s := range map[string]string{
				"aws-mfa": fake, "hook": hook, "out": applied,
				"body": `eval "$(aws-mfa env 123456)"` + "\n" + ws.show +
					"( aws-mfa env 222333; " + strings.TrimSuffix(ws.show, "\n") + " ) > '" + log + "'\ncat '" + log + "'\n" +
					"aws-mfa env 333444\n" + ws.show + "echo \"left=${AWS_MFA_SUBSHELL-unset}\"\n",
			} {
				testproc.WriteExecutable(filepath.Join(dir, name), []byte(s), 0o700)
			}
			os.WriteFile(filepath.Join(dir, "script"), []byte(ws.script(filepath.Join(dir, "hook"), filepath.Join(dir, "body"))), 0o600)
			cmd := exec.Command(path, append(ws.args, filepath.Join(dir, "script"))...)
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8"}
			out, err := cmd.CombinedOutput()
			if want := "X=unset\nX=CANARY-APPLIED\nX=CANARY-APPLIED\nleft=unset\n"; err != nil || string(out) != want {
				t.Errorf("%v: output\n%s\nwant\n%s", err, out, want)
			}
			calls, _ := os.ReadFile(filepath.Join(dir, "calls"))
			if want := "1|__env " + ws.dialect + " env 123456\n1|__env " + ws.dialect + " env 222333\n0|__env " + ws.dialect + " env 333444\n"; string(calls) != want {
				t.Errorf("the binary was called as\n%s\nwant\n%s", calls, want)
			}
		})
	}
}

// TestBashHookInPOSIXMode: in bash's POSIX mode the hook's aws-mfa is a
// function as anywhere (an alias would not be in force on the line that
// loads it, in a function defined before it, or after set +o posix in a
// script), and loading it again leaves the wrapper intact: each line
// applies what the binary printed, and prints none of it.
func TestBashHookInPOSIXMode(t *testing.T) {
	for _, bin := range []string{"bash", bash32} {
		t.Run(label(bin), func(t *testing.T) {
			t.Parallel()
			path := requireShell(t, bin)
			dir := t.TempDir()
			d, _ := Lookup("bash")
			hook, _ := d.Hook(filepath.Join(dir, "aws-mfa"), hookVars)
			applied, _ := d.Export([]Var{{Name: "X", Value: "CANARY-APPLIED"}})
			for name, s := range map[string]string{"aws-mfa": fakeBin, "hook": hook, "out": applied, "rc": "0"} {
				testproc.WriteExecutable(filepath.Join(dir, name), []byte(s), 0o700)
			}
			load := `eval "$(cat '` + filepath.Join(dir, "hook") + `')"`
			for _, script := range []string{
				load + "; aws-mfa env 123456; echo \"X=${X-unset}\"",
				load + "\nset +o posix\naws-mfa env 123456\necho \"X=${X-unset}\"",
				"f() { aws-mfa env 123456; }\n" + load + "\nf\necho \"X=${X-unset}\"",
				load + "\nset +o posix\n" + load + "\naws-mfa env 123456\necho \"X=${X-unset}\"",
			} {
				out, err := exec.Command(path, "--posix", "--norc", "--noprofile", "-c", script).CombinedOutput()
				if err != nil || string(out) != "X=CANARY-APPLIED\n" {
					t.Errorf("%v: %q\nprinted %q", err, script, out)
				}
			}
		})
	}
}

// TestWrapperTracesNoSecret: with the shell's own tracing on (set -x and
// set -v; fish_trace; csh's echo and verbose), which prints the commands
// it runs, an env line through the wrapper prints nothing of the
// session, applies it, and leaves the tracing on. elvish, xonsh and nu
// have no such mode for the code they evaluate.
func TestWrapperTracesNoSecret(t *testing.T) {
	for _, ws := range wrapperShells {
		// on turns tracing on; check turns it off, prints what was on,
		// then whether X holds the file want's text (no canary in the
		// script, which set -v would print).
		var on, check, traced string
		switch ws.hook {
		case "bash", "zsh", "sh":
			on, traced = "set -xv\n", "x=1 v=1"
			check = "_t=$-; set +xv\ncase $_t in *x*) x=1 ;; esac; case $_t in *v*) v=1 ;; esac\necho \"x=$x v=$v\"\n[ \"$X\" = \"$(cat @want@)\" ] && echo applied\n"
		case "fish":
			on, traced = "set -g fish_trace 1\n", "1"
			check = "set -l t $fish_trace; set -e fish_trace\necho $t\ntest \"$X\" = (cat @want@); and echo applied\n"
		case "tcsh", "csh":
			on, traced = "set echo\nset verbose\n", "11"
			check = "set _t = \"$?echo$?verbose\"; unset echo verbose\necho $_t\nif (\"$X\" == \"`cat @want@`\") echo applied\n"
		default:
			continue
		}
		t.Run(label(ws.bin), func(t *testing.T) {
			t.Parallel()
			path := requireShell(t, ws.bin)
			dir := t.TempDir()
			write := func(name, s string) {
				t.Helper()
				if err := testproc.WriteExecutable(filepath.Join(dir, name), []byte(s), 0o700); err != nil {
					t.Fatal(err)
				}
			}
			exe := filepath.Join(dir, "aws-mfa")
			write("aws-mfa", fakeBin)
			d, _ := Lookup(ws.hook)
			hook, err := d.Hook(exe, hookVars)
			if err != nil {
				t.Fatal(err)
			}
			dialect, _ := Lookup(ws.dialect)
			out, _ := dialect.Export([]Var{{Name: "X", Value: "CANARY-TRACED"}})
			write("hook", hook)
			write("out", out)
			write("rc", "0")
			write("want", "CANARY-TRACED")
			write("body", on+ws.call("env", "123456")+strings.ReplaceAll(check, "@want@", "'"+dir+"/want'"))
			write("script", ws.script(filepath.Join(dir, "hook"), filepath.Join(dir, "body")))
			cmd := exec.Command(path, append(ws.args, filepath.Join(dir, "script"))...)
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8"}
			got, err := cmd.CombinedOutput()
			if err != nil || strings.Contains(string(got), "CANARY") || !strings.Contains(string(got), "\n"+traced+"\napplied\n") {
				t.Errorf("%v; want the session applied, tracing (%s) still on, and no canary:\n%s", err, traced, got)
			}
		})
	}
}
