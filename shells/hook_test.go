package shells

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hookVars are the names the prompt hooks remove on expiry.
var hookVars = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_MFA_EXPIRY", "AWS_MFA_TARGET"}

// An awkward but legal install path: spaces, a quote, a dollar, a bang.
const oddExe = "/opt/it's $HOME!/bin/aws-mfa"

var hookShells = []string{"bash", "zsh", "sh", "fish", "tcsh", "elvish", "xonsh", "nu", "pwsh"}

func TestHookGolden(t *testing.T) {
	for _, name := range hookShells {
		t.Run(name, func(t *testing.T) {
			sh, _ := Lookup(name)
			out, err := sh.Hook(oddExe, hookVars)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out, "@AWS_MFA") {
				t.Error("a placeholder was left")
			}
			// yash, in the C locale, stops reading an eval's text at a
			// byte that is not ASCII, silently: the rest is never defined.
			if i := strings.IndexFunc(strings.ReplaceAll(out, oddExe, ""), func(r rune) bool { return r > 0x7e }); i >= 0 {
				t.Errorf("a character that is not ASCII, at byte %d", i)
			}
			golden := filepath.Join("testdata", "hook."+name+".golden")
			if *update {
				os.WriteFile(golden, []byte(out), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("differs from %s", golden)
			}
		})
	}
	for _, name := range []string{"cmd", "dotenv"} {
		sh, _ := Lookup(name)
		if _, err := sh.Hook(oddExe, hookVars); !errors.Is(err, ErrNoHook) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestHookPathQuoting has real shells read back the binary's path from
// each hook.
func TestHookPathQuoting(t *testing.T) {
	read := map[string]struct {
		bin  string
		args func(file string) []string
	}{
		"bash": {"bash", func(f string) []string {
			return []string{"--norc", "-c", `eval "$(cat '` + f + `')"; printf %s "$_aws_mfa_bin"`}
		}},
		"zsh": {"zsh", func(f string) []string {
			return []string{"-f", "-c", `eval "$(cat '` + f + `')"; printf %s "$_aws_mfa_bin"`}
		}},
		"sh": {"dash", func(f string) []string {
			return []string{"-c", `eval "$(cat '` + f + `')"; printf %s "$_aws_mfa_bin"`}
		}},
		"fish": {"fish", func(f string) []string {
			return []string{"--no-config", "-c", "source '" + f + "'; printf %s $_aws_mfa_bin"}
		}},
		"tcsh": {"tcsh", func(f string) []string {
			return []string{"-f", "-c", "eval \"`cat '" + f + "'`\"; printf %s $_aws_mfa_bin:q"}
		}},
	}
	for name, sh := range read {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // its own file
			path := requireShell(t, sh.bin)
			d, _ := Lookup(name)
			code, err := d.Hook(oddExe, hookVars)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "hook")
			os.WriteFile(file, []byte(code), 0o600)
			out, err := exec.Command(path, sh.args(file)...).Output()
			if err != nil {
				t.Fatalf("%v", err)
			}
			if string(out) != oddExe {
				t.Errorf("path read back as %q", out)
			}
		})
	}
}

// TestShellcheck lints the bash and POSIX sh hooks as printed, with the
// shared wrapper body in place.
func TestShellcheck(t *testing.T) {
	bin := requireShell(t, "shellcheck")
	for _, dialect := range []string{"bash", "sh"} {
		d, _ := Lookup(dialect)
		code, err := d.Hook("/usr/local/bin/aws-mfa", hookVars) // oddExe's $ is meant literally, which shellcheck questions
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "-s", dialect, "-")
		cmd.Stdin = strings.NewReader(code)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("shellcheck %s hook: %v\n%s", dialect, err, out)
		}
	}
}
