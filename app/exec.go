package app

import (
	"context"
	"os/exec"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/exporter"
)

func execCommand(sys System) *cli.Command {
	return &cli.Command{
		Name:      "exec",
		Usage:     "run a command with the session in its environment",
		ArgsUsage: "[CODE] -- COMMAND [ARGS...]",
		Flags:     append(sessionFlags(), noWriteFlag()),
		Action: func(c *cli.Context) error {
			return ExecCommand(c.Context, sys, ExecInput{Session: sessionInput(c), Args: c.Args().Slice()})
		},
	}
}

// execForm is how exec is called, for its errors.
const execForm = "aws-mfa exec [-t CODE] -- COMMAND [ARGS...]"

// ExecInput is what `aws-mfa exec` was given.
type ExecInput struct {
	Session SessionInput
	Args    []string // [CODE --] COMMAND [ARGS...]
}

// ExecCommand is `aws-mfa exec`: run a command with the session in its
// environment. On success it does not return where the system can
// replace the process.
func ExecCommand(ctx context.Context, sys System, in ExecInput) error {
	argv, code := in.Args, ""
	if len(argv) >= 2 && argv[1] == "--" && isCode(argv[0]) {
		code, argv = argv[0], argv[2:]
	}
	if len(argv) == 0 {
		return usage("exec needs a command: %s", execForm)
	}
	path, err := exec.LookPath(argv[0])
	switch {
	case err != nil && isCode(argv[0]):
		// `aws-mfa exec 123456` or `exec 123456 aws …`: a code with no --
		// after it, never a command to look for.
		return usage("exec takes the command after --, and the code before it or with -t: %s", execForm)
	case err != nil:
		return usage("command %q not found in PATH; the form is %s", argv[0], execForm)
	}
	req, chain, err := request(sys, in.Session)
	if err != nil {
		return err
	}
	res, err := obtain(ctx, sys, in.Session, req, code, false, chain)
	if err != nil {
		return err
	}
	note(sys, res, req, false)
	return sys.Exec(path, argv, environ(sys.Environ(), res, req))
}

// environ applies the session to env: the same variables env exports,
// with the stale ones removed.
func environ(env []string, res *exporter.Result, req exporter.Request) []string {
	drop := map[string]bool{}
	for _, name := range append(exporter.Stale(), exporter.Set()...) {
		drop[name] = true
	}
	out := make([]string, 0, len(env)+8)
	for _, kv := range env {
		name, _, _ := cutEq(kv)
		if !drop[name] {
			out = append(out, kv)
		}
	}
	for _, v := range exporter.Vars(res.Session, req.Target, res.Region) {
		if !v.Unset {
			out = append(out, v.Name+"="+v.Value)
		}
	}
	return out
}

func cutEq(kv string) (string, string, bool) {
	for i := 1; i < len(kv); i++ { // Windows has names like "=C:"
		if kv[i] == '=' {
			return kv[:i], kv[i+1:], true
		}
	}
	return kv, "", false
}
