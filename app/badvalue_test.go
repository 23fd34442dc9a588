package app

import (
	"bytes"
	"strings"
	"testing"
)

// TestBadOptionValuesSayWhatTheyTake: a value an option cannot take is
// refused in one line (exit 2) that names the option as typed and what it
// takes, in every command that has it, and never repeats the value.
func TestBadOptionValuesSayWhatTheyTake(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--timeout", "Zq9Qx"}, "--timeout takes a duration such as 30s, 2m or 1h"},
		{[]string{"--timeout=Zq9Qx"}, "--timeout takes a duration such as 30s, 2m or 1h"},
		{[]string{"--timeout", ""}, "--timeout takes a duration such as 30s, 2m or 1h"},
		{[]string{"--force=Zq9Qx"}, "--force takes no value; give it alone (or as --force=false to turn it off)"},
		{[]string{"-f=Zq9Qx"}, "-f takes no value"},
		{[]string{"-v=Zq9Qx"}, "-v takes no value"},
		{[]string{"-p", "Zq9Qx", "--pair", "other"}, "-p and --pair are one option; give it once"},
		{[]string{"-t", "Zq9Qx", "--token", "other"}, "-t and --token are one option; give it once"},
	}
	for _, cmd := range [][]string{nil, {"env"}, {"exec"}} {
		for _, tc := range cases {
			args := append(append([]string{"aws-mfa"}, cmd...), tc.args...)
			var stdout, stderr bytes.Buffer
			sys := System{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
				Getenv: noEnv, Environ: func() []string { return nil },
				IsTerminal: func(any) bool { return false }, ParentProcess: func() string { return "" }}
			code := Run(args, sys)
			msg := stderr.String()
			if code != ExitUsage || !strings.Contains(msg, tc.want) || strings.Count(msg, "\n") != 1 || stdout.Len() != 0 {
				t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", args, code, msg, tc.want)
			}
			if strings.Contains(msg, "Zq9Qx") {
				t.Errorf("%q: the error repeats the value: %q", args, msg)
			}
		}
	}
}
