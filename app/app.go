// Package app is the command line: it builds the urfave/cli application,
// turns flags into requests for exporter, prints results, and maps errors
// to one line on stderr and an exit code.
package app

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/mfastate"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1 // STS, network or file-system failure
	ExitUsage   = 2 // bad usage or input
)

// exitCode is an error that only sets the exit code: the command has
// said what it had to (doctor's findings, exec's command's own status).
type exitCode int

func (e exitCode) Error() string { return "" }

// System is everything the CLI takes from the process. Tests build their own.
type System struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Environ        func() []string
	Now            func() time.Time
	IsTerminal     func(stream any) bool // stdin or stdout
	// ParentProcess names the process that started aws-mfa, or "".
	ParentProcess func() string
	// Exec replaces aws-mfa with a command (or runs it and exits).
	Exec func(path string, argv, env []string) error
	// Args0 is the name aws-mfa was run as; Executable its binary's path.
	Args0      string
	Executable func() (string, error)
	// WaitDelay is how long STS may take before a terminal shows that
	// aws-mfa is waiting; 0 means half a second.
	WaitDelay time.Duration
	// TTY opens the terminal for questions, apart from stdin and stdout.
	TTY func() (io.ReadWriteCloser, error)
	// Browse opens a URL in the user's browser.
	Browse func(url string) error
	// Sleep waits, for the next code.
	Sleep func(time.Duration)
}

// OS returns the real process's System.
func OS() System {
	return System{
		Stdin:         os.Stdin,
		Stdout:        os.Stdout,
		Stderr:        os.Stderr,
		Getenv:        os.Getenv,
		Environ:       os.Environ,
		Now:           time.Now,
		ParentProcess: parentProcess,
		Exec:          execve,
		Args0:         os.Args[0],
		Executable:    os.Executable,
		TTY:           openTTY,
		IsTerminal:    isTerminal,
		Browse:        browse,
		Sleep:         time.Sleep,
	}
}

// isTerminal reports whether stream is a terminal. A character device is
// not enough: /dev/null is one too.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Run runs the command line and returns the exit code.
func Run(args []string, sys System) int {
	a := newApp(sys)
	var notFound error // urfave/cli reports it as a failure, without a hint
	a.CommandNotFound = func(c *cli.Context, word string) { notFound = unknownSubcommand(c, word) }
	err := runLine(a, args)
	if err = cmp.Or(notFound, err); err == nil {
		return ExitOK
	}
	if exit, ok := errors.AsType[exitCode](err); ok {
		return int(exit) // a command that reports its own status, like exec
	}
	printError(sys.Stderr, err)
	if errors.Is(err, inputerr.Err) {
		return ExitUsage
	}
	return ExitFailure
}

// printError is the one place an error reaches the user: "aws-mfa: " and
// the message on one line. A path, profile or pair name in the message
// may hold anything, so every character that is not printable (a newline,
// a carriage return, an escape sequence, a tab, invalid UTF-8) is written
// escaped, Go-style: the error stays one line and cannot drive the
// terminal.
func printError(w io.Writer, err error) { fmt.Fprintf(w, "aws-mfa: %s\n", oneLine(err.Error())) }

// oneLine escapes what is not printable in s: \n, \t, \x1b, \u2028, and
// each byte of invalid UTF-8 as \xNN. Printable text is left as it is:
// strconv.Quote escapes exactly what is not printable, and the escapes it
// adds to printable text (the quotes and backslashes) are taken back.
func oneLine(s string) string {
	q := strconv.Quote(s)
	return strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(q[1 : len(q)-1])
}

func newApp(sys System) *cli.App {
	var in SessionInput // the refresh's own
	a := &cli.App{
		Name:  "aws-mfa",
		Usage: "get an MFA session from STS and hand it to every AWS tool",
		// Help is output the user asked for: stdout, so that
		// `aws-mfa --help | less` works. Errors and notes go to stderr.
		Writer:    sys.Stdout,
		ErrWriter: sys.Stderr,
		// urfave/cli's own version flag and printer are package variables
		// (and its flag takes -v, which is --verbose here): --version is
		// this app's own flag, answered before any command runs.
		HideVersion: true,
		// Nothing reads it, but left zero urfave/cli stats os.Args[0] on
		// every run to fill it: a cached env touches its files only.
		Compiled: time.Unix(0, 0).UTC(),
		Flags:    append(sessionFlags(&in), &cli.BoolFlag{Name: "version", Usage: "print the version"}, helpFlag()),
		HideHelp: true, // see help.go
		Before: func(c *cli.Context) error {
			if !c.Bool("version") {
				return nil
			}
			if c.Args().Present() && c.App.Command(c.Args().First()) == nil {
				return usage("--version takes no arguments, and %q is one; see aws-mfa --help", c.Args().First())
			}
			bi, _ := debug.ReadBuildInfo()
			_, err := fmt.Fprintln(sys.Stdout, versionLine(version, bi))
			return cmp.Or[error](err, exitCode(ExitOK))
		},
		Action: func(c *cli.Context) error {
			// A mistyped subcommand, which urfave/cli hands to the app's
			// own action as its argument: `aws-mfa statsu` would otherwise
			// be read as a malformed code. A word with a letter is never a
			// code.
			if word := c.Args().First(); strings.ContainsFunc(word, unicode.IsLetter) {
				names := visible(c.App.Commands)
				return mistyped(word, names, fmt.Sprintf("unknown command %q", word), "See aws-mfa --help", "the commands are "+strings.Join(names, ", ")+", or give a six-digit code; see aws-mfa --help")
			}
			return RefreshCommand(c.Context, sys, RefreshInput{Session: in, Args: c.Args().Slice()})
		},
		Commands:       []*cli.Command{envCommand(sys, false), execCommand(sys), consoleCommand(sys), statusCommand(sys), hookCommand(sys), setupCommand(sys), doctorCommand(sys), rotateCommand(sys), keyringCommand(sys), completeCommand(sys), commandCommand(sys), envInCommand(sys), reexportCommand(sys), renewCommand(sys)},
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   usageError,
	}
	// The usage line names every command the help lists, so it cannot
	// fall behind them.
	a.UsageText = "aws-mfa [options] [CODE]\naws-mfa " + strings.Join(visible(a.Commands), "|") + " [options] ..."
	a.Commands = append(a.Commands, helpCommand(false))
	for _, c := range a.Commands {
		wire(c)
	}
	return a
}

// wire gives c and every command under it (keyring export help too) the
// app's usage errors, the checks before it runs, and its own help flag
// and help subcommand (help.go). A command without subcommands still
// takes `help`, as urfave/cli's gave each one; it is kept out of its
// listing and completion, and its help stays the plain command template.
func wire(c *cli.Command) {
	c.OnUsageError, c.Before = usageError, before
	if !c.HideHelp { // the hidden machine commands never answer with help
		c.HideHelp = true
		c.Flags = append(c.Flags, helpFlag())
		leaf := len(c.Subcommands) == 0
		if leaf && c.CustomHelpTemplate == "" {
			c.CustomHelpTemplate = cli.CommandHelpTemplate
		}
		c.Subcommands = append(c.Subcommands, helpCommand(leaf))
	}
	for _, sub := range c.Subcommands {
		wire(sub)
	}
}

// version names a release. Release builds set it:
//
//	go build -ldflags "-X github.com/aws-mfa/aws-mfa/app.version=v0.3.0"
//
// A plain build leaves "dev", or takes the module's version when
// `go install module@v0.3.0` stamped one (see versionLine).
var version = "dev"

// versionLine is what --version prints: the version, and the commit it was
// built from with its date, "+dirty" when the checkout had changes:
// "aws-mfa v0.3.0 (5c7fe1f, 2026-12-05)". Only --version reads the build
// information.
func versionLine(v string, bi *debug.BuildInfo) string {
	if bi == nil {
		return "aws-mfa " + v
	}
	// Go stamps a build from a checkout with a pseudo-version
	// (v0.0.0-20261205143000-5c7fe1f1a2b3+dirty): a commit, shown below
	// as such, not a release.
	pseudo := regexp.MustCompile(`-(?:\d+\.)?\d{14}-[0-9a-f]{12}(?:\+dirty)?$`)
	if m := bi.Main.Version; v == "dev" && m != "" && m != "(devel)" && !pseudo.MatchString(m) {
		v = m
	}
	vcs := map[string]string{}
	for _, s := range bi.Settings {
		vcs[s.Key] = s.Value
	}
	commit := vcs["vcs.revision"]
	if commit == "" {
		return "aws-mfa " + v
	}
	commit = commit[:min(len(commit), 7)]
	if vcs["vcs.modified"] == "true" {
		commit += "+dirty"
	}
	if date := vcs["vcs.time"]; date != "" {
		commit += ", " + date[:min(len(date), len("2006-01-02"))]
	}
	return fmt.Sprintf("aws-mfa %s (%s)", v, commit)
}

// usage reports bad usage or input: exit 2.
func usage(format string, a ...any) error { return inputerr.Errorf(format, a...) }

// sessionFlags are shared by every command that obtains a session; each
// writes its field of in.
func sessionFlags(in *SessionInput) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "token", Aliases: []string{"t"}, Usage: "the six-digit MFA `CODE` (or give it as the argument, pipe it, or type it at the prompt)", Destination: &in.Token},
		&cli.StringFlag{Name: "pair", Aliases: []string{"p"}, Usage: "`NAME` of a pair in the config, or its target profile (default: AWS_MFA_PAIR, else the config's)", Destination: &in.Pair},
		&cli.StringFlag{Name: "config", Usage: "config `FILE` (default: AWS_MFA_CONFIG, else aws-mfa/config.toml in the user config directory)", Destination: &in.Config},
		&cli.StringFlag{Name: "source", Usage: "`PROFILE` with the long-term keys and mfa_serial (default: the pair's, aws-mfa)", Destination: &in.Source},
		&cli.StringFlag{Name: "target", Usage: "`PROFILE` that receives the session (default: the pair's, default)", Destination: &in.Target},
		&cli.StringFlag{Name: "duration", Usage: "session length `D`: 12h, 90m or seconds, 15m to 36h (default: the pair's, 12h)", Destination: &in.Duration},
		&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "refresh even if the session is still valid; overwrite long-term keys in the target", Destination: &in.Force},
		&cli.StringFlag{Name: "endpoint-url", Usage: "STS `URL` (default: the pair's, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, else regional AWS)", Destination: &in.Endpoint},
		&cli.DurationFlag{Name: "timeout", Value: 15 * time.Second, Usage: "give up on STS after `D`", Destination: &in.Timeout},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show what is sent to STS (never secrets)", Destination: &in.Verbose},
	}
}

// SessionInput is what the session flags of refresh, env and exec say.
// A field is "" when its flag is not given: an empty value is refused
// before any command runs (runLine), and a flag given beats the
// pair's value.
type SessionInput struct {
	PairFlags
	Token, Source, Target string
	Duration              string // as typed
	Force                 bool
	Endpoint              string
	Timeout               time.Duration
	Verbose               bool
	// NoWrite (env and exec) leaves the credentials file alone.
	NoWrite bool
}

// request turns the selected pair, the session flags and the environment
// into a request; flags given explicitly beat the pair. A chained pair's
// request lists in Bases the pairs it is chained from, from the pair
// whose code is asked and whose keys are read: every setting of a link
// comes from that link's own pair.
func request(sys System, in SessionInput) (exporter.Request, error) {
	cfg, pair, err := selectPair(sys, in.PairFlags)
	if err != nil {
		return exporter.Request{}, err
	}
	if in.Source != "" {
		if pair.SourcePair != "" {
			return exporter.Request{}, usage("pair %s takes its credentials from pair %s's session (source_pair); --source does not apply to it", pair.Name, pair.SourcePair)
		}
		pair.Source = in.Source
	}
	pair.Target = cmp.Or(in.Target, pair.Target)
	var durationErr error
	if in.Duration != "" {
		pair.Duration, durationErr = stsparam.ParseDuration(in.Duration)
	}
	paths, err := credfile.Locate(sys.Getenv)
	if err = cmp.Or(durationErr, checkTimeout(in.Timeout), err); err != nil {
		return exporter.Request{}, err
	}
	if in.Target != "" && !in.Force {
		if err := checkNewTarget(cfg, pair.Target, paths); err != nil {
			return exporter.Request{}, err
		}
	}
	chain, _ := cfg.Chain(pair) // config.Parse refuses a broken chain
	chain[len(chain)-1] = pair
	envRegion := cmp.Or(sys.Getenv("AWS_REGION"), sys.Getenv("AWS_DEFAULT_REGION"))
	links := make([]exporter.Request, len(chain))
	for i, p := range chain {
		p.Endpoint = cmp.Or(in.Endpoint, p.Endpoint, sys.Getenv("AWS_ENDPOINT_URL_STS"), sys.Getenv("AWS_ENDPOINT_URL"))
		if i > 0 {
			p.Source = chain[i-1].Target // whose session signs its AssumeRole
		}
		// --no-write (env and exec) leaves the whole file alone, bases included.
		p.Write = p.Write && !in.NoWrite
		links[i] = exporter.Request{Pair: p, Paths: paths, Timeout: in.Timeout, EnvRegion: envRegion}
	}
	req := links[len(links)-1]
	req.Bases, req.Force = links[:len(links)-1], in.Force
	return req, nil
}

// MaxTimeout bounds --timeout: STS answers in well under a second; an
// hour is a mistyped unit, and a command that hangs for it looks broken.
const MaxTimeout = 10 * time.Minute

// checkTimeout checks --timeout, which must be positive (0 would give up
// before the request is sent) and at most MaxTimeout.
func checkTimeout(t time.Duration) error {
	if t <= 0 || t > MaxTimeout {
		return usage("--timeout %s must be more than 0 and at most %s, like 15s or 1m", t, MaxTimeout)
	}
	return nil
}

// codeArg is the code given as the only argument, if any; `aws-mfa 123
// 456`, the code typed as the authenticator shows it, is one code too.
func codeArg(args []string) (string, error) {
	n := min(len(args), 1) // the words of the code
	if len(args) > 1 && isCode(args[0]+" "+args[1]) {
		n = 2
	}
	if len(args) > n {
		return "", usage("unexpected argument %q after the code; the command and flags go before the code (aws-mfa COMMAND --help)", args[n])
	}
	return strings.Join(args, " "), nil
}

// isCode says whether a word is a code as stsparam.Code reads one.
func isCode(s string) bool {
	_, err := stsparam.Code(s)
	return err == nil
}

// maxPrompts bounds the questions at an interactive prompt: a mistyped or
// rejected code is asked for again, twice at most.
const maxPrompts = 3

// prompter asks for the code at the terminal and counts the questions;
// noTTY says what to do when there is no terminal.
type prompter struct {
	sys   System
	noTTY func(error) error
	asked int
}

// ask prompts until a well-formed code is typed, or maxPrompts is reached.
// It asks on the controlling terminal, question and answer both, so that
// it is seen even when stdout and stderr are captured (a hook's $(…), the
// AWS CLI's credential_process).
func (p *prompter) ask(serial string) (string, error) {
	tty, err := p.sys.TTY()
	if err != nil {
		return "", p.noTTY(err)
	}
	defer tty.Close()
	for {
		p.asked++
		fmt.Fprintf(tty, "MFA code for %s: ", serial)
		line, err := readLine(tty, maxCodeLine) // nothing past the newline
		if err != nil {
			return "", usage("no MFA code typed at the terminal")
		}
		code, err := stsparam.Code(line)
		if err == nil || p.asked >= maxPrompts {
			return code, err
		}
		fmt.Fprintf(tty, "aws-mfa: %v; try again\n", err)
	}
}

// again says whether a code STS rejected may be asked for once more: only
// one typed at the prompt, and within maxPrompts.
func (p *prompter) again(err error) bool {
	var used *mfastate.UsedError
	if p == nil || p.asked == 0 || p.asked >= maxPrompts || !errors.Is(err, exporter.ErrCodeRejected) && !errors.As(err, &used) {
		return false
	}
	msg := "MFA code rejected: wrong or already used; wait for the next code"
	if used != nil {
		msg = used.Error()
	}
	// On the terminal the question was asked on.
	if tty, err := p.sys.TTY(); err == nil {
		fmt.Fprintln(tty, "aws-mfa: "+msg)
		tty.Close()
	}
	return true
}

// maxCodeLine bounds the line a code is read from: six digits, white space
// and a CRLF fit many times over.
const maxCodeLine = 64

// readLine reads one line, a byte at a time so that nothing after its
// newline is consumed: under `aws-mfa exec`, the rest of stdin belongs to
// the command. It stops after max bytes.
func readLine(r io.Reader, max int) (string, error) {
	var line []byte
	b := make([]byte, 1)
	for len(line) <= max {
		switch n, err := r.Read(b); {
		case n == 1 && b[0] == '\n', n == 0 && err == io.EOF && len(line) > 0:
			return string(line), nil
		case n == 1:
			line = append(line, b[0])
		case err != nil:
			return "", usage("no MFA code given; pass it as an argument (aws-mfa 123456), with -t, or on stdin")
		}
	}
	return "", usage("the first line of stdin is longer than an MFA code; pass only the six digits")
}
