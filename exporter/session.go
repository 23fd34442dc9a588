// Package exporter owns getting an MFA session: it reads the source
// profile, reuses a session still valid in the target, otherwise asks for
// a code and calls STS, writes the target profile, and turns the session
// into an ordered list of environment variables.
package exporter

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/mfastate"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
	"github.com/aws-mfa/aws-mfa/shells"
)

// Request says which session to get and how: a pair of the config as
// the command line resolved it (its Source, Target, Duration and
// Endpoint may come from flags and the environment, Endpoint being ""
// for regional AWS), and what the run adds. Of the pair, Obtain reads
// the settings of a session: the profiles, Serial (which overrides the
// source profile's mfa_serial), Duration, Margin (a session with less
// left is refreshed), MaxMFAAge (one whose code is older is refreshed
// too; 0: no bound), Region (which beats the source profile's),
// Endpoint, RoleARN (when set, AssumeRole instead of GetSessionToken),
// RoleSessionName (default: stsparam.RoleSessionName of the chain's
// serial), ExternalID, Keyring (the item with the long-term keys, read
// through Deps.Keyring; "" means the source profile's) and Write (false:
// leave the credentials file alone, as write = false and --no-write do).
type Request struct {
	config.Pair
	Paths     credfile.Paths
	Force     bool          // refresh even if still valid; overwrite long-term keys
	Cached    bool          // use only a session already valid in the target
	EnvRegion string        // AWS_REGION or AWS_DEFAULT_REGION; the source profile's beats it
	Timeout   time.Duration // bound on the whole STS exchange

	// Bases, for a chained pair (source_pair), are the requests of the
	// pairs it is chained from, first pair first: the first is signed with
	// long-term keys and a code, and each session after it, not long-term
	// keys, signs the next link's AssumeRole. Each later link's Source is
	// the link before's Target. The links' own Bases are not read.
	Bases []Request
}

// Deps are the side effects Obtain needs; tests replace them.
type Deps struct {
	Now    func() time.Time
	Token  func(serial string) (string, error)                       // asked only when STS must be called
	NewSTS func(signer awscred.Session, region, endpoint string) STS // nil means NewSTS with the request's timeout
	Writer credfile.Writer
	Log    io.Writer // --verbose output; nil for none
	// Keyring reads the long-term keys from a keyring item; it is called
	// only when STS must be, so a cached session never opens the keyring.
	// A Request that names a keyring item needs it.
	Keyring func(item string) (awscred.Keys, error)
	// State records the codes sent and each session's MFA time; nil
	// records nothing.
	State *mfastate.Store
}

// Result is what Obtain did.
type Result struct {
	awscred.Session
	Cached  bool // the target's session was still valid and reused
	Written bool // the target profile was rewritten
	Created bool // the target profile did not exist before
	// Region is the region tools read for the target profile: its own
	// (OwnRegion), else the one a refresh writes there (the pair's, else
	// the source profile's); "" when none names one.
	Region    string
	OwnRegion bool
	// Key is the long-term access key id that signed the call to STS;
	// "" when none did (a session reused, or renewed from a base's).
	Key string

	// Bases are the targets of a chained pair's bases renewed and written
	// on the way, first pair first.
	Bases []string
}

// Obtain returns a session for req.Target: the one already there while it
// is valid for longer than req.Margin, else a new one from STS, written to
// the target profile if req.Write. A chained request (req.Bases) is
// renewed from its base's session, which is itself reused or renewed the
// same way, so at most the chain's first pair needs a code. A renewal
// holds the credentials file's lock from the moment it looks again at the
// target until it has written: concurrent runs ask for one code between
// them, and the others use what it wrote. On any error the credentials
// file is left exactly as it was.
func Obtain(ctx context.Context, req Request, d Deps) (*Result, error) {
	links := append(slices.Clip(req.Bases), req)
	for i, l := range links {
		if err := checkRequest(l, i > 0); err != nil {
			return nil, err
		}
	}
	creds, err := credfile.Read(req.Paths.Credentials)
	if errors.Is(err, credfile.ErrNotFound) {
		return nil, inputerr.Errorf("no credentials file at %s; run `aws configure` with your IAM user's access key, then `aws-mfa setup`", req.Paths.Credentials)
	}
	if err != nil {
		return nil, err
	}
	src, err := readSource(creds, links[0])
	if err != nil {
		return nil, err
	}
	r := &renewal{links: links, src: src, d: d, region: cmp.Or(req.Region, src.region)}
	// Reused, refused (a cached request with nothing to renew from), or
	// no link writes: run says which, with no lock.
	if i, _ := r.start(creds); i == len(links) || i == 0 && req.Cached || !slices.ContainsFunc(links, func(l Request) bool { return l.Write }) {
		return r.run(ctx, creds)
	}
	if err := checkShadowed(creds, links, src); err != nil {
		return nil, err
	}
	return r.renewLocked(ctx)
}

// renewLocked renews the chain and writes what it got, under the
// credentials file's lock: concurrent runs ask for one code between them,
// and a run that waited takes what the first wrote. The waits (keyring,
// code, STS) come first; the edit is then made on the file as it is
// after them, so that what another program wrote meanwhile is kept.
func (r *renewal) renewLocked(ctx context.Context) (*Result, error) {
	req := r.links[len(r.links)-1]
	l, err := r.d.Writer.Lock(req.Paths.Credentials)
	if err != nil {
		return nil, fmt.Errorf("write [%s] to %s: %w", req.Target, req.Paths.Credentials, err)
	}
	defer l.Unlock()
	f, err := l.Read()
	if err != nil {
		return nil, err
	}
	res, err := r.run(ctx, f)
	if err != nil || res.Cached {
		return res, err // Cached: another run renewed it while this one waited
	}
	// The file after the wait, which the edit below reads again.
	if f, err = l.Read(); err != nil {
		return nil, err
	}
	res.setRegion(r.src, f, req.Target, r.region)
	if err := l.EditBytes(credfile.Parsed(req.Paths.Credentials, r.edit)); err != nil {
		return nil, fmt.Errorf("write [%s] to %s: %w", req.Target, req.Paths.Credentials, err)
	}
	res.Written = req.Write
	res.Created = res.Written && f.Section(req.Target) == nil
	for _, l := range r.links[r.from : len(r.links)-1] {
		if l.Write {
			res.Bases = append(res.Bases, l.Target)
		}
	}
	return res, nil
}

// cachedError says why a cached request, which never asks for a code,
// gets no session from f.
func (r *renewal) cachedError(f *credfile.File) error {
	req, first := r.links[len(r.links)-1], r.links[0]
	switch _, valid := ValidSession(f, req.Target, r.d.Now(), req.Margin); {
	case len(r.links) > 1:
		return inputerr.Errorf("no session valid for more than %s in [%s] nor in [%s], which it is chained from; run %s with a code", req.Margin, req.Target, first.Target, shells.Line("aws-mfa", "-p", first.Target))
	case valid && !req.Force:
		return inputerr.Errorf("the session in [%s] is valid, but its MFA code was entered longer ago than mfa_max_age (%s), or aws-mfa has no record of when; run aws-mfa with a code", req.Target, req.MaxMFAAge)
	case !req.Write:
		// Such a session never reaches the file: a refresh cannot help.
		return inputerr.Errorf("no session valid for more than %s in [%s], and this pair does not write one there (write = false or --no-write); get a session with aws-mfa env and a code", req.Margin, req.Target)
	}
	return inputerr.Errorf("no session valid for more than %s in [%s]; run aws-mfa with a code", req.Margin, req.Target)
}

// setRegion sets the region tools read for target: its own, else region,
// the one a refresh writes there.
func (res *Result) setRegion(src *source, f *credfile.File, target, region string) {
	own, _ := src.targetRegion(f, target)
	res.Region, res.OwnRegion = cmp.Or(own, region), own != ""
}

// MaxSkew is how far STS's clock may be ahead of this machine's: AWS
// refuses a request signed more than 15 minutes off its own clock, so an
// answer from further ahead is not one STS gave.
const MaxSkew = 15 * time.Minute

// checkFresh refuses a session that STS hands out already expired, or
// expiring within the refresh margin: written, it would replace one that
// may still be valid, and the next run would refresh again. Either this
// machine's clock is ahead, or the endpoint is not what it should be. It
// refuses one that lasts longer than was asked (beyond MaxSkew) too: STS
// never does that, and a session "valid" until 2099 would never be
// refreshed.
func checkFresh(s awscred.Session, now time.Time, req Request, endpoint string) error {
	at := stsparam.Redact(endpoint)
	when := s.Expiration.UTC().Format(time.RFC3339)
	switch left := s.Expiration.Sub(now); {
	case s.Expiration.After(now.Add(req.Duration + MaxSkew)):
		return fmt.Errorf("STS at %s handed out a session that expires at %s, later than the %s asked for (and %s of clock skew) allows; check --endpoint-url and the system clock; nothing was written",
			at, when, req.Duration, MaxSkew)
	case left > req.Margin:
		return nil
	case left <= 0:
		return fmt.Errorf("STS at %s handed out a session that expired at %s, %s before this machine's clock; check the system clock (clock skew) and --endpoint-url; nothing was written",
			at, when, (-left).Round(time.Second))
	default:
		return fmt.Errorf("STS at %s handed out a session that expires at %s, in %s, within the refresh margin of %s; check the system clock (clock skew) and --endpoint-url; nothing was written",
			at, when, left.Round(time.Second), req.Margin)
	}
}

// checkRequest checks what flags and the environment may have set since
// the config was checked: the profiles, the endpoint, the duration. A
// pair's role, its session name and external id, and a chained pair's
// role_arn come from the config alone, which checks them.
func checkRequest(req Request, chained bool) error {
	switch {
	case req.Source == req.Target:
		return inputerr.Errorf("source and target are both [%s]; the session must go to another profile than the long-term keys", req.Source)
	case credfile.ValidName(req.Source) != nil: // "source: invalid profile name: …"
		return fmt.Errorf("source: %w", credfile.ValidName(req.Source))
	case credfile.ValidName(req.Target) != nil:
		return fmt.Errorf("target: %w", credfile.ValidName(req.Target))
	case req.Endpoint != "" && stsparam.CheckEndpoint(req.Endpoint) != nil:
		return fmt.Errorf("%w (from --endpoint-url, the pair's endpoint_url, AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL)", stsparam.CheckEndpoint(req.Endpoint))
	}
	return stsparam.CheckDuration(req.Duration, req.Margin, req.RoleARN != "", chained)
}

type source struct {
	keys           awscred.Keys
	serial, region string

	// readConfig reads the config file as it is now: empty when there is
	// none, which is no error. Another program (aws configure set region)
	// may write it while a refresh waits.
	readConfig func() (*credfile.File, error)
}

// targetRegion is the region botocore reads for profile target once it is
// in the credentials file f, before aws-mfa adds one: the target's own
// there, else [DEFAULT]'s there (which every profile of that file
// inherits), else that of its profile in the config file (with the
// config's [DEFAULT]); the credentials file beats the config file. An
// empty value counts as none. known is false when the config file, needed
// for the answer, cannot be read.
func (s *source) targetRegion(f *credfile.File, target string) (region string, known bool) {
	for _, sec := range []*credfile.Section{f.Section(target), f.Section(credfile.DefaultSection)} {
		if sec != nil && sec.Has("region") {
			return sec.Get("region"), true
		}
	}
	cfg, err := s.readConfig()
	if err != nil {
		return "", false
	}
	region, _ = cfg.ProfileValue(target, "region") // "" when the profile or its region is missing
	return region, true
}

func readSource(creds *credfile.File, req Request) (*source, error) {
	path := req.Paths.Credentials
	if creds.Section(req.Source) == nil && req.Keyring == "" {
		if s := creds.Closest(req.Source); s != "" {
			// A typo in the pair's source or --source: setup would make a
			// new profile of it, so it is not the fix offered.
			return nil, inputerr.Errorf("no [%s] profile in %s; did you mean [%s]? Correct the pair's source in the aws-mfa config (or --source)", req.Source, path, s)
		}
		setup := []string{"aws-mfa", "setup"}
		if req.Source != config.BuiltinSource || req.Target != config.BuiltinTarget {
			setup = append(setup, "--source", req.Source, "--target", req.Target)
		}
		return nil, inputerr.Errorf("no [%s] profile in %s; run `%s` to create it from [%s], or copy your long-term keys there and add mfa_serial (aws-mfa setup --help)", req.Source, path, shells.Line(setup...), req.Target)
	}
	serial, _ := creds.Value(req.Source, "mfa_serial")
	region, _ := creds.Value(req.Source, "region")
	src := &source{
		serial:     cmp.Or(req.Serial, serial),
		region:     region,
		readConfig: func() (*credfile.File, error) { return credfile.ReadOrEmpty(req.Paths.Config) },
	}
	if req.Keyring == "" { // else they are read later, and only if STS is called
		src.keys = creds.Credentials(req.Source).Keys
		if src.keys.AccessKeyID == "" || src.keys.SecretAccessKey == "" {
			return nil, inputerr.Errorf("[%s] in %s lacks aws_access_key_id or aws_secret_access_key; add the IAM user's long-term keys", req.Source, path)
		}
		if !creds.HoldsLongTermKeys(req.Source) {
			return nil, inputerr.Errorf("[%s] in %s holds session credentials; put the IAM user's long-term keys (AKIA…) there instead", req.Source, path)
		}
	}
	if src.serial == "" || src.region == "" {
		cfg, err := src.readConfig()
		if err != nil {
			return nil, err
		}
		serial, _ := cfg.ProfileValue(req.Source, "mfa_serial")
		region, _ := cfg.ProfileValue(req.Source, "region")
		src.serial, src.region = cmp.Or(src.serial, serial), cmp.Or(src.region, region)
	}
	if src.serial == "" {
		return nil, inputerr.Errorf("no mfa_serial for [%s]: add a line `mfa_serial = arn:aws:iam::ACCOUNT_ID:mfa/DEVICE` to it in %s (the ARN is under IAM console > Security credentials)", req.Source, path)
	}
	if err := stsparam.CheckSerial(src.serial); err != nil {
		return nil, fmt.Errorf("[%s]: %w", req.Source, err)
	}
	return src, nil
}

// checkShadowed refuses, before a code is spent, a target where botocore
// would not use the session written: one whose profile sets a key that
// botocore's credential chain serves before the credentials file's keys.
func checkShadowed(creds *credfile.File, links []Request, src *source) error {
	cfg, err := src.readConfig()
	if err != nil {
		return err
	}
	for _, l := range links {
		if key, where := credfile.Shadowing(creds, cfg, l.Target); l.Write && key != "" {
			return inputerr.Errorf("%s sets %s, which the AWS CLI and SDKs use instead of the keys in [%s], so a session written there would go unused; remove %s from %s, or write the session to another profile", where, key, l.Target, key, where)
		}
	}
	return nil
}

// guardLongTermKeys refuses to overwrite a target holding long-term keys
// that exist nowhere else in the file: they may be the user's only copy.
func guardLongTermKeys(f *credfile.File, req Request, chained bool) error {
	switch id, only := f.OnlyCopy(req.Target); {
	case req.Force || !only:
	case chained:
		// A chained link's source is its base pair's target, which
		// aws-mfa overwrites too: the keys must go where nothing writes.
		return inputerr.Errorf("[%s] holds long-term keys (%s) found in no other profile; writing the session would destroy them. Copy them to a profile no pair writes (`aws configure --profile NAME`, not [%s], which holds the base pair's session) and make it a pair's source, or pass --force if you have them elsewhere", req.Target, MaskKey(id), req.Source)
	default:
		return inputerr.Errorf("[%s] holds long-term keys (%s) found in no other profile; writing the session would destroy them. Copy [%s] to [%s] first (the Quick start in docs/usage.md), or pass --force if you have them elsewhere", req.Target, MaskKey(id), req.Target, req.Source)
	}
	return nil
}

// ValidSession reads the session botocore would use for target and
// reports whether it is valid for longer than margin: the one rule of
// when a session is reused, which status shows too.
func ValidSession(f *credfile.File, target string, now time.Time, margin time.Duration) (awscred.Session, bool) {
	s, ok := f.Session(target)
	return s, ok && s.Expiration.Sub(now) > margin
}

func sessionFrom(c *types.Credentials) (awscred.Session, error) {
	if c == nil || c.AccessKeyId == nil || c.SecretAccessKey == nil || c.SessionToken == nil || c.Expiration == nil {
		return awscred.Session{}, errors.New("STS answered without complete credentials; retry, or check --endpoint-url")
	}
	s := awscred.Session{
		Keys:         awscred.Keys{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey},
		SessionToken: *c.SessionToken,
		Expiration:   c.Expiration.UTC().Truncate(time.Second),
	}
	for _, v := range []string{s.AccessKeyID, s.SecretAccessKey, s.SessionToken} {
		if v == "" || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return awscred.Session{}, errors.New("STS answered with malformed credentials (empty, or with spaces or control characters); nothing was written")
		}
	}
	return s, nil
}
