// Command aws-mfa gets an MFA session from AWS STS and writes it to a
// credentials profile or exports it to the shell.
package main

import (
	"os"

	"github.com/aws-mfa/aws-mfa/app"
)

func main() { os.Exit(app.Run(os.Args, app.OS())) }
