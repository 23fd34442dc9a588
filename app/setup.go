package app

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
	"github.com/aws-mfa/aws-mfa/setup"
	"github.com/aws-mfa/aws-mfa/shells"
)

func setupCommand(sys System) *cli.Command {
	var in SetupInput // each flag writes its field (Destination)
	return &cli.Command{
		Name:  "setup",
		Usage: "move long-term keys to the source profile and find the MFA device",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "pair", Aliases: []string{"p"}, Usage: "add this pair `NAME` to the config (with --source and --target)", Destination: &in.Pair},
			&cli.StringFlag{Name: "config", Usage: "config `FILE`", Destination: &in.Config},
			&cli.StringFlag{Name: "source", Value: config.BuiltinSource, Usage: "`PROFILE` for the long-term keys", Destination: &in.Source},
			&cli.StringFlag{Name: "target", Value: config.BuiltinTarget, Usage: "`PROFILE` for sessions; its long-term keys are copied to the source", Destination: &in.Target},
			&cli.StringFlag{Name: "serial", Usage: "MFA device `ARN`; skips the IAM lookup", Destination: &in.Serial},
			&cli.StringFlag{Name: "token", Aliases: []string{"t"}, Usage: "a `CODE` for the first refresh, right after setup", Destination: &in.Token},
			&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "answer every question with its default; never read the terminal", Destination: &in.Yes},
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print what would change, as a diff with secrets masked", Destination: &in.DryRun},
			&cli.StringFlag{Name: "endpoint-url", Usage: "IAM and STS `URL` (default: AWS_ENDPOINT_URL_IAM / _STS, AWS_ENDPOINT_URL)", Destination: &in.Endpoint},
			&cli.DurationFlag{Name: "timeout", Value: 15e9, Usage: "give up on AWS (and, when given, on the keyring) after `D`", Destination: &in.Timeout},
			&cli.BoolFlag{Name: "keyring", Usage: "move the long-term keys out of the credentials file into the keyring", Destination: &in.Keyring},
			&cli.StringFlag{Name: "keyring-backend", Usage: "with --keyring: `NAME` os (this system's own store) or pass (default: the config's, os)", Destination: &in.KeyringBackend},
			&cli.StringFlag{Name: "role-arn", Usage: "with -p: the pair assumes this role `ARN` (with the source's keys and a code, or with --source-pair)", Destination: &in.RoleARN},
			&cli.StringFlag{Name: "source-pair", Usage: "with -p and --role-arn: the pair `NAME` whose session assumes the role, with no code of its own", Destination: &in.SourcePair},
			&cli.StringFlag{Name: "external-id", Usage: "with --role-arn: the role's external `ID`", Destination: &in.ExternalID},
			&cli.BoolFlag{Name: "no-aws-profile", Usage: "with --role-arn: leave the AWS config file alone (no [profile NAME] with credential_process)", Destination: &in.NoAWSProfile},
			&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "with --role-arn: set credential_process in an AWS profile of that name that is already there", Destination: &in.Force},
		},
		Action: func(c *cli.Context) error {
			in.SourceSet, in.TargetSet, in.TimeoutSet = c.IsSet("source"), c.IsSet("target"), c.IsSet("timeout")
			return SetupCommand(c.Context, sys, in)
		},
	}
}

// SetupInput is what `aws-mfa setup` was given: the request as its flags
// say it (a role pair is -p NAME --role-arn ARN, from the source's keys
// or, with --source-pair, from another pair's session), and the rest.
// Source and Target hold their defaults when not given; the Set twins say
// whether they were.
type SetupInput struct {
	setup.Request
	Config               string
	SourceSet, TargetSet bool
	Token                string // a code for the first refresh
	Yes                  bool   // never ask
	Endpoint             string // IAM's and STS's
	Timeout              time.Duration
	TimeoutSet           bool
	Keyring              bool
	NoAWSProfile         bool // no [profile NAME] in the AWS config file
}

// SetupCommand is `aws-mfa setup`: move the long-term keys to the source
// profile, find the MFA device and, given a code, refresh right away.
func SetupCommand(ctx context.Context, sys System, in SetupInput) error {
	if _, err := stsparam.Code(in.Token); in.Token != "" && err != nil {
		return err // bad input leaves every file as it was
	}
	paths, err := credfile.Locate(sys.Getenv)
	if err != nil {
		return err
	}
	loc := configPath(sys, in.Config)
	req := in.Request
	req.Paths, req.ConfigPath = paths, loc.Path
	var store setup.KeyStore
	if in.Keyring {
		timeout := in.Timeout
		if !in.TimeoutSet {
			timeout = 0 // the pair's token_timeout
		}
		if store, err = setup.OpenKeyring(&req, in.SourceSet, in.TargetSet, timeout); err != nil {
			return err
		}
		req.Home, _ = credfile.Home(sys.Getenv) // "" when unknown: the files' own directories are still searched
	} else if in.KeyringBackend != "" {
		return usage("--keyring-backend goes with --keyring")
	}
	if err := roleSetup(sys, in, loc, &req); err != nil {
		return err
	}
	if req.Pair != "" && req.Keyring == "" && req.RoleARN == "" && !(in.SourceSet && in.TargetSet) {
		return usage("setup --pair NAME needs --source and --target")
	}
	mended := ""
	if req.Pair == "" && !in.Keyring {
		// Other profiles than the built-in pair's are recorded, so that
		// the next aws-mfa CODE refreshes them. A target a pair writes
		// already from this source is a pair being mended, as doctor's
		// fixes do, not a new one; from another source, its refreshes
		// would not use these keys. A chained pair reads no source
		// profile: doctor's fix for keys in its target copies them out.
		switch p := targetPair(loc, in.Target); {
		case p != nil && p.Write && p.SourcePair == "" && p.Source != in.Source && in.Source != in.Target:
			return usage("[pair.%s] in %s refreshes [%s] with [%s]'s keys, not [%s]'s; set source = %q in that pair, or give setup another --target", p.Name, loc.Path, in.Target, p.Source, in.Source, in.Source)
		case p != nil:
			mended = p.Name
		case in.Source != config.BuiltinSource || in.Target != config.BuiltinTarget:
			req.Pair, req.DefaultPair = in.Target, true
		}
	}
	if err := checkTimeout(in.Timeout); err != nil {
		return err
	}
	if err := stsparam.CheckEndpoint(in.Endpoint); in.Endpoint != "" && err != nil {
		return fmt.Errorf("%w (from --endpoint-url)", err)
	}
	devices := setup.AWS{
		Source:  req.Source,
		Region:  cmp.Or(sys.Getenv("AWS_REGION"), sys.Getenv("AWS_DEFAULT_REGION"), stsparam.DefaultRegion),
		STSURL:  cmp.Or(in.Endpoint, sys.Getenv("AWS_ENDPOINT_URL_STS"), sys.Getenv("AWS_ENDPOINT_URL")),
		IAMURL:  cmp.Or(in.Endpoint, sys.Getenv("AWS_ENDPOINT_URL_IAM"), sys.Getenv("AWS_ENDPOINT_URL")),
		Timeout: in.Timeout,
	}
	d := setup.Deps{Devices: devices, Out: sys.Stderr, Now: sys.Now, Store: store, Writer: credfile.Writer{Waiting: sys.Stderr}}
	if req.DryRun {
		d.Out = sys.Stdout
	}
	var ask *asker
	if !in.Yes {
		ask = &asker{sys: sys}
		d.Choose, d.Confirm = ask.choose, ask.confirm
	}
	res, err := setup.Run(ctx, req, d)
	if err != nil {
		return err
	}
	if res.Serial != "" {
		fmt.Fprintf(sys.Stderr, "aws-mfa: [%s] uses MFA device %s\n", req.Source, res.Serial)
	}
	if req.DryRun {
		return nil
	}
	if in.RoleARN != "" && req.SourcePair == "" && !res.Unchanged { // a role pair added now; a chained role is held to 1h
		fmt.Fprintf(sys.Stderr, "aws-mfa: pair %s asks for 1h sessions, a role's default maximum; if the role allows longer ones (its maximum session duration in IAM), set duration = \"4h\" under [pair.%[1]s] in %s\n", req.Pair, req.ConfigPath)
	}
	if req.Process != "" {
		fmt.Fprintf(sys.Stderr, "aws-mfa: every AWS tool can use it: %s\n", shells.Line("aws", "--profile", req.Pair, "sts", "get-caller-identity"))
	}
	// The pair that refreshes setup's profiles: the one it recorded or
	// mended, else the built-in pair, if the config has it and it writes
	// them. With none, the next step names the profiles, which a refresh
	// puts in place of its pair's (AWS_MFA_PAIR's, the config's default).
	code, name, found, dflt := in.Token, cmp.Or(req.Pair, mended, config.BuiltinName), false, ""
	pair := config.Pair{Margin: config.DefaultMargin}
	if cfg, err := config.Load(loc); err == nil {
		if i := slices.IndexFunc(cfg.Pairs, func(p config.Pair) bool { return p.Name == name && p.Target == req.Target && p.Write }); i >= 0 {
			pair, found, dflt = cfg.Pairs[i], true, cmp.Or(sys.Getenv("AWS_MFA_PAIR"), cfg.Default) // what aws-mfa CODE runs
		}
	}
	// The target's session, and whether it is still valid beyond its
	// pair's margin.
	f, err := credfile.Read(req.Paths.Credentials)
	session, valid := awscred.Session{}, false
	if err == nil {
		session, valid = exporter.ValidSession(f, req.Target, sys.Now(), pair.Margin)
	}
	if code == "" && ask != nil && !valid {
		// A code typed for a session still valid would be refused by
		// the refresh ("still valid"): the question is not asked.
		if code, err = ask.line("MFA code for a first refresh now (Enter to skip): "); err != nil && !ask.noTTY {
			return err
		}
		// Without a terminal the question is skipped, as Enter would:
		// setup is done, and the next step is printed.
	}
	next := append([]string{"aws-mfa"}, given([]string{"--config"}, in.Config)...)
	switch {
	case !found:
		next = append(next, "--source", req.Source, "--target", req.Target)
	case name != dflt:
		next = append(next, "-p", name)
	}
	next = append(next, "CODE")
	if strings.TrimSpace(code) == "" {
		if pair.SourcePair != "" { // renewed from its base: a code only once that expires
			next = next[:len(next)-1]
		}
		done := map[bool]string{false: "set up", true: "set up already, nothing changed"}[res.Unchanged]
		if valid {
			fmt.Fprintf(sys.Stderr, "aws-mfa: %s; [%s] holds a session until %s\n", done, req.Target, localTime(session.Expiration, sys.Now()))
			return nil
		}
		fmt.Fprintf(sys.Stderr, "aws-mfa: %s; run `%s` to get a session\n", done, shells.Line(next...))
		return nil
	}
	// The first refresh is the refresh command itself, with setup's pair
	// (else its profiles), endpoint and timeout.
	first := SessionInput{PairFlags: PairFlags{Config: in.Config, Pair: name}, Token: code, Endpoint: devices.STSURL, Timeout: in.Timeout}
	if !found {
		first.Pair, first.Source, first.Target = "", req.Source, req.Target
	}
	if err := RefreshCommand(ctx, sys, RefreshInput{Session: first}); err != nil {
		// Setup's own changes stay: say so, and how to try again.
		return fmt.Errorf("set up, but the first refresh failed (`%s` tries again): %w", shells.Line(next...), err)
	}
	return nil
}

// targetPair returns the pair of the config at loc, other than the
// built-in one, that writes target, or nil. A broken config has none:
// setup reports it where it adds the pair.
func targetPair(loc config.Location, target string) *config.Pair {
	if cfg, err := config.Load(loc); err == nil {
		for _, p := range cfg.Pairs {
			if p.Target == target && !(p.Name == config.BuiltinName && p.Source == config.BuiltinSource && p.Target == config.BuiltinTarget) { // not the built-in pair, nor one like it
				return &p
			}
		}
	}
	return nil
}

// roleSetup checks the role flags and fills the role pair's part of req:
// its profiles, and the credential_process line that runs this binary,
// by its absolute path (an IDE started from the desktop has no ~/go/bin
// on PATH), with --config when the config is not where it is looked for.
func roleSetup(sys System, in SetupInput, loc config.Location, req *setup.Request) error {
	switch {
	case in.RoleARN == "" && in.SourcePair != "":
		return usage("--source-pair goes with --role-arn: a chained pair assumes a role with the other pair's session")
	case in.RoleARN == "" && (in.ExternalID != "" || in.NoAWSProfile || in.Force):
		return usage("--external-id, --no-aws-profile and --force go with --role-arn")
	case in.RoleARN == "":
		return nil
	case req.Pair == "":
		return usage("--role-arn goes with -p NAME, the pair (and AWS profile) it adds")
	case in.SourcePair != "" && (in.SourceSet || in.Serial != "" || in.Keyring):
		return usage("--source-pair takes the keys and the code from that pair; --source, --serial and --keyring do not apply")
	case stsparam.CheckRoleARN(in.RoleARN) != nil:
		return fmt.Errorf("--role-arn: %w", stsparam.CheckRoleARN(in.RoleARN))
	case in.ExternalID != "" && stsparam.CheckExternalID(in.ExternalID) != nil:
		return fmt.Errorf("--external-id: %w", stsparam.CheckExternalID(in.ExternalID))
	}
	if in.SourcePair != "" {
		req.Source = ""
	}
	if !in.TargetSet {
		// The session's profile is apart from [profile NAME]: the AWS CLI
		// reads keys from the credentials file before it would run a
		// credential_process, which would then never run again.
		req.Target = req.Pair + "-session"
	}
	if in.NoAWSProfile {
		return nil
	}
	exe, err := executable(sys)
	if err != nil {
		return fmt.Errorf("%w; pass --no-aws-profile", err)
	}
	argv := []string{exe, "env", "--format", "json"}
	if loc.By != "" {
		p, err := filepath.Abs(loc.Path)
		if err != nil {
			return fmt.Errorf("config path: %w", err)
		}
		argv = append(argv, "--config", p)
	}
	req.Process, err = setup.ProcessLine(runtime.GOOS, append(argv, "-p", req.Pair)...)
	return err
}

// asker asks questions on the terminal: text to stderr, answers from the
// terminal itself, so that pipes are left alone.
type asker struct {
	sys   System
	noTTY bool // the terminal could not be opened
}

// maxAnswer bounds an answer: a choice, yes or no, or a code.
const maxAnswer = 4096

func (a *asker) line(question string) (string, error) {
	tty, err := a.sys.TTY()
	if err != nil {
		a.noTTY = true
		return "", usage("setup needs a terminal to ask (%v); pass --yes, and --serial or -t as needed", err)
	}
	defer tty.Close()
	fmt.Fprint(a.sys.Stderr, question)
	s, err := readLine(tty, maxAnswer) // nothing past the newline
	if err != nil {
		return "", usage("no answer from the terminal")
	}
	return strings.TrimSpace(s), nil
}

func (a *asker) choose(serials []string) (int, error) {
	fmt.Fprintln(a.sys.Stderr, "aws-mfa: this user has several MFA devices:")
	for i, s := range serials {
		fmt.Fprintf(a.sys.Stderr, "  %d) %s\n", i+1, s)
	}
	for try := 1; ; try++ { // three answers, as for a code
		ans, err := a.line(fmt.Sprintf("Which one? [1-%d, default 1]: ", len(serials)))
		if err != nil {
			return 0, err
		}
		n, err := strconv.Atoi(cmp.Or(ans, "1")) // Enter takes the default
		switch {
		case err == nil && n >= 1 && n <= len(serials):
			return n - 1, nil
		case try == 3:
			return 0, usage("%q is not a number from 1 to %d; run setup again, or name the device with --serial ARN", ans, len(serials))
		}
		fmt.Fprintf(a.sys.Stderr, "aws-mfa: %q is not a number from 1 to %d; try again\n", ans, len(serials))
	}
}

// confirm asks a question whose default is no: with no answer, it is no.
func (a *asker) confirm(question string) (bool, error) {
	ans, err := a.line(question)
	return err == nil && (strings.EqualFold(ans, "y") || strings.EqualFold(ans, "yes")), err
}

func doctorCommand(sys System) *cli.Command {
	return &cli.Command{
		Name:  "doctor",
		Usage: "check files, config and this shell; exit 1 when something needs attention",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Usage: "config `FILE`"},
			&cli.StringFlag{Name: "pair", Aliases: []string{"p"}, Usage: "check only this pair `NAME` (default: AWS_MFA_PAIR, else every pair)"},
		},
		Action: func(c *cli.Context) error { return DoctorCommand(sys, pairFlags(c)) },
	}
}

// DoctorCommand is `aws-mfa doctor`: check the files, the config and this
// shell, print each finding with its fix, and fail when one needs one.
func DoctorCommand(sys System, in PairFlags) error {
	paths, err := credfile.Locate(sys.Getenv)
	if err != nil {
		return err
	}
	// A mistyped pair is bad input, as for every command; a config that
	// does not load is one of doctor's findings.
	if _, err := config.Load(configPath(sys, in.Config)); err == nil && pairName(sys, in) != "" {
		if _, _, err := selectPair(sys, in); err != nil {
			return err
		}
	}
	dir, _ := stateDir(sys.Getenv)
	exe, _ := executable(sys)
	findings := setup.Doctor(setup.Checkup{
		StateDir:   dir,
		Paths:      paths,
		Config:     configPath(sys, in.Config),
		Pair:       pairName(sys, in),
		Getenv:     sys.Getenv,
		Now:        sys.Now(),
		Executable: exe,
	})
	var fail error
	paint := colours(sys)
	for _, f := range findings {
		if f.OK {
			fmt.Fprintf(sys.Stdout, "%s    %s\n", paint(green, "ok"), oneLine(f.What))
			continue
		}
		fail = exitCode(ExitFailure)
		fmt.Fprintf(sys.Stdout, "%s   %s\n      → %s\n", paint(red, "FIX"), oneLine(f.What), oneLine(f.Fix))
	}
	return fail
}
