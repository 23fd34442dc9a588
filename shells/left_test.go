//go:build unix

package shells

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPromptTimeLeftIsLeft: every hook with a prompt (bash, zsh, fish,
// xonsh) shows the time left, in its prompt and in its warning, as Left
// does, which status and the notes use: never "0m". Each time left is
// half a minute from a boundary, so a clock tick between setting the
// expiry and the hook reading the clock changes nothing.
func TestPromptTimeLeftIsLeft(t *testing.T) {
	lefts := []int{30, 90, 330, 3630, 7230, 45030}
	type promptShell struct {
		bin  string
		args []string
		load func(h string) string
		// step sets an expiry secs from now, runs the prompt hook with its
		// stderr on stdout, and prints the prompt.
		step func(secs int) string
	}
	posix := func(secs int) string {
		return fmt.Sprintf("AWS_MFA_EXPIRY=$(( $(date +%%s) + %d )); _aws_mfa_hook 2>&1; echo \"prompt=$AWS_MFA_PROMPT\"\n", secs)
	}
	posixLoad := func(h string) string { return "export AWS_MFA_TARGET=t\n" + `eval "$(cat '` + h + `')"` + "\n" }
	for _, sh := range []promptShell{
		{"bash", []string{"--norc", "--noprofile", "-c"}, posixLoad, posix},
		{bash32, []string{"--norc", "--noprofile", "-c"}, posixLoad, posix},
		{"zsh", []string{"-f", "-c"}, posixLoad, posix},
		{"fish", []string{"--no-config", "-c"},
			func(h string) string { return "set -gx AWS_MFA_TARGET t\nsource '" + h + "'\n" },
			func(secs int) string {
				return fmt.Sprintf("set -gx AWS_MFA_EXPIRY (math (date +%%s) + %d); _aws_mfa_hook 2>&1; echo prompt=$AWS_MFA_PROMPT\n", secs)
			}},
		{"xonsh", []string{"--no-rc", "-c"},
			func(h string) string {
				return "import time, sys\n$AWS_MFA_TARGET = 't'\nexecx(open('" + h + "').read())\nsys.stderr = sys.stdout\n"
			},
			func(secs int) string {
				return fmt.Sprintf("$AWS_MFA_EXPIRY = str(int(time.time()) + %d)\n_ = events.on_pre_prompt.fire()\nprint('prompt=' + $AWS_MFA_PROMPT)\n", secs)
			}},
	} {
		t.Run(label(sh.bin), func(t *testing.T) {
			t.Parallel() // its own files and environment
			path := requireShell(t, sh.bin)
			dir := t.TempDir()
			d, _ := Lookup(sh.bin)
			hook, err := d.Hook(filepath.Join(dir, "aws-mfa"), hookVars)
			if err != nil {
				t.Fatal(err)
			}
			h := filepath.Join(dir, "hook")
			os.WriteFile(h, []byte(hook), 0o600)
			script := sh.load(h)
			var want []string
			for _, secs := range lefts {
				script += sh.step(secs)
				left := Left(time.Duration(secs) * time.Second)
				if secs < 600 {
					want = append(want, "aws-mfa: the session for [t] expires in "+left)
				}
				want = append(want, "prompt=t "+left)
			}
			cmd := exec.Command(path, append(sh.args, script)...)
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8", "XONSH_HISTORY_BACKEND=dummy"}
			out, err := cmd.CombinedOutput()
			if got := strings.TrimSpace(string(out)); err != nil || got != strings.Join(want, "\n") {
				t.Errorf("%v\ngot\n%s\nwant\n%s", err, got, strings.Join(want, "\n"))
			}
		})
	}
}

// TestLeft: the time left as a person reads it.
func TestLeft(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Second: "expired", 0: "expired", time.Second: "under a minute", 59 * time.Second: "under a minute",
		time.Minute: "1m", 59*time.Minute + 59*time.Second: "59m", time.Hour: "1h00m", 12*time.Hour + 5*time.Minute: "12h05m",
	} {
		if got := Left(d); got != want {
			t.Errorf("Left(%v) = %q, want %q", d, got, want)
		}
	}
}
