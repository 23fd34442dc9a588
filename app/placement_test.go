package app

import (
	"bytes"
	"fmt"
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
// does (-p) is too.
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
