// Command release writes the files a release packages beside the binary,
// each generated from the app's own definitions: the man page and the
// completions for bash, zsh and fish (completion.Files). GoReleaser runs
// it before it builds (.goreleaser.yaml): go run ./internal/release DIR.
//
// It is built without the urfave_cli_no_docs tag, which urfave/cli's man
// page writer needs; the binary it describes keeps the README's build.
// Its parts are tested where they live (app's Man, completion's Write), so
// that no test binary links all of app twice.
package main

import (
	"fmt"
	"os"

	"github.com/aws-mfa/aws-mfa/app"
	"github.com/aws-mfa/aws-mfa/internal/release/completion"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/release DIR")
		os.Exit(2)
	}
	man, err := app.Man()
	if err == nil {
		err = completion.Write(os.Args[1], man)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "release: %v\n", err)
		os.Exit(1)
	}
}
