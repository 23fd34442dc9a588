package app

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestExecWithoutDashes: a code where the command should be is not
// looked for in PATH; the error shows the form, and STS is never asked.
func TestExecWithoutDashes(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	for _, args := range [][]string{
		{"exec", "123456"},
		{"exec", "123 456"},
		{"exec", "123456", "true"},
		{"exec", "-t", "123456"},
		{"exec", "no-such-command-here"},
	} {
		_, stderr, code := r.run("", args...)
		if code != ExitUsage || !strings.Contains(stderr, "aws-mfa exec [-t CODE] -- COMMAND") || strings.Contains(stderr, `"123456" not found`) {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
	// An option after the code is named as such; a word after -- is the
	// command's, and - is no option.
	for _, args := range [][]string{{"exec", "--", "123456", "-x"}, {"exec", "123456", "-", "true"}} {
		if _, stderr, code := r.run("", args...); code != ExitUsage || strings.Contains(stderr, "stands after the code") {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
	for _, args := range [][]string{{"exec", "123456", "-p", "work", "--", "true"}, {"exec", "123456", "--renew", "--", "true"}, {"exec", "123456", "-t", "654321"}} {
		_, stderr, code := r.run("", args...)
		if want := "aws-mfa: " + args[2] + " stands after the code; options go before it: aws-mfa exec [OPTIONS] CODE -- COMMAND\n"; code != ExitUsage || stderr != want {
			t.Errorf("%q: exit %d, stderr %q, want %q", args, code, stderr, want)
		}
	}
	if r.emu.Requests() != 0 {
		t.Error("STS was asked")
	}
	if b, _ := os.ReadFile(r.creds); string(b) != aliceProfile {
		t.Error("the file changed")
	}
}

// TestExecNamesWhyAPathCannotRun: a command given by a path that is
// there but cannot run, or is not there, gets that cause, never "not
// found in PATH", which it was never looked for in; exit 2, no STS.
func TestExecNamesWhyAPathCannotRun(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("the causes are Unix's")
	}
	r := newRig(t, aliceProfile)
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, []byte("#!/bin/sh\n"), 0o600)
	for path, why := range map[string]string{
		plain:                         "permission denied",
		dir:                           "is a directory",
		filepath.Join(dir, "missing"): "no such file or directory",
		"./no-such-command-here":      "no such file or directory",
	} {
		_, stderr, code := r.run("", "exec", "-t", "314159", "--", path)
		if want := fmt.Sprintf("aws-mfa: cannot run %q: %s; the form is aws-mfa exec [-t CODE] -- COMMAND", path, why); code != ExitUsage || !strings.HasPrefix(stderr, want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", path, code, stderr, want)
		}
	}
	if r.emu.Requests() != 0 {
		t.Error("STS was asked")
	}
}

// TestMistypedPairOnEveryCommand: every command that takes --pair
// (walked from the app, at every depth) refuses a mistyped pair with
// exit 2 and the pair it was meant to be, before STS and with no file
// changed; setup -p names a pair to add, and is not one of them.
func TestMistypedPairOnEveryCommand(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	cfg := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(cfg, []byte("[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n"), 0o600)
	var tested []string
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, c := range cmds {
			if c.Hidden || c.Name == "help" || c.Name == "setup" {
				continue
			}
			if findFlag("pair", c.Flags) != nil {
				args := append(append(slices.Clone(path), c.Name), "--config", cfg, "-p", "wrok")
				if c.Name == "exec" {
					args = append(args, "-t", "314159", "--", "true")
				}
				tested = append(tested, strings.Join(append(path, c.Name), " "))
				_, stderr, code := r.run("", args...)
				if code != ExitUsage || !strings.Contains(stderr, `no pair named "wrok"; did you mean work?`) {
					t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
				}
			}
			walk(append(slices.Clone(path), c.Name), c.Subcommands)
		}
	}
	walk(nil, newApp(System{}).Commands)
	if slices.Sort(tested); !slices.Equal(tested, []string{"console", "doctor", "env", "exec", "keyring export", "rotate", "status"}) {
		t.Errorf("walked %q", tested)
	}
	if _, stderr, code := r.run("", "--config", cfg, "-p", "wrok", "-t", "314159"); code != ExitUsage || !strings.Contains(stderr, "did you mean work?") {
		t.Errorf("the refresh: exit %d, stderr %q", code, stderr)
	}
	if r.emu.Requests() != 0 {
		t.Error("STS was asked")
	}
	if b, _ := os.ReadFile(r.creds); string(b) != aliceProfile {
		t.Error("the file changed")
	}
}

// TestTargetTypoCostsNoCode: a --target that names no profile but is a
// slip away from one is refused before STS (exit 2, did you mean), on
// every command that obtains a session; a name unlike any other, a
// config pair's target and --force are first uses.
func TestTargetTypoCostsNoCode(t *testing.T) {
	t.Parallel()
	creds := aliceProfile + "[default]\nregion = eu-west-1\n[prod-session]\nregion = eu-west-1\n"
	for _, args := range [][]string{
		{"--target", "defualt", "314159"},
		{"--target", "defaul", "314159"},
		{"env", "--target", "Default", "314159"},
		{"exec", "--target", "prod-sesion", "314159", "--", "true"},
		{"-p", "default", "--target", "prod-sesson", "314159"},
	} {
		r := newRig(t, creds)
		_, stderr, code := r.run("", args...)
		if code != ExitUsage || !strings.Contains(stderr, "did you mean [") || !strings.Contains(stderr, "add --force") {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
		if r.emu.Requests() != 0 {
			t.Errorf("%q: STS was asked", args)
		}
		if b, _ := os.ReadFile(r.creds); string(b) != creds {
			t.Errorf("%q: the file changed", args)
		}
	}
	for _, args := range [][]string{
		{"--target", "work", "314159"},
		{"--target", "defualt", "--force", "314159"},
		{"--target", "prod-session", "314159"},
		{"--target", "prod-session2", "314159"},
	} {
		r := newRig(t, creds)
		if _, stderr, code := r.run("", args...); code != 0 || r.emu.Requests() != 1 {
			t.Errorf("%q: exit %d, %d requests: %s", args, code, r.emu.Requests(), stderr)
		}
	}
	// A pair's own target, named in the config, is never a typo.
	r := newRig(t, creds)
	cfg := r.env["XDG_CONFIG_HOME"] + "/aws-mfa/config.toml"
	os.MkdirAll(r.env["XDG_CONFIG_HOME"]+"/aws-mfa", 0o700)
	os.WriteFile(cfg, []byte("[pair.prod2]\nsource = \"aws-mfa\"\ntarget = \"prod-sessio\"\n"), 0o600)
	if _, stderr, code := r.run("", "--target", "prod-sessio", "314159"); code != 0 {
		t.Errorf("a pair's target: exit %d: %s", code, stderr)
	}
}

// TestSourceTypoSaysDidYouMean: a source that names no profile but is a
// slip away from one gets a did-you-mean, not setup's offer to make it.
func TestSourceTypoSaysDidYouMean(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	os.MkdirAll(r.env["XDG_CONFIG_HOME"]+"/aws-mfa", 0o700)
	os.WriteFile(r.env["XDG_CONFIG_HOME"]+"/aws-mfa/config.toml", []byte("[pair.work]\nsource = \"aws-mfaa\"\ntarget = \"work\"\n"), 0o600)
	_, stderr, code := r.run("", "-p", "work", "314159")
	if code != ExitUsage || !strings.Contains(stderr, "no [aws-mfaa] profile") || !strings.Contains(stderr, "did you mean [aws-mfa]?") || strings.Contains(stderr, "setup") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if r.emu.Requests() != 0 {
		t.Error("STS was asked")
	}
}
