package app

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestRunLeavesUrfaveGlobalsAlone: urfave/cli's own help flag is a package
// variable its Apply writes into, so two runs in one process (the tests
// run many at once) raced on it. The app brings its own help flag and
// command; after runs through every help path the library's flag is as
// the library defined it.
func TestRunLeavesUrfaveGlobalsAlone(t *testing.T) {
	before := *cli.HelpFlag.(*cli.BoolFlag)
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"}, {"help", "env"}, {"env", "--help"}, {"env", "help"},
		{"keyring"}, {"keyring", "help", "export"}, {"keyring", "export", "-h"}, {"help", "-h"},
		{"status", "--names"}, {"nope"},
	} {
		var stdout, stderr bytes.Buffer
		sys := System{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Getenv: noEnv, Environ: func() []string { return nil },
			IsTerminal: func(any) bool { return false }, ParentProcess: func() string { return "" }}
		Run(append([]string{"aws-mfa"}, args...), sys)
		if len(args) > 0 && args[0] != "nope" && args[0] != "status" && !strings.Contains(stdout.String(), "USAGE:") {
			t.Errorf("%q printed no help:\n%s%s", args, stdout.String(), stderr.String())
		}
	}
	if after := *cli.HelpFlag.(*cli.BoolFlag); !reflect.DeepEqual(before, after) {
		t.Errorf("a run wrote into urfave/cli's HelpFlag:\nbefore %+v\nafter  %+v", before, after)
	}
}
