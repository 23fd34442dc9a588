package app

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/shells"
)

func hookCommand(sys System) *cli.Command {
	return &cli.Command{
		Name:      "hook",
		Usage:     "print shell functions for your rc file: eval \"$(aws-mfa hook zsh)\"",
		ArgsUsage: "SHELL",
		BashComplete: func(c *cli.Context) {
			for _, n := range shells.Names() {
				fmt.Fprintln(c.App.Writer, n)
			}
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usage("hook needs one shell: aws-mfa hook bash|zsh|sh|fish|tcsh|elvish|xonsh|nu|pwsh")
			}
			sh, ok := shells.Lookup(c.Args().First())
			if !ok {
				return usage("unknown shell %q; use one of %s", c.Args().First(), strings.Join(shells.Names(), ", "))
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
		},
	}
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
