//go:build !urfave_cli_no_docs

package app

// Man is aws-mfa's man page (section 1, roff), written from the app's own
// commands and flags, so that it cannot drift from --help. urfave/cli
// renders it only without the urfave_cli_no_docs tag, which the README's
// build sets: the release generates the page with a program of its own,
// and the binary stays the one the README builds.
func Man() (string, error) { return newApp(System{}).ToManWithSection(1) }
