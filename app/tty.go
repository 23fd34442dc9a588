package app

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/config"
)

// askTTY asks for the code on the controlling terminal, question and
// answer both, so that it is seen even when stdout and stderr are
// captured (a hook's $(…), the AWS CLI's credential_process). noTTY says
// what to do instead when there is no terminal.
func askTTY(serial string, sys System, noTTY func(error) error) (string, error) {
	tty, err := sys.TTY()
	if err != nil {
		return "", noTTY(err)
	}
	defer tty.Close()
	fmt.Fprintf(tty, "MFA code for %s: ", serial)
	line, err := readLine(tty, maxCodeLine) // nothing past the newline
	if err != nil {
		return "", usage("no MFA code typed at the terminal")
	}
	return line, nil
}

// credentialProcessNoTTY explains the missing code for `env --format json`, the AWS
// tools' credential_process. They capture stdout and stderr and may pass
// their own stdin on, so the only ways to a code are token_command (tried
// before this) and the controlling terminal; stdin is never read.
func credentialProcessNoTTY(c *cli.Context, sys System, pair config.Pair) func(error) error {
	return func(error) error {
		path := configPath(c, sys).Path
		if path == "" {
			path = "the config file"
		}
		return usage("[%s] needs a new session and there is no terminal to ask for the MFA code; set token_command in %s, or run `%s` in a terminal first",
			pair.Target, path, refreshLine(c, sys, pair))
	}
}

// refreshLine is the refresh command that renews the same target: the
// pair, and the --config, --source and --target given to this run.
func refreshLine(c *cli.Context, sys System, pair config.Pair) string {
	args := []string{"aws-mfa"}
	if loc := configPath(c, sys); loc.By == "--config" {
		args = append(args, "--config", loc.Path)
	}
	if pair.Name != config.BuiltinName || c.IsSet("pair") || sys.Getenv("AWS_MFA_PAIR") != "" {
		args = append(args, "-p", pair.Name)
	}
	for _, name := range []string{"source", "target"} {
		if c.IsSet(name) {
			args = append(args, "--"+name, c.String(name))
		}
	}
	for i, a := range args {
		if a == "" || strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,") != "" {
			args[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(args, " ")
}
