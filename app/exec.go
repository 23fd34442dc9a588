package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/setup"
	"github.com/aws-mfa/aws-mfa/shells"
)

func execCommand(sys System) *cli.Command {
	var in SessionInput // the flags write it
	return &cli.Command{
		Name:      "exec",
		Usage:     "run a command with the session in its environment",
		ArgsUsage: "[CODE] -- COMMAND [ARGS...]",
		Flags: append(sessionFlags(&in), noWriteFlag(&in),
			&cli.BoolFlag{Name: "renew", Usage: "for long jobs: the command's AWS SDKs ask aws-mfa for each new session (credential_process), never see the keys"}),
		Action: func(c *cli.Context) error {
			// urfave/cli stops reading options at the code: one of exec's
			// own after it is named as such (what follows -- is the command's).
			if a := c.Args().Slice(); len(a) > 1 && isCode(a[0]) && strings.HasPrefix(a[1], "-") {
				if name, _, _ := strings.Cut(strings.TrimLeft(a[1], "-"), "="); findFlag(name, c.Command.Flags) != nil {
					return usage("%s stands after the code; options go before it: aws-mfa exec [OPTIONS] CODE -- COMMAND", a[1])
				}
			}
			return ExecCommand(c.Context, sys, ExecInput{Session: in, Args: c.Args().Slice(), Renew: c.Bool("renew")})
		},
	}
}

// execForm is how exec is called, for its errors.
const execForm = "aws-mfa exec [-t CODE] -- COMMAND [ARGS...]"

// ExecInput is what `aws-mfa exec` was given.
type ExecInput struct {
	Session SessionInput
	Args    []string // [CODE --] COMMAND [ARGS...]
	Renew   bool
}

// ExecCommand is `aws-mfa exec`: run a command with the session in its
// environment. On success it does not return where the system can
// replace the process.
func ExecCommand(ctx context.Context, sys System, in ExecInput) error {
	argv, code := in.Args, ""
	if len(argv) >= 2 && argv[1] == "--" && isCode(argv[0]) {
		code, argv = argv[0], argv[2:]
	}
	if len(argv) == 0 {
		return usage("exec needs a command: %s", execForm)
	}
	path, err := exec.LookPath(argv[0])
	switch {
	case err != nil && isCode(argv[0]):
		// `aws-mfa exec 123456` or `exec 123456 aws …`: a code with no --
		// after it, never a command to look for.
		return usage("exec takes the command after --, and the code before it or with -t: %s", execForm)
	case err != nil && !errors.Is(err, exec.ErrNotFound):
		// A path, there or not, that cannot run: the cause, not PATH (a
		// PathError's own, else the error LookPath wraps).
		reason := cmp.Or(errors.Unwrap(errors.Unwrap(err)), errors.Unwrap(err))
		return usage("cannot run %q: %v; the form is %s", argv[0], reason, execForm)
	case err != nil:
		return usage("command %q not found in PATH; the form is %s", argv[0], execForm)
	}
	req, err := request(sys, in.Session)
	if err != nil {
		return err
	}
	if in.Renew && !req.Write {
		// Checked before a code is spent: each renewal starts from the
		// session the last one left in the target.
		return usage("--renew keeps each session in [%s] for the next renewal; it does not go with --no-write or a pair with write = false", req.Target)
	}
	res, err := obtain(ctx, sys, in.Session, req, code, false)
	if err != nil {
		return err
	}
	note(sys, res, req, false)
	if !in.Renew {
		return sys.Exec(path, argv, environ(sys.Environ(), exporter.Vars(res.Session, req.Target, res.Region)))
	}
	if len(req.Bases) == 0 && len(req.TokenCommand) == 0 {
		fmt.Fprintf(sys.Stderr, "aws-mfa: [%s] has no base session to renew from: each renewal asks for a code at the terminal\n", req.Target)
	}
	dir, err := renewConfig(sys, in.Session, req, res.Region)
	defer os.RemoveAll(dir) // "" when there is none
	if err != nil {
		return err
	}
	undumpable()
	return runChild(path, argv, environ(sys.Environ(), append(exporter.UnsetVars(), []shells.Var{
		{Name: "AWS_CONFIG_FILE", Value: filepath.Join(dir, "config")},
		{Name: "AWS_SHARED_CREDENTIALS_FILE", Value: filepath.Join(dir, "credentials")},
		{Name: "AWS_PROFILE", Value: renewProfile(req.Target)}, {Name: "AWS_DEFAULT_PROFILE", Value: renewProfile(req.Target)},
		{Name: "AWS_SDK_LOAD_CONFIG", Value: "1"},                                               // the Go SDK v1 reads credential_process only with it
		{Name: "AWS_ROLE_ARN", Unset: true}, {Name: "AWS_WEB_IDENTITY_TOKEN_FILE", Unset: true}, // they beat a profile
	}...)), dir)
}

// renewProfile names exec --renew's private profile: the target, unless
// botocore and aws-sdk-go-v2 would read its header differently (botocore
// skips [profile prod two]).
func renewProfile(target string) string {
	if strings.ContainsFunc(target, func(r rune) bool { return r <= ' ' || r > '~' }) { // all but ASCII's printable words
		return "aws-mfa-renew"
	}
	return target
}

// renewConfig writes the private AWS config of exec --renew: one profile,
// named for the target, whose credential_process runs aws-mfa for the
// same pair and files (__renew), with the settings of the user's
// [default] that neither hold nor fetch credentials; and an empty
// credentials file. The directory, in the OS's temporary directory and
// private to the user, holds no secret: one a SIGKILL leaves behind
// leaks nothing. It is returned even with an error, for removal.
func renewConfig(sys System, in SessionInput, req exporter.Request, region string) (string, error) {
	exe, err := executable(sys)
	if err != nil {
		return "", err
	}
	// A relative path is the user's working directory's, not the command's.
	creds, _ := filepath.Abs(req.Paths.Credentials)
	conf, _ := filepath.Abs(req.Paths.Config)
	argv := []string{exe, "__renew", creds, conf, "-p", req.Name}
	if loc := configPath(sys, in.Config); loc.By != "" {
		abs, _ := filepath.Abs(loc.Path) // "" only without a working directory: the renewal refuses it
		argv = append(argv, "--config", abs)
	}
	// The options given to exec, for every renewal; never the code, nor
	// --force. A given option is never empty (runLine).
	argv = append(argv, given([]string{"--source", "--target", "--duration", "--endpoint-url"}, in.Source, in.Target, in.Duration, in.Endpoint)...)
	// Last, a word never quoted: aws-sdk-go-v2 strips a quote that both
	// begins and ends a value.
	argv = append(argv, "--timeout", in.Timeout.String())
	line, err := setup.ProcessLine(runtime.GOOS, argv...)
	if err != nil {
		return "", err
	}
	set := []credfile.KV{{Key: "credential_process", Value: line}}
	if region != "" {
		set = append(set, credfile.KV{Key: "region", Value: region})
	}
	section := credfile.ProfileSection(renewProfile(req.Target))
	empty, _ := credfile.Parse(nil)
	if user, err := credfile.Read(req.Paths.Config); err == nil && user.Profile("default") != nil {
		own := user.Profile("default")
		for _, k := range []string{"region", "output", "ca_bundle", "retry_mode", "max_attempts", "endpoint_url", "sts_regional_endpoints", "use_fips_endpoint", "use_dualstack_endpoint", "defaults_mode", "cli_pager"} {
			kv := credfile.KV{Key: k, Value: own.Get(k)}
			if _, err := empty.Edit(section, []credfile.KV{kv}, nil); err == nil && (k != "region" || region == "") {
				set = append(set, kv)
			}
		}
	}
	out, err := empty.Edit(section, set, nil)
	if err != nil {
		return "", fmt.Errorf("the AWS config for --renew: %w", err)
	}
	dir, err := os.MkdirTemp("", "aws-mfa-renew-")
	if err != nil {
		return "", err
	}
	return dir, errors.Join(os.WriteFile(filepath.Join(dir, "config"), out, 0o600), os.WriteFile(filepath.Join(dir, "credentials"), nil, 0o600))
}

// renewCommand is `aws-mfa __renew CREDENTIALS CONFIG OPTION…`, the
// credential_process of exec --renew's private profile: env --format json
// with the options, reading the user's files, which the command's
// environment no longer names.
func renewCommand(sys System) *cli.Command {
	return machine("__renew", func(c *cli.Context) error {
		args := c.Args().Slice()
		if len(args) < 2 {
			return usage("__renew needs the credentials and config files")
		}
		// The paths are expanded already: each is named through a variable
		// no environment can hold, which credfile expands once, to the path
		// as it is, $ and all.
		files := map[string]string{
			"AWS_SHARED_CREDENTIALS_FILE": "${=AWS_SHARED_CREDENTIALS_FILE}", "=AWS_SHARED_CREDENTIALS_FILE": args[0],
			"AWS_CONFIG_FILE": "${=AWS_CONFIG_FILE}", "=AWS_CONFIG_FILE": args[1],
		}
		inner := sys
		inner.Getenv = func(name string) string {
			if path, ok := files[name]; ok {
				return path
			}
			return sys.Getenv(name)
		}
		return newApp(inner).Run(append([]string{"aws-mfa", "env", "--format", "json"}, args[2:]...))
	})
}

// runChild runs the command and waits for it, passing on the signals
// that end a job, and returns its exit status, 128+N when signal N killed
// it, as a shell does. A terminal's Ctrl-C or Ctrl-\ reaches the whole
// foreground process group, the command included: passed on too, it
// would arrive twice (terraform stops at once on a second interrupt).
// A command that a SIGINT killed takes aws-mfa with it, once tmp (if
// any) is removed, as a shell expects of its child: one that exits 130
// is taken to have handled the Ctrl-C, and a script's loop goes on.
func runChild(path string, argv, env []string, tmp string) error {
	cmd := &exec.Cmd{Path: path, Args: argv, Env: env, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	sigs := make(chan os.Signal, 4)
	defer close(sigs) // after Stop: nothing is sent on it then
	for _, s := range []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		if !signal.Ignored(s) { // as under nohup: caught, it would no longer be, by the command either
			signal.Notify(sigs, s)
		}
	}
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s: %w", argv[0], err)
	}
	go func() {
		for s := range sigs {
			if (s != syscall.SIGINT && s != syscall.SIGQUIT) || !foreground() {
				_ = cmd.Process.Signal(s)
			}
		}
	}()
	err := cmd.Wait()
	exit, ok := errors.AsType[*exec.ExitError](err)
	if !ok {
		return err
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		if ws.Signal() == syscall.SIGINT && os.RemoveAll(tmp) == nil {
			signal.Reset(os.Interrupt)
			if p, _ := os.FindProcess(os.Getpid()); p.Signal(os.Interrupt) == nil {
				time.Sleep(time.Second) // the runtime dies of it meanwhile
			}
		}
		return exitCode(128 + int(ws.Signal()))
	}
	return exitCode(exit.ExitCode())
}

// environ applies vars to env: the session's, as env exports them, or
// --renew's; each removes the stale and session variables. A region is
// replaced only by one in vars: with none, the user's stays.
func environ(env []string, vars []shells.Var) []string {
	out := slices.DeleteFunc(env, func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=") // "" for Windows' "=C:=…", never in vars
		return slices.ContainsFunc(vars, func(v shells.Var) bool { return v.Name == name })
	})
	for _, v := range vars {
		if !v.Unset {
			out = append(out, v.Name+"="+v.Value)
		}
	}
	return out
}
