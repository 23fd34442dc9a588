package app

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/exporter"
)

// refresh is `aws-mfa [CODE]`: write a session into the target profile.
func refresh(c *cli.Context, sys System) error {
	req, err := request(c, sys)
	if err != nil {
		return err
	}
	d, err := deps(c, sys)
	if err != nil {
		return err
	}
	res, err := exporter.Obtain(c.Context, req, d)
	if err != nil {
		return err
	}
	now := sys.Now()
	if res.Cached {
		fmt.Fprintf(sys.Stderr, "aws-mfa: [%s] is still valid until %s; --force refreshes it now\n", req.Target, untilText(res.Expiration, now))
		return nil
	}
	fmt.Fprintf(sys.Stderr, "aws-mfa: wrote an MFA session to [%s], valid until %s\n", req.Target, untilText(res.Expiration, now))
	return nil
}
