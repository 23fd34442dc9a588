package exporter

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
)

var alice = stsemu.User{
	AccessKeyID:     "AKIAALICEEXAMPLE0001",
	SecretAccessKey: "alice/long+term/secret",
	Serial:          "arn:aws:iam::123456789012:mfa/alice",
	Code:            "314159",
}

const aliceFile = `# my keys
[aws-mfa]
aws_access_key_id = AKIAALICEEXAMPLE0001
aws_secret_access_key = alice/long+term/secret
mfa_serial = arn:aws:iam::123456789012:mfa/alice

[default]
aws_access_key_id = AKIAALICEEXAMPLE0001
aws_secret_access_key = alice/long+term/secret
aws_security_token = stale
region = eu-west-1
`

var now = time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)

type fixture struct {
	sts  *stsemu.Server
	path string
	req  Request
	deps Deps
	asks int
}

func setup(t testing.TB, content string) *fixture {
	t.Helper()
	fx := &fixture{sts: stsemu.Start(alice)}
	t.Cleanup(fx.sts.Close)
	// STS keeps the same time as this machine, unless a test skews it.
	fx.sts.SetNow(func() time.Time { return fx.deps.Now() })
	dir := t.TempDir()
	fx.path = filepath.Join(dir, "credentials")
	if err := os.WriteFile(fx.path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	fx.req = Request{
		Paths: credfile.Paths{Credentials: fx.path, Config: filepath.Join(dir, "config")},
		Pair: config.Pair{
			Source:   "aws-mfa",
			Target:   "default",
			Duration: 12 * time.Hour,
			Margin:   10 * time.Minute,
			Endpoint: fx.sts.URL,
			Write:    true,
		},
		Timeout: 5 * time.Second,
	}
	fx.deps = Deps{
		Now: func() time.Time { return now },
		Token: func(string) (string, error) {
			fx.asks++
			return "314159", nil
		},
	}
	return fx
}

func (fx *fixture) file(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(fx.path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestObtainWritesSessionAndKeepsTheRest(t *testing.T) {
	fx := setup(t, aliceFile)
	res, err := Obtain(context.Background(), fx.req, fx.deps)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Written || res.Cached || fx.sts.Requests() != 1 {
		t.Fatalf("written=%v cached=%v requests=%d", res.Written, res.Cached, fx.sts.Requests())
	}
	calls := fx.sts.Calls()
	p := calls[0].Params
	if calls[0].Action != "GetSessionToken" || p.Get("SerialNumber") != alice.Serial || p.Get("TokenCode") != alice.Code || p.Get("DurationSeconds") != "43200" {
		t.Fatalf("STS got %v", calls[0])
	}
	if calls[0].Region != "us-east-1" {
		t.Errorf("signed for region %s", calls[0].Region)
	}
	f, err := credfile.Parse([]byte(fx.file(t)))
	if err != nil {
		t.Fatal(err)
	}
	d := f.Section("default")
	if d.Get("aws_session_token") != res.SessionToken || d.Get("aws_access_key_id") != res.AccessKeyID || d.Has("aws_security_token") || d.Get("region") != "eu-west-1" {
		t.Fatalf("default is wrong:\n%s", f.Bytes())
	}
	if d.Get("expiration") != res.Expiration.Format(time.RFC3339) || !strings.HasSuffix(d.Get("expiration"), "Z") {
		t.Errorf("expiration = %q", d.Get("expiration"))
	}
	if !strings.HasPrefix(fx.file(t), "# my keys\n[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\n") {
		t.Errorf("the source profile changed:\n%s", fx.file(t))
	}
	st, _ := os.Stat(fx.path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}

	// Run again: the session is still valid, so no code and no request.
	again, err := Obtain(context.Background(), fx.req, fx.deps)
	if err != nil || !again.Cached || again.SessionToken != res.SessionToken {
		t.Fatalf("second run: %+v, %v", again, err)
	}
	if fx.sts.Requests() != 1 || fx.asks != 1 {
		t.Errorf("second run made %d requests and asked %d times", fx.sts.Requests()-1, fx.asks-1)
	}

	// Within the margin of expiry it refreshes; --force refreshes anyway.
	fx.deps.Now = func() time.Time { return res.Expiration.Add(-5 * time.Minute) }
	if r, err := Obtain(context.Background(), fx.req, fx.deps); err != nil || r.Cached {
		t.Fatalf("near expiry: %+v, %v", r, err)
	}
	fx.deps.Now = func() time.Time { return now }
	fx.req.Force = true
	if r, err := Obtain(context.Background(), fx.req, fx.deps); err != nil || r.Cached {
		t.Fatalf("forced: %+v, %v", r, err)
	}
	if fx.sts.Requests() != 3 {
		t.Errorf("requests = %d, want 3", fx.sts.Requests())
	}
}

func TestObtainReadsPythonAwsMfaExpiration(t *testing.T) {
	fx := setup(t, aliceFile+"[old]\naws_access_key_id = ASIAOLDSESSION000001\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2026-11-27 18:00:00\n")
	fx.req.Target = "old"
	res, err := Obtain(context.Background(), fx.req, fx.deps)
	if err != nil || !res.Cached || !res.Expiration.Equal(time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC)) {
		t.Fatalf("%+v, %v", res, err)
	}
}

// hangTimeout is the timeout of a test that waits for it to fire, on an
// STS that hangs or trickles: long enough for the request to arrive (the
// tests count it), and no longer, as the wait holds a -parallel slot. A
// test that expects an answer keeps the fixture's 5 s, so that a loaded
// machine does not fail it.
const hangTimeout = 100 * time.Millisecond

func TestObtainFailuresLeaveTheFileAlone(t *testing.T) {
	t.Parallel() // its own files and emulators
	cases := []struct {
		name    string
		content string
		fault   stsemu.Fault
		change  func(*fixture)
		input   bool // exit 2 rather than 1
		want    string
	}{
		{name: "wrong code", fault: stsemu.WrongCode, want: "MFA code rejected: wrong or already used; wait for the next code"},
		{name: "code from emulator", change: func(fx *fixture) {
			fx.deps.Token = func(string) (string, error) { return "654321", nil }
		}, want: "MFA code rejected"},
		{name: "wrong secret", content: strings.ReplaceAll(aliceFile, "alice/long+term/secret", "wrong"), want: "keys rejected by AWS (SignatureDoesNotMatch)"},
		{name: "unknown key", content: strings.ReplaceAll(aliceFile, "AKIAALICEEXAMPLE0001", "AKIAUNKNOWNEXAMPLE01"), want: "keys rejected by AWS (InvalidClientTokenId)"},
		{name: "wrong serial", content: strings.Replace(aliceFile, "mfa/alice", "mfa/bob", 1), want: "MFA device not accepted: check mfa_serial for [aws-mfa]; it must be the ARN of the device assigned to this IAM user (IAM console > Security credentials)"},
		{name: "expired", fault: stsemu.ExpiredToken, want: "(ExpiredToken)"},
		{name: "session creds remote", fault: stsemu.SessionCreds, want: "[aws-mfa] holds session credentials"},
		{name: "throttled", fault: stsemu.Throttling, want: "STS is throttling requests"},
		{name: "clock skew", fault: stsemu.ClockSkew, want: "STS refused the request's signing time (SignatureDoesNotMatch): this machine's clock is more than 15 minutes off"},
		{name: "region disabled", fault: stsemu.RegionRefused, want: "STS is not enabled in this region"},
		{name: "server error", fault: stsemu.ServerError, want: "failed on its side (HTTP 500, InternalFailure: We encountered an internal error. Please try again.); run again in a minute with the next code"},
		{name: "garbage", fault: stsemu.Garbage, want: "aws-mfa cannot read; check --endpoint-url"},
		{name: "reset", fault: stsemu.Reset, want: "closed the connection without a complete answer; check --endpoint-url and any proxy in between, then run again with the next code"},
		{name: "closed", fault: stsemu.Close, want: "closed the connection without a complete answer"},
		{name: "hang", fault: stsemu.Hang, change: func(fx *fixture) { fx.req.Timeout = hangTimeout }, want: "no complete answer from STS at"},
		{name: "trickle", fault: stsemu.Trickle, change: func(fx *fixture) { fx.req.Timeout = hangTimeout }, want: "no complete answer from STS at"},
		{name: "huge", fault: stsemu.Huge, want: "sent an answer over 1024 KiB, which STS never does; check --endpoint-url"},
		{name: "huge error", fault: stsemu.HugeError, want: "sent an answer over 1024 KiB"},
		{name: "closed port", change: func(fx *fixture) { fx.req.Endpoint = "http://127.0.0.1:1" }, want: "cannot connect to STS at http://127.0.0.1:1 (connection refused); check"},
		{name: "bad code", change: func(fx *fixture) {
			fx.deps.Token = func(string) (string, error) { return "12345a", nil }
		}, input: true, want: "MFA code must be exactly six digits"},
		{name: "no source", content: "[default]\nregion = x\n", input: true, want: "no [aws-mfa] profile in"},
		{name: "no serial", content: strings.Replace(aliceFile, "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n", "", 1), input: true, want: "no mfa_serial for [aws-mfa]: add a line"},
		{name: "bad serial", content: strings.Replace(aliceFile, "arn:aws:iam::123456789012:mfa/alice", "my phone", 1), input: true, want: "[aws-mfa]: mfa_serial is 8 characters long"},
		{name: "short account in serial", content: strings.Replace(aliceFile, "123456789012:mfa/alice", "12345:mfa/alice", 1), input: true, want: "[aws-mfa]: mfa_serial has an account id of 5 characters"},
		{name: "region with spaces in profile", content: strings.Replace(aliceFile, "mfa_serial", "region = eu west 1\nmfa_serial", 1), input: true, want: "region in [aws-mfa]: region has a space at character 3"},
		{name: "region with spaces in pair", change: func(fx *fixture) { fx.req.Region = "eu west 1" }, input: true, want: "the pair's region: region has a space"},
		{name: "region with a slash in env", change: func(fx *fixture) { fx.req.EnvRegion = "eu-west-1/x" }, input: true, want: "AWS_REGION or AWS_DEFAULT_REGION: region has '/'"},
		{name: "no keys", content: "[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n", input: true, want: "lacks aws_access_key_id or aws_secret_access_key"},
		{name: "session creds local", content: strings.Replace(strings.Replace(aliceFile, "mfa_serial", "aws_session_token = x\nmfa_serial", 1), "AKIAALICE", "ASIAALICE", 1), input: true, want: "[aws-mfa] in"},
		{name: "bad target name", change: func(fx *fixture) { fx.req.Target = "[x" }, input: true, want: `target: invalid profile name: "[x" contains [, ], # or ;`},
		{name: "empty source name", change: func(fx *fixture) { fx.req.Source = "" }, input: true, want: "source: invalid profile name: empty"},
		{name: "same profile", change: func(fx *fixture) { fx.req.Target = "aws-mfa" }, input: true, want: "source and target are both [aws-mfa]"},
		{name: "bad duration", change: func(fx *fixture) { fx.req.Duration = 37 * time.Hour }, input: true, want: "outside what STS allows (15m to 36h)"},
		{name: "only copy of keys", content: strings.Replace(aliceFile, "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001", "[default]\naws_access_key_id = AKIAOTHEREXAMPLE0001", 1), input: true, want: "[default] holds long-term keys (AKIA…0001) found in no other profile"},
		{name: "duplicate section", content: aliceFile + "[default]\n", input: true, want: "section [default] appears twice"},
		{name: "role_arn in the target", content: strings.Replace(aliceFile, "[default]\n", "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\n", 1), input: true, want: "[default] sets role_arn, which the AWS CLI and SDKs use instead of the keys in [default]"},
		{name: "sso from [DEFAULT]", content: "[DEFAULT]\nSSO_Account_Id = 123456789012\n" + aliceFile, input: true, want: "[DEFAULT] sets sso_account_id"},
		{name: "web identity in the config", change: func(fx *fixture) {
			fx.req.Paths.Config = filepath.Join(filepath.Dir(fx.req.Paths.Credentials), "config")
			os.WriteFile(fx.req.Paths.Config, []byte("[profile  \"default\"]\nweb_identity_token_file = /t\n"), 0o600)
		}, input: true, want: "in the config file sets web_identity_token_file"},
		{name: "bom", content: "\ufeff" + aliceFile, input: true, want: "byte order mark"},
		{name: "missing file", change: func(fx *fixture) { fx.req.Paths.Credentials += ".missing" }, input: true, want: "no credentials file at"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			content := tc.content
			if content == "" {
				content = aliceFile
			}
			fx := setup(t, content)
			fx.sts.SetFault(tc.fault)
			if tc.change != nil {
				tc.change(fx)
			}
			_, err := Obtain(context.Background(), fx.req, fx.deps)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if errors.Is(err, inputerr.Err) != tc.input {
				t.Errorf("input error = %v, want %v", errors.Is(err, inputerr.Err), tc.input)
			}
			if tc.input && fx.sts.Requests() != 0 {
				t.Errorf("bad input, yet %d requests went to STS", fx.sts.Requests())
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			if strings.Count(err.Error(), "profile name") > 1 {
				t.Errorf("error repeats itself: %q", err)
			}
			for _, secret := range []string{alice.SecretAccessKey, alice.Code, "AKIAALICEEXAMPLE0001"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error shows a secret: %v", err)
				}
			}
			if got := fx.file(t); got != content {
				t.Errorf("file changed:\n%s", got)
			}
		})
	}
}

func TestObtainAllowsForcedOverwriteAndSerialFromConfig(t *testing.T) {
	content := strings.Replace(aliceFile, "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n", "", 1)
	content = strings.Replace(content, "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001", "[default]\naws_access_key_id = AKIAOTHEREXAMPLE0001", 1)
	fx := setup(t, content)
	cfg := "[profile aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = ap-southeast-2\n"
	if err := os.WriteFile(fx.req.Paths.Config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	fx.req.Force = true
	res, err := Obtain(context.Background(), fx.req, fx.deps)
	if err != nil {
		t.Fatal(err)
	}
	// STS is called in the source's region; [default] keeps its own.
	if res.Region != "eu-west-1" || !res.OwnRegion || fx.sts.Calls()[0].Region != "ap-southeast-2" {
		t.Errorf("region %q, signed for %q", res.Region, fx.sts.Calls()[0].Region)
	}
}

func TestObtainNoWriteAndVerboseHideSecrets(t *testing.T) {
	fx := setup(t, aliceFile)
	var log bytes.Buffer
	fx.deps.Log = &log
	fx.req.Write = false
	res, err := Obtain(context.Background(), fx.req, fx.deps)
	if err != nil || res.Written {
		t.Fatalf("%+v %v", res, err)
	}
	if fx.file(t) != aliceFile {
		t.Error("--no-write wrote")
	}
	if !strings.Contains(log.String(), "AKIA…0001") {
		t.Errorf("verbose log: %q", log.String())
	}
	for _, secret := range []string{alice.SecretAccessKey, alice.Code, alice.AccessKeyID, res.SecretAccessKey, res.SessionToken} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("verbose log shows %q", secret)
		}
	}
}

// fakeSTS answers GetSessionToken with fixed credentials.
type fakeSTS struct {
	STS
	creds *types.Credentials
}

func (f fakeSTS) GetSessionToken(context.Context, *sts.GetSessionTokenInput, ...func(*sts.Options)) (*sts.GetSessionTokenOutput, error) {
	return &sts.GetSessionTokenOutput{Credentials: f.creds}, nil
}

// TestObtainRefusesMalformedCredentials: whatever STS sends is checked
// before it reaches the file, where a line break would inject keys.
func TestObtainRefusesMalformedCredentials(t *testing.T) {
	exp := now.Add(time.Hour)
	for name, c := range map[string]*types.Credentials{
		"missing":       {AccessKeyId: aws.String("ASIAX"), SecretAccessKey: aws.String("s")},
		"line break":    {AccessKeyId: aws.String("ASIAX"), SecretAccessKey: aws.String("s"), SessionToken: aws.String("tok\n[aws-mfa]\naws_secret_access_key = evil"), Expiration: &exp},
		"space":         {AccessKeyId: aws.String("ASIA X"), SecretAccessKey: aws.String("s"), SessionToken: aws.String("t"), Expiration: &exp},
		"empty secret":  {AccessKeyId: aws.String("ASIAX"), SecretAccessKey: aws.String(""), SessionToken: aws.String("t"), Expiration: &exp},
		"control bytes": {AccessKeyId: aws.String("ASIAX"), SecretAccessKey: aws.String("s\x00"), SessionToken: aws.String("t"), Expiration: &exp},
	} {
		t.Run(name, func(t *testing.T) {
			fx := setup(t, aliceFile)
			fx.deps.NewSTS = func(awscred.Session, string, string) STS { return fakeSTS{creds: c} }
			if _, err := Obtain(context.Background(), fx.req, fx.deps); err == nil {
				t.Fatal("accepted")
			}
			if fx.file(t) != aliceFile {
				t.Error("file changed")
			}
		})
	}
}

// TestObtainRefusesAStaleSessionFromSTS: a session STS hands out already
// expired, or expiring within the refresh margin, or later than the
// duration asked allows (beyond MaxSkew: 2099, 9999), is never written over
// the one in the target (still valid here, refreshed with --force) nor
// handed out; the run fails (exit 1, not a usage error) and says why.
func TestObtainRefusesAStaleSessionFromSTS(t *testing.T) {
	t.Parallel() // its own files and emulators
	valid := "[default]\naws_access_key_id = ASIAVALIDSESSION0001\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2026-11-27T20:00:00Z\n"
	content := strings.Replace(aliceFile, "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\naws_security_token = stale\nregion = eu-west-1\n", valid, 1)
	for _, role := range []bool{false, true} {
		dur := 12 * time.Hour
		if role {
			dur = time.Hour
		}
		later := fmt.Sprintf("later than the %s asked for (and 15m0s of clock skew) allows; check --endpoint-url and the system clock; nothing was written", dur)
		for _, tc := range []struct {
			behind time.Duration // how far STS's clock is behind this machine's
			want   string        // "" for accepted
			at     time.Time     // STS's clock, when not now minus behind
		}{
			{0, "", time.Time{}},
			{-MaxSkew, "", time.Time{}},
			{-MaxSkew - time.Second, "expires at 2026-11-" + map[bool]string{false: "28T02:15:01Z", true: "27T15:15:01Z"}[role] + ", " + later, time.Time{}},
			{-3 * time.Hour, later, time.Time{}},
			{0, "expires at 2099-", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)},
			{0, "expires at 9999-", time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
			{dur - 11*time.Minute, "", time.Time{}},
			{dur - 10*time.Minute, "in 10m0s, within the refresh margin of 10m0s; check the system clock (clock skew)", time.Time{}},
			{dur - time.Minute, "in 1m0s, within the refresh margin", time.Time{}},
			{dur, "expired at 2026-11-27T14:00:00Z, 0s before this machine's clock; check the system clock (clock skew) and --endpoint-url; nothing was written", time.Time{}},
			{dur + 3*time.Hour, "3h0m0s before this machine's clock", time.Time{}},
			{10 * 24 * time.Hour, "before this machine's clock", time.Time{}},
		} {
			t.Run(fmt.Sprintf("role=%v/behind=%s/at=%d", role, tc.behind, tc.at.Year()), func(t *testing.T) {
				fx := setup(t, content)
				fx.sts.SetNow(func() time.Time { return cmp.Or(tc.at, now.Add(-tc.behind)) })
				fx.req.Force, fx.req.Duration = true, dur
				if role {
					fx.req.RoleARN = "arn:aws:iam::123456789012:role/admin"
				}
				for _, noWrite := range []bool{false, true} {
					fx.req.Write = !noWrite
					res, err := Obtain(context.Background(), fx.req, fx.deps)
					if tc.want == "" {
						if err != nil || res.Expiration.Sub(now) <= fx.req.Margin {
							t.Fatalf("%+v, %v", res, err)
						}
						return
					}
					if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "STS at "+fx.sts.URL) {
						t.Fatalf("err = %v\nwant %q", err, tc.want)
					}
					if errors.Is(err, inputerr.Err) {
						t.Error("a usage error (exit 2)")
					}
					if res != nil {
						t.Errorf("a result: %+v", res)
					}
					if got := fx.file(t); got != content {
						t.Fatalf("the valid session was replaced:\n%s", got)
					}
				}
			})
		}
	}
}

// TestObtainSendsTheCodeOnce: whatever goes wrong, a request carrying a
// one-time code goes out once; the SDK's retryer would send it up to 3
// times on throttling, 5xx and resets.
func TestObtainSendsTheCodeOnce(t *testing.T) {
	for _, role := range []bool{false, true} {
		for _, fault := range []stsemu.Fault{stsemu.Throttling, stsemu.ServerError, stsemu.Reset, stsemu.Close, stsemu.Garbage, stsemu.Hang, stsemu.Trickle, stsemu.WrongCode, stsemu.HugeError, stsemu.None} {
			t.Run(fmt.Sprintf("role=%v/%s", role, cmp.Or(string(fault), "none")), func(t *testing.T) {
				t.Parallel()
				fx := setup(t, aliceFile)
				fx.sts.SetFault(fault)
				if fault == stsemu.Hang || fault == stsemu.Trickle {
					fx.req.Timeout = hangTimeout
				}
				if role {
					fx.req.RoleARN, fx.req.Duration = "arn:aws:iam::123456789012:role/admin", time.Hour
				}
				_, err := Obtain(context.Background(), fx.req, fx.deps)
				if (err == nil) != (fault == stsemu.None) {
					t.Fatalf("err = %v", err)
				}
				if n := fx.sts.Requests(); n != 1 {
					t.Errorf("%d requests carried the code", n)
				}
			})
		}
	}
}

// TestObtainBoundsTheAnswer: an answer of 1 GB, a success or an error
// document, is cut off at MaxBody rather than read whole.
func TestObtainBoundsTheAnswer(t *testing.T) {
	for _, fault := range []stsemu.Fault{stsemu.Huge, stsemu.HugeError} {
		t.Run(string(fault), func(t *testing.T) {
			fx := setup(t, aliceFile)
			fx.sts.SetFault(fault)
			_, err := Obtain(context.Background(), fx.req, fx.deps)
			if err == nil || !strings.Contains(err.Error(), "STS at "+fx.sts.URL+" sent an answer over 1024 KiB") {
				t.Fatalf("err = %v", err)
			}
			// What the emulator got out before the client hung up: the
			// limit plus what the sockets buffer, far from 1 GB.
			if sent := fx.sts.BytesSent(); sent > 64<<20 {
				t.Errorf("the client read %d MiB", sent>>20)
			}
			if fx.file(t) != aliceFile {
				t.Error("file changed")
			}
		})
	}
}

// TestObtainNeverPrintsEndpointUserinfo: an endpoint's user:password@
// shows in no error and no --verbose line, whatever fails.
func TestObtainNeverPrintsEndpointUserinfo(t *testing.T) {
	for _, fault := range []stsemu.Fault{stsemu.None, stsemu.WrongCode, stsemu.Throttling, stsemu.ServerError, stsemu.Reset, stsemu.Close, stsemu.Garbage, stsemu.Hang, stsemu.Huge} {
		t.Run(cmp.Or(string(fault), "none"), func(t *testing.T) {
			t.Parallel()
			fx := setup(t, aliceFile)
			fx.sts.SetFault(fault)
			if fault == stsemu.Hang {
				fx.req.Timeout = hangTimeout
			}
			var log bytes.Buffer
			fx.deps.Log = &log
			fx.req.Endpoint = strings.Replace(fx.sts.URL, "http://", "http://Us3rName:Pa55Word@", 1)
			_, err := Obtain(context.Background(), fx.req, fx.deps)
			out := log.String()
			if err != nil {
				out += err.Error()
			}
			if !strings.Contains(out, fx.sts.URL) {
				t.Errorf("the endpoint is not shown at all: %q", out)
			}
			if strings.Contains(out, "Us3rName") || strings.Contains(out, "Pa55Word") {
				t.Errorf("userinfo shown: %q", out)
			}
		})
	}
	// A URL that does not parse is not shown at all: its userinfo could
	// not be cut out.
	fx := setup(t, aliceFile)
	fx.req.Endpoint = "http://Us3rName:Pa55Word@host:port"
	_, err := Obtain(context.Background(), fx.req, fx.deps)
	if err == nil || !errors.Is(err, inputerr.Err) || strings.Contains(err.Error(), "Pa55Word") || strings.Contains(err.Error(), "Us3rName") {
		t.Errorf("err = %v", err)
	}
}

// TestExplainErrorNamesTheService: the same AWS error reads differently
// for STS and IAM, and each names the call that failed.
func TestExplainErrorNamesTheService(t *testing.T) {
	denied := &smithy.GenericAPIError{Code: "AccessDenied", Message: "User: arn:aws:iam::123456789012:user/alice is not authorized\nto perform this action"}
	throttled := &smithy.GenericAPIError{Code: "Throttling", Message: "Rate exceeded"}
	for _, tc := range []struct {
		err  error
		call Call
		want string
	}{
		{denied, Call{Service: "IAM", Operation: "ListMFADevices"}, "access denied by IAM ListMFADevices: User: arn:aws:iam::123456789012:user/alice is not authorized to perform this action; check that the IAM user's policies allow iam:ListMFADevices"},
		{denied, Call{Service: "STS", Operation: "GetSessionToken"}, "access denied by STS GetSessionToken: "},
		{throttled, Call{Service: "IAM", Operation: "ListMFADevices"}, "IAM is throttling requests (Throttling); wait a minute and run again"},
		{throttled, Call{Service: "STS", Operation: "GetSessionToken", Code: true}, "STS is throttling requests (Throttling); wait a minute and run again with the next code"},
		{&smithy.GenericAPIError{Code: "Odd", Message: strings.Repeat("x", 400)}, Call{Service: "IAM", Operation: "ListMFADevices"}, "IAM refused ListMFADevices (Odd: " + strings.Repeat("x", 300) + "…)"},
	} {
		got := ExplainError(tc.err, tc.call).Error()
		if !strings.Contains(got, tc.want) {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
		if strings.Contains(got, "\n") {
			t.Errorf("spans lines: %q", got)
		}
	}
}

// TestExplainNetworkErrors: each way a connection fails, as the SDK wraps
// it, is named for what it is; nothing sent is never "maybe used".
func TestExplainNetworkErrors(t *testing.T) {
	wrap := func(err error) error {
		return &smithy.OperationError{ServiceID: "STS", OperationName: "GetSessionToken",
			Err: &smithyhttp.RequestSendError{Err: &url.Error{Op: "Post", URL: "http://u:Pa55@h/", Err: err}}}
	}
	timeout := &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{wrap(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), "cannot connect to STS at http://h (connection refused); check your network"},
		{wrap(timeout), "cannot connect to STS at http://h (no answer to connect within the timeout)"},
		{wrap(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "h", IsNotFound: true}}), "cannot connect to STS at http://h: its host name does not resolve"},
		{wrap(&net.OpError{Op: "proxyconnect", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), "cannot connect to the proxy for STS at http://h (connection refused); check HTTPS_PROXY"},
		{wrap(&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), "STS at http://h closed the connection without a complete answer; check --endpoint-url and any proxy in between, then run again with the next code (this one may have been used)"},
		{wrap(io.EOF), "closed the connection without a complete answer"},
		{wrap(&net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}), "no complete answer from STS at http://h within 15s; check your network, proxy or --endpoint-url, or raise --timeout, then run again with the next code"},
		{wrap(context.Canceled), "interrupted"},
		{wrap(x509.UnknownAuthorityError{}), "the TLS certificate of STS at http://h is not trusted (signed by an unknown authority)"},
		{wrap(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), "STS at http://h does not speak TLS"},
	} {
		got := ExplainError(tc.err, Call{Service: "STS", Operation: "GetSessionToken", Endpoint: "http://u:Pa55@h/", Timeout: 15 * time.Second, Code: true}).Error()
		if !strings.Contains(got, tc.want) {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
		if strings.Contains(got, "Pa55") || strings.Contains(got, "u:") {
			t.Errorf("userinfo shown: %s", got)
		}
	}
}

// TestKeysRejectedFromAKeyring: AWS refuses keys read from a keyring item:
// the message names the item, not the source profile, which holds none.
func TestKeysRejectedFromAKeyring(t *testing.T) {
	fx := setup(t, "[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n")
	fx.req.Keyring = "alice"
	fx.deps.Keyring = func(string) (awscred.Keys, error) {
		return awscred.Keys{AccessKeyID: "AKIAUNKNOWNEXAMPLE01", SecretAccessKey: "gone"}, nil
	}
	_, err := Obtain(context.Background(), fx.req, fx.deps)
	if err == nil || !strings.Contains(err.Error(), "keys rejected by AWS (InvalidClientTokenId): check the keys in keyring item alice") {
		t.Fatalf("err = %v", err)
	}
}
