package app

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/suggest"
	"github.com/aws-mfa/aws-mfa/shells"
)

func hookCommand(sys System) *cli.Command {
	return &cli.Command{
		Name:      "hook",
		Usage:     "print shell functions for your rc file: eval \"$(aws-mfa hook zsh)\"",
		ArgsUsage: "SHELL",
		Description: "SHELL is one of " + strings.Join(shells.HookNames(), ", ") + ".\n" +
			"The hook wraps aws-mfa so that `aws-mfa env` and a refresh apply the session in place,\n" +
			"and adds a prompt function. Load it from your shell's rc file, as the README shows.",
		Action: func(c *cli.Context) error {
			return HookCommand(sys, c.Args().Slice())
		},
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
		if s := suggest.Closest(args[0], hookShells); s != "" {
			return usage("hook has no %q shell; did you mean %s? The shells are %s", args[0], s, strings.Join(hookShells, ", "))
		}
		return usage("hook has no %q shell; use one of %s", args[0], strings.Join(hookShells, ", "))
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
