package app

import (
	"io"
	"slices"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestFastNamesAgreeWithTheLibrary checks every flag of the app and of
// each command: it is wrapped, its Names are the library's own, and a
// caller appending to them cannot write into the shared slice.
func TestFastNamesAgreeWithTheLibrary(t *testing.T) {
	t.Parallel()
	a := newApp(System{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }})
	sets := map[string][]cli.Flag{"app": a.Flags}
	for _, c := range a.Commands {
		sets[c.Name] = c.Flags
	}
	for where, flags := range sets {
		for _, f := range flags {
			var lib []string
			switch f := f.(type) {
			case stringFlag:
				lib = f.StringFlag.Names()
			case boolFlag:
				lib = f.BoolFlag.Names()
			case durationFlag:
				lib = f.DurationFlag.Names()
			default:
				t.Errorf("%s: flag %v (%T) is not wrapped: its Names runs a regexp on every lookup", where, f.Names(), f)
				continue
			}
			got := f.Names()
			if !slices.Equal(got, lib) {
				t.Errorf("%s: Names() = %q, the library says %q", where, got, lib)
			}
			if cap(got) != len(got) {
				t.Errorf("%s %q: capacity %d over length %d, so an append would write into the shared names", where, got, cap(got), len(got))
			}
			_ = append(got, "x")
			if !slices.Equal(f.Names(), lib) {
				t.Errorf("%s: an append changed Names() to %q", where, f.Names())
			}
		}
	}
}
