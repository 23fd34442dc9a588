package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/mfastate"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/shells"
)

// obtain gets the session req asks for; arg is a code given as an
// argument. The code is asked and the keys are read for the chain's
// first pair, with that pair's settings.
func obtain(ctx context.Context, sys System, in SessionInput, req exporter.Request, arg string, credProcess bool) (*exporter.Result, error) {
	start := req // the pair at the start of the chain
	if len(req.Bases) > 0 {
		start = req.Bases[0]
	}
	if in.Token != "" && arg != "" {
		return nil, usage("the code is given twice, as --token and as an argument; give it once")
	}
	// Checked before anything is read; renew reads it again, as it does
	// every code, whatever its source.
	given := cmp.Or(in.Token, arg)
	if _, err := stsparam.Code(given); given != "" && err != nil {
		return nil, err
	}
	// Where the code comes from: given, token_command, the terminal (ask),
	// else the first line of stdin.
	var ask *prompter
	code := func(string) (string, error) { return readLine(sys.Stdin, maxCodeLine) }
	switch {
	case given != "":
		code = func(string) (string, error) { return given, nil }
	case len(start.TokenCommand) > 0:
		code = func(string) (string, error) { return runTokenCommand(ctx, start.TokenCommand, start.TokenTimeout) }
	case credProcess:
		ask = &prompter{sys: sys, noTTY: credentialProcessNoTTY(sys, in, req.Pair)}
		code = ask.ask
	case sys.IsTerminal(sys.Stdin):
		ask = &prompter{sys: sys, noTTY: func(err error) error {
			return usage("cannot open the terminal to ask for the MFA code (%v); pass it as an argument (aws-mfa 123456) or with -t", err)
		}}
		code = ask.ask
	}
	stopWaiting := func() {}
	d := exporter.Deps{
		Now:    sys.Now,
		Writer: credfile.Writer{Waiting: sys.Stderr},
		// The chain's first pair's long-term keys from its keyring, bounded
		// by its token_timeout: an unlock prompt waits for a person too.
		Keyring: func(item string) (awscred.Keys, error) {
			store, err := keyring.Open(start.KeyringBackend, start.TokenTimeout)
			if err != nil {
				return awscred.Keys{}, err
			}
			return store.Get(ctx, item)
		},
		State: mfaStore(sys),
		Token: func(serial string) (string, error) {
			c, err := code(serial)
			if err == nil {
				// The requests that carry the code may take a while: a
				// terminal is told so.
				stopWaiting()
				stopWaiting = startWaiting(sys)
			}
			return c, err
		},
	}
	if in.Verbose {
		d.Log = sys.Stderr
	}
	// A token_command's code already used (in a flow that needs a second
	// one, or by another run) is no mistake: its next code will do.
	fromCommand := given == "" && len(start.TokenCommand) > 0
	for waits := 0; ; {
		res, err := exporter.Obtain(ctx, req, d)
		stopWaiting()
		if err == nil {
			learnKeyAge(ctx, sys, req, res)
		}
		var used *mfastate.UsedError
		switch {
		case ask.again(err):
		case errors.As(err, &used) && fromCommand && waits < 2:
			waits++
			nextCode(sys, used.Next)
		default:
			return res, err
		}
	}
}

// credentialProcessNoTTY explains the missing code for `env --format json`, the AWS
// tools' credential_process. They capture stdout and stderr and may pass
// their own stdin on, so the only ways to a code are token_command (tried
// before this) and the controlling terminal; stdin is never read. It
// names the refresh that renews the same target: the pair, and the
// --config, --source and --target given to this run.
func credentialProcessNoTTY(sys System, in SessionInput, pair config.Pair) func(error) error {
	loc, refresh := configPath(sys, in.Config), []string{"aws-mfa"}
	if loc.By == "--config" {
		refresh = append(refresh, "--config", loc.Path)
	}
	if pair.Name != config.BuiltinName || in.Pair != "" || sys.Getenv("AWS_MFA_PAIR") != "" {
		refresh = append(refresh, "-p", pair.Name)
	}
	refresh = append(refresh, given([]string{"--source", "--target"}, in.Source, in.Target)...)
	return func(error) error {
		return usage("[%s] needs a new session and there is no terminal to ask for the MFA code; set token_command in %s, or run `%s` in a terminal first",
			pair.Target, cmp.Or(loc.Path, "the config file"), shells.Line(refresh...))
	}
}

// waitDelay is how long STS may take before a terminal shows that aws-mfa
// is waiting: an answer within it needs no message.
const waitDelay = 500 * time.Millisecond

// startWaiting shows "waiting for STS…" on a terminal's stderr while a
// request that carries the code is out, once it has taken longer than the
// delay. On a pipe it does nothing. It returns stop, which cancels the
// message, or erases it once it is shown: the line is left as it was, for
// the next message or the prompt. A second stop does nothing.
func startWaiting(sys System) (stop func()) {
	if !sys.IsTerminal(sys.Stderr) {
		return func() {}
	}
	shown := make(chan struct{}) // closed once the message is on the terminal
	timer := time.AfterFunc(cmp.Or(sys.WaitDelay, waitDelay), func() {
		fmt.Fprint(sys.Stderr, "\raws-mfa: waiting for STS…")
		close(shown)
	})
	return sync.OnceFunc(func() {
		if !timer.Stop() {
			<-shown
			fmt.Fprint(sys.Stderr, "\r\x1b[K")
		}
	})
}

// nextCode waits d for the device's next code, counting down on a
// terminal.
func nextCode(sys System, d time.Duration) {
	if !sys.IsTerminal(sys.Stderr) {
		sys.Sleep(d)
		return
	}
	for ; d > 0; d -= min(d, time.Second) {
		fmt.Fprintf(sys.Stderr, "\raws-mfa: the code from token_command was already used; asking it again in %ds\x1b[K", (d+time.Second-1)/time.Second)
		sys.Sleep(min(d, time.Second))
	}
	fmt.Fprint(sys.Stderr, "\r\x1b[K")
}

// note tells the user, on stderr, what happened and how long it lasts.
// A session reused from the file is news only to someone who typed the
// refresh command at a terminal: env, exec and credential_process (and
// the hook's env --cached after a refresh) stay silent: only
// refreshCommand says it.
func note(sys System, res *exporter.Result, req exporter.Request, refreshCommand bool) {
	// When the session ends, in local time and from now: "15:04 CET (in
	// 11h59m)", the day left out when it is today.
	now := sys.Now()
	when := localTime(res.Expiration, now)
	if local := res.Expiration.In(now.Location()); local.YearDay() == now.YearDay() && local.Year() == now.Year() {
		when = local.Format("15:04 MST")
	}
	switch until := fmt.Sprintf("%s (in %s)", when, shells.Left(res.Expiration.Sub(now))); {
	case res.Cached && refreshCommand && sys.IsTerminal(sys.Stderr):
		fmt.Fprintf(sys.Stderr, "aws-mfa: [%s] is still valid until %s; --force refreshes it now\n", req.Target, until)
	case res.Cached:
	case !res.Written:
		fmt.Fprintf(sys.Stderr, "aws-mfa: got an MFA session for [%s], valid until %s (not written)\n", req.Target, until)
	default:
		msg := fmt.Sprintf("aws-mfa: wrote an MFA session to [%s]", req.Target)
		if res.Created {
			msg += fmt.Sprintf(", a new profile in %s", oneLine(req.Paths.Credentials))
		}
		msg += fmt.Sprintf(", valid until %s", until)
		if len(res.Bases) > 0 { // the bases a chained refresh renewed on the way
			msg += fmt.Sprintf("; renewed [%s] first", strings.Join(res.Bases, "], ["))
		}
		// The target kept a region of its own where the pair names another: a
		// refresh never overrides it, and never silently.
		if res.OwnRegion && req.Region != "" && res.Region != req.Region {
			msg += fmt.Sprintf("; [%s] keeps its own region %s (the pair's %s is used only to call STS)", req.Target, res.Region, req.Region)
		}
		fmt.Fprintln(sys.Stderr, msg)
	}
}

// RefreshInput is what `aws-mfa [CODE]` was given.
type RefreshInput struct {
	Session SessionInput
	Args    []string // the code, as one word or as two halves
}

// RefreshCommand is `aws-mfa [CODE]`: write a session into the target
// profile.
func RefreshCommand(ctx context.Context, sys System, in RefreshInput) error {
	code, err := codeArg(in.Args)
	if err != nil {
		return err
	}
	req, err := request(sys, in.Session)
	if err != nil {
		return err
	}
	if !req.Write {
		// Checked before a code is asked for or sent: STS would spend it
		// on a session this command could only throw away.
		return usage("pair %s has write = false, so a refresh has nowhere to put the session; use %s or %s", req.Name, shells.Line("aws-mfa", "env", "-p", req.Name), shells.Line("aws-mfa", "exec", "-p", req.Name, "--", "COMMAND"))
	}
	res, err := obtain(ctx, sys, in.Session, req, code, false)
	if err != nil {
		return err
	}
	note(sys, res, req, true)
	return nil
}

// checkNewTarget refuses, before a code is asked for, a --target that
// names no profile yet but is a slip away from one that exists
// (`--target defualt`): the session would go to a new profile nothing
// uses. A name unlike any other, one of a numbered family (dev2 beside
// dev1), one a pair of the config writes, or a profile of the AWS config
// file is a first use; --force creates it anyway.
func checkNewTarget(cfg *config.Config, target string, paths credfile.Paths) error {
	f, err := credfile.Read(paths.Credentials)
	if err != nil || f.Section(target) != nil || slices.ContainsFunc(cfg.Pairs, func(p config.Pair) bool { return p.Target == target }) {
		return nil // a file that cannot be read is reported where it is read
	}
	if c, err := credfile.Read(paths.Config); err == nil && c.Profile(target) != nil {
		return nil // a profile of the AWS config file, given its keys here
	}
	// Names that differ only in their digits (dev1 and dev2, t48 and t49)
	// are a numbered family, not a slip of the hand.
	digits := regexp.MustCompile(`[0-9]+`)
	if s := f.Closest(target); s != "" && digits.ReplaceAllString(s, "") != digits.ReplaceAllString(target, "") {
		return usage("there is no [%s] profile in %s; did you mean [%s]? To create [%s], add --force", target, oneLine(paths.Credentials), s, target)
	}
	return nil
}
