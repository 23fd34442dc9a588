package exporter

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
	"github.com/aws-mfa/aws-mfa/shells"
)

// STS is the two calls aws-mfa makes to AWS. *sts.Client satisfies it.
type STS interface {
	GetSessionToken(ctx context.Context, in *sts.GetSessionTokenInput, opts ...func(*sts.Options)) (*sts.GetSessionTokenOutput, error)
	AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, opts ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
}

// NewSTS builds an STS client that signs with signer and nothing else:
// no default credential chain, no environment, no shared config. signer
// is long-term keys (no token), or a session for a chained link. An empty
// endpoint means the regional endpoint for region.
//
// It never retries: every request it makes carries a one-time MFA code,
// and the SDK's retryer would send the same code again after throttling,
// a 5xx or a reset connection, when AWS may already have used it; the
// second answer would then be "wrong code" for a code that was right.
func NewSTS(signer awscred.Session, region, endpoint string, timeout time.Duration) *sts.Client {
	return sts.New(sts.Options{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider(signer.AccessKeyID, signer.SecretAccessKey, signer.SessionToken),
		HTTPClient:   NewHTTPClient(timeout),
		Retryer:      aws.NopRetryer{},
		BaseEndpoint: Optional(endpoint),
	})
}

// Optional is s for an optional field of an SDK call or client: nil,
// which leaves the field out, when s is empty.
func Optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// MaxBody bounds each HTTP response body read from STS or IAM. Their
// answers are a few KiB; anything near this size is not theirs.
const MaxBody = 1 << 20

// NewHTTPClient is the SDK's HTTP client bounded in time and size: the
// whole exchange, body included, within timeout, and each response body
// to MaxBody bytes, so that a wrong or hostile endpoint can neither hang
// aws-mfa nor fill its memory.
func NewHTTPClient(timeout time.Duration) aws.HTTPClient {
	return boundedClient{awshttp.NewBuildableClient().WithTimeout(timeout)}
}

type boundedClient struct{ next aws.HTTPClient }

func (c boundedClient) Do(req *http.Request) (*http.Response, error) {
	// The SDK closes the request's body as soon as the answer's headers
	// arrive, while net/http may still be reading it; net/http then
	// closes the connection under the answer being read. A form of a few
	// hundred bytes is cheap to give net/http a copy of.
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(io.LimitReader(req.Body, MaxBody))
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, err := c.next.Do(req)
	if err != nil || resp.Body == nil {
		return resp, err
	}
	resp.Body = http.MaxBytesReader(nil, resp.Body, MaxBody)
	return resp, nil
}

// Call names an AWS call, for ExplainError's messages.
type Call struct {
	Service   string        // "STS" or "IAM"
	Operation string        // "GetSessionToken", "ListMFADevices", …
	Source    string        // the profile whose keys signed it
	Keyring   string        // the keyring item those keys came from, if any
	Endpoint  string        // where it went; printed without user:password@
	Timeout   time.Duration // the bound it ran within
	// Code says it carried a one-time MFA code. An AssumeRole without one
	// is signed with the session in Source, to get one for Target: role
	// chaining, where an error speaks of that session, not of keys.
	Code     bool
	Target   string
	RoleARN  string        // AssumeRole's role
	Duration time.Duration // the session length asked for
}

// ExplainError turns what the SDK returned for an STS or IAM call made
// with the source profile's keys into one line that says what happened,
// in whose words, and what to do next.
func ExplainError(err error, c Call) error {
	at := c.Service + " at " + stsparam.Redact(c.Endpoint)
	nextCode := map[bool]string{true: " with the next code (this one may have been used)"}[c.Code]
	status := 0
	if resp, ok := errors.AsType[*awshttp.ResponseError](err); ok {
		status = resp.HTTPStatusCode()
	}
	if api, ok := errors.AsType[smithy.APIError](err); ok {
		return apiError(api, status, c, at, nextCode)
	}
	var tooBig *http.MaxBytesError
	var opErr *net.OpError
	var timeout interface{ Timeout() bool }
	switch {
	case errors.As(err, &tooBig):
		return fmt.Errorf("%s sent an answer over %d KiB, which %s never does; check --endpoint-url", at, tooBig.Limit>>10, c.Service)
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted")
	case has[*net.DNSError](err):
		return fmt.Errorf("cannot connect to %s: its host name does not resolve; check the endpoint URL, region, your network or DNS", at)
	case errors.As(err, &opErr) && opErr.Op == "proxyconnect":
		// The proxy's URL may carry a password: it is not shown.
		return fmt.Errorf("cannot connect to the proxy for %s (%s); check HTTPS_PROXY, HTTP_PROXY and NO_PROXY", at, dialReason(opErr))
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return fmt.Errorf("cannot connect to %s (%s); check your network, proxy or --endpoint-url", at, dialReason(opErr))
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &timeout) && timeout.Timeout():
		return fmt.Errorf("no complete answer from %s within %s; check your network, proxy or --endpoint-url, or raise --timeout, then run again%s", at, c.Timeout, nextCode)
	case has[tls.RecordHeaderError](err):
		return fmt.Errorf("%s does not speak TLS; for a local emulator use an http:// endpoint URL", at)
	case certReason(err) != "":
		return fmt.Errorf("the TLS certificate of %s is not trusted (%s); check --endpoint-url, or the proxy that presents it", at, certReason(err))
	case errors.As(err, &opErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return fmt.Errorf("%s closed the connection without a complete answer; check --endpoint-url and any proxy in between, then run again%s", at, nextCode)
	case status != 0:
		return fmt.Errorf("%s answered HTTP %d with a body aws-mfa cannot read; check --endpoint-url, or run again later", at, status)
	}
	return fmt.Errorf("%s sent an answer aws-mfa cannot read; check --endpoint-url, or run again later", at)
}

// apiError explains an error document that STS or IAM sent.
func apiError(api smithy.APIError, status int, c Call, at, nextCode string) error {
	code, msg := api.ErrorCode(), oneLine(api.ErrorMessage())
	switch chained := c.RoleARN != "" && !c.Code; {
	case chained && code == "ValidationError" && strings.Contains(msg, "DurationSeconds"):
		return fmt.Errorf("duration %s is more than AWS allows a role assumed with another session's credentials (role chaining: at most 1h), or than the role's MaxSessionDuration; use 1h or less", c.Duration)
	case chained && (code == "ExpiredToken" || code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch"):
		return fmt.Errorf("AWS refused the session in [%s] (%s) that signs the AssumeRole for [%s]; renew it with a code: %s", c.Source, code, c.Target, shells.Line("aws-mfa", "-p", c.Source, "--force"))
	case code == "AccessDenied" && strings.Contains(msg, "one time pass code"):
		return ErrCodeRejected
	case code == "AccessDenied" && (strings.Contains(msg, "serial number") || strings.Contains(msg, "unable to validate MFA")):
		return fmt.Errorf("MFA device not accepted: check mfa_serial for [%s]; it must be the ARN of the device assigned to this IAM user (IAM console > Security credentials)", c.Source)
	case code == "AccessDenied" && strings.Contains(msg, "session credentials"):
		return fmt.Errorf("[%s] holds session credentials; %s needs the IAM user's long-term keys (AKIA…) there", c.Source, c.Operation)
	case code == "RequestExpired" || code == "RequestTimeTooSkewed" || strings.Contains(msg, "Signature expired"):
		return fmt.Errorf("%s refused the request's signing time (%s): this machine's clock is more than 15 minutes off; set it right (NTP) and run again", c.Service, code)
	case code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch":
		return fmt.Errorf("keys rejected by AWS (%s): check %s, or create a new access key in the IAM console", code, map[bool]string{false: "aws_access_key_id and aws_secret_access_key in [" + c.Source + "]", true: "the keys in keyring item " + c.Keyring}[c.Keyring != ""])
	case code == "ExpiredToken":
		return fmt.Errorf("AWS says the credentials in [%s] have expired (ExpiredToken); put the IAM user's long-term keys there", c.Source)
	case code == "Throttling" || code == "ThrottlingException" || code == "RequestLimitExceeded":
		return fmt.Errorf("%s is throttling requests (%s); wait a minute and run again%s", c.Service, code, nextCode)
	case code == "RegionDisabledException":
		return errors.New("STS is not enabled in this region for the account; set region in the source profile to an enabled region, or enable it in the IAM console")
	case code == "AccessDenied" && c.RoleARN != "":
		return fmt.Errorf("AssumeRole of %s denied: %s; check the role's trust policy and the user's sts:AssumeRole permission", c.RoleARN, msg)
	case code == "AccessDenied":
		return fmt.Errorf("access denied by %s %s: %s; check that the IAM user's policies allow %s:%s", c.Service, c.Operation, msg, strings.ToLower(c.Service), c.Operation)
	case code == "ValidationError" && c.RoleARN != "" && strings.Contains(msg, "DurationSeconds"):
		return fmt.Errorf("duration %s exceeds the role's MaxSessionDuration; choose a shorter duration for this pair", c.Duration)
	case status >= 500:
		return fmt.Errorf("%s failed on its side (HTTP %d, %s: %s); run again in a minute%s", at, status, code, msg, nextCode)
	}
	return fmt.Errorf("%s refused %s (%s: %s)", c.Service, c.Operation, code, msg)
}

// oneLine keeps a message from AWS (or whatever answers in its place) to
// one line of bounded length.
func oneLine(msg string) string {
	msg = strings.Join(strings.FieldsFunc(msg, func(r rune) bool { return r < ' ' || r == 0x7f }), " ")
	if r := []rune(msg); len(r) > 300 {
		msg = string(r[:300]) + "…"
	}
	return strings.TrimSpace(msg)
}

// certReason says why a TLS certificate was not trusted; "" when err is
// no certificate's.
func certReason(err error) string {
	var invalid x509.CertificateInvalidError
	switch {
	case has[x509.UnknownAuthorityError](err):
		return "signed by an unknown authority"
	case has[x509.HostnameError](err):
		return "issued for another host name"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "expired or not yet valid; check this machine's clock"
	case has[*tls.CertificateVerificationError](err), has[x509.CertificateInvalidError](err):
		return "verification failed"
	}
	return ""
}

// has reports whether err is, or wraps, an error of type T.
func has[T error](err error) bool {
	_, ok := errors.AsType[T](err)
	return ok
}

func dialReason(op *net.OpError) string {
	switch {
	case op.Timeout():
		return "no answer to connect within the timeout"
	case errors.Is(op, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(op, syscall.ENETUNREACH):
		return "network unreachable"
	case errors.Is(op, syscall.EHOSTUNREACH):
		return "host unreachable"
	}
	return "connection failed"
}

// ErrCodeRejected is STS refusing the code as wrong or already used; a
// prompt may ask for the next one.
var ErrCodeRejected = errors.New("MFA code rejected: wrong or already used; wait for the next code and run again")

// MaskKey shows enough of an access key id to recognise it and no more:
// AKIA…WXYZ. Only a value shaped like one (AKIA or ASIA, then 16
// upper-case letters or digits) shows its ends; anything else, such as a
// secret key pasted into the wrong line or a line running into the next,
// shows nothing.
func MaskKey(id string) string {
	if !keyID.MatchString(id) {
		return "…"
	}
	return id[:4] + "…" + id[len(id)-4:]
}

var keyID = regexp.MustCompile(`^A[KS]IA[A-Z0-9]{16}$`)
