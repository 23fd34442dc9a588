package app

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// placeOptions makes an option mean the same before a subcommand as after
// it. urfave/cli v2 parses options given before the subcommand into the
// app's context, and c.String(name) in the subcommand reads the nearest
// context that defines the name: the subcommand's own, unset flag would
// hide `aws-mfa -p work env`'s -p. So, before a subcommand runs, each option
// given before it is copied into the subcommand's flags; one the
// subcommand does not take is refused, and so is one given on both sides
// with two different values. Options are only ever read from the command
// line here (no EnvVars on the flags), so "set" means "typed".
func placeOptions(c *cli.Context) error {
	parent := c.Lineage()[1] // the app's context, or the command's above
	for _, f := range parent.Command.Flags {
		name := f.Names()[0]
		if name == "help" || name == "version" || !parent.IsSet(name) {
			continue
		}
		if owners := optionOwners(c.Command.Subcommands, c.Command.Name, name); findFlag(name, c.Command.Flags) == nil && len(owners) > 0 {
			return usage("%s is an option of %s; put it after the command, as in aws-mfa %s %s", dashed(name), strings.Join(owners, " and "), owners[0], dashed(name))
		}
		if findFlag(name, c.Command.Flags) == nil {
			return usage("%s does not apply to %s; see aws-mfa %s --help", dashed(name), c.Command.Name, c.Command.Name)
		}
		if value := fmt.Sprint(parent.Value(name)); !c.IsSet(name) {
			if err := c.Set(name, value); err != nil {
				return usage("%s: %v", dashed(name), err)
			}
		} else if fmt.Sprint(c.Value(name)) != value {
			return usage("%s is given twice, before and after %s, with different values; give it once", dashed(name), c.Command.Name)
		}
	}
	return nil
}

func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// noEmptyValues refuses an option given an empty value (`--pair=`,
// `--config=`): left to itself it would mean the default, silently, as if
// it had not been typed. Each command checks the options it parsed itself.
func noEmptyValues(c *cli.Context) error {
	for _, f := range c.Command.Flags { // the app's own at the top
		name := f.Names()[0]
		if v, ok := c.Value(name).(string); ok && v == "" && c.IsSet(name) {
			return usage("%s is given an empty value; give one, or leave the option out for the default", dashed(name))
		}
	}
	return nil
}

// before runs before every command and subcommand. Help is shown
// whatever options stand before it (`aws-mfa env -p work help`), as it was
// when urfave/cli's own help command answered: it uses none of them.
func before(c *cli.Context) error {
	if c.Command.Name == "help" {
		return nil
	}
	// The checks only read, and placeOptions copies options into a
	// command that an earlier check keeps from running: the first error
	// is the one to report.
	return cmp.Or(noEmptyValues(c), noArguments(c), placeOptions(c))
}

// noArguments refuses a word given to a command that takes none (one
// without ArgsUsage or subcommands but help): `aws-mfa status foo` would
// otherwise succeed and ignore it. It runs before urfave/cli looks for a
// subcommand, so a first word that names one (help) is left to it.
func noArguments(c *cli.Context) error {
	cmd := c.Command
	if cmd.ArgsUsage != "" || cmd.Hidden || !c.Args().Present() || cmd.Command(c.Args().First()) != nil ||
		slices.ContainsFunc(cmd.Subcommands, func(s *cli.Command) bool { return s.Name != "help" }) {
		return nil
	}
	hint := ""
	if findFlag("token", cmd.Flags) != nil && isCode(c.Args().First()) {
		hint = "; give a code with -t"
	}
	return usage("%s takes no arguments, and %q is one%s; see %s --help", cmd.HelpName, c.Args().First(), hint, cmd.HelpName)
}
