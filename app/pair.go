package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/mfastate"
	"github.com/aws-mfa/aws-mfa/internal/readfile"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
)

// PairFlags are the --config and --pair a command was given; "" when not
// given (an empty value is refused before any command runs).
type PairFlags struct {
	Config, Pair string
}

// pairFlags reads --config and --pair.
func pairFlags(c *cli.Context) PairFlags {
	return PairFlags{Config: c.String("config"), Pair: c.String("pair")}
}

// selectPair loads the config and picks the pair --pair or AWS_MFA_PAIR
// names, else the default one.
func selectPair(sys System, in PairFlags) (*config.Config, config.Pair, error) {
	loc := configPath(sys, in.Config)
	cfg, err := config.Load(loc)
	if err != nil {
		return nil, config.Pair{}, err
	}
	pair, err := cfg.Select(pairName(sys, in))
	if err != nil {
		return nil, pair, usage("%v (config: %s)", err, cmp.Or(cfg.Path, "none; aws-mfa setup -p NAME --source PROFILE --target PROFILE adds a pair to "+loc.Path))
	}
	return cfg, pair, nil
}

// pairName is --pair, else AWS_MFA_PAIR. The variable is read here, not
// through the flag's EnvVars, so that a flag given before the subcommand
// beats it (see placeOptions).
func pairName(sys System, in PairFlags) string { return cmp.Or(in.Pair, sys.Getenv("AWS_MFA_PAIR")) }

// configPath is --config, else AWS_MFA_CONFIG, else the user config
// directory's: os.UserConfigDir's, reading the environment through
// sys.Getenv, with the home directory found as for ~/.aws (credfile.Home:
// HOME, else the user database), so that the config and the credentials
// file never disagree about where home is.
func configPath(sys System, flag string) config.Location {
	return config.Locate(flag, sys.Getenv, func() (string, error) { return userDir(sys.Getenv, "AppData", "XDG_CONFIG_HOME", ".config") })
}

// stateDir is where aws-mfa keeps what it learns between runs and no
// AWS tool reads: records of used codes, the MFA time behind each session,
// key ages and the rotation journal. None of it is a secret. It is
// $XDG_STATE_HOME/aws-mfa (else ~/.local/state/aws-mfa) on Linux and the
// BSDs, ~/Library/Application Support/aws-mfa/state on macOS and
// %LocalAppData%\aws-mfa on Windows. Callers create it (mode 0700) when
// they first write there; losing it costs a little knowledge, never a key.
func stateDir(getenv func(string) string) (string, error) {
	d, err := userDir(getenv, "LocalAppData", "XDG_STATE_HOME", filepath.Join(".local", "state"))
	if err != nil {
		return "", err // rotate.Load reads no state from ""
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" { // beside the config
		return filepath.Join(d, "aws-mfa", "state"), nil
	}
	return filepath.Join(d, "aws-mfa"), nil
}

// userDir is one of the user's directories, as the OS places it: on
// Windows the one the variable win names; on macOS ~/Library/Application
// Support; elsewhere $xdg when it is absolute, else fallback under home.
func userDir(getenv func(string) string, win, xdg, fallback string) (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := getenv(win); d != "" {
			return d, nil
		}
		return "", fmt.Errorf("%%%s%% is not defined", win) // as os.UserConfigDir and os.UserCacheDir say
	case "darwin", "ios":
		xdg, fallback = "", filepath.Join("Library", "Application Support")
	}
	if d := getenv(xdg); xdg != "" && filepath.IsAbs(d) {
		return d, nil
	}
	home, err := credfile.Home(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(home, fallback), nil
}

// mfaStore is the MFA records in the state directory; nil (none kept)
// when no home is found.
func mfaStore(sys System) *mfastate.Store {
	dir, err := stateDir(sys.Getenv)
	if err != nil {
		return nil
	}
	return &mfastate.Store{Dir: dir}
}

// maxTokenOutput bounds what a token_command may print: a code and a
// line of chatter fit; `yes 123456` must not fill memory.
const maxTokenOutput = 4 << 10

// runTokenCommand runs a token_command without a shell and returns the
// code it printed, checked like a typed one.
func runTokenCommand(ctx context.Context, argv []string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.WaitDelay = time.Second
	stdout := &readfile.Capped{Max: maxTokenOutput}
	// Its stderr is not kept: a password manager's message may carry a
	// secret, and none of it may reach an error line.
	cmd.Stdout = stdout
	err := cmd.Run()
	switch {
	case stdout.Over:
		return "", usage("token_command %s printed more than %d KiB; it must print only the code", argv[0], maxTokenOutput>>10)
	case ctx.Err() == context.DeadlineExceeded:
		return "", usage("token_command %s did not finish within %s; check the device or command", argv[0], timeout)
	case errors.Is(err, exec.ErrNotFound):
		return "", usage("token_command %s: not found in PATH", argv[0])
	case err != nil:
		return "", usage("token_command %s failed (%v); run it by hand to see why", argv[0], err)
	}
	code, err := stsparam.Code(stdout.String())
	if err != nil {
		return "", usage("token_command %s printed no six-digit code; it must print only the code", argv[0])
	}
	return code, nil
}

// given is each option named with its value, where one was given (a given
// option is never empty: runLine), for a command line to run again.
func given(names []string, values ...string) (argv []string) {
	for i, v := range values {
		if v != "" {
			argv = append(argv, names[i], v)
		}
	}
	return argv
}
