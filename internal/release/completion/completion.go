// Package completion makes the completion files a release packages beside
// the binary, from the hook's own completion in shells/hooks. The binary
// does not link it: the hook holds the same code.
package completion

import (
	"fmt"
	"strings"

	"github.com/aws-mfa/aws-mfa/shells"
)

// Shells are the shells Script writes a file for.
var Shells = []string{"bash", "zsh", "fish"}

// Script is the completion script a package installs for shell, one of
// Shells: for bash-completion's completions directory, as zsh's _aws-mfa
// in its fpath, or for fish's vendor_completions.d. Each shell loads it at
// the first Tab after aws-mfa. It is the hook's own completion, which
// calls the hook's binary if a hook is loaded and the aws-mfa on PATH if
// not: with both, the same function is registered.
func Script(shell string) (string, error) {
	file := map[string]string{"bash": "bash.sh", "zsh": "zsh.zsh", "fish": "fish.fish"}[shell]
	if file == "" {
		return "", fmt.Errorf("no completion file for %s: it is written for %s", shell, strings.Join(Shells, ", "))
	}
	code := shells.HookFile("complete_" + file)
	if shell == "zsh" {
		// An autoloaded file is the body of _aws-mfa, which compinit
		// binds to aws-mfa: it defines the function and calls it.
		return "#compdef aws-mfa\n\n" + code + "\n_aws_mfa_complete \"$@\"\n", nil
	}
	return code, nil
}
