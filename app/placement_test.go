package app

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// sample is a value of the flag's type, as typed on the command line.
func sample(f cli.Flag) []string {
	switch f.(type) {
	case *cli.BoolFlag:
		return nil
	case *cli.DurationFlag:
		return []string{"90s"}
	}
	return []string{"v-" + f.Names()[0]}
}

// seen runs args with every command's action replaced by one that records
// what each of its flags reads, and returns that record, or the error.
func seen(t *testing.T, args []string) (string, int, string) {
	t.Helper()
	var stderr bytes.Buffer
	sys := System{Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: noEnv}
	a := newApp(sys)
	var record strings.Builder
	for _, cmd := range a.Commands {
		cmd.Action = func(c *cli.Context) error {
			for _, f := range c.Command.Flags {
				n := f.Names()[0]
				fmt.Fprintf(&record, "%s=%v set=%v\n", n, c.Value(n), c.IsSet(n))
			}
			return nil
		}
	}
	err := a.Run(args)
	code := 0
	if err != nil {
		code = 1
		if strings.Contains(err.Error(), "does not apply") || strings.Contains(err.Error(), "given twice") || strings.Contains(err.Error(), "is an option of") {
			code = 2
		}
	}
	if err != nil {
		stderr.WriteString(err.Error())
	}
	return record.String(), code, stderr.String()
}

// TestOptionPlacement: every option of the app, given before each
// subcommand, reads in the subcommand exactly as when given after it;
// one the subcommand does not take is refused, never ignored.
func TestOptionPlacement(t *testing.T) {
	t.Parallel()
	a := newApp(System{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: noEnv})
	for _, cmd := range a.Commands {
		if cmd.Name == "help" {
			continue // TestHelpAfterOptions: help uses no option, and is shown whatever stands before it
		}
		for _, f := range a.Flags {
			names := f.Names()
			if names[0] == "help" || names[0] == "version" {
				continue
			}
			for _, spelling := range names {
				opt := append([]string{dashed(spelling)}, sample(f)...)
				t.Run(cmd.Name+"/"+spelling, func(t *testing.T) {
					before := append(append([]string{"aws-mfa"}, opt...), cmd.Name)
					after := append([]string{"aws-mfa", cmd.Name}, opt...)
					gotB, codeB, errB := seen(t, before)
					if owners := optionOwners(cmd.Subcommands, cmd.Name, names[0]); !defines(cmd.Flags, names[0]) && len(owners) > 0 {
						if codeB != 2 || !strings.Contains(errB, dashed(names[0])+" is an option of "+owners[0]) {
							t.Fatalf("%q: exit %d, %q; want a refusal naming %s", before, codeB, errB, owners[0])
						}
						return
					}
					if !defines(cmd.Flags, names[0]) {
						if codeB != 2 || !strings.Contains(errB, dashed(names[0])+" does not apply to "+cmd.Name) {
							t.Fatalf("%q: exit %d, %q; want a refusal naming %s", before, codeB, errB, dashed(names[0]))
						}
						return
					}
					gotA, codeA, errA := seen(t, after)
					if codeA != 0 || codeB != 0 {
						t.Fatalf("exit %d (%s) before, %d (%s) after", codeB, errB, codeA, errA)
					}
					if gotB != gotA {
						t.Fatalf("%q reads\n%s\nbut %q reads\n%s", before, gotB, after, gotA)
					}
					if !strings.Contains(gotA, names[0]+"=") || !strings.Contains(gotA, "set=true") {
						t.Fatalf("%q: the option is not seen:\n%s", after, gotA)
					}
				})
			}
		}
	}
}

func TestOptionGivenTwice(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"aws-mfa", "-p", "a", "env", "-p", "b"}, 2, "-pair is given twice, before and after env"},
		{[]string{"aws-mfa", "-p", "a", "env", "--pair", "a"}, 0, "pair=a set=true"},
		{[]string{"aws-mfa", "-f", "exec", "-f"}, 0, "force=true set=true"},
		{[]string{"aws-mfa", "--timeout", "1m", "env", "--timeout", "60s"}, 0, "timeout=1m0s set=true"},
		{[]string{"aws-mfa", "--timeout", "1m", "env", "--timeout", "2m"}, 2, "--timeout is given twice"},
		{[]string{"aws-mfa", "--config", "x.toml", "status"}, 0, "config=x.toml set=true"},
		{[]string{"aws-mfa", "--token", "123456", "status"}, 2, "--token does not apply to status"},
		{[]string{"aws-mfa", "-v", "hook"}, 2, "--verbose does not apply to hook"},
		{[]string{"aws-mfa", "--duration", "1h", "setup"}, 2, "--duration does not apply to setup"},
		{[]string{"aws-mfa", "--source", "s", "setup"}, 0, "source=s set=true"},
	} {
		got, code, stderr := seen(t, tc.args)
		if code != tc.code || !strings.Contains(got+stderr, tc.want) {
			t.Errorf("%q: exit %d\n%s%s\nwant exit %d and %q", tc.args, code, got, stderr, tc.code, tc.want)
		}
	}
}

// TestSubcommandOptionBefore: an option only a subcommand takes, given
// before it, is refused with the command it belongs to, never ignored.
func TestSubcommandOptionBefore(t *testing.T) {
	t.Parallel()
	a := newApp(System{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: noEnv})
	for _, cmd := range a.Commands {
		for _, f := range cmd.Flags {
			name := f.Names()[0]
			if defines(a.Flags, name) || name == "help" {
				continue
			}
			args := append(append([]string{"aws-mfa", dashed(name)}, sample(f)...), cmd.Name)
			stdout, stderr, code := run(args[1:]...)
			if code != 2 || stdout != "" || !strings.Contains(stderr, dashed(name)+" is an option of ") || !strings.Contains(stderr, cmd.Name) || strings.Contains(stderr, "--help") {
				t.Errorf("%q: exit %d, %q", args, code, stderr)
			}
		}
	}
}

// TestSubcommandOptionBeforeNested: an option of a subcommand's own
// subcommand (keyring export), given before either, is refused with the
// command it belongs to; an app option keyring does not take but export
// does (-p) is too when given after keyring, which cannot parse it.
// Before keyring, the app parses it and export reads it
// (TestOptionRepeated).
func TestSubcommandOptionBeforeNested(t *testing.T) {
	t.Parallel()
	a := newApp(System{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: noEnv})
	n := 0
	for _, cmd := range a.Commands {
		for _, sub := range cmd.Subcommands {
			for _, f := range sub.Flags {
				name := f.Names()[0]
				if name == "help" {
					continue
				}
				opt := append([]string{dashed(name)}, sample(f)...)
				for _, args := range [][]string{
					append(append([]string{}, opt...), cmd.Name, sub.Name),
					append(append([]string{cmd.Name}, opt...), sub.Name),
				} {
					if defines(a.Flags, name) && args[0] != cmd.Name {
						continue
					}
					n++
					stdout, stderr, code := run(args...)
					want := dashed(name) + " is an option of " + cmd.Name + " " + sub.Name + "; put it after the command"
					if code != 2 || stdout != "" || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "--help") {
						t.Errorf("%q: exit %d, %q; want %q", args, code, stderr, want)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no subcommand with options")
	}
	// Before a mistyped subcommand, the mistake named is the subcommand.
	for _, args := range [][]string{{"-p", "default", "keyring", "expotr"}, {"--config", "x.toml", "keyring", "exprt"}} {
		if _, stderr, code := run(args...); code != 2 || !strings.Contains(stderr, "did you mean export?") {
			t.Errorf("%q: exit %d, %q", args, code, stderr)
		}
	}
}

// TestEmptyOptionValues: every option that takes a value, of the app and
// of each command and subcommand, is refused when given an empty one, in
// each spelling and before a subcommand too, rather than meaning the
// default as if it had not been typed.
func TestEmptyOptionValues(t *testing.T) {
	t.Parallel()
	a := newApp(System{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: noEnv})
	var cases [][]string
	add := func(path []string, flags []cli.Flag) {
		for _, f := range flags {
			if _, ok := f.(*cli.StringFlag); !ok {
				continue
			}
			for _, spelling := range f.Names() {
				cases = append(cases,
					append(append([]string{}, path...), dashed(spelling)+"="),
					append(append([]string{}, path...), dashed(spelling), ""))
			}
		}
	}
	add(nil, a.Flags)
	for _, f := range a.Flags { // before the subcommand
		if _, ok := f.(*cli.StringFlag); ok {
			cases = append(cases, []string{dashed(f.Names()[0]), "", "env"}, []string{dashed(f.Names()[0]) + "=", "status"})
		}
	}
	for _, cmd := range a.Commands {
		add([]string{cmd.Name}, cmd.Flags)
		for _, sub := range cmd.Subcommands {
			add([]string{cmd.Name, sub.Name}, sub.Flags)
		}
	}
	for _, args := range cases {
		stdout, stderr, code := run(args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "is given an empty value; give one, or leave the option out") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
}

// TestHelpAfterOptions: `help` after options, at the top or under a
// command, prints that help and exits 0, as urfave/cli's help command did:
// it uses none of them.
func TestHelpAfterOptions(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-p", "work", "help"}, {"--force", "help", "env"}, {"-t", "123456", "-v", "help"},
		{"env", "-p", "work", "help"}, {"status", "--json", "help"}, {"keyring", "export", "-p", "work", "help"},
	} {
		var stdout, stderr bytes.Buffer
		sys := System{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Getenv: noEnv, Environ: func() []string { return nil },
			IsTerminal: func(any) bool { return false }, ParentProcess: func() string { return "" }}
		code := Run(append([]string{"aws-mfa"}, args...), sys)
		if code != 0 || !strings.Contains(stdout.String(), "USAGE:") || stderr.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want its help", args, code, stdout.String(), stderr.String())
		}
	}
}

func defines(flags []cli.Flag, name string) bool { return findFlag(name, flags) != nil }

// runStubbed runs args as Run does (runLine), with every
// action, the refresh's and each command's and subcommand's, replaced by
// one that records what its flags read.
func runStubbed(args []string) (string, error) {
	a := newApp(System{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: noEnv})
	var record strings.Builder
	stub := func(c *cli.Context) error {
		for _, f := range c.Command.Flags {
			n := f.Names()[0]
			fmt.Fprintf(&record, "%s=%v set=%v\n", n, c.Value(n), c.IsSet(n))
		}
		return nil
	}
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			if cmd.Name != "help" && !cmd.Hidden {
				cmd.Action = stub
				walk(cmd.Subcommands)
			}
		}
	}
	a.Action = stub
	walk(a.Commands)
	err := runLine(a, args)
	return record.String(), err
}

// commandPaths lists every command a person types, at each depth: the
// app itself (nil), each command, and each subcommand (keyring export).
func commandPaths(a *cli.App) (paths [][]*cli.Command) {
	var walk func(path []*cli.Command, cmds []*cli.Command)
	walk = func(path []*cli.Command, cmds []*cli.Command) {
		paths = append(paths, path)
		for _, cmd := range cmds {
			if cmd.Name != "help" && !cmd.Hidden {
				walk(append(slices.Clone(path), cmd), cmd.Subcommands)
			}
		}
	}
	walk(nil, a.Commands)
	return paths
}

// forms are the ways to give the flag f the value v by its name n: `--x v`
// and `--x=v`; for a bool, v "" is the flag alone or =true.
func forms(f cli.Flag, n, v string) [][]string {
	switch {
	case takesValue(f):
		return [][]string{{dashed(n), v}, {dashed(n) + "=" + v}}
	case v == "":
		return [][]string{{dashed(n)}, {dashed(n) + "=true"}}
	}
	return [][]string{{dashed(n) + "=" + v}}
}

// TestOptionRepeated: an option given twice with two different values is
// refused (exit 2, one line naming it) wherever the two stand, on one
// side of a command or on either, at every depth (the app, each command,
// keyring export), in every spelling (each name, `--x v` and `--x=v`, a
// bool alone or with a value); the same value twice is read as given
// once. Two names of one option on one side (-p a --pair a) are refused
// whatever their values, as urfave/cli refuses them.
func TestOptionRepeated(t *testing.T) {
	t.Parallel()
	a := newApp(System{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: noEnv})
	type line struct {
		args  []string
		twice string // what the refusal says; "" for none
		reads string // else what the command reads
	}
	var lines []line
	for _, path := range commandPaths(a) {
		words, flags := []string{"aws-mfa"}, a.Flags
		for _, cmd := range path {
			words, flags = append(words, cmd.Name), cmd.Flags
		}
		for _, f := range flags {
			canon := f.Names()[0]
			if canon == "help" || canon == "version" {
				continue
			}
			one, other := sample(f), []string{"w-" + canon}
			if _, ok := f.(*cli.DurationFlag); ok {
				other = []string{"2m"}
			} else if !takesValue(f) {
				other = []string{"false"}
			}
			reads := canon + "=" + strings.Join(one, "") + " set=true\n"
			if _, ok := f.(*cli.DurationFlag); ok {
				reads = canon + "=1m30s set=true\n"
			} else if !takesValue(f) {
				reads = canon + "=true set=true\n"
			}
			same := dashed(canon) + " is given twice, with different values; give it once"
			for _, n := range f.Names() {
				for _, x := range forms(f, n, strings.Join(one, "")) {
					for _, y := range forms(f, n, other[0]) {
						lines = append(lines, line{slices.Concat(words, x, y), same, ""}, line{slices.Concat(words, y, x), same, ""})
					}
					for _, y := range forms(f, n, strings.Join(one, "")) {
						lines = append(lines, line{slices.Concat(words, x, y), "", reads})
					}
					for _, m := range slices.DeleteFunc(slices.Clone(f.Names()), func(m string) bool { return m == n }) {
						for _, y := range forms(f, m, strings.Join(one, "")) {
							lines = append(lines, line{slices.Concat(words, x, y), dashed(n) + " and " + dashed(m) + " are one option; give it once", ""})
						}
					}
				}
			}
			appF := findFlag(canon, a.Flags)
			if len(path) == 0 || appF == nil {
				continue
			}
			sides := dashed(canon) + " is given twice, before and after " + strings.Join(words[1:], " ") + ", with different values; give it once"
			for _, n := range appF.Names() {
				for _, m := range f.Names() {
					for _, x := range forms(f, n, strings.Join(one, "")) {
						for _, y := range forms(f, m, other[0]) {
							lines = append(lines, line{slices.Concat(words[:1], x, words[1:], y), sides, ""}, line{slices.Concat(words[:1], y, words[1:], x), sides, ""})
						}
						for _, y := range forms(f, m, strings.Join(one, "")) {
							lines = append(lines, line{slices.Concat(words[:1], x, words[1:], y), "", reads})
						}
						if m == n { // and once, before the command only
							lines = append(lines, line{slices.Concat(words[:1], x, words[1:]), "", reads})
						}
					}
				}
			}
		}
	}
	for _, l := range lines {
		got, err := runStubbed(l.args)
		switch {
		case l.twice != "" && (err == nil || !strings.Contains(err.Error(), l.twice)):
			t.Errorf("%q: %v, reads\n%s; want %q", l.args, err, got, l.twice)
		case l.twice == "" && (err != nil || !strings.Contains(got, l.reads)):
			t.Errorf("%q: %v, reads\n%s", l.args, err, got)
		}
	}
	t.Logf("%d lines", len(lines))
	if len(lines) < 500 {
		t.Fatalf("only %d lines", len(lines))
	}
}

// TestOptionRepeatedLines: the lines a review found, and the words the
// check must pass over: a value that starts with -, what follows -- or
// exec's command, the arguments, and the hidden commands the hooks and
// completion call, which behave as the line they wrap (and __complete
// never fails). Nothing is refused after a code is spent: STS is never
// asked and the file stays as it was.
func TestOptionRepeatedLines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		code int
		want string // in stdout and stderr
	}{
		{[]string{"--target", "a", "--target", "b", "111111"}, 2, "aws-mfa: --target is given twice, with different values; give it once\n"},
		{[]string{"env", "--target", "c", "--target", "d", "222222"}, 2, "aws-mfa: --target is given twice, with different values; give it once\n"},
		{[]string{"-t", "444444", "-t", "555555"}, 2, "aws-mfa: --token is given twice, with different values; give it once\n"},
		{[]string{"--target", "e", "env", "--target", "f", "333333"}, 2, "aws-mfa: --target is given twice, before and after env, with different values; give it once\n"},
		{[]string{"-p", "-x", "-p", "-y", "env"}, 2, "--pair is given twice"},
		{[]string{"-p", "a", "keyring", "export", "-p", "b"}, 2, "--pair is given twice, before and after keyring export"},
		{[]string{"--token", "123456", "keyring", "export"}, 2, "--token does not apply to keyring export; see aws-mfa keyring export --help"},
		{[]string{"-p", "a", "keyring"}, 2, "--pair is an option of keyring export; put it after the command"},
		{[]string{"--target", "a", "111111", "--target", "b"}, 2, `unexpected argument "--target" after the code`},
		{[]string{"exec", "-p", "a", "--", "cmd", "-p", "b"}, 2, `command "cmd" not found`},
		{[]string{"exec", "-p", "a", "cmd", "-p", "b"}, 2, `command "cmd" not found`},
		{[]string{"__env", "bash", "env", "-p", "a", "-p", "b"}, 2, "aws-mfa: --pair is given twice, with different values; give it once\n"},
		{[]string{"__env", "bash", "-p", "a", "env", "-p", "b"}, 2, "--pair is given twice, before and after env"},
		{[]string{"__env", "bash", "env", "--shell", "bash", "--shell", "zsh"}, 2, "--shell is given twice"},
		{[]string{"__env", "bash", "env", "--shell", "bash", "-t", "123456"}, 2, "no credentials file"},
		{[]string{"__env", "bash", "env", "--shell=/bin/bash", "-t", "123456"}, 2, "no credentials file"},
		{[]string{"__command", "-p", "a", "-p", "b", "env"}, 0, "5 env\n"},
		{[]string{"__complete", "-p", "a", "-p", "b", "env", "--target", "c", "--target", "d", "-"}, 0, "--no-write\t"},
		{[]string{"__complete", "-t", "1", "-t", "2", ""}, 0, "status\t"},
		// Help and the version are shown whatever stands before them.
		{[]string{"env", "-p", "a", "-p", "b", "--help"}, 0, "aws-mfa env - "},
		{[]string{"env", "-p", "a", "-p", "b", "help"}, 0, "aws-mfa env - "},
		{[]string{"env", "--pair=", "-h"}, 0, "aws-mfa env - "},
		{[]string{"--target", "a", "--target", "b", "--version"}, 0, "aws-mfa "},
	} {
		stdout, stderr, code := run(tc.args...)
		if code != tc.code || !strings.Contains(stdout+stderr, tc.want) || strings.Count(stderr, "\n") > 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.args, code, stdout, stderr, tc.code, tc.want)
		}
	}
	for _, args := range [][]string{
		{"--target", "a", "--target", "b", "111111"},
		{"env", "--target", "c", "--target", "d", "222222"},
		{"-t", "444444", "-t", "555555"},
		{"--target", "e", "env", "--target", "f", "333333"},
	} {
		r := newRig(t, aliceProfile)
		if _, _, code := r.run("", args...); code != ExitUsage || r.emu.Requests() != 0 {
			t.Errorf("%q: exit %d, %d requests to STS", args, code, r.emu.Requests())
		}
		if b, _ := os.ReadFile(r.creds); string(b) != aliceProfile {
			t.Errorf("%q: the file changed", args)
		}
	}
	for _, tc := range []struct{ args, reads []string }{
		{[]string{"-p", "-x", "-p", "-x", "env"}, []string{"pair=-x set=true"}},
		{[]string{"--timeout", "1m", "--timeout=60s", "env", "--timeout", "1m0s"}, []string{"timeout=1m0s set=true"}},
		{[]string{"-f", "-f=true", "env", "--force=1"}, []string{"force=true set=true"}},
		{[]string{"--config", "cfg.toml", "keyring", "export"}, []string{"config=cfg.toml set=true"}},
		{[]string{"-p", "work", "--config=c", "keyring", "export", "--pair=work"}, []string{"pair=work set=true", "config=c set=true"}},
		{[]string{"exec", "-p", "a", "--", "cmd", "-p", "b"}, []string{"pair=a set=true"}},
	} {
		got, err := runStubbed(append([]string{"aws-mfa"}, tc.args...))
		for _, want := range tc.reads {
			if err != nil || !strings.Contains(got, want) {
				t.Errorf("%q: %v, reads\n%s\nwant %q", tc.args, err, got, want)
			}
		}
	}
}
