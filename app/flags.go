package app

import (
	"flag"
	"time"

	"github.com/urfave/cli/v2"
)

// Every flag is defined once, as a package-level value that no run
// changes, and wrapped so that urfave/cli's per-run work on it is cheap.
// The library's Names runs a regexp over every name, and it is called for
// every flag on every lookup: hundreds of regexp calls a run. The wrappers
// answer Names from a slice built once, when the package initialises (its
// capacity is its length, so a caller's append copies it; urfave/cli only
// reads it), and Apply registers those names without the library's Apply, which runs
// Names too, looks up EnvVars and FilePath, and writes the default into the
// flag: a write to a shared definition. No flag here has EnvVars, FilePath,
// Destination or Action (options come only from the command line; see
// placeOptions), so nothing the library's Apply did is lost. Every other
// method is the library's own, so help prints the flags as before.
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

// newString, newBool and newDuration wrap a definition, its names (the
// name, then the aliases) written out once, when the package initialises.
func newString(f *cli.StringFlag) stringFlag { return stringFlag{f, names(f.Name, f.Aliases)} }

func newBool(f *cli.BoolFlag) boolFlag { return boolFlag{f, names(f.Name, f.Aliases)} }

func newDuration(f *cli.DurationFlag) durationFlag {
	return durationFlag{f, names(f.Name, f.Aliases)}
}

// names is name and aliases in one slice whose capacity is its length, so
// that a caller's append copies it.
func names(name string, aliases []string) []string {
	n := append([]string{name}, aliases...)
	return n[:len(n):len(n)]
}

func (f stringFlag) Names() []string   { return f.names }
func (f boolFlag) Names() []string     { return f.names }
func (f durationFlag) Names() []string { return f.names }

// Apply defines each of the flag's names in the run's flag set, all
// holding one value, so an alias given sets the name too.
func (f stringFlag) Apply(set *flag.FlagSet) error {
	v := new(string)
	for _, n := range f.names {
		set.StringVar(v, n, f.Value, f.Usage)
	}
	return nil
}

func (f boolFlag) Apply(set *flag.FlagSet) error {
	v := new(bool)
	for _, n := range f.names {
		set.BoolVar(v, n, f.Value, f.Usage)
	}
	return nil
}

func (f durationFlag) Apply(set *flag.FlagSet) error {
	v := new(time.Duration)
	for _, n := range f.names {
		set.DurationVar(v, n, f.Value, f.Usage)
	}
	return nil
}
