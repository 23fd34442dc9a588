package exporter

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
)

// renewal gets new sessions for a chain: from the last link whose target
// still holds a valid session, or from the first link's long-term keys and
// a code, up to the requested link.
type renewal struct {
	links  []Request
	src    *source // the first link's source profile
	d      Deps
	region string            // reported in the result: the pair's, else the source profile's
	from   int               // the link got starts at
	got    []awscred.Session // what run obtained from STS, in chain order
	mfaAt  time.Time         // when the code behind got was entered; zero when unknown
}

// start is where the chain's renewal starts in f: after the last link
// whose target holds a session valid for longer than its margin, with an
// MFA not too old, which it returns; 0 when none does. The requested link
// is renewed anyway when forced.
func (r *renewal) start(f *credfile.File) (int, awscred.Session) {
	for j := len(r.links) - 1; j >= 0; j-- {
		if j == len(r.links)-1 && r.links[j].Force {
			continue
		}
		if s, ok := ValidSession(f, r.links[j].Target, r.d.Now(), r.links[j].Margin); ok && !mfaTooOld(r.d, r.links[j:], s) {
			return j + 1, s
		}
	}
	return 0, awscred.Session{}
}

// mfaTooOld reports whether the code behind s was entered longer ago
// than one of links allows (mfa_max_age): s's link, and the links after
// it, whose sessions would inherit its MFA time. A policy with
// aws:MultiFactorAuthAge would deny them although they are valid, so s
// is renewed like one about to expire. A session of unknown age
// (obtained elsewhere, or before aws-mfa kept records) counts as too old.
func mfaTooOld(d Deps, links []Request, s awscred.Session) bool {
	return slices.ContainsFunc(links, func(l Request) bool {
		if l.MaxMFAAge <= 0 {
			return false
		}
		at, ok := d.State.MFA(s.AccessKeyID)
		return !ok || d.Now().Sub(at) > l.MaxMFAAge
	})
}

// run renews the chain as f shows it and returns the requested link's
// session, the one f holds (Cached) when it needs no renewal.
func (r *renewal) run(ctx context.Context, f *credfile.File) (*Result, error) {
	now := r.d.Now()
	last := len(r.links) - 1
	i, base := r.start(f)
	if i == 0 && r.links[last].Cached {
		return nil, r.cachedError(f)
	}
	res := &Result{Cached: i > last}
	if !res.Cached {
		r.from = i
		if i > 0 {
			r.mfaAt, _ = r.d.State.MFA(base.AccessKeyID) // the renewed links inherit it
		}
		// Every session got inherits the time of the code behind it.
		var ids []string
		for ; i <= last; i++ {
			s, err := r.renew(ctx, f, i, base)
			if err != nil {
				return nil, err
			}
			r.got, ids, base = append(r.got, s), append(ids, s.AccessKeyID), s
		}
		r.d.State.SetMFA(r.mfaAt, now, ids...)
	}
	res.Session = base
	if len(r.got) == len(r.links) { // the first link was renewed: the keys signed
		res.Key = r.src.keys.AccessKeyID
	}
	res.setRegion(r.src, f, r.links[last].Target, r.region)
	return res, nil
}

// renew asks STS for link i's session. The first link's is signed with
// the source's long-term keys and sends the MFA device and a code; a
// later link's is signed with base, the session of the link before, and
// sends neither (it gets at most the role-chaining hour). A role is
// assumed, else GetSessionToken called.
func (r *renewal) renew(ctx context.Context, f *credfile.File, i int, base awscred.Session) (awscred.Session, error) {
	req := r.links[i]
	if i == 0 && req.Write {
		if err := guardLongTermKeys(f, req, false); err != nil {
			return awscred.Session{}, err
		}
	}
	region, endpoint, err := r.where(req)
	if err != nil {
		return awscred.Session{}, err
	}
	var serial, code *string
	by, mfa := " with the session in ["+req.Source+"]", ""
	done := func(rejected bool) {}
	if i == 0 {
		if req.Keyring != "" {
			// Checked as readSource checks a profile's keys.
			if r.src.keys, err = r.d.Keyring(req.Keyring); err != nil {
				return awscred.Session{}, err
			}
			if strings.HasPrefix(r.src.keys.AccessKeyID, "ASIA") {
				return awscred.Session{}, inputerr.Errorf("keyring item %s holds session credentials (%s); store the IAM user's long-term keys (AKIA…) there with aws-mfa setup --keyring", req.Keyring, MaskKey(r.src.keys.AccessKeyID))
			}
		}
		c, err := r.d.Token(r.src.serial)
		c, codeErr := stsparam.Code(c) // "" when no code came: err says why
		if err = cmp.Or(err, codeErr); err != nil {
			return awscred.Session{}, err
		}
		if done, err = r.d.State.Spend(r.src.serial, c, r.d.Now()); err != nil {
			return awscred.Session{}, err
		}
		r.mfaAt = r.d.Now()
		base, serial, code = awscred.Session{Keys: r.src.keys}, aws.String(r.src.serial), aws.String(c)
		by, mfa = "", " serial="+r.src.serial
	}
	secs := aws.Int32(int32(req.Duration / time.Second))
	op, action := "GetSessionToken", "GetSessionToken"
	if req.RoleARN != "" {
		op, action = "AssumeRole", "AssumeRole role="+req.RoleARN
	}
	if r.d.Log != nil {
		fmt.Fprintf(r.d.Log, "aws-mfa: %s%s key=%s%s duration=%ds region=%s endpoint=%s\n",
			action, by, MaskKey(base.AccessKeyID), mfa, *secs, region, stsparam.Redact(endpoint))
	}
	ctx, cancel := context.WithTimeout(ctx, req.Timeout)
	defer cancel()
	var client STS = NewSTS(base, region, req.Endpoint, req.Timeout)
	if r.d.NewSTS != nil {
		client = r.d.NewSTS(base, region, req.Endpoint)
	}
	var c *types.Credentials
	if req.RoleARN != "" {
		in := &sts.AssumeRoleInput{
			RoleArn:         aws.String(req.RoleARN),
			RoleSessionName: aws.String(cmp.Or(req.RoleSessionName, stsparam.RoleSessionName(r.src.serial))),
			SerialNumber:    serial,
			TokenCode:       code,
			DurationSeconds: secs,
			ExternalId:      Optional(req.ExternalID),
		}
		var out *sts.AssumeRoleOutput
		if out, err = client.AssumeRole(ctx, in); err == nil {
			c = out.Credentials
		}
	} else {
		var out *sts.GetSessionTokenOutput
		if out, err = client.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: serial, TokenCode: code, DurationSeconds: secs}); err == nil {
			c = out.Credentials
		}
	}
	// An error before the request left the machine (no connection was
	// made): AWS cannot have seen the code.
	var dial *net.OpError
	unsent := has[*net.DNSError](err) || errors.As(err, &dial) && (dial.Op == "dial" || dial.Op == "proxyconnect")
	if err != nil {
		err = ExplainError(err, Call{Service: "STS", Operation: op, Source: req.Source, Keyring: req.Keyring, Target: req.Target, Endpoint: endpoint,
			Timeout: req.Timeout, Code: i == 0, RoleARN: req.RoleARN, Duration: req.Duration})
	}
	done(unsent || errors.Is(err, ErrCodeRejected))
	s, serr := sessionFrom(c) // nil when STS failed: err says why
	if err = cmp.Or(err, serr); err != nil {
		return awscred.Session{}, err
	}
	return s, checkFresh(s, r.d.Now(), req, endpoint)
}

// where is the region STS is called in for req, and the endpoint that
// answers. The region is checked before anything is sent: a bad one would
// otherwise surface as an unreadable answer. The pair's region beats the
// source profile's, which beats the environment's.
func (r *renewal) where(req Request) (string, string, error) {
	region := cmp.Or(req.Region, r.src.region, req.EnvRegion, stsparam.DefaultRegion)
	if err := stsparam.CheckRegion(region); err != nil {
		switch region { // the first that is set; the default is valid
		case req.Region:
			return "", "", fmt.Errorf("the pair's region: %w", err)
		case r.src.region:
			return "", "", fmt.Errorf("region in [%s]: %w", r.links[0].Source, err)
		}
		return "", "", fmt.Errorf("AWS_REGION or AWS_DEFAULT_REGION: %w", err)
	}
	return region, stsparam.Endpoint(req.Endpoint, region), nil
}

// edit applies what run obtained to f, each target that may be written in
// chain order, and returns the new file, or nil when nothing is written.
func (r *renewal) edit(f *credfile.File) (out []byte, err error) {
	for k, s := range r.got {
		req := r.links[r.from+k]
		if !req.Write {
			continue
		}
		if err := guardLongTermKeys(f, req, r.from+k > 0); err != nil {
			return nil, err
		}
		// The region goes with the session, so that every tool using the
		// target profile has one: the pair's, else the source profile's,
		// but only where the target has none of its own in either file. A
		// region the user gave the target is never overridden.
		var also []credfile.KV
		own, known := r.src.targetRegion(f, req.Target)
		if region := cmp.Or(req.Region, r.src.region); region != "" && known && own == "" {
			also = append(also, credfile.KV{Key: "region", Value: region})
		}
		if out, err = f.SetSession(req.Target, s, also...); err != nil {
			return nil, err
		}
		if k < len(r.got)-1 { // the next link edits this result
			if f, err = credfile.Parse(out); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
