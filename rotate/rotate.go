// Package rotate replaces an IAM user's long-term access key with a new
// one through an MFA session, so that at every moment the place where the
// keys live holds a key AWS accepts. A journal in the state directory
// (no secret: key ids are hashed) lets the next run finish what a failed
// one began, without a third key and without losing the working one. It
// also keeps each key's creation date, which status and doctor show.
package rotate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
)

// Permissions are what the IAM user's policies must allow, with MFA, for
// aws-mfa rotate.
const Permissions = "iam:ListAccessKeys, iam:CreateAccessKey, iam:UpdateAccessKey and iam:DeleteAccessKey"

// IAM is the calls aws-mfa makes to IAM: an *iam.Client's methods.
// Not an interface: an *iam.Client converted to one keeps every one of
// IAM's 170 operations in the binary (text/template, which urfave/cli
// links, can call any method by name), a megabyte each start reads in.
type IAM struct {
	ListAccessKeys  func(context.Context, *iam.ListAccessKeysInput, ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error)
	CreateAccessKey func(context.Context, *iam.CreateAccessKeyInput, ...func(*iam.Options)) (*iam.CreateAccessKeyOutput, error)
	UpdateAccessKey func(context.Context, *iam.UpdateAccessKeyInput, ...func(*iam.Options)) (*iam.UpdateAccessKeyOutput, error)
	DeleteAccessKey func(context.Context, *iam.DeleteAccessKeyInput, ...func(*iam.Options)) (*iam.DeleteAccessKeyOutput, error)
	ListMFADevices  func(context.Context, *iam.ListMFADevicesInput, ...func(*iam.Options)) (*iam.ListMFADevicesOutput, error) // for setup
}

// STS is GetCallerIdentity, which needs no permission. *sts.Client
// satisfies it.
type STS interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// AWS builds the real clients. They never retry: a CreateAccessKey sent
// twice could make a key whose secret nobody gets.
type AWS struct {
	Source                 string // the profile whose credentials sign, for messages
	Region, STSURL, IAMURL string
	Timeout                time.Duration
}

// Clients returns IAM and STS clients signed with signer: long-term keys
// (no token), or a session.
func (a AWS) Clients(signer awscred.Session) (IAM, *sts.Client) {
	c := iam.New(iam.Options{Region: a.Region, Credentials: credentials.NewStaticCredentialsProvider(signer.AccessKeyID, signer.SecretAccessKey, signer.SessionToken),
		HTTPClient: exporter.NewHTTPClient(a.Timeout), Retryer: aws.NopRetryer{}, BaseEndpoint: exporter.Optional(a.IAMURL)})
	return IAM{c.ListAccessKeys, c.CreateAccessKey, c.UpdateAccessKey, c.DeleteAccessKey, c.ListMFADevices}, exporter.NewSTS(signer, a.Region, a.STSURL, a.Timeout)
}

// stsCall describes GetCallerIdentity, for error messages.
func stsCall(a AWS) exporter.Call {
	return exporter.Call{Service: "STS", Operation: "GetCallerIdentity", Source: a.Source, Endpoint: stsparam.Endpoint(a.STSURL, a.Region), Timeout: a.Timeout}
}

// Input says which key to rotate, and where it lives.
type Input struct {
	Place    string // the place's name in the state (see Place)
	Where    string // the place for people: "[aws-mfa] in ~/.aws/credentials"
	Current  string // the access key id the place holds now
	StateDir string
	Verify   time.Duration // how long IAM may take to accept a new key
	AWS      AWS           // where a new key is checked; the endpoints for messages
}

// Deps are rotation's side effects.
type Deps struct {
	IAM     IAM // signed with the MFA session
	Session STS // signed with the MFA session
	// Put replaces the key old in the place with k, under its lock, and
	// checks what it wrote.
	Put func(ctx context.Context, old string, k awscred.Keys) error
	// Get reads what the place holds now.
	Get    func(context.Context) (awscred.Keys, error)
	Writer credfile.Writer // for the state file
	Now    func() time.Time
	After  func(time.Duration) <-chan time.Time // time.After: a wait between checks of a new key
	Log    io.Writer                            // a line per step done
}

// Result is what a rotation did.
type Result struct {
	User            string
	Key             string    // the key the place holds now
	Created         time.Time // its creation date
	Finished        bool      // it finished a rotation an earlier run began
	SessionRejected bool      // AWS no longer accepts the MFA session
}

type rotation struct {
	in   Input
	d    Deps
	user string
}

// Run rotates the key in.Current, or finishes a rotation of it that the
// journal says an earlier run began.
func Run(ctx context.Context, in Input, d Deps) (*Result, error) {
	user, err := Who(ctx, d.Session, in.AWS)
	if err != nil {
		return nil, fmt.Errorf("ask STS whose session this is: %w", err)
	}
	r := &rotation{in: in, d: d, user: user}
	list, err := d.IAM.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: &user})
	if err != nil {
		return nil, r.explain(err, "ListAccessKeys", "list the access keys of IAM user "+user)
	}
	cur, j := in.Current, Load(in.StateDir).Rotating[in.Place]
	res, found, otherID := &Result{User: user, Key: cur}, false, ""
	var otherCreated time.Time
	for _, k := range list.AccessKeyMetadata {
		if aws.ToString(k.AccessKeyId) == cur {
			found, res.Created = true, aws.ToTime(k.CreateDate)
		} else {
			otherID, otherCreated = aws.ToString(k.AccessKeyId), aws.ToTime(k.CreateDate)
		}
	}
	switch {
	case !found:
		return nil, inputerr.Errorf("%s holds %s, which is not an access key of IAM user %s; store one of the user's keys there first", in.Where, exporter.MaskKey(cur), user)
	case j.New == Hash(cur) && (otherID == "" || j.Old == Hash(otherID)):
		// The new key was checked, then stored: what is left is to
		// retire the old one.
		res.Finished = true
		if otherID != "" {
			if err := r.retire(ctx, otherID); err != nil {
				return nil, err
			}
		}
		return r.done(ctx, res)
	case otherID != "" && j.Old == Hash(cur) && (j.New == Hash(otherID) || j.New == "" && otherCreated.Sub(j.Started).Abs() <= exporter.MaxSkew):
		// A key an earlier run created and never stored (named by the
		// journal, or made when that run began, not hours later by hand):
		// its secret is gone for good, so it can only be deleted.
		if err := r.delete(ctx, otherID, "the unstored key of an interrupted rotation"); err != nil {
			return nil, err
		}
	case otherID != "":
		return nil, inputerr.Errorf("IAM user %s has two access keys, %s (in %s) and %s, and IAM allows no third: delete the one you do not use (IAM console > Users > %s > Security credentials, or aws iam delete-access-key --user-name %s --access-key-id with its id), then run aws-mfa rotate again",
			user, exporter.MaskKey(cur), in.Where, exporter.MaskKey(otherID), user, user)
	}
	began := Journal{Old: Hash(cur), Started: d.Now()}
	if err := r.journal(began); err != nil {
		return nil, err
	}
	out, err := d.IAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: &user})
	if err != nil {
		resp, isHTTP := errors.AsType[*awshttp.ResponseError](err)
		err = r.explain(err, "CreateAccessKey", "create a new access key")
		if isHTTP && resp.HTTPStatusCode()/100 == 4 {
			// IAM refused (4xx): it made no key, so the journal goes, lest
			// the next run take a key made meanwhile by hand for this run's.
			return nil, errors.Join(err, r.journal(Journal{}))
		}
		return nil, fmt.Errorf("%w; %s still holds %s, and aws-mfa rotate deletes any key this run made", err, in.Where, exporter.MaskKey(cur))
	}
	k := awscred.Keys{AccessKeyID: aws.ToString(out.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(out.AccessKey.SecretAccessKey)}
	res.Key, res.Created = k.AccessKeyID, aws.ToTime(out.AccessKey.CreateDate)
	began.New = Hash(k.AccessKeyID)
	if err := r.journal(began); err != nil {
		return nil, err
	}
	r.logf("created %s for IAM user %s", exporter.MaskKey(k.AccessKeyID), user)
	if err = r.accepted(ctx, k); err == nil {
		// A write that failed may have stored k all the same (a keyring
		// whose read-back timed out): what the place holds decides.
		if err = d.Put(ctx, cur, k); err != nil {
			held, gerr := d.Get(ctx)
			if gerr != nil {
				return nil, fmt.Errorf("%w; aws-mfa cannot tell whether %s holds the new key %s or still %s (%v): run aws-mfa rotate again, which keeps the one there and deletes the other", err, in.Where, exporter.MaskKey(k.AccessKeyID), exporter.MaskKey(cur), gerr)
			}
			if held == k {
				err = nil
			}
		}
	}
	if err != nil {
		// The new key is nowhere but here: it goes (or the next run
		// deletes it, and this one says why not), and the old one stays.
		if derr := r.delete(ctx, k.AccessKeyID, "the new key"); derr == nil {
			_ = r.journal(Journal{})
		} else {
			err = fmt.Errorf("%w; %v (aws-mfa rotate deletes it next time)", err, derr)
		}
		return nil, fmt.Errorf("%w; %s still holds %s", err, in.Where, exporter.MaskKey(cur))
	}
	r.logf("stored %s in %s", exporter.MaskKey(k.AccessKeyID), in.Where)
	if err := r.retire(ctx, cur); err != nil {
		return nil, fmt.Errorf("%w; %s holds the new key %s: run aws-mfa rotate again to finish", err, in.Where, exporter.MaskKey(k.AccessKeyID))
	}
	return r.done(ctx, res)
}

// done forgets the journal, records the key's age and checks the session.
func (r *rotation) done(ctx context.Context, res *Result) (*Result, error) {
	err := edit(r.d.Writer, r.in.StateDir, func(s *State) {
		delete(s.Rotating, r.in.Place)
		s.Keys[r.in.Place] = Age{Key: Hash(res.Key), Created: res.Created}
	})
	_, serr := r.d.Session.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	_, res.SessionRejected = errors.AsType[smithy.APIError](serr)
	return res, err
}

// accepted waits for AWS to accept k, as IAM takes seconds to spread a
// new key. It is checked before it is stored: the place never holds a
// key AWS refuses.
func (r *rotation) accepted(ctx context.Context, k awscred.Keys) error {
	deadline := r.d.Now().Add(r.in.Verify)
	_, s := r.in.AWS.Clients(awscred.Session{Keys: k})
	for {
		switch _, err := s.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); {
		case err == nil:
			return nil
		case ctx.Err() != nil || r.d.Now().After(deadline):
			return fmt.Errorf("AWS did not accept the new key %s within %s: %w", exporter.MaskKey(k.AccessKeyID), r.in.Verify, exporter.ExplainError(err, stsCall(r.in.AWS)))
		}
		select {
		case <-ctx.Done():
		case <-r.d.After(time.Second):
		}
	}
}

// retire deactivates the key id, then deletes it.
func (r *rotation) retire(ctx context.Context, id string) error {
	if _, err := r.d.IAM.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: &r.user, AccessKeyId: &id, Status: types.StatusTypeInactive}); err != nil {
		return r.explain(err, "UpdateAccessKey", "deactivate the old key "+exporter.MaskKey(id))
	}
	return r.delete(ctx, id, "the old key")
}

// delete deletes the key id, what it is for people.
func (r *rotation) delete(ctx context.Context, id, what string) error {
	if _, err := r.d.IAM.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: &r.user, AccessKeyId: &id}); err != nil {
		return r.explain(err, "DeleteAccessKey", "delete "+what+" "+exporter.MaskKey(id))
	}
	r.logf("deleted %s %s", what, exporter.MaskKey(id))
	return nil
}

// explain explains the error of IAM's call op: what was being done, and
// IAM's own reason (a missing iam:CreateAccessKey says so).
func (r *rotation) explain(err error, op, doing string) error {
	a := r.in.AWS
	return fmt.Errorf("%s: %w", doing, exporter.ExplainError(err, exporter.Call{Service: "IAM", Operation: op, Source: a.Source, Endpoint: cmp.Or(a.IAMURL, "https://iam.amazonaws.com"), Timeout: a.Timeout}))
}

// journal records j as the rotation under way; an empty one, none.
func (r *rotation) journal(j Journal) error {
	return edit(r.d.Writer, r.in.StateDir, func(s *State) {
		s.Rotating[r.in.Place] = j
		if j == (Journal{}) {
			delete(s.Rotating, r.in.Place)
		}
	})
}

func (r *rotation) logf(format string, a ...any) { fmt.Fprintf(r.d.Log, "aws-mfa: "+format+"\n", a...) }

// Who is the IAM user whose credentials sign calls to s (a session's
// user, for one got with GetSessionToken): IAM calls signed with a
// session must name it.
func Who(ctx context.Context, s STS, a AWS) (string, error) {
	out, err := s.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", exporter.ExplainError(err, stsCall(a))
	}
	arn := aws.ToString(out.Arn)
	_, user, ok := strings.Cut(arn, ":user/")
	if !ok {
		return "", inputerr.Errorf("the credentials belong to %s, not an IAM user; aws-mfa needs an IAM user's long-term keys, or a session got with them", arn)
	}
	// The name is printed and sent to IAM: one IAM would never give (a
	// terminal escape from a hostile endpoint) goes no further.
	if user = user[strings.LastIndex(user, "/")+1:]; !userName.MatchString(user) || len(user) > 64 {
		return "", fmt.Errorf("STS named the IAM user %q, which is no IAM user name; check --endpoint-url", user)
	}
	return user, nil
}

// userName is what IAM allows in a user's name, of at most 64 bytes.
var userName = regexp.MustCompile(`^[\w+=,.@-]+$`)
