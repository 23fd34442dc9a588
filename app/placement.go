package app

import (
	"fmt"
	"slices"

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
	lineage := c.Lineage()
	if len(lineage) < 2 || lineage[1].Command == nil || c.Command == nil {
		return nil // the app's own action: nothing was placed before it
	}
	parent := lineage[1]
	before := parent.LocalFlagNames()
	if len(before) == 0 {
		return nil
	}
	after := c.LocalFlagNames()
	for _, f := range parent.Command.Flags {
		names := f.Names()
		name := names[0]
		if name == "help" || name == "version" || !slices.ContainsFunc(names, func(n string) bool { return slices.Contains(before, n) }) {
			continue
		}
		if !defines(c.Command.Flags, name) {
			return usage("%s does not apply to %s; see aws-mfa %s --help", dashed(name), c.Command.Name, c.Command.Name)
		}
		value := fmt.Sprint(parent.Value(name))
		if slices.Contains(after, name) {
			if fmt.Sprint(c.Value(name)) != value {
				return usage("%s is given twice, before and after %s, with different values; give it once", dashed(name), c.Command.Name)
			}
			continue
		}
		if err := c.Set(name, value); err != nil {
			return usage("%s: %v", dashed(name), err)
		}
	}
	return nil
}

func defines(flags []cli.Flag, name string) bool {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return true
		}
	}
	return false
}

func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
