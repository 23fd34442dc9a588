package exporter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

const prodRole = "arn:aws:iam::210987654321:role/admin"

// chained is a request for [target], chained from base.
func chained(fx *fixture, base *Request, target string) Request {
	r, b := fx.req, *base
	b.Bases = nil
	r.Target, r.Duration, r.Bases = target, time.Hour, append(slices.Clone(base.Bases), b)
	r.Source, r.RoleARN, r.Force = base.Target, prodRole, false
	return r
}

// realClock: the emulator stamps expirations from the real clock.
func realClock(fx *fixture) { fx.deps.Now = time.Now }

func section(t testing.TB, fx *fixture, name string) *credfile.Section {
	t.Helper()
	f, err := credfile.Parse([]byte(fx.file(t)))
	if err != nil {
		t.Fatal(err)
	}
	return f.Section(name)
}

// TestChainFromAValidBase: with the base's session valid, the chained pair
// is renewed by one AssumeRole signed with that session: no code, no
// SerialNumber or TokenCode sent, the base left alone, the target written.
func TestChainFromAValidBase(t *testing.T) {
	fx := setup(t, aliceFile)
	realClock(fx)
	base, err := Obtain(context.Background(), fx.req, fx.deps)
	if err != nil {
		t.Fatal(err)
	}
	before := section(t, fx, "default").Get("aws_session_token")
	prod := chained(fx, &fx.req, "prod")
	res, err := Obtain(context.Background(), prod, fx.deps)
	if err != nil {
		t.Fatal(err)
	}
	if fx.asks != 1 || fx.sts.Requests() != 2 {
		t.Fatalf("asked %d times, %d requests; want 1 and 2", fx.asks, fx.sts.Requests())
	}
	c := fx.sts.Calls()[1]
	if c.Action != "AssumeRole" || c.Key != base.AccessKeyID || c.Params.Get("TokenCode") != "" || c.Params.Get("SerialNumber") != "" ||
		c.Params.Get("DurationSeconds") != "3600" || c.Params.Get("RoleArn") != prodRole || c.Params.Get("RoleSessionName") != "alice@aws-mfa" {
		t.Fatalf("AssumeRole: key %s, %v", c.Key, c.Params)
	}
	if !res.Written || res.Cached || section(t, fx, "prod").Get("aws_session_token") != res.SessionToken {
		t.Fatalf("prod not written: %+v", res)
	}
	if section(t, fx, "default").Get("aws_session_token") != before {
		t.Error("the base was rewritten")
	}
	// And then it is served from the file.
	again, err := Obtain(context.Background(), prod, fx.deps)
	if err != nil || !again.Cached || fx.sts.Requests() != 2 {
		t.Fatalf("%+v %v, %d requests", again, err, fx.sts.Requests())
	}
}

// TestChainRenewsTheBaseFirst: a base that is missing, expired or within
// its margin costs one code and two STS calls, and both targets are written.
func TestChainRenewsTheBaseFirst(t *testing.T) {
	exp := func(d time.Duration) string {
		return "[default]\naws_access_key_id = ASIAOLD0000000000001\naws_secret_access_key = s\naws_session_token = old\nexpiration = " +
			time.Now().Add(d).UTC().Format(time.RFC3339) + "\n"
	}
	noDefault := strings.Split(aliceFile, "[default]")[0]
	for name, content := range map[string]string{
		"never obtained":  noDefault,
		"expired":         noDefault + exp(-time.Hour),
		"within margin":   noDefault + exp(5*time.Minute),
		"no expiration":   noDefault + "[default]\naws_access_key_id = ASIAOLD0000000000001\naws_secret_access_key = s\naws_session_token = old\n",
		"long-term there": aliceFile,
	} {
		t.Run(name, func(t *testing.T) {
			fx := setup(t, content)
			realClock(fx)
			res, err := Obtain(context.Background(), chained(fx, &fx.req, "prod"), fx.deps)
			if err != nil {
				t.Fatal(err)
			}
			calls := fx.sts.Calls()
			if fx.asks != 1 || len(calls) != 2 || calls[0].Action != "GetSessionToken" || calls[1].Action != "AssumeRole" {
				t.Fatalf("asked %d times, calls %v", fx.asks, calls)
			}
			def := section(t, fx, "default")
			if calls[1].Key != def.Get("aws_access_key_id") || def.Get("aws_session_token") == "old" || def.Has("aws_security_token") {
				t.Errorf("base not written, or AssumeRole not signed with it (key %s)", calls[1].Key)
			}
			if section(t, fx, "prod").Get("aws_session_token") != res.SessionToken || !res.Written {
				t.Error("prod not written")
			}
		})
	}
}

// TestLongerChains: role → role; a valid middle link saves the calls
// below it, and --force renews only the requested link.
func TestLongerChains(t *testing.T) {
	fx := setup(t, aliceFile)
	realClock(fx)
	mid := chained(fx, &fx.req, "mid")
	top := chained(fx, &mid, "top")
	if _, err := Obtain(context.Background(), top, fx.deps); err != nil {
		t.Fatal(err)
	}
	if got := actions(fx); got != "GetSessionToken AssumeRole AssumeRole" || fx.asks != 1 {
		t.Fatalf("calls %s, asks %d", got, fx.asks)
	}
	calls := fx.sts.Calls()
	if calls[2].Key != section(t, fx, "mid").Get("aws_access_key_id") || calls[2].Params.Get("RoleSessionName") != "alice@aws-mfa" {
		t.Errorf("top not signed with mid's session: %s", calls[2].Key)
	}
	top.Force = true
	if _, err := Obtain(context.Background(), top, fx.deps); err != nil {
		t.Fatal(err)
	}
	if got := actions(fx); got != "GetSessionToken AssumeRole AssumeRole AssumeRole" || fx.asks != 1 {
		t.Fatalf("forced: calls %s, asks %d", got, fx.asks)
	}
}

func actions(fx *fixture) string {
	var a []string
	for _, c := range fx.sts.Calls() {
		a = append(a, c.Action)
	}
	return strings.Join(a, " ")
}

// TestChainWithUnwrittenBase: write = false on the base keeps its session
// in memory for one run; the chained target is still written.
func TestChainWithUnwrittenBase(t *testing.T) {
	fx := setup(t, strings.Split(aliceFile, "[default]")[0])
	realClock(fx)
	base := fx.req
	base.Write = false
	prod := chained(fx, &base, "prod")
	if _, err := Obtain(context.Background(), prod, fx.deps); err != nil {
		t.Fatal(err)
	}
	if section(t, fx, "default") != nil || section(t, fx, "prod") == nil || fx.asks != 1 || actions(fx) != "GetSessionToken AssumeRole" {
		t.Fatalf("asks %d, calls %s, file:\n%s", fx.asks, actions(fx), fx.file(t))
	}
	// Both unwritten: the file is not touched at all.
	before := fx.file(t)
	prod.Write, prod.Force = false, true
	res, err := Obtain(context.Background(), prod, fx.deps)
	if err != nil || res.Written || fx.file(t) != before || fx.asks != 2 {
		t.Fatalf("%+v %v asks %d", res, err, fx.asks)
	}
}

// TestChainErrors: what a chained request refuses before any call, and
// what it says when STS refuses the chained call.
func TestChainErrors(t *testing.T) {
	t.Run("more than an hour", func(t *testing.T) {
		fx := setup(t, aliceFile)
		prod := chained(fx, &fx.req, "prod")
		prod.Duration = 2 * time.Hour
		_, err := Obtain(context.Background(), prod, fx.deps)
		if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), "role chaining: at most 1h") || fx.sts.Requests() != 0 || fx.asks != 0 {
			t.Fatalf("%v, %d requests, %d asks", err, fx.sts.Requests(), fx.asks)
		}
	})
	t.Run("cached with no valid base", func(t *testing.T) {
		fx := setup(t, aliceFile)
		prod := chained(fx, &fx.req, "prod")
		prod.Cached = true
		_, err := Obtain(context.Background(), prod, fx.deps)
		if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), "nor in [default], which it is chained from") || fx.asks != 0 || fx.sts.Requests() != 0 {
			t.Fatalf("%v", err)
		}
	})
	t.Run("cached with a valid base renews silently", func(t *testing.T) {
		fx := setup(t, aliceFile)
		realClock(fx)
		if _, err := Obtain(context.Background(), fx.req, fx.deps); err != nil {
			t.Fatal(err)
		}
		prod := chained(fx, &fx.req, "prod")
		prod.Cached = true
		if _, err := Obtain(context.Background(), prod, fx.deps); err != nil || fx.asks != 1 {
			t.Fatalf("%v, asks %d", err, fx.asks)
		}
	})
	t.Run("base session unknown to AWS", func(t *testing.T) {
		valid := "[default]\naws_access_key_id = ASIAFORGED0000000001\naws_secret_access_key = s\naws_session_token = t\nexpiration = " + time.Now().Add(5*time.Hour).UTC().Format(time.RFC3339) + "\n"
		fx := setup(t, strings.Split(aliceFile, "[default]")[0]+valid)
		realClock(fx)
		_, err := Obtain(context.Background(), chained(fx, &fx.req, "prod"), fx.deps)
		if err == nil || !strings.Contains(err.Error(), "AWS refused the session in [default] (InvalidClientTokenId) that signs the AssumeRole for [prod]; renew it with a code: aws-mfa -p default --force") {
			t.Fatalf("%v", err)
		}
		if strings.Contains(err.Error(), "ASIAFORGED0000000001") {
			t.Error("key in the message")
		}
	})
}

// TestConcurrentRenewalsAskOnce: several runs that find the session
// expired at once ask for one code between them; the others wait on the
// lock and take what the first wrote.
func TestConcurrentRenewalsAskOnce(t *testing.T) {
	t.Parallel() // its own files and emulators
	for _, name := range []string{"base", "chained"} {
		t.Run(name, func(t *testing.T) {
			fx := setup(t, strings.Split(aliceFile, "[default]")[0])
			realClock(fx)
			req := fx.req
			if name == "chained" {
				req = chained(fx, &fx.req, "prod")
			}
			var mu sync.Mutex
			asks := 0
			fx.deps.Token = func(string) (string, error) {
				mu.Lock()
				defer mu.Unlock()
				asks++
				return alice.Code, nil
			}
			const n = 8
			tokens := make([]string, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res, err := Obtain(context.Background(), req, fx.deps)
					errs[i] = err
					if err == nil {
						tokens[i] = res.SessionToken
					}
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil || tokens[i] != tokens[0] {
					t.Fatalf("run %d: %v (token differs: %v)", i, err, tokens[i] != tokens[0])
				}
			}
			if asks != 1 || fx.sts.Requests() != len(req.Bases)+1 {
				t.Fatalf("%d asks and %d requests for %d runs", asks, fx.sts.Requests(), n)
			}
		})
	}
}

// TestChainVerboseHidesSecrets: --verbose names the role, the profile
// whose session signs and its masked key, never a secret or token.
func TestChainVerboseHidesSecrets(t *testing.T) {
	fx := setup(t, aliceFile)
	realClock(fx)
	base, err := Obtain(context.Background(), fx.req, fx.deps)
	if err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	fx.deps.Log = &log
	res, err := Obtain(context.Background(), chained(fx, &fx.req, "prod"), fx.deps)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "AssumeRole role="+prodRole+" with the session in [default] key="+MaskKey(base.AccessKeyID)) {
		t.Errorf("verbose log: %q", log.String())
	}
	for _, secret := range []string{base.AccessKeyID, base.SecretAccessKey, base.SessionToken, res.SecretAccessKey, res.SessionToken, alice.SecretAccessKey} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("verbose log shows a secret")
		}
	}
}

// TestChainedExpiryIsItsOwn pins a documented choice: a chained session
// keeps the expiry STS gives it, past its base's, since AWS keeps a role
// session valid after the session that signed it has expired.
func TestChainedExpiryIsItsOwn(t *testing.T) {
	fx := setup(t, aliceFile)
	realClock(fx)
	fx.req.Duration = 30 * time.Minute
	base, err := Obtain(context.Background(), fx.req, fx.deps)
	if err != nil {
		t.Fatal(err)
	}
	prod, err := Obtain(context.Background(), chained(fx, &fx.req, "prod"), fx.deps)
	if err != nil {
		t.Fatal(err)
	}
	if !prod.Expiration.After(base.Expiration.Add(20 * time.Minute)) {
		t.Fatalf("chained session expires %v, base %v: want the role's own hour", prod.Expiration, base.Expiration)
	}
}

// signedSTS answers both calls with the same session and records, for
// each, who signed it and whether it sent an MFA device and code.
type signedSTS struct {
	signer awscred.Session
	calls  *[]string
}

func (f signedSTS) answer(what string, serial, code *string) *types.Credentials {
	*f.calls = append(*f.calls, fmt.Sprintf("%s by %s token=%q mfa=%t", what, f.signer.AccessKeyID, f.signer.SessionToken, serial != nil || code != nil))
	exp := now.Add(50 * time.Minute)
	return &types.Credentials{AccessKeyId: aws.String("ASIAFAKE"), SecretAccessKey: aws.String("s"), SessionToken: aws.String("fake-token"), Expiration: &exp}
}

func (f signedSTS) GetSessionToken(_ context.Context, in *sts.GetSessionTokenInput, _ ...func(*sts.Options)) (*sts.GetSessionTokenOutput, error) {
	return &sts.GetSessionTokenOutput{Credentials: f.answer("GetSessionToken", in.SerialNumber, in.TokenCode)}, nil
}

func (f signedSTS) AssumeRole(_ context.Context, in *sts.AssumeRoleInput, _ ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	return &sts.AssumeRoleOutput{Credentials: f.answer("AssumeRole "+*in.RoleArn, in.SerialNumber, in.TokenCode)}, nil
}

// TestEveryCallGoesThroughNewSTS: the chained AssumeRole is built by
// Deps.NewSTS like the first call, signed with the base's session (its
// token included) and with no MFA device or code, so a test fakes both
// the same way.
func TestEveryCallGoesThroughNewSTS(t *testing.T) {
	fx := setup(t, aliceFile)
	var calls []string
	fx.deps.NewSTS = func(signer awscred.Session, _, _ string) STS { return signedSTS{signer, &calls} }
	if _, err := Obtain(context.Background(), chained(fx, &fx.req, "prod"), fx.deps); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`GetSessionToken by ` + alice.AccessKeyID + ` token="" mfa=true`,
		`AssumeRole ` + prodRole + ` by ASIAFAKE token="fake-token" mfa=false`,
	}
	if !slices.Equal(calls, want) {
		t.Fatalf("calls:\n%s\nwant:\n%s", strings.Join(calls, "\n"), strings.Join(want, "\n"))
	}
}
