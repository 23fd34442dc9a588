package app

import "github.com/urfave/cli/v2"

// urfave/cli's Names method runs a regexp over every flag name, and it is
// called for every flag on every lookup, so a command with 17 flags makes
// hundreds of regexp calls per run: 60% of a cached `aws-mfa env`. These
// wrappers answer Names from a slice built once per flag (its capacity
// is its length, so a caller's append copies it; urfave/cli only reads
// it); every other method is the library's own.
type (
	stringFlag struct {
		*cli.StringFlag
		names []string
	}
	boolFlag struct {
		*cli.BoolFlag
		names []string
	}
	durationFlag struct {
		*cli.DurationFlag
		names []string
	}
)

func (f stringFlag) Names() []string   { return f.names }
func (f boolFlag) Names() []string     { return f.names }
func (f durationFlag) Names() []string { return f.names }

func names(name string, aliases []string) []string {
	n := append([]string{name}, aliases...)
	return n[:len(n):len(n)]
}

// fastNames wraps the flags of the app and of every command.
func fastNames(a *cli.App) {
	wrap := func(flags []cli.Flag) {
		for i, f := range flags {
			switch f := f.(type) {
			case *cli.StringFlag:
				flags[i] = stringFlag{f, names(f.Name, f.Aliases)}
			case *cli.BoolFlag:
				flags[i] = boolFlag{f, names(f.Name, f.Aliases)}
			case *cli.DurationFlag:
				flags[i] = durationFlag{f, names(f.Name, f.Aliases)}
			}
		}
	}
	wrap(a.Flags)
	for _, c := range a.Commands {
		wrap(c.Flags)
	}
}
