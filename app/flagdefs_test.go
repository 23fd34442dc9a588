package app

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/shells"
)

// allFlags lists every flag of the app, its commands and their
// subcommands, by where it is.
func allFlags() map[string][]cli.Flag {
	a := newApp(System{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: func(string) string { return "" }})
	all := map[string][]cli.Flag{"app": a.Flags}
	for _, c := range a.Commands {
		all[c.Name] = c.Flags
		for _, sub := range c.Subcommands {
			all[c.Name+" "+sub.Name] = sub.Flags
		}
	}
	return all
}

// definition is the library's flag a wrapper holds, copied.
func definition(t *testing.T, f cli.Flag) any {
	switch f := f.(type) {
	case stringFlag:
		return *f.StringFlag
	case boolFlag:
		return *f.BoolFlag
	case durationFlag:
		return *f.DurationFlag
	}
	t.Fatalf("flag %v (%T) is not wrapped", f.Names(), f)
	return nil
}

// TestFlagDefinitionsNeverChange: the flags are package-level values
// shared by every run (and by runs in parallel), so no run may write to
// them: the wrappers' Apply replaces the library's, which records the
// default in the flag. Every flag of every command and subcommand is
// wrapped, and none has what only the library's Apply reads.
func TestFlagDefinitionsNeverChange(t *testing.T) {
	before := map[string][]any{}
	for where, flags := range allFlags() {
		for _, f := range flags {
			d := definition(t, f)
			v := reflect.ValueOf(d)
			for _, field := range []string{"EnvVars", "FilePath", "Destination", "Action"} {
				if !v.FieldByName(field).IsZero() {
					t.Errorf("%s %v: %s is set, which the wrapper's Apply ignores", where, f.Names(), field)
				}
			}
			before[where] = append(before[where], d)
		}
	}
	env := map[string]string{"HOME": t.TempDir(), "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1"} // never AWS
	for _, args := range [][]string{
		{"--help"}, {"env", "--help"}, {"help", "setup"}, {"keyring", "export", "--help"}, {"--version"},
		{"env", "--shell", "bash", "--no-write", "-t", "12"}, {"-p", "x", "status", "--json"}, {"status", "--names", "-p", "x"},
		{"setup", "-n", "--timeout", "1s", "--bogus"}, {"keyring", "export", "-p", ""}, {"doctor", "--config", "/nonexistent"},
		{"exec", "-f", "--timeout", "2m", "--no-write"}, {"__complete", "env", "--"}, {"-v", "--duration", "1h", "123456"},
	} {
		var out bytes.Buffer
		Run(append([]string{"aws-mfa"}, args...), System{
			Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out,
			Getenv: func(k string) string { return env[k] },
			Now:    time.Now, IsTerminal: func(any) bool { return false }, ParentProcess: func() string { return "" },
		})
	}
	for where, flags := range allFlags() {
		for i, f := range flags {
			if got := definition(t, f); !reflect.DeepEqual(got, before[where][i]) {
				t.Errorf("%s %v: a run changed the definition\n%+v\nto\n%+v", where, f.Names(), before[where][i], got)
			}
		}
	}
}

// TestHelpListsWrittenOut keeps the lists help prints, written out so
// that no run builds them, equal to the lists they stand for: the dialects
// shells knows (env's --shell) and the shells hook takes.
func TestHelpListsWrittenOut(t *testing.T) {
	if want := strings.Join(shells.Names(), ", "); dialects != want {
		t.Errorf("dialects = %q\nshells.Names() = %q", dialects, want)
	}
	if want := strings.Join(hookShells, ", "); hookShellList != want {
		t.Errorf("hookShellList = %q\nhookShells = %q", hookShellList, want)
	}
}
