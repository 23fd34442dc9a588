package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/shells"
)

// dialects are the values of --shell, for help.
func dialects() string { return strings.Join(shells.Names(), ", ") }

// noWriteFlag is env's and exec's --no-write, which sets in.NoWrite.
func noWriteFlag(in *SessionInput) cli.Flag {
	return &cli.BoolFlag{Name: "no-write", Usage: "do not write the session to the target profile", Destination: &in.NoWrite}
}

// envCommand is env, whose code goes to sys.Stdout; applied is
// EnvInput's.
func envCommand(sys System, applied bool) *cli.Command {
	in := EnvInput{Applied: applied} // the flags write the rest
	return &cli.Command{
		Name:      "env",
		Usage:     "print the session as code for your shell: eval \"$(aws-mfa env)\"",
		ArgsUsage: "[CODE]",
		Description: "The dialects for --shell: " + dialects() + ".\n" +
			"--format json prints the credential_process JSON; --format dotenv prints KEY=value lines.\n" +
			"Unless --no-write, the session is also written to the target profile.",
		Flags: append(sessionFlags(&in.Session),
			&cli.StringFlag{Name: "shell", Usage: "dialect `NAME`: " + dialects() + " (default: detected)", Destination: &in.Shell},
			&cli.StringFlag{Name: "format", Value: shells.Formats[0].Name, Usage: "output `F`: " + shells.FormatNames(), Destination: &in.Format},
			noWriteFlag(&in.Session),
			&cli.BoolFlag{Name: "unset", Usage: "print code that removes the session env sets (not a profile or region, which may be yours)", Destination: &in.Unset},
			&cli.BoolFlag{Name: "cached", Usage: "use only a session still valid in the target (a chained pair renews from its valid base); never ask for a code", Destination: &in.Cached},
		),
		Action: func(c *cli.Context) error {
			in.Args = c.Args().Slice()
			return EnvCommand(c.Context, sys, in)
		},
	}
}

// EnvInput is what `aws-mfa env` was given.
type EnvInput struct {
	Session       SessionInput
	Args          []string // the code
	Shell         string   // --shell: a dialect, or "" to detect one
	Format        string   // shell, json or dotenv
	Unset, Cached bool
	// Applied: a hook's wrapper applies the output to its shell, so a
	// session that was already valid is news too (the shell changed).
	Applied bool
}

// EnvCommand is `aws-mfa env`: print the session for a shell, as
// credential_process JSON or as dotenv lines.
func EnvCommand(ctx context.Context, sys System, in EnvInput) error {
	out, err := envOutput(ctx, sys, in)
	if err != nil {
		return err
	}
	if sys.IsTerminal(sys.Stdout) && sys.Getenv("AWS_MFA_SHELL") == "" && in.Format == "shell" {
		fmt.Fprintln(sys.Stderr, `aws-mfa: this only prints; to apply it run eval "$(aws-mfa env)", or load the hook (aws-mfa hook --help)`)
	}
	_, err = fmt.Fprint(sys.Stdout, out)
	return err
}

// envOutput builds the whole output before anything is printed, so a
// failed run prints nothing for eval to run.
func envOutput(ctx context.Context, sys System, in EnvInput) (string, error) {
	req, err := request(sys, in.Session)
	if err != nil {
		return "", err
	}
	var sh shells.Shell
	switch in.Format {
	case "shell":
		if sh, err = pickShell(in.Shell, req.Shell, sys); err != nil {
			return "", err
		}
	case "dotenv":
		sh, _ = shells.Lookup("dotenv")
	case "json":
	default:
		return "", usage("unknown --format %q; use %s", in.Format, shells.FormatNames())
	}
	if in.Unset {
		if sh == nil {
			return "", usage("--unset needs a shell format")
		}
		out, err := sh.Export(exporter.UnsetVars())
		if err == nil && in.Applied {
			fmt.Fprintln(sys.Stderr, map[bool]string{false: "aws-mfa: removed the session from this shell",
				true: `aws-mfa: removed the session from a subshell only; with the hook loaded, run aws-mfa env --unset itself, not in "$(...)"`}[inSubshell(sys, in.Shell)])
		}
		return out, err
	}
	code, err := codeArg(in.Args)
	if err != nil {
		return "", err
	}
	req.Cached = in.Cached
	res, err := obtain(ctx, sys, in.Session, req, code, in.Format == "json")
	if err != nil {
		return "", err
	}
	note(sys, res, req, false)
	if sh == nil {
		b, err := exporter.CredentialProcess(res.Session)
		return string(b) + "\n", err
	}
	out, err := sh.Export(exporter.Vars(res.Session, req.Target, res.Region))
	switch {
	case err != nil || !in.Applied:
	case inSubshell(sys, in.Shell):
		fmt.Fprintf(sys.Stderr, "aws-mfa: applied [%s] to a subshell only, where it ends with the subshell; with the hook loaded, run aws-mfa env itself, not in \"$(...)\"\n", req.Target)
	case res.Cached:
		fmt.Fprintf(sys.Stderr, "aws-mfa: applied [%s] to this shell, valid until %s (in %s)\n", req.Target, localTime(res.Expiration, sys.Now()), shells.Left(res.Expiration.Sub(sys.Now())))
	}
	return out, err
}

// inSubshell says whether the hook's wrapper runs env in a subshell of
// its shell, where what it applies ends with the subshell. Only bash's
// and zsh's wrappers tell, in AWS_MFA_SUBSHELL for their call: the
// variable may be left in the environment (zsh's POSIX_BUILTINS keeps it)
// where other hooks run.
func inSubshell(sys System, dialect string) bool {
	s, d := sys.Getenv("AWS_MFA_SUBSHELL"), shells.Normalize(dialect)
	return (d == "bash" || d == "zsh") && s != "" && s != "0"
}

// pickShell takes --shell (the hooks pass it on every env call), else the
// config's shell, else the parent process, else $SHELL, else POSIX sh.
// The environment names no dialect: a variable is inherited by every child,
// so a bash script started from fish would get fish's syntax.
func pickShell(flag, configured string, sys System) (shells.Shell, error) {
	if flag != "" {
		if sh, ok := shells.Lookup(flag); ok {
			return sh, nil
		}
		return nil, mistyped(flag, shells.Names(), fmt.Sprintf("unknown --shell %q", flag), "The dialects are "+dialects(), "use one of "+dialects())
	}
	for _, name := range []string{configured, sys.ParentProcess(), sys.Getenv("SHELL")} {
		if sh, ok := shells.Lookup(name); ok && name != "" {
			return sh, nil
		}
	}
	sh, _ := shells.Lookup("sh")
	return sh, nil
}
