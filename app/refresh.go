package app

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/exporter"
)

// obtain gets the session the command's flags ask for; code is a code
// given as an argument.
func obtain(c *cli.Context, sys System, noWrite bool, code string) (*exporter.Result, exporter.Request, error) {
	req, err := request(c, sys)
	if err != nil {
		return nil, req, err
	}
	req.NoWrite = noWrite
	d, err := deps(c, sys, code)
	if err != nil {
		return nil, req, err
	}
	res, err := exporter.Obtain(c.Context, req, d)
	return res, req, err
}

// note tells the user, on stderr, what happened and how long it lasts.
func note(sys System, res *exporter.Result, req exporter.Request) {
	until := untilText(res.Expiration, sys.Now())
	switch {
	case res.Cached:
		fmt.Fprintf(sys.Stderr, "aws-mfa: [%s] is still valid until %s; --force refreshes it now\n", req.Target, until)
	case res.Written:
		fmt.Fprintf(sys.Stderr, "aws-mfa: wrote an MFA session to [%s], valid until %s\n", req.Target, until)
	default:
		fmt.Fprintf(sys.Stderr, "aws-mfa: got an MFA session for [%s], valid until %s (not written)\n", req.Target, until)
	}
}

// refresh is `aws-mfa [CODE]`: write a session into the target profile.
func refresh(c *cli.Context, sys System) error {
	code, err := codeArg(c)
	if err != nil {
		return err
	}
	res, req, err := obtain(c, sys, false, code)
	if err != nil {
		return err
	}
	note(sys, res, req)
	return nil
}
