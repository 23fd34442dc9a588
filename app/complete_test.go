package app

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
	"github.com/aws-mfa/aws-mfa/shells"
)

// TestComplete drives `aws-mfa __complete` as the hooks do, through Run:
// the words typed after aws-mfa, the last one being completed.
func TestComplete(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n\n[pair.play]\nsource = \"p-src\"\ntarget = \"p\"\n"), 0o600)
	other := filepath.Join(dir, "other.toml")
	os.WriteFile(other, []byte("[pair.elsewhere]\nsource = \"a\"\ntarget = \"b\"\n"), 0o600)
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[pair.x\n"), 0o600)

	for _, c := range []struct {
		args []string
		code int
		has  []string // words that must be offered
		not  []string // words that must not be
	}{
		{args: []string{""}, has: []string{"env", "exec", "console", "status", "hook", "setup", "doctor"}, not: []string{"__complete"}},
		{args: []string{"console", "--f"}, has: []string{"--federation-url", "--force"}},
		{args: []string{"console", "-p", ""}, has: []string{"work"}},
		{args: []string{"st"}, has: []string{"status"}},
		{args: []string{"help", ""}, has: []string{"env", "hook"}},
		{args: []string{"env", ""}, not: []string{"h", "help", "env"}},
		{args: []string{"env", "--"}, has: []string{"--no-write", "--cached", "--unset", "--shell", "--format", "--pair", "-p", "--timeout"}},
		{args: []string{"-"}, has: []string{"--pair", "--force", "--version"}, not: []string{"--shell", "--no-write"}},
		{args: []string{"env", "--shell", ""}, has: []string{"bash", "fish", "tcsh", "nu", "cmd", "dotenv"}},
		{args: []string{"env", "--shell", "=", ""}, has: []string{"bash"}}, // bash splits --shell=
		{args: []string{"env", "--shell=fi"}, has: []string{"--shell=fish"}, not: []string{"fish", "--shell"}},
		{args: []string{"--pair=w"}, has: []string{"--pair=work"}},
		{args: []string{"env", "--format", ""}, has: []string{"shell", "json", "dotenv"}, not: []string{"bash"}},
		{args: []string{"hook", ""}, has: []string{"bash", "zsh", "sh", "fish", "tcsh", "csh", "elvish", "xonsh", "nu", "pwsh"}, not: []string{"cmd", "dotenv"}},
		{args: []string{"hook", "bash", ""}, not: []string{"bash", "zsh"}},
		{args: []string{"-p", ""}, has: []string{"work", "play"}},
		{args: []string{"status", "--pair", "w"}, has: []string{"work", "play"}}, // the shell filters
		{args: []string{"--config", other, "-p", ""}, has: []string{"elsewhere"}, not: []string{"work"}},
		{args: []string{"env", "--config=" + other, "-p", ""}, has: []string{"elsewhere"}},
		{args: []string{"--config", bad, "-p", ""}, not: []string{"work", "x"}},
		{args: []string{"-p", "work", "env", "--sh"}, has: []string{"--shell"}}, // options before the subcommand
		{args: []string{"--duration", "env", ""}, has: []string{"env"}},         // "env" was --duration's value
		{args: []string{"--config", ""}, code: exitFiles},
		{args: []string{"exec", "--", "l"}, code: exitCommand, has: []string{"3"}}, // exec's command line starts at word 3
		{args: []string{"exec", ""}, code: exitCommand, has: []string{"2"}},
		{args: []string{"exec", "-p", "work", "--", "aws", "s3", ""}, code: exitCommand, has: []string{"5"}},
		{args: []string{"-p", "work", "exec", "123456", "--", "aws", ""}, code: exitCommand, has: []string{"6"}},
		{args: []string{"exec", "aws", "s3", ""}, code: exitCommand, has: []string{"2"}},
		{args: []string{"exec", "--no-w"}, has: []string{"--no-write"}},
		{args: []string{"exec", "-p", ""}, has: []string{"work"}},
		{args: []string{"env", "123456", ""}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			sys := System{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string {
				if k == "AWS_MFA_CONFIG" {
					return cfg
				}
				return ""
			}}
			code := Run(append([]string{"aws-mfa", "__complete"}, c.args...), sys)
			if code != c.code {
				t.Fatalf("exit %d, want %d; %s", code, c.code, stderr.String())
			}
			var words []string
			for _, line := range strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n") {
				w, _, _ := strings.Cut(line, "\t")
				words = append(words, w)
			}
			for _, w := range c.has {
				if !slices.Contains(words, w) {
					t.Errorf("%q not offered in %q", w, words)
				}
			}
			for _, w := range c.not {
				if slices.Contains(words, w) {
					t.Errorf("%q offered", w)
				}
			}
			if code == exitFiles && stdout.Len() > 0 {
				t.Errorf("files, and words too: %q", stdout.String())
			}
		})
	}
}

// TestCompleteOffersEveryFlag: every visible flag of every command, by each
// of its names, with a description, so the lists cannot fall behind.
func TestCompleteOffersEveryFlag(t *testing.T) {
	t.Parallel()
	a := newApp(System{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: noEnv})
	for _, cmd := range a.VisibleCommands() {
		var stdout bytes.Buffer
		sys := System{Stdout: &stdout, Stderr: &bytes.Buffer{}, Getenv: noEnv}
		if code := Run([]string{"aws-mfa", "__complete", cmd.Name, "-"}, sys); code != 0 {
			t.Fatalf("%s: exit %d", cmd.Name, code)
		}
		for _, f := range cmd.Flags {
			for _, n := range f.Names() {
				dash := "--"
				if len(n) == 1 {
					dash = "-"
				}
				if !strings.Contains(stdout.String(), "\n"+dash+n+"\t") && !strings.HasPrefix(stdout.String(), dash+n+"\t") {
					t.Errorf("%s: %s%s not offered with a description", cmd.Name, dash, n)
				}
			}
		}
	}
}

// TestFormatDescriptionNamesEveryFormat: --format's description, which
// zsh and fish show beside it, names every format (it was cut to
// "shell, json" at the parenthesis that came before dotenv).
func TestFormatDescriptionNamesEveryFormat(t *testing.T) {
	t.Parallel()
	var stdout bytes.Buffer
	Run([]string{"aws-mfa", "__complete", "env", "--"}, System{Stdout: &stdout, Stderr: io.Discard, Getenv: noEnv})
	var desc string
	for _, line := range strings.Split(stdout.String(), "\n") {
		if d, ok := strings.CutPrefix(line, "--format\t"); ok {
			desc = d
		}
	}
	for _, f := range shells.Formats {
		if !strings.Contains(desc, f.Name) {
			t.Errorf("--format's description %q does not name %s", desc, f.Name)
		}
	}
}

// TestCompletedFormatsAreAccepted: each --format that completion offers is
// one env knows.
func TestCompletedFormatsAreAccepted(t *testing.T) {
	t.Parallel()
	for _, f := range append(shells.Formats, shells.Format{Name: "yaml", Desc: "(not a format: the check's control)"}) {
		sys, stderr, _ := testSystem(t, t.TempDir())
		Run([]string{"aws-mfa", "env", "--format", f.Name, "--unset", "--shell", "bash"}, sys)
		if unknown := strings.Contains(stderr.String(), "unknown --format"); unknown != (f.Name == "yaml") {
			t.Errorf("--format %s: %s", f.Name, stderr.String())
		}
	}
}

// TestCommandOfALine: __command names the subcommand of a line whose
// options come first, as placeOptions reads it, with its place from 1.
func TestCommandOfALine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-p", "work", "env", "123456"}, "3 env\n"},
		{[]string{"--pair=work", "-v", "env"}, "3 env\n"},
		{[]string{"-f", "--config", "x.toml", "status"}, "4 status\n"},
		{[]string{"--duration", "env"}, ""}, // env is --duration's value: a refresh
		{[]string{"-p", "work", "123456"}, ""},
		{[]string{"-v", "doctor"}, "2 doctor\n"},
		{[]string{"-p", "x", "__env", "bash"}, ""}, // hidden commands are not named
		// urfave/cli reads a command after a leading --, as env here
		{[]string{"--", "env", "123456"}, "2 env\n"},
		{[]string{"-p", "work", "--", "env"}, "4 env\n"},
		{[]string{"-p", "work", "--", "status"}, "4 status\n"},
		{[]string{"--", "123456"}, ""},
		{[]string{"--", "--", "env"}, ""},
	} {
		var stdout bytes.Buffer
		sys := System{Stdout: &stdout, Stderr: &bytes.Buffer{}, Getenv: noEnv}
		if code := Run(append([]string{"aws-mfa", "__command"}, c.args...), sys); code != 0 || stdout.String() != c.want {
			t.Errorf("%q: exit %d, %q, want %q", c.args, code, stdout.String(), c.want)
		}
	}
}

// TestEnvInALine: __env runs an env line with the dialect placed right
// after env, before the code; anything else is refused.
func TestEnvInALine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string // in stdout, or in stderr for a refusal
		code int
	}{
		{[]string{"fish", "-p", "default", "env", "--unset"}, "if set -q AWS_SESSION_TOKEN; set -e AWS_SESSION_TOKEN; end\n", 0},
		{[]string{"tcsh", "--pair=default", "env", "--unset"}, "unsetenv AWS_SESSION_TOKEN;\n", 0},
		{[]string{"bash", "-p", "default", "status"}, "__env needs an env command line", 2},
		{nil, "__env needs a dialect", 2},
	} {
		sys, stderr, _ := testSystem(t, t.TempDir())
		var stdout bytes.Buffer
		sys.Stdout = &stdout
		code := Run(append([]string{"aws-mfa", "__env"}, c.args...), sys)
		if code != c.code || !strings.Contains(stdout.String()+stderr.String(), c.want) {
			t.Errorf("%q: exit %d\nstdout %q\nstderr %q", c.args, code, stdout.String(), stderr.String())
		}
	}
}

// tripwire fails every read, write or open, and counts them.
type tripwire struct{ n *int }

func (w tripwire) Read([]byte) (int, error)  { *w.n++; return 0, io.ErrUnexpectedEOF }
func (w tripwire) Write([]byte) (int, error) { *w.n++; return 0, io.ErrClosedPipe }
func (w tripwire) Close() error              { return nil }

// TestCompleteRunsNothing: completion answers from the words alone. Over
// every subcommand (hidden ones too), with options before it, with a
// code, -t CODE, a -- and a command after it, help, version and
// urfave/cli's own completion flag, __complete never runs a command,
// never asks for or reads a code (stdin, terminal, token_command), never
// calls STS and never writes a file. (Tab after `aws-mfa exec CODE --
// CMD` once ran CMD and spent the code.)
func TestCompleteRunsNothing(t *testing.T) {
	t.Parallel()
	emu := stsemu.Start(stsemu.User{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "s", Serial: "arn:aws:iam::123456789012:mfa/alice", Code: "314159"})
	defer emu.Close()
	dir := t.TempDir()
	mark := filepath.Join(dir, "ran")
	creds := filepath.Join(dir, "credentials")
	source := "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
	os.WriteFile(creds, []byte(source), 0o600)
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[defaults]\ntoken_command = [\"sh\", \"-c\", \"touch '"+mark+"'; echo 314159\"]\n[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n"), 0o600)
	vars := map[string]string{
		"AWS_MFA_CONFIG": cfg, "AWS_SHARED_CREDENTIALS_FILE": creds, "AWS_CONFIG_FILE": filepath.Join(dir, "config"),
		"AWS_ENDPOINT_URL_STS": emu.URL, "HOME": dir, "XDG_CONFIG_HOME": dir, "PATH": os.Getenv("PATH"),
	}
	before, _ := os.ReadDir(dir)

	var reads, execs, ttys int
	sys := System{
		Stdin: tripwire{&reads}, Stderr: io.Discard,
		Getenv:        func(k string) string { return vars[k] },
		Environ:       func() []string { return nil },
		Now:           time.Now,
		IsTerminal:    func(any) bool { return true }, // a prompt would be tried
		ParentProcess: func() string { return "bash" },
		Exec:          func(string, []string, []string) error { execs++; return nil },
		Args0:         "aws-mfa",
		Executable:    func() (string, error) { return "/bin/aws-mfa", nil },
		TTY:           func() (io.ReadWriteCloser, error) { ttys++; return tripwire{&ttys}, nil },
	}
	var subcommands []string
	for _, c := range newApp(sys).Commands {
		subcommands = append(subcommands, c.Name)
	}
	slices.Sort(subcommands)
	if !slices.Contains(subcommands, "__complete") || !slices.Contains(subcommands, "exec") {
		t.Fatalf("subcommands %q", subcommands)
	}
	subcommands = append(subcommands, "", "help", "314159")
	touch := []string{"touch", mark}
	middles := [][]string{
		nil, {"314159"}, {"-t", "314159"}, {"--token=314159"}, {"--force", "314159"},
		append([]string{"--"}, touch...), append([]string{"314159", "--"}, touch...), append([]string{"-t", "314159", "--"}, touch...),
		{"--help"}, {"-h"}, {"--version"}, {"--generate-bash-completion"}, {"--", "--generate-bash-completion"},
	}
	lasts := []string{"", "x", "-", "--", "--generate-bash-completion", "314159"}
	var runs, n int
	for _, pre := range [][]string{nil, {"-p", "work"}, {"-v", "--force"}, {"-t", "314159"}} {
		for _, sub := range subcommands {
			for _, mid := range middles {
				for _, last := range lasts {
					n++
					if testing.Short() && n%5 != 0 {
						continue // the inner loop completes every fifth line
					}
					words := slices.Concat(pre, []string{sub}, mid, []string{last})
					if sub == "" {
						words = slices.Concat(pre, mid, []string{last})
					}
					var stdout bytes.Buffer
					sys.Stdout = &stdout
					code := Run(append([]string{"aws-mfa", "__complete"}, words...), sys)
					runs++
					if code != 0 && code != exitFiles && code != exitCommand {
						t.Errorf("__complete %q: exit %d", words, code)
					}
					if _, err := os.Stat(mark); err == nil || reads+execs+ttys > 0 || emu.Requests() > 0 {
						t.Fatalf("__complete %q ran something: command or token_command %v, stdin %d, exec %d, terminal %d, STS %d",
							words, err == nil, reads, execs, ttys, emu.Requests())
					}
					if strings.Contains(stdout.String(), "FwoG") || strings.Contains(stdout.String(), "AWS_") {
						t.Fatalf("__complete %q printed a session: %q", words, stdout.String())
					}
				}
			}
		}
	}
	after, _ := os.ReadDir(dir)
	if b, _ := os.ReadFile(creds); string(b) != source || len(after) != len(before) {
		t.Errorf("completion wrote files: %d entries, was %d; credentials:\n%s", len(after), len(before), b)
	}
	t.Logf("%d command lines completed", runs)
}

// TestCompleteLines: each candidate is one line, a word, a tab and its
// description, both never empty, for every kind of candidate: commands,
// every command's flags, flag values, hook shells and pairs.
func TestCompleteLines(t *testing.T) {
	t.Parallel()
	sys, _, _ := lineSystem(t, lineConfig, lineCreds)
	lines := [][]string{{""}, {"help", ""}, {"-"}, {"hook", ""}, {"-p", ""}, {"env", "--shell", ""}, {"env", "--format", "=", ""}, {"env", "--shell=b"}}
	for _, c := range newApp(sys).VisibleCommands() {
		lines = append(lines, []string{c.Name, "-"})
	}
	for _, words := range lines {
		var stdout bytes.Buffer
		sys.Stdout = &stdout
		if code := Run(append([]string{"aws-mfa", "__complete"}, words...), sys); code != 0 || stdout.Len() == 0 {
			t.Fatalf("%q: exit %d, %q", words, code, stdout.String())
		}
		for _, line := range strings.SplitAfter(stdout.String(), "\n") {
			if word, desc, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t"); line != "" && (!ok || word == "" || desc == "" || strings.Contains(desc, "\t")) {
				t.Errorf("%q: line %q", words, line)
			}
		}
		if !strings.HasSuffix(stdout.String(), "\n") {
			t.Errorf("%q: %q ends with no newline", words, stdout.String())
		}
	}
}

// TestCommandOfALineAgreesWithUrfave: for every line of up to three words
// from options, values, --, commands and a code, the command __command
// names (through scan) is the one urfave/cli runs: the hooks route a
// line by that answer, and a wrong one ran env unwrapped (aws-mfa -- env
// printed the session instead of applying it).
func TestCommandOfALineAgreesWithUrfave(t *testing.T) {
	t.Parallel()
	vocab := []string{"--", "-p", "work", "-v", "--pair=x", "env", "status", "123456", "--duration", "-", "keyring", "help", "=", "exec"}
	var ran string
	a := newApp(System{Stdout: io.Discard, Stderr: io.Discard, Getenv: noEnv})
	a.Action = func(*cli.Context) error { ran = ""; return nil }
	for _, c := range a.Commands {
		name := c.Name
		c.Before, c.Action = nil, func(*cli.Context) error { ran = name; return nil }
	}
	const depth = 3 // 2,954 lines; each class of disagreement shows by three words
	var line []string
	var walk func()
	walk = func() {
		if len(line) > 0 {
			ran = "refused"
			if a.Run(append([]string{"aws-mfa"}, line...)) == nil && ran != "refused" {
				named := ""
				if s := scan(a, line, false); s.cmd != nil {
					named = s.cmd.Name
				}
				if named != ran {
					t.Errorf("%q: urfave/cli runs %q, __command names %q", line, ran, named)
				}
			}
		}
		if len(line) == depth {
			return
		}
		for _, w := range vocab {
			line = append(line, w)
			walk()
			line = line[:len(line)-1]
		}
	}
	walk()
}

// TestEnvNotesInASubshell: told by a hook's wrapper that it runs in a
// subshell (AWS_MFA_SUBSHELL, not 0), __env says that what it applies
// ends there, for a session (fresh or cached) and for --unset; for output
// that is passed on, not applied, it says nothing of the sort. Told 0, or
// nothing, it says "this shell".
func TestEnvNotesInASubshell(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	const sub = "aws-mfa: applied [default] to a subshell only, where it ends with the subshell; with the hook loaded, run aws-mfa env itself, not in \"$(...)\"\n"
	for _, tc := range []struct {
		depth string
		args  []string
		want  string // the last line of stderr
		not   string // in stderr
	}{
		{"1", []string{"env", "314159"}, sub, "this shell"},
		{"2", []string{"env", "--cached"}, sub, "this shell"},
		{"0", []string{"env", "--cached"}, "aws-mfa: applied [default] to this shell, valid until ", "subshell"},
		{"", []string{"env", "--cached"}, "aws-mfa: applied [default] to this shell, valid until ", "subshell"},
		{"1", []string{"env", "--unset"}, "aws-mfa: removed the session from a subshell only; with the hook loaded, run aws-mfa env --unset itself, not in \"$(...)\"\n", "this shell"},
		{"1", []string{"env", "--cached", "--format", "json"}, "", "subshell"},
		// Only bash's and zsh's wrappers tell; under another hook the
		// variable is one left in the environment.
		{"1", []string{"env", "--cached", "--shell", "fish"}, "aws-mfa: applied [default] to this shell, valid until ", "subshell"},
		{"1", []string{"env", "--cached", "--shell", "sh"}, "aws-mfa: applied [default] to this shell, valid until ", "subshell"},
		{"1", []string{"env", "--cached", "--shell", "zsh"}, sub, "this shell"},
	} {
		r.env["AWS_MFA_SUBSHELL"] = tc.depth
		dialect := "bash"
		if i := slices.Index(tc.args, "--shell"); i >= 0 {
			dialect = tc.args[i+1]
		}
		stdout, stderr, code := r.run("", append([]string{"__env", dialect}, tc.args...)...)
		lines := strings.SplitAfter(stderr, "\n")
		if last := lines[max(0, len(lines)-2)]; code != 0 || stdout == "" || !strings.HasPrefix(last, tc.want) || strings.Contains(stderr, tc.not) {
			t.Errorf("AWS_MFA_SUBSHELL=%q %q: exit %d, stderr %q, want it to end %q", tc.depth, tc.args, code, stderr, tc.want)
		}
	}
}
