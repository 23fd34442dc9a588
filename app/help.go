package app

import (
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/internal/suggest"
)

// urfave/cli's own --help flag and help command are package variables
// that every run writes into (the flag's Apply records its default, the
// command its separator), so two runs in one process race. ownHelp hides
// them (HideHelp) and gives the app and each command an equal flag and
// command of its own, new for each run, as every flag here is. urfave/cli still answers --help and -h itself: it
// looks those names up in the run's flags, whichever flag defines them.
func ownHelp(a *cli.App) {
	a.HideHelp = true
	a.Flags = append(a.Flags, helpFlag())
	for _, c := range a.Commands {
		ownCommandHelp(c)
	}
	a.Commands = append(a.Commands, helpCommand(false))
}

// ownCommandHelp gives c and its subcommands the help flag and a help
// subcommand. A command without subcommands still takes `help`, as
// urfave/cli's gave each one; it is kept out of its listing and
// completion, and its help stays the plain command template.
func ownCommandHelp(c *cli.Command) {
	if c.HideHelp {
		return // the hidden machine commands never answer with help
	}
	c.HideHelp = true
	c.Flags = append(c.Flags, helpFlag())
	for _, sub := range c.Subcommands {
		ownCommandHelp(sub)
	}
	leaf := len(c.Subcommands) == 0
	if leaf && c.CustomHelpTemplate == "" {
		c.CustomHelpTemplate = cli.CommandHelpTemplate
	}
	c.Subcommands = append(c.Subcommands, helpCommand(leaf))
}

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
			top := len(parent.Lineage()) <= 2                // the app, and the empty context above it
			switch {
			case c.NArg() > 1:
				return usage("help takes one command, and %q is a second; see aws-mfa --help", c.Args().Get(1))
			case top && word != "" && parent.App.Command(word) == nil:
				// urfave/cli would fail (exit 1) with no hint.
				names := visible(parent.App.Commands)
				if s := suggest.Closest(word, names); s != "" {
					return usage("no command %q to help with; did you mean %s? See aws-mfa --help", word, s)
				}
				names = slices.DeleteFunc(names, func(n string) bool { return n == "help" })
				return usage("no command %q to help with; the commands are %s", word, strings.Join(names, ", "))
			case word != "":
				return cli.ShowCommandHelp(parent, word)
			case top:
				return cli.ShowAppHelp(parent)
			}
			return cli.ShowSubcommandHelp(parent)
		},
	}
}
