package app

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// urfave/cli's own --help flag and help command are package variables
// that every run writes into (the flag's Apply records its default, the
// command its separator), so two runs in one process race. wire hides
// them (HideHelp) and gives the app and each command an equal flag and
// command of its own, new for each run, as every flag here is.
// urfave/cli still answers --help and -h itself: it looks those names up
// in the run's flags, whichever flag defines them.

// helpFlag is --help, -h, as urfave/cli defines it.
func helpFlag() cli.Flag {
	return &cli.BoolFlag{Name: "help", Aliases: []string{"h"}, Usage: "show help", DisableDefaultText: true}
}

// helpCommand is `help [COMMAND]`, answered as urfave/cli's own: the app's
// help, a command's, or the help of the command it is under.
func helpCommand(hidden bool) *cli.Command {
	return &cli.Command{
		Name:      "help",
		Aliases:   []string{"h"},
		Usage:     "Shows a list of commands or help for one command",
		ArgsUsage: "[command]",
		Hidden:    hidden,
		Flags:     []cli.Flag{helpFlag()},
		HideHelp:  true,
		Action: func(c *cli.Context) error {
			parent, word := c.Lineage()[1], c.Args().First() // what help was asked of
			// top: help asked of the app itself, whose lineage is the app
			// and the empty context above it.
			switch top := len(parent.Lineage()) <= 2; {
			case c.NArg() > 1:
				return usage("help takes one command, and %q is a second; see aws-mfa --help", c.Args().Get(1))
			case top && word != "" && parent.App.Command(word) == nil:
				// urfave/cli would fail (exit 1) with no hint.
				names := visible(parent.App.Commands)
				others := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == "help" })
				return mistyped(word, names, fmt.Sprintf("no command %q to help with", word), "See aws-mfa --help", "the commands are "+strings.Join(others, ", "))
			case word != "":
				return cli.ShowCommandHelp(parent, word)
			case top:
				return cli.ShowAppHelp(parent)
			}
			return cli.ShowSubcommandHelp(parent)
		},
	}
}
