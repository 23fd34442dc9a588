package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
	"github.com/aws-mfa/aws-mfa/shells"
)

// ConsoleInput is what `aws-mfa console` was given.
type ConsoleInput struct {
	Session    SessionInput
	Args       []string // the code
	Print      bool     // print the URL rather than open it
	Federation string   // --federation-url; "" for the partition's
}

// consoleDomains are the partitions whose console aws-mfa knows: it signs
// in at signin.DOMAIN and lands on console.DOMAIN.
var consoleDomains = map[string]string{"aws": "aws.amazon.com", "aws-us-gov": "amazonaws-us-gov.com", "aws-cn": "amazonaws.cn"}

func consoleCommand(sys System) *cli.Command {
	var in SessionInput // the flags write it
	return &cli.Command{
		Name:      "console",
		Usage:     "open the AWS console in your browser as a role pair's role (not for a GetSessionToken pair)",
		ArgsUsage: "[CODE]",
		Flags: append(sessionFlags(&in), noWriteFlag(&in),
			&cli.BoolFlag{Name: "print", Usage: "print the sign-in URL (its token is valid for 15 minutes) instead of opening a browser"},
			&cli.StringFlag{Name: "federation-url", Usage: "federation endpoint `URL` (default: the role's partition's, like https://signin.aws.amazon.com/federation)"}),
		Action: func(c *cli.Context) error {
			return ConsoleCommand(c.Context, sys, ConsoleInput{Session: in, Args: c.Args().Slice(), Print: c.Bool("print"), Federation: c.String("federation-url")})
		},
	}
}

// ConsoleCommand is `aws-mfa console`: sign in to the AWS console with the
// pair's role session, in the browser or as a printed URL.
func ConsoleCommand(ctx context.Context, sys System, in ConsoleInput) error {
	// Everything is checked before a code is spent: the request, then the
	// argument and the URLs, checks with no effect.
	req, err := request(sys, in.Session)
	code, codeErr := codeArg(in.Args)
	endpoint, home, urlErr := consoleURLs(req.Pair, in.Federation)
	if err = cmp.Or(err, codeErr, urlErr); err != nil {
		return err
	}
	res, err := obtain(ctx, sys, in.Session, req, code, false)
	if err != nil {
		return err
	}
	if in.Session.Verbose {
		fmt.Fprintf(sys.Stderr, "aws-mfa: getSigninToken endpoint=%s\n", stsparam.Redact(endpoint))
	}
	token, err := signinToken(endpoint, res.Session, req.Timeout)
	// The session is news whether or not the console takes it.
	note(sys, res, req, false)
	if err != nil {
		return err
	}
	login, _ := url.Parse(endpoint)
	login.User = nil // a user:password@ of --federation-url is not for the browser
	if res.Region != "" {
		home += "?region=" + url.QueryEscape(res.Region)
	}
	login.RawQuery = url.Values{"Action": {"login"}, "Issuer": {"aws-mfa"}, "Destination": {home}, "SigninToken": {token}}.Encode()
	did := "opened the AWS console as %s in your browser"
	if in.Print {
		did = "this URL signs in to the AWS console as %s; keep it to yourself"
		_, err = fmt.Fprintln(sys.Stdout, login)
	} else if err = sys.Browse(login.String()); err != nil {
		return fmt.Errorf("cannot open a browser (%v); run %s and open the URL yourself", err, shells.Line("aws-mfa", "console", "-p", req.Name, "--print"))
	}
	fmt.Fprintf(sys.Stderr, "aws-mfa: "+did+"; its sign-in token is valid for 15 minutes\n", req.RoleARN)
	return err
}

// consoleURLs are the federation endpoint (--federation-url, else the
// one of the role's partition) and the console's home page, for a pair
// with a role: AWS takes no GetSessionToken session for the console. The
// session is sent to the endpoint, so plain http goes to this machine only.
func consoleURLs(pair config.Pair, federation string) (endpoint, home string, err error) {
	if pair.RoleARN == "" {
		return "", "", usage("pair %s gets its session from GetSessionToken, which AWS does not take for the console (only role sessions); add a role pair with aws-mfa setup -p NAME --role-arn ARN and run aws-mfa console -p NAME", pair.Name)
	}
	partition := strings.Split(pair.RoleARN, ":")[1]
	domain, ok := consoleDomains[partition]
	if !ok {
		return "", "", usage("aws-mfa knows the console of the partitions aws, aws-cn and aws-us-gov, not %s (role_arn of pair %s)", partition, pair.Name)
	}
	endpoint, home = cmp.Or(federation, "https://signin."+domain+"/federation"), "https://console."+domain+"/console/home"
	switch u, err := url.Parse(endpoint); {
	case err != nil || u.Host == "" || u.Scheme != "https" && u.Scheme != "http":
		return "", "", usage("--federation-url is not an http or https URL; give one like https://signin.aws.amazon.com/federation")
	case u.Scheme == "http" && u.Hostname() != "localhost" && !net.ParseIP(u.Hostname()).IsLoopback():
		return "", "", usage("--federation-url is http:// to another machine, which would send the session unencrypted; use https://")
	}
	return endpoint, home, nil
}

// signinToken exchanges a role session for a console sign-in token at the
// federation endpoint. No SessionDuration is sent: AWS refuses it for a
// chained role's session, and without it the console session lasts AWS's
// default hour. The answer is bounded like STS's, and no error quotes the
// request, whose URL holds the session.
func signinToken(endpoint string, s awscred.Session, timeout time.Duration) (string, error) {
	session, _ := json.Marshal(map[string]string{"sessionId": s.AccessKeyID, "sessionKey": s.SecretAccessKey, "sessionToken": s.SessionToken})
	req, _ := http.NewRequest(http.MethodGet, endpoint, nil) // consoleURLs parsed it
	req.URL.RawQuery = url.Values{"Action": {"getSigninToken"}, "Session": {string(session)}}.Encode()
	resp, err := exporter.NewHTTPClient(timeout).Do(req)
	var answer struct{ SigninToken string }
	if err == nil {
		defer resp.Body.Close()
		err = json.NewDecoder(resp.Body).Decode(&answer)
	}
	at := "the federation endpoint " + stsparam.Redact(endpoint)
	var tooBig *http.MaxBytesError
	switch {
	case os.IsTimeout(err):
		return "", fmt.Errorf("no complete answer from %s within %s; check your network or proxy, or raise --timeout", at, timeout)
	case errors.As(err, &tooBig):
		return "", fmt.Errorf("%s sent an answer over %d KiB, which AWS never does; check --federation-url", at, tooBig.Limit>>10)
	case resp == nil:
		return "", fmt.Errorf("no answer from %s; check your network, proxy or --federation-url", at)
	case resp.StatusCode != http.StatusOK:
		return "", fmt.Errorf("%s refused to sign in (HTTP %d); run again later, or with --force for a new role session", at, resp.StatusCode)
	case answer.SigninToken == "":
		return "", fmt.Errorf("%s answered with no sign-in token; check --federation-url", at)
	}
	return answer.SigninToken, nil
}

// browse opens a URL in the user's browser; the URL is one argument, no
// shell reads it. It waits a few seconds for the opener to say whether it
// worked, and leaves one that runs the browser itself running.
func browse(u string) error {
	argv := map[string][]string{"darwin": {"open"}, "windows": {"rundll32", "url.dll,FileProtocolHandler"}}[runtime.GOOS]
	if argv == nil {
		argv = []string{"xdg-open"}
	}
	cmd := exec.Command(argv[0], append(argv[1:], u)...)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		return nil
	}
}
