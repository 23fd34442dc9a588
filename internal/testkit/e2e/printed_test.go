//go:build unix

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
	"github.com/aws-mfa/aws-mfa/shells"
)

// TestPrintedCommandsPaste runs aws-mfa where it prints a command for a
// person to run (doctor's fixes, setup's next step, a refusal's advice),
// with pair and profile names and paths that hold shell syntax. Each
// command must appear as shells.Line writes it, and pasted into sh, bash,
// zsh and fish it must run the same argv and nothing else.
func TestPrintedCommandsPaste(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	dir := t.TempDir()
	// Profile names and paths may hold anything (pair names are plain);
	// `touch ran` runs in the paste's directory if anything in them runs.
	h := `team$(touch ran)'a"b`
	g := "g`touch ran` \\x $HOME"
	p := `p!1 %s \'`
	cfgDir := filepath.Join(dir, "cfg $(touch ran)'")
	credDir := filepath.Join(dir, "creds `touch ran`")
	for _, d := range []string{cfgDir, credDir} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(cfgDir, "config.toml")
	creds := filepath.Join(credDir, "credentials")
	toml := ""
	for _, pair := range [][3]string{{"h", h, h + "-t"}, {"g", g, g + "-t"}, {"p", "p-src", p}, {"w", "p-src", "w-t"}} {
		toml += "[pair." + strconv.Quote(pair[0]) + "]\nsource = " + strconv.Quote(pair[1]) + "\ntarget = " + strconv.Quote(pair[2]) + "\n"
	}
	toml += "write = false\n" // the last pair's
	os.WriteFile(cfg, []byte(toml), 0o600)
	expired := "aws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2020-01-01T00:00:00Z\n"
	os.WriteFile(creds, []byte("["+g+"]\nregion = eu-west-1\n[p-src]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n["+p+"]\n"+expired), 0o644)
	os.Chmod(creds, 0o644)
	env := peerEnv(dir, "AWS_SHARED_CREDENTIALS_FILE="+creds)

	cases := []struct {
		args []string
		want [][]string // the commands printed
	}{
		{[]string{"--config", cfg, "doctor"}, [][]string{
			{"chmod", "600", creds},
			{"aws", "configure", "--profile", h},
			// doctor was given --config, so the setup it proposes is too.
			{"aws-mfa", "setup", "--config", cfg, "--source", h, "--target", h + "-t"},
			{"aws", "configure", "--profile", g},
			{"aws-mfa", "setup", "--config", cfg, "--source", g, "--target", g + "-t"},
			{"aws-mfa", "--config", cfg, "-p", "p", "CODE"},
		}},
		{[]string{"--config", cfg, "-p", "w", "123456"}, [][]string{
			{"aws-mfa", "env", "-p", "w"},
			{"aws-mfa", "exec", "-p", "w", "--", "COMMAND"},
		}},
		// No terminal to ask for a code: the refresh to run in one.
		{[]string{"--config", cfg, "env", "--format", "json", "-p", "p"}, [][]string{
			{"aws-mfa", "--config", cfg, "-p", "p"},
		}},
		{[]string{"setup", "--source", g, "--target", g + "-t", "--yes"}, [][]string{
			{"aws", "configure", "--profile", g},
		}},
	}
	var printed [][]string
	for _, c := range cases {
		cmd := exec.Command(bin, c.args...)
		cmd.Env = env
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // no terminal
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.Run()
		for _, want := range c.want {
			if !strings.Contains(out.String(), shells.Line(want...)) {
				t.Errorf("aws-mfa %q did not print %s:\n%s", c.args, shells.Line(want...), &out)
			}
		}
		printed = append(printed, c.want...)
	}

	// Paste each into each shell, with aws and aws-mfa stand-ins that
	// print their argv.
	stubs := filepath.Join(dir, "stubs")
	os.Mkdir(stubs, 0o700)
	for _, name := range []string{"aws", "aws-mfa", "chmod"} {
		testproc.WriteExecutable(filepath.Join(stubs, name), []byte("#!/bin/sh\nprintf '%s\\0' \"${0##*/}\" \"$@\"\n"), 0o700)
	}
	var script strings.Builder
	var want []string
	for _, argv := range printed {
		script.WriteString(shells.Line(argv...) + "\n")
		want = append(want, argv...)
	}
	for _, sh := range [][]string{{"dash"}, {"bash", "--norc", "--noprofile"}, {"zsh", "-f"}, {"fish", "--no-config"}} {
		t.Run(sh[0], func(t *testing.T) {
			requireTool(t, sh[0])
			paste := t.TempDir()
			cmd := exec.Command(sh[0], append(sh[1:], "-c", script.String())...)
			cmd.Env = []string{"PATH=" + stubs + ":/usr/bin:/bin", "HOME=" + paste, "LANG=C.UTF-8"}
			cmd.Dir = paste
			out, err := cmd.Output()
			got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("%v\n got %q\nwant %q", err, got, want)
			}
			if _, err := os.Stat(filepath.Join(paste, "ran")); err == nil {
				t.Error("a pasted command ran something it held")
			}
		})
	}
}
