package exporter

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/stsemu"
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
	dir := t.TempDir()
	fx.path = filepath.Join(dir, "credentials")
	if err := os.WriteFile(fx.path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	fx.req = Request{
		Paths:    credfile.Paths{Credentials: fx.path, Config: filepath.Join(dir, "config")},
		Source:   "aws-mfa",
		Target:   "default",
		Duration: 12 * time.Hour,
		Margin:   10 * time.Minute,
		Endpoint: fx.sts.URL,
		Timeout:  5 * time.Second,
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
		t.Fatalf("default is %v", d.Keys())
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

func TestObtainFailuresLeaveTheFileAlone(t *testing.T) {
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
		{name: "wrong serial", content: strings.Replace(aliceFile, "mfa/alice", "mfa/bob", 1), want: "MFA device not accepted: check mfa_serial for [aws-mfa]"},
		{name: "expired", fault: stsemu.ExpiredToken, want: "(ExpiredToken)"},
		{name: "session creds remote", fault: stsemu.SessionCreds, want: "[aws-mfa] holds session credentials"},
		{name: "throttled", fault: stsemu.Throttling, want: "STS is throttling requests"},
		{name: "region disabled", fault: stsemu.RegionRefused, want: "STS is not enabled in this region"},
		{name: "server error", fault: stsemu.ServerError, want: "STS refused the request (InternalFailure"},
		{name: "garbage", fault: stsemu.Garbage, want: "aws-mfa cannot read; check --endpoint-url"},
		{name: "reset", fault: stsemu.Reset, want: "cannot reach STS at"},
		{name: "hang", fault: stsemu.Hang, change: func(fx *fixture) { fx.req.Timeout = 300 * time.Millisecond }, want: "no answer from STS at"},
		{name: "closed port", change: func(fx *fixture) { fx.req.Endpoint = "http://127.0.0.1:1" }, want: "cannot reach STS at http://127.0.0.1:1"},
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
		{name: "session creds local", content: strings.Replace(aliceFile, "mfa_serial", "aws_session_token = x\nmfa_serial", 1), input: true, want: "[aws-mfa] in"},
		{name: "same profile", change: func(fx *fixture) { fx.req.Target = "aws-mfa" }, input: true, want: "source and target are both [aws-mfa]"},
		{name: "bad duration", change: func(fx *fixture) { fx.req.Duration = 37 * time.Hour }, input: true, want: "outside what STS allows (15m to 36h)"},
		{name: "only copy of keys", content: strings.Replace(aliceFile, "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001", "[default]\naws_access_key_id = AKIAOTHEREXAMPLE0001", 1), input: true, want: "[default] holds long-term keys (AKIA…0001) found in no other profile"},
		{name: "duplicate section", content: aliceFile + "[default]\n", input: true, want: "section [default] appears twice"},
		{name: "bom", content: "\ufeff" + aliceFile, input: true, want: "byte order mark"},
		{name: "missing file", change: func(fx *fixture) { fx.req.Paths.Credentials += ".missing" }, input: true, want: "no credentials file at"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
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
			if errors.Is(err, ErrInput) != tc.input {
				t.Errorf("input error = %v, want %v", errors.Is(err, ErrInput), tc.input)
			}
			if tc.input && fx.sts.Requests() != 0 {
				t.Errorf("bad input, yet %d requests went to STS", fx.sts.Requests())
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
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
	if res.Region != "ap-southeast-2" || fx.sts.Calls()[0].Region != "ap-southeast-2" {
		t.Errorf("region %q, signed for %q", res.Region, fx.sts.Calls()[0].Region)
	}
}

func TestObtainNoWriteAndVerboseHideSecrets(t *testing.T) {
	fx := setup(t, aliceFile)
	var log bytes.Buffer
	fx.deps.Log = &log
	fx.req.NoWrite = true
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
			fx.deps.NewSTS = func(Keys, string, string) STS { return fakeSTS{creds: c} }
			if _, err := Obtain(context.Background(), fx.req, fx.deps); err == nil {
				t.Fatal("accepted")
			}
			if fx.file(t) != aliceFile {
				t.Error("file changed")
			}
		})
	}
}
