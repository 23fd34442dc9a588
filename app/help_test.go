package app

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func run(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	sys := System{Stdout: &out, Stderr: &errb, Getenv: noEnv, IsTerminal: func(any) bool { return false }}
	code = Run(append([]string{"aws-mfa"}, args...), sys)
	return out.String(), errb.String(), code
}

// noEnv is an empty environment with a home that cannot exist: with no
// HOME, home would come from the user database, and tests would read the
// real ~/.config/aws-mfa and ~/.aws.
func noEnv(k string) string {
	if k == "HOME" {
		return "/nonexistent/aws-mfa-test-home"
	}
	return ""
}

// TestHelp: every way of asking for help prints to stdout, exits 0, and
// says what the command takes.
func TestHelp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"USAGE:", "env", "status", "--pair"}},
		{[]string{"-h"}, []string{"USAGE:"}},
		{[]string{"help"}, []string{"USAGE:", "doctor"}},
		{[]string{"help", "env"}, []string{"aws-mfa env", "--shell", "fish", "xonsh", "dotenv", "--format"}},
		{[]string{"env", "--help"}, []string{"aws-mfa env", "bash, bsd-csh, busybox", "--shell NAME", "--format F"}},
		// The value names and defaults docs/usage.md's table gives.
		{[]string{"exec", "--help"}, []string{"--duration D", "--timeout D", "--endpoint-url URL", "(default: the pair's, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL"}},
		{[]string{"hook", "--help"}, []string{"aws-mfa hook", "SHELL is one of ash, bash, bsd-csh, busybox, csh, dash, elvish, fish", "zsh."}},
		{[]string{"help", "hook"}, []string{"SHELL is one of"}},
		{[]string{"status", "-h"}, []string{"--json"}},
		{[]string{"setup", "--help"}, []string{"--serial"}},
		{[]string{"console", "--help"}, []string{"aws-mfa console", "--print", "--federation-url", "15 minutes", "--no-write"}},
	} {
		stdout, stderr, code := run(tc.args...)
		if code != 0 || stderr != "" {
			t.Errorf("%q: exit %d, stderr %q", tc.args, code, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("%q: stdout lacks %q:\n%s", tc.args, w, stdout)
			}
		}
	}
	// The usage line names each command the help lists (keyring was left out).
	if stdout, _, _ := run("--help"); !strings.Contains(stdout, "aws-mfa env|exec|console|status|hook|setup|doctor|rotate|keyring [options] ...") {
		t.Errorf("--help's usage line lacks a command:\n%s", stdout)
	}
	if stdout, _, _ := run("hook", "--help"); strings.Contains(stdout, "cmd") || strings.Contains(stdout, "dotenv") {
		t.Errorf("hook --help offers shells hook refuses:\n%s", stdout)
	}
}

// TestDidYouMean: a mistyped command, option or pair name is exit 2 with
// the name it was meant to be; a word far from any is listed against all.
func TestDidYouMean(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"statsu"}, `unknown command "statsu"; did you mean status? See aws-mfa --help`},
		{[]string{"stauts"}, "did you mean status?"},
		{[]string{"docter"}, "did you mean doctor?"},
		{[]string{"ev"}, "did you mean env?"},
		{[]string{"exce", "--", "true"}, "did you mean exec?"},
		{[]string{"hepl"}, "did you mean help?"},
		{[]string{"consloe"}, "did you mean console?"},
		{[]string{"console", "--prnt"}, "did you mean --print?"},
		{[]string{"refresh"}, `unknown command "refresh"; the commands are env, exec, console, status, hook, setup, doctor, `},
		{[]string{"refresh"}, `help, or give a six-digit code; see aws-mfa --help`},
		{[]string{"--foce"}, "unknown option --foce; did you mean --force? See aws-mfa --help"},
		{[]string{"env", "--shel", "sh"}, "unknown option --shel; did you mean --shell? See aws-mfa env --help"},
		{[]string{"status", "--jsno"}, "did you mean --json?"},
		{[]string{"setup", "--seriall", "x"}, "did you mean --serial?"},
		{[]string{"--zzzzzz"}, "unknown option --zzzzzz; see aws-mfa --help"},
		{[]string{"hook", "cmd"}, `hook has no "cmd" shell; use one of ash, bash`},
		{[]string{"hook", "bsah"}, `hook has no "bsah" shell; did you mean bash? The shells are ash, bash`},
		{[]string{"env", "--shell", "zhs"}, `unknown --shell "zhs"; did you mean zsh?`},
		{[]string{"help", "statsu"}, `no command "statsu" to help with; did you mean status? See aws-mfa --help`},
		{[]string{"help", "zzz"}, `no command "zzz" to help with; the commands are env, exec, console, status, hook, setup, doctor`},
		{[]string{"keyring", "exprot"}, `keyring has no command "exprot"; did you mean export? See aws-mfa keyring --help`},
		{[]string{"keyring", "bogus"}, `keyring has no command "bogus"; its commands are export, help; see aws-mfa keyring --help`},
		{[]string{"keyring", "help", "bogus"}, `keyring has no command "bogus"; its commands are export, help`},
		{[]string{"keyring", "help", "exprot"}, "did you mean export?"},
	} {
		stdout, stderr, code := run(tc.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
}

// TestNoUrfaveCompletion: the hooks complete through __complete, which
// reads only the words. urfave/cli's own --generate-bash-completion (whose
// callbacks ran inside the command line being completed) is not an option
// any more: it is refused, prints nothing on stdout, and runs nothing.
func TestNoUrfaveCompletion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"hook", "--generate-bash-completion"}, {"--generate-bash-completion"}, {"env", "--generate-bash-completion"}} {
		stdout, stderr, code := run(args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "unknown option --generate-bash-completion") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

// TestEveryCommandRefusesUnknownOption walks every command the app has, at
// every depth (help commands too): an unknown option, or an unknown word
// after help, is exit 2 with one line on stderr and nothing on stdout, and
// the help that line points to is a command line that prints help.
func TestEveryCommandRefusesUnknownOption(t *testing.T) {
	t.Parallel()
	seeHelp := regexp.MustCompile(`[Ss]ee (aws-mfa(?: [a-z]+)*) --help`)
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, c := range cmds {
			if c.Hidden && c.Name != "help" {
				continue // the hooks' machine commands take no options
			}
			p := append(slices.Clone(path), c.Name)
			lines := [][]string{append(slices.Clone(p), "--bogus")}
			if c.Name == "help" {
				lines = append(lines, append(slices.Clone(p), "bogus"))
			}
			for _, args := range lines {
				stdout, stderr, code := run(args...)
				if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "aws-mfa: ") {
					t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one line on stderr", args, code, stdout, stderr)
					continue
				}
				m := seeHelp.FindStringSubmatch(stderr)
				if m == nil {
					continue // it lists what may come instead
				}
				help := append(strings.Fields(m[1])[1:], "--help")
				if out, errs, code := run(help...); code != 0 || out == "" {
					t.Errorf("%q: %q points to %q, which exits %d: %q", args, stderr, help, code, errs)
				}
			}
			walk(p, c.Subcommands)
		}
	}
	walk(nil, newApp(System{}).Commands)
}
