package app

import (
	"cmp"
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/setup"
)

// keyringReader reads a pair's long-term keys from its keyring, bounded
// by the pair's token_timeout: an unlock prompt waits for a person too.
func keyringReader(ctx context.Context, pair config.Pair) func(item string) (exporter.Keys, error) {
	return func(item string) (exporter.Keys, error) {
		store, err := keyring.Open(pair.KeyringBackend, pair.TokenTimeout)
		if err != nil {
			return exporter.Keys{}, err
		}
		k, err := store.Get(ctx, item)
		if err != nil {
			return exporter.Keys{}, err
		}
		return exporter.Keys{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}, nil
	}
}

// keyringExportFlags are keyring export's options.
var keyringExportFlags = []cli.Flag{
	newString(&cli.StringFlag{Name: "pair", Aliases: []string{"p"}, Usage: "`NAME` of a pair with a keyring item (default: AWS_MFA_PAIR, else the config's)"}),
	newString(&cli.StringFlag{Name: "config", Usage: "config `FILE`"}),
	newString(&cli.StringFlag{Name: "profile", Usage: "`PROFILE` to write the keys to (default: the pair's source)"}),
	newBool(&cli.BoolFlag{Name: "delete", Usage: "delete the keyring item once the file holds the keys"}),
}

func keyringCommand(sys System) *cli.Command {
	return &cli.Command{
		Name:  "keyring",
		Usage: "move a pair's long-term keys between the keyring and the credentials file",
		Subcommands: []*cli.Command{{
			Name:      "export",
			Usage:     "write the keys kept in the pair's keyring item back into a profile of the credentials file",
			UsageText: "aws-mfa keyring export [-p PAIR] [--profile PROFILE] [--delete]",
			Flags:     keyringExportFlags,
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
// file back to check them, and only then, if asked, deletes the keyring
// item.
func KeyringExportCommand(ctx context.Context, sys System, in KeyringExportInput) error {
	cfg, pair, err := selectPair(sys, in.PairFlags)
	if err != nil {
		return err
	}
	if pair.Keyring == "" {
		return usage("pair %s keeps its keys in [%s], not in a keyring (config: %s)", pair.Name, pair.Source, orNone(cfg.Path))
	}
	profile := cmp.Or(in.Profile, pair.Source)
	if err := credfile.ValidName(profile); err != nil {
		return fmt.Errorf("--profile: %w", err)
	}
	if profile == pair.Target {
		return usage("[%s] is the pair's target, which a refresh overwrites; choose another --profile", profile)
	}
	store, err := keyring.Open(pair.KeyringBackend, pair.TokenTimeout)
	if err != nil {
		return err
	}
	k, err := store.Get(ctx, pair.Keyring)
	if err != nil {
		return err
	}
	paths, err := credfile.Locate(sys.Getenv)
	if err != nil {
		return err
	}
	path := paths.Credentials
	set := []credfile.KV{{Key: "aws_access_key_id", Value: k.AccessKeyID}, {Key: "aws_secret_access_key", Value: k.SecretAccessKey}}
	err = credfile.Writer{}.Update(path, func(f *credfile.File) ([]byte, error) {
		if s := f.Section(profile); s != nil && s.Get("aws_access_key_id") != "" && s.Get("aws_access_key_id") != k.AccessKeyID {
			return nil, usage("[%s] in %s already holds other keys (%s); choose another --profile", profile, path, exporter.MaskKey(s.Get("aws_access_key_id")))
		}
		out, err := f.Edit(profile, set, []string{"aws_session_token", "aws_security_token", "expiration"})
		if err != nil {
			return nil, err
		}
		// botocore must read exactly the keys, with no token: one that
		// [DEFAULT] still hands to every profile would break them, and an
		// empty one to shadow it cannot be written.
		g, err := credfile.Parse(out)
		if err != nil {
			return nil, err
		}
		if c := g.Credentials(profile); c.AccessKeyID != k.AccessKeyID || c.SecretAccessKey != k.SecretAccessKey || c.SessionToken != "" {
			return nil, usage("[%s] in %s sets a session token that [%s] would inherit with the keys; remove aws_security_token and aws_session_token from [%[1]s] first (nothing was written)", credfile.DefaultSection, path, profile)
		}
		return out, nil
	})
	if err != nil {
		return fmt.Errorf("write the keys to [%s] in %s: %w", profile, path, err)
	}
	f, err := credfile.Read(path)
	if err != nil {
		return fmt.Errorf("read back %s: %w", path, err)
	}
	if s := f.Section(profile); s == nil || s.Get("aws_access_key_id") != k.AccessKeyID || s.Get("aws_secret_access_key") != k.SecretAccessKey {
		return fmt.Errorf("[%s] in %s does not read back the keys written; the keyring item is kept", profile, path)
	}
	fmt.Fprintf(sys.Stderr, "aws-mfa: wrote the keys %s from %s to [%s] in %s\n", exporter.MaskKey(k.AccessKeyID), store.Where(pair.Keyring), profile, path)
	if in.Delete {
		if err := store.Delete(ctx, pair.Keyring); err != nil {
			return err
		}
		fmt.Fprintf(sys.Stderr, "aws-mfa: deleted %s\n", store.Where(pair.Keyring))
	}
	also := ""
	if profile != pair.Source {
		also = fmt.Sprintf(" and set source = %q", profile)
	}
	fmt.Fprintf(sys.Stderr, "aws-mfa: now remove the line keyring = %q from [pair.%s] in %s%s, so that refreshes read [%s]\n", pair.Keyring, pair.Name, orNone(cfg.Path), also, profile)
	return nil
}

// keyringSetup fills in what setup --keyring needs: the pair that will
// name the item (--pair, else the config's pair for --source and
// --target, else the built-in name), the item (the pair's, else the
// source profile's name), and the backend to store it in.
func keyringSetup(in SetupInput, req *setup.Request) (setup.KeyStore, error) {
	cfg, err := config.Load(config.Location{Path: req.ConfigPath})
	if err != nil {
		return nil, err
	}
	var pair *config.Pair
	for i, p := range cfg.Pairs {
		if req.Pair != "" && p.Name == req.Pair || req.Pair == "" && p.Source == req.Source && p.Target == req.Target {
			pair = &cfg.Pairs[i]
			break
		}
	}
	switch {
	case pair != nil && req.Pair != "" && !(in.SourceSet || in.TargetSet):
		req.Source, req.Target = pair.Source, pair.Target
	case pair == nil && req.Pair != "" && !(in.SourceSet && in.TargetSet):
		return nil, usage("pair %s is not in the config (%s); give --source and --target to add it", req.Pair, orNone(cfg.Path))
	}
	timeout := config.DefaultTokenTimeout
	backend := in.KeyringBackend
	req.Keyring = req.Source
	if pair != nil {
		req.Pair = pair.Name
		timeout = pair.TokenTimeout
		backend = cmp.Or(backend, pair.KeyringBackend)
		req.Keyring = cmp.Or(pair.Keyring, req.Keyring)
	} else {
		req.Pair = config.BuiltinName
	}
	if err := keyring.CheckItem(req.Keyring); err != nil {
		return nil, usage("%v; name the item in the pair's keyring key", err)
	}
	if in.KeyringBackendSet {
		req.KeyringBackend = backend
	}
	if in.TimeoutSet {
		timeout = in.Timeout
	}
	store, err := keyring.Open(backend, timeout)
	if err != nil {
		return nil, err
	}
	return store, nil
}
