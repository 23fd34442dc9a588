package app

import (
	"cmp"
	"context"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/setup"
)

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
	paths, locErr := credfile.Locate(sys.Getenv)
	if err = cmp.Or(err, locErr); err != nil {
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
