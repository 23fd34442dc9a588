package app

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/internal/suggest"
)

// mistyped is a usage error that says what is wrong, then names the one
// of names that word was probably meant to be, and more; or, with no such
// name, otherwise.
func mistyped(word string, names []string, what, more, otherwise string) error {
	if s := suggest.Closest(word, names); s != "" {
		return usage("%s; did you mean %s? %s", what, s, more)
	}
	return usage("%s; %s", what, otherwise)
}

// badValue rewords what the flag package and urfave/cli say of a value an
// option cannot take, naming the option as the user types it and what it
// takes; the value is not repeated (the messages never quote input).
func badValue(msg string, flags []cli.Flag) (string, bool) {
	// The flag package's `invalid boolean value "v" for -name: …` and
	// `invalid value "v" for flag -name: …`; the last " for " is the flag's.
	m := regexp.MustCompile(`^invalid (boolean )?value .* for (?:flag )?-([^:]+): `).FindStringSubmatch(msg)
	if m == nil {
		return "", false
	}
	name := dashed(m[2])
	if m[1] != "" {
		return name + " takes no value; give it alone (or as " + name + "=false to turn it off)", true
	}
	if _, ok := findFlag(m[2], flags).(*cli.DurationFlag); ok {
		return name + " takes a duration such as 30s, 2m or 1h", true
	}
	return name + " has a value it cannot take", true
}

// usageError is every command's OnUsageError: it rewords urfave/cli's
// parse errors (badValue; "flag provided but not defined" with the option
// it was meant to be, among those the command takes) and points to the
// command's help.
func usageError(c *cli.Context, err error, _ bool) error {
	// HelpName is the whole path: aws-mfa for the app itself, aws-mfa
	// keyring export for a subcommand.
	flags, help := c.Command.Flags, c.Command.HelpName+" --help"
	path := strings.TrimPrefix(strings.TrimPrefix(c.Command.HelpName, "aws-mfa"), " ")
	if msg, ok := badValue(err.Error(), flags); ok {
		return usage("%s; see %s", msg, help)
	}
	// The flag package's "flag provided but not defined: -name".
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if name = strings.TrimLeft(name, "-"); !ok || name == "" || strings.Contains(name, "\n") {
		return usage("%v; see %s", err, help)
	}
	// An option of a subcommand, given before it: say whose it is (its
	// help would not).
	if owners := optionOwners(c.Command.Subcommands, path, name); len(owners) > 0 && findFlag(name, flags) == nil {
		return usage("%s is an option of %s; put it after the command, as in aws-mfa %s %s", dashed(name), strings.Join(owners, " and "), owners[0], dashed(name))
	}
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	if s := suggest.Closest(name, names); s != "" {
		return usage("unknown option %s; did you mean %s? See %s", dashed(name), dashed(s), help)
	}
	return usage("unknown option %s; see %s", dashed(name), help)
}

// unknownSubcommand refuses a word that is no subcommand of a command that
// has some (`aws-mfa keyring exprot`, `aws-mfa keyring help bogus`), which
// urfave/cli reports as a failure (exit 1) with no hint: a usage error,
// with the one it was probably meant to be.
func unknownSubcommand(c *cli.Context, word string) error {
	// HelpName is the whole path (aws-mfa keyring export); FullName is
	// only the last word.
	name, help := strings.TrimPrefix(c.Command.HelpName, "aws-mfa "), c.Command.HelpName+" --help"
	names, otherwise := visible(c.Command.Subcommands), "see "+help
	if len(names) > 0 {
		otherwise = "its commands are " + strings.Join(names, ", ") + "; " + otherwise
	}
	return mistyped(word, names, fmt.Sprintf("%s has no command %q", name, word), "See "+help, otherwise)
}

// visible names the commands of cmds that help lists.
func visible(cmds []*cli.Command) []string {
	var names []string
	for _, cmd := range cmds {
		if !cmd.Hidden {
			names = append(names, cmd.Name)
		}
	}
	return names
}

// optionOwners names the commands among cmds and their subcommands that
// take the option name, each by its path under prefix ("keyring export").
func optionOwners(cmds []*cli.Command, prefix, name string) []string {
	var owners []string
	for _, cmd := range cmds {
		if cmd.Hidden || cmd.Name == "help" { // urfave/cli's help lists itself among its subcommands
			continue
		}
		path := strings.TrimSpace(prefix + " " + cmd.Name)
		if findFlag(name, cmd.Flags) != nil {
			owners = append(owners, path)
		}
		owners = append(owners, optionOwners(cmd.Subcommands, path, name)...)
	}
	return owners
}
