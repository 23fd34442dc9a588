package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/setup"
	"github.com/aws-mfa/aws-mfa/shells"
)

// keyringReader reads a pair's long-term keys from its keyring, bounded
// by the pair's token_timeout: an unlock prompt waits for a person too.
func keyringReader(ctx context.Context, pair config.Pair) func(item string) (awscred.Keys, error) {
	return func(item string) (awscred.Keys, error) {
		store, err := keyring.Open(pair.KeyringBackend, pair.TokenTimeout)
		if err != nil {
			return awscred.Keys{}, err
		}
		return store.Get(ctx, item)
	}
}

func keyringCommand(sys System) *cli.Command {
	return &cli.Command{
		Name:  "keyring",
		Usage: "move a pair's long-term keys between the keyring and the credentials file",
		Subcommands: []*cli.Command{{
			Name:      "export",
			Usage:     "write the keys kept in the pair's keyring item back into a profile of the credentials file",
			UsageText: "aws-mfa keyring export [-p PAIR] [--profile PROFILE] [--delete]",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "pair", Aliases: []string{"p"}, Usage: "`NAME` of a pair with a keyring item (default: AWS_MFA_PAIR, else the config's)"},
				&cli.StringFlag{Name: "config", Usage: "config `FILE`"},
				&cli.StringFlag{Name: "profile", Usage: "`PROFILE` to write the keys to (default: the pair's source)"},
				&cli.BoolFlag{Name: "delete", Usage: "delete the keyring item once the file holds the keys"},
			},
			Action: func(c *cli.Context) error {
				return KeyringExportCommand(c.Context, sys, KeyringExportInput{PairFlags: pairFlags(c), Profile: c.String("profile"), Delete: c.Bool("delete")})
			},
		}},
	}
}

// KeyringExportInput is what `aws-mfa keyring export` was given.
type KeyringExportInput struct {
	PairFlags
	Profile string // "" is the pair's source
	Delete  bool
}

// KeyringExportCommand writes the pair's keys into a profile, reads the
// file back to check them, points the pairs that name the item at the
// profile and only then, if asked, deletes the keyring item.
func KeyringExportCommand(ctx context.Context, sys System, in KeyringExportInput) error {
	cfg, pair, err := selectPair(sys, in.PairFlags)
	if err != nil {
		return err
	}
	paths, err := credfile.Locate(sys.Getenv)
	if err != nil {
		return err
	}
	req := setup.ExportRequest{Paths: paths, ConfigPath: cfg.Path, Pair: pair, Profile: in.Profile, Delete: in.Delete}
	var store *keyring.Store
	if pair.Keyring != "" {
		if store, err = keyring.Open(pair.KeyringBackend, pair.TokenTimeout); err != nil {
			return err
		}
	}
	return setup.Export(ctx, req, setup.Deps{Out: sys.Stderr, Store: store, Writer: credfile.Writer{Waiting: sys.Stderr}})
}

// keyringSetup fills in what setup --keyring needs: the pair that will
// name the item (--pair, else the config's pair for --source and
// --target, else the built-in name), the item (the pair's, else the
// source profile's name), and the backend to store it in.
func keyringSetup(sys System, in SetupInput, req *setup.Request) (setup.KeyStore, error) {
	cfg, err := config.Load(config.Location{Path: req.ConfigPath})
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(cfg.Pairs, func(p config.Pair) bool {
		return req.Pair != "" && p.Name == req.Pair || req.Pair == "" && p.Source == req.Source && p.Target == req.Target
	})
	pair := config.Pair{Name: config.BuiltinName, TokenTimeout: config.DefaultTokenTimeout, KeyringBackend: cfg.KeyringBackend}
	if i >= 0 {
		pair = cfg.Pairs[i]
	}
	switch {
	case pair.SourcePair != "":
		chain, _ := cfg.Chain(pair) // config.Parse refuses a broken chain
		return nil, usage("pair %s has no long-term keys to move: it is chained from pair %s (source_pair), and its sessions are made from pair %s's keys; run %s", pair.Name, pair.SourcePair, chain[0].Name, shells.Line("aws-mfa", "setup", "--keyring", "-p", chain[0].Name))
	case i >= 0 && req.Pair != "" && !(in.SourceSet || in.TargetSet):
		req.Source, req.Target = pair.Source, pair.Target
	case i < 0 && req.Pair != "" && !(in.SourceSet && in.TargetSet):
		return nil, usage("pair %s is not in the config (%s); give --source and --target to add it", req.Pair, cmp.Or(cfg.Path, "none"))
	}
	req.Pair, req.Keyring = pair.Name, cmp.Or(pair.Keyring, req.Source)
	req.KeyringBackend = cmp.Or(in.KeyringBackend, pair.KeyringBackend)
	if err := keyring.CheckItem(req.Keyring); err != nil {
		return nil, usage("%v; name the item in the pair's keyring key", err)
	}
	if in.TimeoutSet {
		pair.TokenTimeout = in.Timeout
	}
	req.Home, _ = credfile.Home(sys.Getenv) // "" when unknown: the files' own directories are still searched
	return keyring.Open(req.KeyringBackend, pair.TokenTimeout)
}

// noDesktop adds to an error from a keyring that cannot be reached how to
// keep the keys in pass instead, which needs no desktop session.
func noDesktop(err error, backend string) error {
	if !errors.Is(err, keyring.ErrUnavailable) || backend == keyring.Pass {
		return err
	}
	return fmt.Errorf("%w; without a desktop session, keep the keys in pass instead: aws-mfa setup --keyring --keyring-backend pass (pass needs a gpg key and a store, made once: gpg --quick-generate-key you@example.com, then pass init you@example.com)", err)
}
