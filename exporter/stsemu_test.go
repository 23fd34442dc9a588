package exporter

// The STS emulator's own tests live here, beside the STS client they
// drive: internal/testkit/stsemu links the SDK's signer only, and a test
// binary of its own would link the SDK's STS client once more.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
)

func emuClient(url, id, secret, token string) *sts.Client {
	return sts.New(sts.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(id, secret, token),
	})
}

func emuCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode() + ": " + api.ErrorMessage()
	}
	return ""
}

// TestEmulatorSessionCredentials: the emulator accepts the sessions it issued for
// AssumeRole, as STS does, with STS's rules for them.
func TestEmulatorSessionCredentials(t *testing.T) {
	t.Parallel()
	s := stsemu.Start(alice)
	defer s.Close()
	ctx := context.Background()
	out, err := emuClient(s.URL, alice.AccessKeyID, alice.SecretAccessKey, "").GetSessionToken(ctx, &sts.GetSessionTokenInput{
		SerialNumber: aws.String(alice.Serial), TokenCode: aws.String(alice.Code)})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	sess := emuClient(s.URL, *c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)
	role := func(secs int32) *sts.AssumeRoleInput {
		return &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/r"), RoleSessionName: aws.String("s"), DurationSeconds: aws.Int32(secs)}
	}
	chained, err := sess.AssumeRole(ctx, role(3600))
	if err != nil {
		t.Fatalf("AssumeRole with the session, no code: %v", err)
	}
	if calls := s.Calls(); calls[1].Key != *c.AccessKeyId {
		t.Errorf("call signed by %s", calls[1].Key)
	}
	// Role to role.
	rc := chained.Credentials
	if _, err := emuClient(s.URL, *rc.AccessKeyId, *rc.SecretAccessKey, *rc.SessionToken).AssumeRole(ctx, role(900)); err != nil {
		t.Errorf("role to role: %v", err)
	}
	for name, tc := range map[string]struct {
		call func() error
		want string
	}{
		"chained over 1h": {func() error { _, err := sess.AssumeRole(ctx, role(3601)); return err },
			"ValidationError: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."},
		"GetSessionToken with a session": {func() error { _, err := sess.GetSessionToken(ctx, &sts.GetSessionTokenInput{}); return err },
			"AccessDenied: Cannot call GetSessionToken with session credentials"},
		"wrong token": {func() error {
			_, err := emuClient(s.URL, *c.AccessKeyId, *c.SecretAccessKey, "forged").AssumeRole(ctx, role(900))
			return err
		}, "InvalidClientTokenId"},
		"wrong secret": {func() error {
			_, err := emuClient(s.URL, *c.AccessKeyId, "wrong", *c.SessionToken).AssumeRole(ctx, role(900))
			return err
		}, "SignatureDoesNotMatch"},
		"long-term keys over 1h are fine": {func() error {
			_, err := emuClient(s.URL, alice.AccessKeyID, alice.SecretAccessKey, "").AssumeRole(ctx, &sts.AssumeRoleInput{
				RoleArn: aws.String("arn:aws:iam::210987654321:role/r"), RoleSessionName: aws.String("s"), DurationSeconds: aws.Int32(7200),
				SerialNumber: aws.String(alice.Serial), TokenCode: aws.String(alice.Code)})
			return err
		}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.call()
			if got := emuCode(err); tc.want == "" && err != nil || !strings.HasPrefix(got, tc.want) {
				t.Errorf("got %q (%v), want %q", got, err, tc.want)
			}
		})
	}
	// Expired sessions are refused.
	s.SetNow(func() time.Time { return time.Now().Add(13 * time.Hour) })
	if _, err := sess.AssumeRole(ctx, role(900)); !strings.HasPrefix(emuCode(err), "ExpiredToken") {
		t.Errorf("expired session: %v", err)
	}
}

// TestEmulatorAccept: a session another STS issued is taken with its own secret
// and token until it expires, and the call names the key that signed it.
func TestEmulatorAccept(t *testing.T) {
	t.Parallel()
	s := stsemu.Start()
	defer s.Close()
	ctx := context.Background()
	const id, secret, token = "ASIAMOTOSESSION00001", "moto/secret", "FQoGZXIvYXdzEmoto"
	s.Accept(alice, id, secret, token, time.Now().Add(time.Hour))
	if _, err := emuClient(s.URL, id, secret, token).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("accepted session: %v", err)
	}
	if calls := s.Calls(); len(calls) != 1 || calls[0].Action != "GetCallerIdentity" || calls[0].Key != id || calls[0].Region != "us-east-1" {
		t.Errorf("calls %+v", calls)
	}
	for _, tc := range []struct{ secret, token, want string }{
		{secret, "forged", "InvalidClientTokenId"},
		{"wrong", token, "SignatureDoesNotMatch"},
		{secret, "", "InvalidClientTokenId"},
	} {
		if _, err := emuClient(s.URL, id, tc.secret, tc.token).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); !strings.HasPrefix(emuCode(err), tc.want) {
			t.Errorf("secret %q token %q: %v, want %s", tc.secret, tc.token, err, tc.want)
		}
	}
	s.Accept(alice, id, secret, token, time.Now().Add(-time.Second))
	if _, err := emuClient(s.URL, id, secret, token).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); !strings.HasPrefix(emuCode(err), "ExpiredToken") {
		t.Errorf("expired: %v", err)
	}
}
