package app

import "github.com/urfave/cli/v2"

// urfave/cli's Names method runs a regexp over every flag name, and it is
// called for every flag on every lookup, so a command with 17 flags makes
// hundreds of regexp calls per run: 60% of a cached `aws-mfa env`. These
// wrappers answer Names from the fields; every other method is the
// library's own.
type (
	stringFlag   struct{ *cli.StringFlag }
	boolFlag     struct{ *cli.BoolFlag }
	durationFlag struct{ *cli.DurationFlag }
)

func (f stringFlag) Names() []string   { return append([]string{f.Name}, f.Aliases...) }
func (f boolFlag) Names() []string     { return append([]string{f.Name}, f.Aliases...) }
func (f durationFlag) Names() []string { return append([]string{f.Name}, f.Aliases...) }

// fastNames wraps the flags of the app and of every command.
func fastNames(a *cli.App) {
	wrap := func(flags []cli.Flag) {
		for i, f := range flags {
			switch f := f.(type) {
			case *cli.StringFlag:
				flags[i] = stringFlag{f}
			case *cli.BoolFlag:
				flags[i] = boolFlag{f}
			case *cli.DurationFlag:
				flags[i] = durationFlag{f}
			}
		}
	}
	wrap(a.Flags)
	for _, c := range a.Commands {
		wrap(c.Flags)
	}
}
