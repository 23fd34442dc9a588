package app

import (
	"cmp"
	"fmt"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/shells"
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
func credentialProcessNoTTY(sys System, in SessionInput, pair config.Pair) func(error) error {
	return func(error) error {
		path := cmp.Or(configPath(sys, in.Config).Path, "the config file")
		return usage("[%s] needs a new session and there is no terminal to ask for the MFA code; set token_command in %s, or run `%s` in a terminal first",
			pair.Target, path, refreshLine(sys, in, pair))
	}
}

// refreshLine is the refresh command that renews the same target: the
// pair, and the --config, --source and --target given to this run.
func refreshLine(sys System, in SessionInput, pair config.Pair) string {
	args := []string{"aws-mfa"}
	if loc := configPath(sys, in.Config); loc.By == "--config" {
		args = append(args, "--config", loc.Path)
	}
	if pair.Name != config.BuiltinName || in.Pair != "" || sys.Getenv("AWS_MFA_PAIR") != "" {
		args = append(args, "-p", pair.Name)
	}
	if in.Source != "" {
		args = append(args, "--source", in.Source)
	}
	if in.Target != "" {
		args = append(args, "--target", in.Target)
	}
	return shells.Line(args...)
}
