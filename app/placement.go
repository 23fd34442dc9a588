package app

import (
	"cmp"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// placeOptions makes an option mean the same before a subcommand as after
// it. urfave/cli v2 parses options given before the subcommand into the
// context of the command they follow, and c.String(name) in the
// subcommand reads the nearest context that defines the name: the
// subcommand's own, unset flag would hide `aws-mfa -p work env`'s -p. So,
// before a subcommand runs, each option set in a context above it is
// copied into the subcommand's flags, from the nearest that set it
// (`aws-mfa -p work keyring export` too, two levels down). One that no
// command on the path typed takes is refused: a command passes it on when
// the next word names one of its subcommands, which may take it. So is
// one given on two levels with two different values; one repeated on the
// same level is left to runLine. Options are only ever read from the
// command line here (no EnvVars on the flags), so "set" means "typed".
func placeOptions(c *cli.Context) error {
	path, lineage := strings.TrimPrefix(c.Command.HelpName, "aws-mfa "), c.Lineage()
	for _, up := range lineage[1 : len(lineage)-1] { // the nearest first; the last is urfave/cli's empty one
		for _, f := range up.Command.Flags {
			name, takes := f.Names()[0], findFlag(f.Names()[0], c.Command.Flags) != nil
			owners, value := optionOwners(c.Command.Subcommands, path, name), fmt.Sprint(up.Value(name))
			switch {
			case name == "help" || name == "version" || !up.IsSet(name) || !takes && (c.Command.Command(c.Args().First()) != nil || c.Args().Present() && len(owners) > 0):
				// not typed; or a subcommand typed next checks it, or a
				// mistyped one is named as such
			case !takes && len(owners) > 0:
				return usage("%s is an option of %s; put it after the command, as in aws-mfa %s %s", dashed(name), strings.Join(owners, " and "), owners[0], dashed(name))
			case !takes:
				return usage("%s does not apply to %s; see aws-mfa %s --help", dashed(name), path, path)
			case c.IsSet(name) && fmt.Sprint(c.Value(name)) != value:
				return usage("%s is given twice, before and after %s, with different values; give it once", dashed(name), path)
			case c.Set(name, value) != nil: // the same option's value, as it prints it
				return usage("%s cannot be passed on to %s", dashed(name), path)
			}
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
	return cmp.Or(noArguments(c), placeOptions(c))
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
	hint := map[bool]string{true: "; give a code with -t"}[findFlag("token", cmd.Flags) != nil && isCode(c.Args().First())]
	return usage("%s takes no arguments, and %q is one%s; see %s --help", cmd.HelpName, c.Args().First(), hint, cmd.HelpName)
}

// runLine runs the command line args (aws-mfa and the words after it)
// through a, once it has read the options as typed, which urfave/cli does
// not keep. On one level (the app's, a command's, keyring export's) it refuses an
// option given twice with two different values (`aws-mfa --target a
// --target b`, `aws-mfa env -t 1 -t 2`), of which urfave/cli would keep
// the last, silently; two names of one option (-p a --pair a), which
// urfave/cli refuses too; and an empty value (`--pair=`, `-p ""`),
// which would mean the default, silently, as if the option had not been
// typed. placeOptions refuses two values on different levels. It reads
// the words as urfave/cli does: each command's
// options up to a word that names a subcommand, whose own follow, or that
// starts the arguments (after -- or exec's command, anything). An
// option's value is the next word even when it starts with -. A machine
// command's words are its own: __env runs the line it is given through
// runLine, and __complete gets partial lines.
func runLine(a *cli.App, line []string) error {
	flags, sub, seen, args := a.Flags, a.Command, map[string][2]string{}, line[1:]
	var refused error // the first; help and the version are shown whatever stands before them
scan:
	for i := 0; i < len(args); i++ {
		if args[i] == "help" {
			return a.Run(line)
		}
		if cmd := sub(args[i]); cmd != nil && !cmd.SkipFlagParsing {
			flags, sub, seen = cmd.Flags, cmd.Command, map[string][2]string{}
			continue
		}
		name, v, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		f, set := findFlag(name, flags), flag.NewFlagSet("", flag.ContinueOnError)
		switch {
		case f == nil || !strings.HasPrefix(args[i], "-") || !hasValue && takesValue(f) && i+1 == len(args):
			break scan // after --, the arguments, or what urfave/cli refuses itself
		case f.Names()[0] == "help" || f.Names()[0] == "version":
			return a.Run(line)
		case !hasValue && takesValue(f):
			i, v = i+1, args[i+1]
		case !hasValue:
			v = "true"
		}
		// The value as the flag reads it (1m is 60s); the scratch set
		// writes the flag's Destination, which urfave/cli's parse sets
		// again.
		if f.Apply(set) == nil && set.Set(name, v) == nil {
			v = set.Lookup(name).Value.String()
		}
		switch old, ok := seen[f.Names()[0]]; {
		case refused != nil:
		case v == "" && set.Set(name, v) == nil: // "" is no duration: urfave/cli refuses it
			refused = usage("%s is given an empty value; give one, or leave the option out for the default", dashed(f.Names()[0]))
		case ok && old[0] != name:
			refused = usage("%s and %s are one option; give it once", dashed(old[0]), dashed(name))
		case ok && old[1] != v:
			refused = usage("%s is given twice, with different values; give it once", dashed(f.Names()[0]))
		}
		seen[f.Names()[0]] = [2]string{name, v}
	}
	if refused != nil {
		return refused
	}
	return a.Run(line)
}
