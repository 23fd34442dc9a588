package exporter

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// STS is the two calls aws-mfa makes to AWS. *sts.Client satisfies it.
type STS interface {
	GetSessionToken(ctx context.Context, in *sts.GetSessionTokenInput, opts ...func(*sts.Options)) (*sts.GetSessionTokenOutput, error)
	AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, opts ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
}

// Keys are a profile's long-term access keys.
type Keys struct{ AccessKeyID, SecretAccessKey string }

// NewSTS builds an STS client that signs with keys and nothing else: no
// default credential chain, no environment, no shared config. An empty
// endpoint means the regional endpoint for region.
func NewSTS(keys Keys, region, endpoint string, timeout time.Duration) STS {
	return newSTS(credentials.NewStaticCredentialsProvider(keys.AccessKeyID, keys.SecretAccessKey, ""), region, endpoint, timeout)
}

// sessionSTS is NewSTS signing with a session: a chained pair's base.
func sessionSTS(s Session, region, endpoint string, timeout time.Duration) STS {
	return newSTS(credentials.NewStaticCredentialsProvider(s.AccessKeyID, s.SecretAccessKey, s.SessionToken), region, endpoint, timeout)
}

func newSTS(creds aws.CredentialsProvider, region, endpoint string, timeout time.Duration) STS {
	opts := sts.Options{
		Region:      region,
		Credentials: creds,
		HTTPClient:  awshttp.NewBuildableClient().WithTimeout(timeout),
	}
	if endpoint != "" {
		opts.BaseEndpoint = aws.String(endpoint)
	}
	return sts.New(opts)
}

// ExplainError turns an error from an STS or IAM call made with the
// source profile's keys into one line that says what happened and what to
// do next.
func ExplainError(err error, req Request, endpoint string) error {
	return stsError(err, &req, endpoint)
}

// stsError turns what the SDK returned into one line that says what
// happened and what to do next.
func stsError(err error, req *Request, endpoint string) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		code, msg := api.ErrorCode(), api.ErrorMessage()
		switch {
		case code == "AccessDenied" && strings.Contains(msg, "one time pass code"):
			return errors.New("MFA code rejected: wrong or already used; wait for the next code and run again")
		case code == "AccessDenied" && strings.Contains(msg, "serial number"),
			code == "AccessDenied" && strings.Contains(msg, "unable to validate MFA"):
			return fmt.Errorf("MFA device not accepted: check mfa_serial for [%s]; it must be the ARN of the device assigned to this IAM user (IAM console > Security credentials)", req.Source)
		case code == "AccessDenied" && strings.Contains(msg, "session credentials"):
			return fmt.Errorf("[%s] holds session credentials; GetSessionToken needs the IAM user's long-term keys (AKIA…) there", req.Source)
		case code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch":
			return fmt.Errorf("keys rejected by AWS (%s): check aws_access_key_id and aws_secret_access_key in [%s], or create a new access key in the IAM console", code, req.Source)
		case code == "ExpiredToken":
			return fmt.Errorf("AWS says the credentials in [%s] have expired (ExpiredToken); put the IAM user's long-term keys there", req.Source)
		case code == "Throttling" || code == "ThrottlingException" || code == "RequestLimitExceeded":
			return errors.New("STS is throttling requests (Throttling); wait a minute and run again")
		case code == "RegionDisabledException":
			return errors.New("STS is not enabled in this region for the account; set region in the source profile to an enabled region, or enable it in the IAM console")
		case code == "AccessDenied" && req.RoleARN != "":
			return fmt.Errorf("AssumeRole of %s denied: %s; check the role's trust policy and the user's sts:AssumeRole permission", req.RoleARN, msg)
		case code == "AccessDenied":
			return fmt.Errorf("access denied by STS: %s; check the IAM user's policies", msg)
		case code == "ValidationError" && req.RoleARN != "" && strings.Contains(msg, "DurationSeconds"):
			return fmt.Errorf("duration %s exceeds the role's MaxSessionDuration; choose a shorter duration for this pair", req.Duration)
		default:
			return fmt.Errorf("STS refused the request (%s: %s)", code, msg)
		}
	}
	var opErr *net.OpError
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Errorf("no answer from STS at %s within %s; check your network, proxy or --endpoint-url, or raise --timeout", endpoint, req.Timeout)
	case errors.As(err, &dnsErr), errors.As(err, &opErr):
		return fmt.Errorf("cannot reach STS at %s; check your network, proxy or --endpoint-url", endpoint)
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted")
	}
	var resp *awshttp.ResponseError
	if errors.As(err, &resp) {
		return fmt.Errorf("STS at %s answered HTTP %d with a body aws-mfa cannot read; check --endpoint-url, or retry later", endpoint, resp.HTTPStatusCode())
	}
	return fmt.Errorf("STS at %s sent a response aws-mfa cannot read; check --endpoint-url, or retry later", endpoint)
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
