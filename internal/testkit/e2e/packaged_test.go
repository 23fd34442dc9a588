//go:build unix

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/release/completion"
)

// bashCompletion is bash-completion's loader, which finds a command's
// completion file at its first Tab.
const bashCompletion = "/usr/share/bash-completion/bash_completion"

// packagedCompletions lays out the completion files a package installs
// under dir, each where its shell's loader looks in a user's own data
// directory (XDG_DATA_HOME=dir for bash-completion; fpath and
// fish_complete_path name the others).
func packagedCompletions(t *testing.T, dir string) (bash, zshDir, fishDir string) {
	t.Helper()
	bash = filepath.Join(dir, "bash-completion", "completions", "aws-mfa")
	zshDir, fishDir = filepath.Join(dir, "zsh"), filepath.Join(dir, "fish")
	for shell, path := range map[string]string{"bash": bash, "zsh": filepath.Join(zshDir, "_aws-mfa"), "fish": filepath.Join(fishDir, "aws-mfa.fish")} {
		code, err := completion.Script(shell)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(path), 0o700)
		if err := os.WriteFile(path, []byte(code), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return bash, zshDir, fishDir
}

// TestPackagedCompletion presses Tab in bash and zsh, and asks fish, with
// the completion files a release package installs, loaded the way each
// shell loads them: with no hook, then beside the hook in the order that
// could go wrong (the packaged file last; in zsh the hook before
// compinit, which binds the packaged file first). Either way the binary
// completes aws-mfa sta into aws-mfa status and a pair's name.
func TestPackagedCompletion(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	atOnce(t, []string{"bash", "zsh", "fish"}, func(t *testing.T, name string) {
		requireTool(t, name)
		for _, hooked := range []bool{false, true} {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "config.toml")
			os.WriteFile(cfg, []byte("[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n"), 0o600)
			bashFile, zshDir, fishDir := packagedCompletions(t, dir)
			env := peerEnv(dir, "TERM=xterm", "AWS_MFA_CONFIG="+cfg, "XDG_DATA_HOME="+dir,
				"PATH="+filepath.Dir(bin)+":/usr/bin:/bin")
			switch name {
			case "fish":
				hook := ""
				if hooked {
					hook = "aws-mfa hook fish | source; "
				}
				// The packaged file is fish's to load, at the first
				// completion of aws-mfa: after the hook's.
				script := hook + "set -p fish_complete_path " + fishDir + `; complete -C "aws-mfa st"; complete -C "aws-mfa -p w"; functions -q aws-mfa; and echo wrapped; or true`
				out, stderr, err := run(t, env, "fish", "--no-config", "-c", script)
				want := "status\tshow each pair's session; reads local files only\nwork\t[aws-mfa] → [work]\n"
				if hooked {
					want += "wrapped\n"
				}
				if err != nil || out != want {
					t.Errorf("hook %v: %v %q want %q %s", hooked, err, out, want, stderr)
				}
				continue
			case "bash":
				if _, err := os.Stat(bashCompletion); err != nil {
					requireTool(t, "bash-completion's "+bashCompletion)
				}
				rc := ". " + bashCompletion + "\n"
				if hooked {
					rc += "eval \"$(aws-mfa hook bash)\"\n. " + bashFile + "\n"
				}
				os.WriteFile(filepath.Join(dir, "rc"), []byte(rc+"PS1='$ '\n"), 0o600)
				sh := startTmux(t, dir, env, "bash", "--noprofile", "--rcfile", filepath.Join(dir, "rc"), "-i")
				tabs(t, sh, hooked)
				if got := sh.result("complete -p aws-mfa", "registered"); got != "complete -F _aws_mfa_complete aws-mfa" {
					t.Errorf("hook %v: aws-mfa's completion is %q", hooked, got)
				}
			case "zsh":
				rc := "fpath=(" + zshDir + " $fpath)\n"
				if hooked {
					rc += "eval \"$(aws-mfa hook zsh)\"\n"
				}
				if dump := packagedZcompdump(t); dump != nil { // else compinit makes its own
					os.WriteFile(filepath.Join(dir, "zcompdump"), dump, 0o600)
				}
				rc += "autoload -U compinit; compinit -u -d " + filepath.Join(dir, "zcompdump") + "\nPROMPT='%% '\n"
				os.WriteFile(filepath.Join(dir, ".zshrc"), []byte(rc), 0o600)
				sh := startTmux(t, dir, append(env, "ZDOTDIR="+dir), "zsh", "-i")
				tabs(t, sh, hooked)
			}
		}
	})
}

// tabs completes a subcommand and a pair name with Tab in bash or zsh,
// and checks that the hook was loaded exactly when it should have been.
var (
	packagedDumpOnce sync.Once
	packagedDump     []byte
)

// packagedZcompdump is compinit's dump for an fpath that starts with a
// directory holding the packaged _aws-mfa alone (keptZcompdump): zsh
// loads _aws-mfa itself from the test's own directory, and the
// registration the dump holds is the one this _aws-mfa's #compdef line
// makes, read by compinit as the test's would. (The hook adds none
// before compinit: it waits for the first prompt.)
func packagedZcompdump(t *testing.T) []byte {
	packagedDumpOnce.Do(func() {
		code, err := completion.Script("zsh")
		if err == nil {
			packagedDump = keptZcompdump("_aws-mfa", code)
		}
	})
	return packagedDump
}

func tabs(t *testing.T, sh *tmuxShell, hooked bool) {
	t.Helper()
	for i, c := range []struct{ typed, want string }{{"aws-mfa sta", "aws-mfa status"}, {"aws-mfa -p wo", "aws-mfa -p work"}} {
		got := sh.result("", fmt.Sprint("tab", i), text(c.typed), press("Tab", "C-a"), text("echo "), press("C-e"))
		if got != c.want {
			t.Errorf("hook %v: %q + Tab gave %q, want %q", hooked, c.typed, got, c.want)
		}
	}
	if got := sh.result(`echo "${_aws_mfa_bin-none}"`, "hooked"); (got != "none") != hooked {
		t.Errorf("hook %v: the hook's binary is %q", hooked, got)
	}
}
