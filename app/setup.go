package app

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
	"github.com/aws-mfa/aws-mfa/setup"
)

func setupCommand(sys System) *cli.Command {
	return &cli.Command{
		Name:  "setup",
		Usage: "move long-term keys to the source profile and find the MFA device",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "pair", Aliases: []string{"p"}, Usage: "add this pair `NAME` to the config (with --source and --target)"},
			&cli.StringFlag{Name: "config", Usage: "config `FILE`"},
			&cli.StringFlag{Name: "source", Value: config.BuiltinSource, Usage: "`PROFILE` for the long-term keys"},
			&cli.StringFlag{Name: "target", Value: config.BuiltinTarget, Usage: "`PROFILE` for sessions; its long-term keys are copied to the source"},
			&cli.StringFlag{Name: "serial", Usage: "MFA device `ARN`; skips the IAM lookup"},
			&cli.StringFlag{Name: "token", Aliases: []string{"t"}, Usage: "a `CODE` for the first refresh, right after setup"},
			&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "answer every question with its default; never read the terminal"},
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print what would change, as a diff with secrets masked"},
			&cli.StringFlag{Name: "endpoint-url", Usage: "IAM and STS `URL` (default: AWS_ENDPOINT_URL_IAM / _STS, AWS_ENDPOINT_URL)"},
			&cli.DurationFlag{Name: "timeout", Value: 15e9, Usage: "give up on AWS (and, when given, on the keyring) after this long"},
			&cli.BoolFlag{Name: "keyring", Usage: "move the long-term keys out of the credentials file into the keyring"},
			&cli.StringFlag{Name: "keyring-backend", Usage: "with --keyring: `NAME` os (this system's own store) or pass (default: the config's, os)"},
		},
		Action: func(c *cli.Context) error { return runSetup(c, sys) },
	}
}

func runSetup(c *cli.Context, sys System) error {
	if c.NArg() > 0 {
		return usage("setup takes no arguments; give a code with -t")
	}
	paths, err := credfile.Locate(sys.Getenv)
	if err != nil {
		return usage("%w", err)
	}
	region := firstNonEmpty(firstEnv(sys.Getenv, "AWS_REGION", "AWS_DEFAULT_REGION"), "us-east-1")
	endpoint := c.String("endpoint-url")
	req := setup.Request{
		Paths:      paths,
		Source:     c.String("source"),
		Target:     c.String("target"),
		Serial:     c.String("serial"),
		Pair:       c.String("pair"),
		ConfigPath: configPath(c, sys).Path,
		DryRun:     c.Bool("dry-run"),
	}
	var store setup.KeyStore
	if c.Bool("keyring") {
		if store, err = keyringSetup(c, &req); err != nil {
			return err
		}
	} else if c.IsSet("keyring-backend") {
		return usage("--keyring-backend goes with --keyring")
	}
	if req.Pair != "" && req.Keyring == "" && !(c.IsSet("source") && c.IsSet("target")) {
		return usage("setup --pair NAME needs --source and --target")
	}
	timeout, err := checkTimeout(c)
	if err != nil {
		return err
	}
	if endpoint != "" {
		if err := stsparam.CheckEndpoint(endpoint); err != nil {
			return usage("%w (from --endpoint-url)", err)
		}
	}
	devices := setup.AWS{
		Source:  req.Source,
		Region:  region,
		STSURL:  firstNonEmpty(endpoint, firstEnv(sys.Getenv, "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL")),
		IAMURL:  firstNonEmpty(endpoint, firstEnv(sys.Getenv, "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL")),
		Timeout: timeout,
	}
	d := setup.Deps{Devices: devices, Out: sys.Stderr, Now: sys.Now, Store: store}
	if req.DryRun {
		d.Out = sys.Stdout
	}
	var ask *asker
	if !c.Bool("yes") {
		ask = &asker{sys: sys}
		defer ask.close()
		d.Choose = ask.choose
	}
	res, err := setup.Run(c.Context, req, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(sys.Stderr, "aws-mfa: [%s] uses MFA device %s\n", req.Source, res.Serial)
	if req.DryRun {
		return nil
	}
	code := c.String("token")
	if code == "" && ask != nil {
		if code, err = ask.line("MFA code for a first refresh now (Enter to skip): "); err != nil && !ask.noTTY {
			return err
		}
		// Without a terminal the question is skipped, as Enter would:
		// setup is done, and the next step is printed.
	}
	if strings.TrimSpace(code) == "" {
		fmt.Fprintf(sys.Stderr, "aws-mfa: set up; run `aws-mfa%s CODE` to get a session\n", pairArg(req.Pair))
		return nil
	}
	args := []string{"aws-mfa", "--source", req.Source, "--target", req.Target}
	if req.Pair != "" {
		args = []string{"aws-mfa", "--config", req.ConfigPath, "-p", req.Pair}
	}
	if devices.STSURL != "" {
		args = append(args, "--endpoint-url", devices.STSURL)
	}
	args = append(args, "-t", code)
	if rc := Run(args, sys); rc != 0 {
		return cli.Exit("", rc)
	}
	return nil
}

func pairArg(pair string) string {
	if pair == "" {
		return ""
	}
	return " -p " + pair
}

// asker asks questions on the terminal: text to stderr, answers from the
// terminal itself, so that pipes are left alone.
type asker struct {
	sys   System
	noTTY bool // the terminal could not be opened
	tty   *bufio.Reader
	c     interface{ Close() error }
}

func (a *asker) line(question string) (string, error) {
	if a.tty == nil {
		f, err := a.sys.TTY()
		if err != nil {
			a.noTTY = true
			return "", usage("setup needs a terminal to ask (%v); pass --yes, and --serial or -t as needed", err)
		}
		a.tty, a.c = bufio.NewReader(f), f
	}
	fmt.Fprint(a.sys.Stderr, question)
	s, err := a.tty.ReadString('\n')
	if err != nil && s == "" {
		return "", usage("no answer from the terminal")
	}
	return strings.TrimSpace(s), nil
}

func (a *asker) choose(serials []string) (int, error) {
	fmt.Fprintln(a.sys.Stderr, "aws-mfa: this user has several MFA devices:")
	for i, s := range serials {
		fmt.Fprintf(a.sys.Stderr, "  %d) %s\n", i+1, s)
	}
	ans, err := a.line(fmt.Sprintf("Which one? [1-%d, default 1]: ", len(serials)))
	if err != nil {
		return 0, err
	}
	if ans == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(ans)
	if err != nil || n < 1 || n > len(serials) {
		return 0, usage("%q is not a number from 1 to %d", ans, len(serials))
	}
	return n - 1, nil
}

func (a *asker) close() {
	if a.c != nil {
		a.c.Close()
	}
}

func doctorCommand(sys System) *cli.Command {
	return &cli.Command{
		Name:  "doctor",
		Usage: "check files, config and this shell; exit 1 when something needs attention",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Usage: "config `FILE`"},
			&cli.StringFlag{Name: "pair", Aliases: []string{"p"}, Usage: "check only this pair `NAME` (default: AWS_MFA_PAIR, else every pair)"},
		},
		Action: func(c *cli.Context) error {
			paths, err := credfile.Locate(sys.Getenv)
			if err != nil {
				return usage("%w", err)
			}
			findings := setup.Doctor(setup.Checkup{
				Paths:  paths,
				Config: configPath(c, sys),
				Pair:   pairName(c, sys),
				Getenv: sys.Getenv,
				Now:    sys.Now(),
			})
			bad, paint := 0, colours(sys)
			for _, f := range findings {
				if f.OK {
					fmt.Fprintf(sys.Stdout, "%s    %s\n", paint(green, "ok"), f.What)
					continue
				}
				bad++
				fmt.Fprintf(sys.Stdout, "%s   %s\n      → %s\n", paint(red, "FIX"), f.What, f.Fix)
			}
			if bad > 0 {
				return cli.Exit("", ExitFailure)
			}
			return nil
		},
	}
}
