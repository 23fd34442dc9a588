package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/rotate"
)

func rotateCommand(sys System) *cli.Command {
	var in SessionInput // the flags write it
	return &cli.Command{
		Name:      "rotate",
		Usage:     "replace the pair's long-term access key with a new one, through its MFA session",
		UsageText: "aws-mfa rotate [-p PAIR] [-t CODE] [--dry-run]",
		Flags:     append(sessionFlags(&in), &cli.BoolFlag{Name: "dry-run", Usage: "print the plan; change nothing"}),
		Action: func(c *cli.Context) error {
			return RotateCommand(c.Context, sys, RotateInput{Session: in, DryRun: c.Bool("dry-run")})
		},
	}
}

// RotateInput is what `aws-mfa rotate` was given.
type RotateInput struct {
	Session SessionInput
	DryRun  bool
}

// verifyWait is how long a new key may take to work: IAM's changes take
// seconds to spread.
const verifyWait = 20 * time.Second

// RotateCommand is `aws-mfa rotate`: a new access key for the pair's IAM
// user, through its MFA session, stored where the old one was, which is
// then deleted. A chained pair's keys are its first base's.
func RotateCommand(ctx context.Context, sys System, in RotateInput) error {
	req, err := request(sys, in.Session)
	if err != nil {
		return err
	}
	if len(req.Bases) > 0 {
		fmt.Fprintf(sys.Stderr, "aws-mfa: pair %s is chained from pair %s, whose keys it uses: rotating those\n", req.Name, req.Bases[0].Name)
		req = req.Bases[0]
	}
	if req.RoleARN != "" {
		// A role's session cannot act on the user's keys: a session of
		// the user's own, for a code, not written anywhere.
		req.RoleARN, req.Write, req.Force = "", false, true
	}
	w := credfile.Writer{Waiting: sys.Stderr}
	dir, err := stateDir(sys.Getenv)
	where, get, put, placeErr := keyPlace(req.Pair, req.Paths.Credentials, configPath(sys, in.Session.Config).Path, w) // reads nothing yet
	if err = cmp.Or(err, placeErr); err != nil {
		return err
	}
	held, err := get(ctx)
	if err != nil {
		return err
	}
	cur := held.AccessKeyID
	if in.DryRun {
		_, begun := rotate.Load(dir).Rotating[rotate.Place(req.Pair)]
		fmt.Fprintf(sys.Stdout, "aws-mfa rotate would, for pair %s (key %s, kept in %s%s):\n", req.Name, exporter.MaskKey(cur), where, map[bool]string{true: "; first it finishes a rotation begun earlier"}[begun])
		fmt.Fprintf(sys.Stdout, "  1. get an MFA session as a refresh does (the one in [%s] while valid, else one for a code)\n", req.Target)
		fmt.Fprintf(sys.Stdout, "  2. find the IAM user (STS GetCallerIdentity) and its keys (IAM ListAccessKeys); stop if it has two\n")
		_, err := fmt.Fprintf(sys.Stdout, "  3. create a key (IAM CreateAccessKey), wait up to %s for AWS to accept it, store it in %s\n  4. deactivate, then delete %s (IAM UpdateAccessKey, DeleteAccessKey)\n", verifyWait, where, exporter.MaskKey(cur))
		return err
	}
	res, err := obtain(ctx, sys, in.Session, req, "", false)
	if err != nil {
		return err
	}
	a := awsFor(sys, req, res)
	c, s := a.Clients(res.Session)
	out, err := rotate.Run(ctx, rotate.Input{Place: rotate.Place(req.Pair), Where: where, Current: cur, StateDir: dir, Verify: verifyWait, AWS: a},
		rotate.Deps{IAM: c, Session: s, Put: put, Get: get, Writer: w, Now: sys.Now, After: time.After, Log: sys.Stderr})
	if err != nil {
		return err
	}
	verb := map[bool]string{false: "rotated", true: "finished the rotation begun earlier"}[out.Finished]
	fmt.Fprintf(sys.Stderr, "aws-mfa: %s: %s holds %s of IAM user %s\n", verb, where, exporter.MaskKey(out.Key), out.User)
	if out.SessionRejected && req.Write {
		// status then shows the session as expired, and a refresh asks
		// for a code instead of handing out one AWS refuses.
		_ = w.EditBytes(req.Paths.Credentials, credfile.Parsed(req.Paths.Credentials, func(f *credfile.File) ([]byte, error) {
			if f.Credentials(req.Target).AccessKeyID != res.AccessKeyID {
				return nil, nil
			}
			return f.Edit(req.Target, []credfile.KV{{Key: "expiration", Value: sys.Now().UTC().Format(time.RFC3339)}}, nil)
		}))
		fmt.Fprintf(sys.Stderr, "aws-mfa: AWS no longer accepts the MFA session in [%s], got with the old key; the next refresh needs a code\n", req.Target)
	}
	return nil
}

// keyPlace finds where pair's long-term keys live, how to read them and
// how to replace the key old there, if it is still there. cfgPath is the
// aws-mfa config, whose lock keyring export holds while it moves keys.
func keyPlace(pair config.Pair, path, cfgPath string, w credfile.Writer) (string, func(context.Context) (awscred.Keys, error), func(context.Context, string, awscred.Keys) error, error) {
	where := fmt.Sprintf("[%s] in %s", pair.Source, oneLine(path))
	if pair.Keyring != "" {
		store, err := keyring.Open(pair.KeyringBackend, pair.TokenTimeout)
		if err != nil {
			return "", nil, nil, err
		}
		get := func(ctx context.Context) (awscred.Keys, error) { return store.Get(ctx, pair.Keyring) }
		put := func(ctx context.Context, old string, k awscred.Keys) error {
			// keyring export moves the keys under the config's lock, which
			// no refresh waits on at a prompt: held, the item cannot move
			// between the look and the write. Where it cannot be taken, no
			// export can run. The look keeps what another writer stored
			// while IAM was asked.
			if l, err := w.Lock(cfgPath); err == nil {
				defer l.Unlock()
			}
			if held, err := get(ctx); err != nil || held.AccessKeyID != old {
				return cmp.Or(err, changed(store.Where(pair.Keyring)))
			}
			return store.Put(ctx, pair.Keyring, k)
		}
		return store.Where(pair.Keyring), get, put, nil
	}
	get := func(context.Context) (awscred.Keys, error) {
		f, err := credfile.Read(path)
		if errors.Is(err, credfile.ErrNotFound) {
			return awscred.Keys{}, usage("no credentials file at %s, so no key to rotate; run `aws configure` with your IAM user's access key, then `aws-mfa setup`", oneLine(path))
		}
		if err != nil {
			return awscred.Keys{}, err
		}
		k, d := f.Credentials(pair.Source).Keys, f.Section(credfile.DefaultSection)
		switch {
		case !f.HoldsLongTermKeys(pair.Source):
			return k, usage("%s holds no long-term access key to rotate; run aws-mfa doctor", where)
		case d.Get("aws_access_key_id") == k.AccessKeyID || d.Get("aws_secret_access_key") == k.SecretAccessKey:
			// The new key goes to the source: [DEFAULT] would keep the old.
			return k, usage("[%s] in %s holds the key %s, which every profile inherits; move it into [%s], then rotate", credfile.DefaultSection, oneLine(path), exporter.MaskKey(k.AccessKeyID), pair.Source)
		}
		return k, nil
	}
	put := func(_ context.Context, old string, k awscred.Keys) error {
		return w.EditBytes(path, credfile.Parsed(path, func(f *credfile.File) ([]byte, error) {
			if f.Credentials(pair.Source).AccessKeyID != old {
				return nil, changed(where)
			}
			return f.Edit(pair.Source, []credfile.KV{{Key: "aws_access_key_id", Value: k.AccessKeyID}, {Key: "aws_secret_access_key", Value: k.SecretAccessKey}}, nil)
		}))
	}
	return where, get, put, nil
}

// changed says that another program changed where while IAM was asked.
func changed(where string) error {
	return fmt.Errorf("%s changed while aws-mfa rotated its key, so the new key was not written there", where)
}

// awsFor is where IAM and STS are called for a pair's session.
func awsFor(sys System, req exporter.Request, res *exporter.Result) rotate.AWS {
	return rotate.AWS{Source: req.Target, Region: cmp.Or(res.Region, req.EnvRegion, stsparam.DefaultRegion), STSURL: req.Endpoint,
		IAMURL: cmp.Or(sys.Getenv("AWS_ENDPOINT_URL_IAM"), sys.Getenv("AWS_ENDPOINT_URL")), Timeout: req.Timeout}
}

// learnKeyAge records when the key that got res was created, asking IAM
// once per key. It never fails a refresh nor prints: a user without
// iam:ListAccessKeys refreshes as before.
func learnKeyAge(ctx context.Context, sys System, req exporter.Request, res *exporter.Result) {
	dir, err := stateDir(sys.Getenv)
	a := awsFor(sys, req, res)
	// No key signed, or the session is a role's; or STS is not AWS's
	// own, and IAM's global endpoint is then not the peer to ask.
	if res.Key == "" || req.RoleARN != "" || len(req.Bases) > 0 || err != nil || a.STSURL != "" && a.IAMURL == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, min(req.Timeout, 5*time.Second))
	defer cancel()
	c, s := a.Clients(res.Session)
	_ = rotate.Learn(ctx, dir, rotate.Place(req.Pair), res.Key, c, s, a)
}
