// Package completion makes the completion files a release packages beside
// the binary, from the hook's own completion in shells/hooks, and writes
// them with the man page. The binary does not link it: the hook holds the
// same code.
package completion

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws-mfa/aws-mfa/shells"
)

// Files maps each file a release packages, by its path under the
// directory Write writes to, to the shell that loads it, or "" for the
// man page.
var Files = map[string]string{
	"aws-mfa.1.gz":             "",
	"completions/aws-mfa.bash": "bash",
	"completions/_aws-mfa":     "zsh",
	"completions/aws-mfa.fish": "fish",
}

// Write writes every file of Files under dir, with man as the man page.
func Write(dir, man string) error {
	for name, shell := range Files {
		b, err := content(shell, man)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// content is the completion for shell, or the man page, gzipped as
// man(1) reads it, with no name or time in its header: the same sources
// give the same bytes.
func content(shell, man string) ([]byte, error) {
	if shell != "" {
		s, err := Script(shell)
		return []byte(s), err
	}
	var b bytes.Buffer
	z, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if _, err := z.Write([]byte(man)); err != nil {
		return nil, err
	}
	err := z.Close()
	return b.Bytes(), err
}

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
