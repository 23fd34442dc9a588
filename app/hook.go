package app

// The hook, and the hidden commands its wrapper asks aws-mfa for, never
// typed by a person.

import (
	"cmp"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/shells"
)

func hookCommand(sys System) *cli.Command {
	return &cli.Command{
		Name:      "hook",
		Usage:     "print shell functions for your rc file: eval \"$(aws-mfa hook zsh)\"",
		ArgsUsage: "SHELL",
		Description: "SHELL is one of " + strings.Join(shells.HookNames(), ", ") + ".\n" +
			"The hook wraps aws-mfa so that `aws-mfa env` applies the session to the shell you type it in,\nand a refresh re-applies the one it holds (not in tcsh and csh). In bash, zsh, fish and xonsh\n" +
			"it also sets AWS_MFA_PROMPT before each prompt, for your prompt to show. Load it from your\nshell's rc file as the hook's first lines say (tcsh's and csh's, which have none: docs/shells.md).",
		Action: func(c *cli.Context) error { return HookCommand(sys, c.Args().Slice()) },
	}
}

// HookCommand is `aws-mfa hook SHELL`: print the shell's hook, which runs
// this binary by its absolute path.
func HookCommand(sys System, args []string) error {
	if len(args) > 1 {
		return usage("hook takes one shell, and %q is a second; see aws-mfa hook --help", args[1])
	}
	hookShells := shells.HookNames()
	if len(args) != 1 {
		return usage("hook needs one shell: aws-mfa hook %s", strings.Join(hookShells, "|"))
	}
	sh, ok := shells.Lookup(args[0])
	if !ok || !slices.Contains(hookShells, shells.Normalize(args[0])) {
		return mistyped(args[0], hookShells, fmt.Sprintf("hook has no %q shell", args[0]), "The shells are "+strings.Join(hookShells, ", "), "use one of "+strings.Join(hookShells, ", "))
	}
	exe, err := executable(sys)
	if err != nil {
		return err
	}
	out, err := sh.Hook(exe, exporter.SessionVars())
	if err != nil {
		return usage("%v", err)
	}
	_, err = fmt.Fprint(sys.Stdout, out)
	return err
}

// executable is the absolute path the hook should run: the one the user
// typed, found in PATH (so a package manager's link keeps working after an
// upgrade), else the running binary's own.
func executable(sys System) (string, error) {
	if p, err := exec.LookPath(sys.Args0); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs, nil
		}
	}
	exe, err := sys.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot find the aws-mfa binary's path: %w", err)
	}
	return exe, nil
}

// commandCommand answers the hooks' wrappers when a line starts with an
// option (aws-mfa -p work env 123456): which subcommand the words name,
// and where, as "INDEX NAME" with INDEX counted from 1 like $1; nothing
// for the refresh itself. For env the wrapper then captures and applies
// what `__env` prints, instead of letting env print the session on the
// terminal.
func commandCommand(sys System) *cli.Command {
	return machine("__command", func(c *cli.Context) error {
		if s := scan(c.App, c.Args().Slice(), false); s.cmd != nil {
			_, err := fmt.Fprintf(sys.Stdout, "%d %s\n", s.cmdIndex+1, s.cmd.Name)
			return err
		}
		return nil
	})
}

// envInCommand is `aws-mfa __env DIALECT WORD…`: the command line WORD…,
// whose subcommand is env wherever it stands, run with --shell DIALECT
// placed right after env (before a code, which must come last). Every
// wrapper sends its env lines here, since csh's alias cannot move words,
// and no shell should have to. What the wrapper evaluates is stdout, so
// stdout carries only the code env builds: help, usage and the version
// (aws-mfa env --help, whose text holds eval "$(aws-mfa env)") go to
// stderr, and are never run as code.
func envInCommand(sys System) *cli.Command {
	return machine("__env", func(c *cli.Context) error {
		args := c.Args().Slice()
		if len(args) == 0 {
			return usage("__env needs a dialect and a command line")
		}
		words := args[1:]
		s := scan(c.App, words, false)
		if s.cmd == nil || s.cmd.Name != "env" {
			return usage("__env needs an env command line")
		}
		// Output other than code for the dialect (--format json, --shell
		// fish under bash's wrapper), evaluated, would fail noisily, with
		// the secrets in the shell's error messages.
		format, formatGiven := s.values["format"]
		shell, shellGiven := s.values["shell"]
		if formatGiven && format != "shell" || shellGiven && shells.Normalize(shell) != shells.Normalize(args[0]) {
			return passOn(sys, args[0], words)
		}
		// The dialect as the line gives it, if it does: a second --shell
		// with another spelling of it would be refused (runLine).
		return runLine(codeOnlyApp(sys, true), slices.Concat([]string{"aws-mfa"}, words[:s.cmdIndex+1], []string{"--shell", cmp.Or(shell, args[0])}, words[s.cmdIndex+1:]))
	})
}

// passOn runs env as the words say, for output that is not code for the
// wrapper's dialect, and prints code that writes that output unchanged:
// the wrapper evaluates it, so `aws-mfa env --format json > f` under a
// hook does what it does without one.
func passOn(sys System, dialect string, words []string) error {
	sh, ok := shells.Lookup(dialect)
	if !ok {
		return usage("__env has no dialect %q", dialect)
	}
	var out strings.Builder
	inner := sys
	inner.Stdout = &out
	if err := runLine(codeOnlyApp(inner, false), append([]string{"aws-mfa"}, words...)); err != nil {
		return err
	}
	code, err := sh.Print(out.String())
	if err != nil {
		return fmt.Errorf("the hook cannot pass this output on: %w; run the aws-mfa binary itself, not through the hook", err)
	}
	_, err = fmt.Fprint(sys.Stdout, code)
	return err
}

// reexportCommand is `aws-mfa __reexport DIALECT TARGET WORD…`: after a
// refresh (the command line WORD…, for its --config), the code that
// re-applies the session cached in profile TARGET, the AWS_MFA_TARGET a
// wrapper's shell holds. TARGET is a profile, not a pair: the pair
// chosen is the one whose target it is (a pair's name may be another
// pair's target), else the default pair aimed at TARGET. Never a code:
// a session no longer valid there applies nothing, except that a chained
// pair's session is renewed from its base's valid session, as env
// --cached does (AssumeRole, no code). A write = false pair's session is
// never in the file, so there is nothing to re-apply: silence.
func reexportCommand(sys System) *cli.Command {
	return machine("__reexport", func(c *cli.Context) error {
		args := c.Args().Slice()
		if len(args) < 2 || args[1] == "" {
			return usage("__reexport needs a dialect and a target profile")
		}
		target := args[1]
		argv := []string{"aws-mfa", "env", "--shell", args[0], "--cached"}
		configFlag := scan(c.App, args[2:], false).values["config"]
		argv = append(argv, given([]string{"--config"}, configFlag)...)
		which := []string{"--target", target}
		if cfg, err := config.Load(configPath(sys, configFlag)); err == nil {
			if i := slices.IndexFunc(cfg.Pairs, func(p config.Pair) bool { return p.Target == target }); i >= 0 {
				if !cfg.Pairs[i].Write {
					return nil
				}
				which = []string{"--pair", cfg.Pairs[i].Name}
			}
		}
		argv = append(argv, which...)
		quiet := sys
		quiet.Stdin = strings.NewReader("") // never a code
		return codeOnlyApp(quiet, false).Run(argv)
	})
}

// codeOnlyApp is the app for a wrapper to evaluate: only env's code
// reaches sys.Stdout; everything else the app would print there (help,
// version, completion words) goes to stderr. applied says that the
// wrapper applies env's code to its shell (not after a refresh, which
// said what it did).
func codeOnlyApp(sys System, applied bool) *cli.App {
	quiet := sys
	quiet.Stdout = sys.Stderr
	a := newApp(quiet)
	for i, c := range a.Commands {
		if c.Name == "env" { // the one that prints on stdout
			a.Commands[i] = envCommand(sys, applied)
			wire(a.Commands[i])
		}
	}
	return a
}

// machine is a hidden command that a hook or completion calls: its words
// are its own (no flags parsed), and `help` is one of them, never help
// (else urfave/cli answers `__complete help …` with help).
func machine(name string, action cli.ActionFunc) *cli.Command {
	return &cli.Command{Name: name, Hidden: true, HideHelp: true, SkipFlagParsing: true, Action: action}
}
