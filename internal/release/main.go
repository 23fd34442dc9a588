// Command release writes the files a release packages beside the binary,
// each generated from the app's own definitions: the man page and the
// completions for bash, zsh and fish. GoReleaser runs it before it builds
// (.goreleaser.yaml): go run ./internal/release DIR.
//
// It is built without the urfave_cli_no_docs tag, which urfave/cli's man
// page writer needs; the binary it describes keeps the README's build.
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws-mfa/aws-mfa/app"
	"github.com/aws-mfa/aws-mfa/internal/release/completion"
)

// Files maps each file written, by its path under the directory, to the
// shell that loads it, or "" for the man page.
var Files = map[string]string{
	"aws-mfa.1.gz":             "",
	"completions/aws-mfa.bash": "bash",
	"completions/_aws-mfa":     "zsh",
	"completions/aws-mfa.fish": "fish",
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/release DIR")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "release: %v\n", err)
		os.Exit(1)
	}
}

// write writes every file of Files under dir.
func write(dir string) error {
	for name, shell := range Files {
		b, err := content(shell)
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
func content(shell string) ([]byte, error) {
	if shell != "" {
		s, err := completion.Script(shell)
		return []byte(s), err
	}
	man, err := app.Man()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	z, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if _, err := z.Write([]byte(man)); err != nil {
		return nil, err
	}
	err = z.Close()
	return b.Bytes(), err
}
