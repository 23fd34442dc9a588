package rotate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
)

var alice = stsemu.User{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/long+term/secret", Serial: "arn:aws:iam::123456789012:mfa/alice", Code: "314159"}

// place is where the keys live in these tests: what a keyring item or a
// profile holds, and how often it was written.
type place struct {
	mu     sync.Mutex
	keys   awscred.Keys
	fail   error // Put fails with it
	keep   bool  // Put fails, yet stores the keys (a read-back timed out)
	lost   error // reading the place fails with it
	writes int
}

func (p *place) held(context.Context) (awscred.Keys, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.keys, p.lost
}

func (p *place) put(_ context.Context, old string, k awscred.Keys) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		if p.keep {
			p.keys = k
		}
		return p.fail
	}
	if p.keys.AccessKeyID != old {
		return fmt.Errorf("the place changed")
	}
	p.keys, p.writes = k, p.writes+1
	return nil
}

func (p *place) get() awscred.Keys {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.keys
}

// fixture is an emulator, a session got from it with alice's key, the
// place holding her key and a state directory.
type fixture struct {
	t      *testing.T
	emu    *stsemu.Server
	place  *place
	dir    string
	a      AWS
	sess   awscred.Session
	most   int // the most keys IAM held at any request
	mostMu sync.Mutex
	ahead  atomic.Int64 // how far the clock of rotate and IAM is ahead of time.Now
}

// now is the clock rotate and the emulator share, which after moves on at
// once: a wait for IAM to accept a new key takes no time.
func (f *fixture) now() time.Time { return time.Now().Add(time.Duration(f.ahead.Load())) }

func (f *fixture) after(d time.Duration) <-chan time.Time {
	f.ahead.Add(int64(d))
	c := make(chan time.Time, 1)
	c <- f.now()
	return c
}

func newFixture(t *testing.T) *fixture {
	emu := stsemu.Start(alice)
	t.Cleanup(emu.Close)
	f := &fixture{t: t, emu: emu, place: &place{keys: awscred.Keys{AccessKeyID: alice.AccessKeyID, SecretAccessKey: alice.SecretAccessKey}}, dir: t.TempDir(),
		a: AWS{Region: "us-east-1", STSURL: emu.URL, IAMURL: emu.URL, Timeout: 5 * time.Second}}
	emu.SetNow(f.now)
	_, s := f.a.Clients(awscred.Session{Keys: awscred.Keys{AccessKeyID: alice.AccessKeyID, SecretAccessKey: alice.SecretAccessKey}})
	out, err := s.GetSessionToken(context.Background(), &sts.GetSessionTokenInput{SerialNumber: aws.String(alice.Serial), TokenCode: aws.String(alice.Code)})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	f.sess = awscred.Session{Keys: awscred.Keys{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey}, SessionToken: *c.SessionToken}
	f.before(nil)
	return f
}

// before runs hook before each request is answered, and counts IAM's keys.
func (f *fixture) before(hook func(action string)) {
	f.emu.SetBefore(func(action string) {
		f.mostMu.Lock()
		f.most = max(f.most, len(f.emu.Keys("alice")))
		f.mostMu.Unlock()
		if hook != nil {
			hook(action)
		}
	})
}

func (f *fixture) run(ctx context.Context) (*Result, error) {
	c, s := f.a.Clients(f.sess)
	in := Input{Place: "profile aws-mfa", Where: "[aws-mfa] in credentials", Current: f.place.get().AccessKeyID, StateDir: f.dir, Verify: 20 * time.Second,
		AWS: f.a}
	return Run(ctx, in, Deps{IAM: c, Session: s, Put: f.place.put, Get: f.place.held, Now: f.now, After: f.after, Log: io.Discard})
}

// invariant: the place holds a key AWS accepts, and IAM never held more
// than two.
func (f *fixture) invariant(when string) {
	f.t.Helper()
	k := f.place.get()
	if !f.emu.Works(k.AccessKeyID, k.SecretAccessKey) {
		f.t.Errorf("%s: the place holds %s, which AWS refuses", when, k.AccessKeyID)
	}
	if f.most > stsemu.MaxKeys {
		f.t.Errorf("%s: IAM held %d keys", when, f.most)
	}
}

// finished: one key in IAM, the one in the place, and no journal.
func (f *fixture) finished(when string) {
	f.t.Helper()
	f.invariant(when)
	keys := f.emu.Keys("alice")
	if len(keys) != 1 || keys[0].ID != f.place.get().AccessKeyID || keys[0].ID == alice.AccessKeyID {
		f.t.Errorf("%s: IAM holds %v, the place %s", when, keys, f.place.get().AccessKeyID)
	}
	st := Load(f.dir)
	if len(st.Rotating) != 0 {
		f.t.Errorf("%s: the journal still holds %v", when, st.Rotating)
	}
	if st.Keys["profile aws-mfa"].Key != Hash(keys[0].ID) {
		f.t.Errorf("%s: the key's age was not recorded: %v", when, st.Keys)
	}
}

func TestRotate(t *testing.T) {
	f := newFixture(t)
	f.emu.SetKeyDelay(1500 * time.Millisecond) // IAM spreads a new key slowly
	res, err := f.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f.finished("rotated")
	if f.ahead.Load() == 0 {
		t.Error("the new key was stored before IAM accepted it, with no wait")
	}
	if res.User != "alice" || res.Key != f.place.get().AccessKeyID || res.Created.IsZero() || res.Finished || res.SessionRejected || f.place.writes != 1 {
		t.Errorf("result %+v, %d writes", res, f.place.writes)
	}
	if f.emu.Works(alice.AccessKeyID, alice.SecretAccessKey) {
		t.Error("the old key still works")
	}
}

// TestSessionAfterRotation: a session AWS ends with its key is reported.
func TestSessionAfterRotation(t *testing.T) {
	for _, revoke := range []bool{false, true} {
		f := newFixture(t)
		f.emu.SetRevokeOnDelete(revoke)
		res, err := f.run(context.Background())
		if err != nil || res.SessionRejected != revoke {
			t.Errorf("revoke %v: %+v, %v", revoke, res, err)
		}
	}
}

// TestCrashPoints interrupts a rotation at every request it makes, in
// each way a request can end badly: the run killed while waiting (the
// request done, its answer never read), IAM failing before it acts, and
// IAM acting but answering HTTP 500. After each, the place holds a key
// AWS accepts and IAM never held three; the next run finishes the job.
func TestCrashPoints(t *testing.T) {
	f := newFixture(t)
	var actions []string
	f.before(func(action string) { actions = append(actions, action) })
	if _, err := f.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("a rotation's requests: %v", actions)
	for i, action := range actions {
		for _, mode := range []string{"kill", string(stsemu.ServerError), string(stsemu.LostAnswer), string(stsemu.Denied)} {
			name := fmt.Sprintf("%d-%s-%s", i, action, mode)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				n := 0
				var seen atomic.Int64 // calls IAM had seen when the run was killed
				seen.Store(-1)
				f.before(func(action string) {
					if n++; n-1 != i {
						f.emu.SetFault(stsemu.None)
						return
					}
					if mode == "kill" {
						seen.Store(int64(len(f.emu.Calls())))
						cancel()
					} else {
						f.emu.SetFault(stsemu.Fault(mode))
					}
				})
				_, err := f.run(ctx)
				// A killed run leaves its request to finish at IAM; the
				// next run starts after IAM acted, as it would for a user.
				for deadline := time.Now().Add(10 * time.Second); seen.Load() >= 0 && int64(len(f.emu.Calls())) <= seen.Load() && time.Now().Before(deadline); {
					time.Sleep(time.Millisecond)
				}
				f.invariant("after the failed run")
				if err != nil && strings.Contains(err.Error(), "secret") {
					t.Errorf("error names a secret: %v", err)
				}
				f.before(nil)
				f.emu.SetFault(stsemu.None)
				res, err := f.run(context.Background())
				if err != nil {
					t.Fatalf("the next run: %v", err)
				}
				f.finished("after the next run")
				if res.Key != f.place.get().AccessKeyID {
					t.Errorf("result %+v", res)
				}
			})
		}
	}
}

// TestStoreFails: a keyring that cannot be written keeps the old key, and
// the new one, whose secret would be lost, is deleted at once or by the
// next run.
func TestStoreFails(t *testing.T) {
	for _, deleteFails := range []bool{false, true} {
		f := newFixture(t)
		f.place.fail = errors.New("write Secret Service item aws-mfa/work: locked")
		if deleteFails {
			f.emu.SetActionFault("DeleteAccessKey", stsemu.ServerError)
		}
		_, err := f.run(context.Background())
		if err == nil || !strings.Contains(err.Error(), "locked") || !strings.Contains(err.Error(), "still holds AKIA…0001") {
			t.Errorf("error: %v", err)
		}
		// A new key that stays in IAM is named, with why.
		if deleteFails && (err == nil || !strings.Contains(err.Error(), "delete the new key AKIA…")) {
			t.Errorf("the failed delete is not named: %v", err)
		}
		f.invariant("after the failed write")
		if got := len(f.emu.Keys("alice")); got != 1 && !deleteFails {
			t.Errorf("IAM holds %d keys", got)
		}
		f.place.fail = nil
		f.emu.SetActionFault("DeleteAccessKey", stsemu.None)
		if _, err := f.run(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.finished("after the next run")
	}
}

// TestStoreUnknown: a keyring write that fails after it stored the new
// key (its read-back timed out), or whose outcome cannot be read, never
// leaves the place with a deleted key: the new key goes only where the
// place is seen not to hold it, and the next run finishes.
func TestStoreUnknown(t *testing.T) {
	for _, lost := range []bool{false, true} {
		f := newFixture(t)
		f.place.fail, f.place.keep = errors.New("read back what was written: no answer within 5s"), true
		if lost {
			f.place.lost = errors.New("no answer within 5s")
		}
		_, err := f.run(context.Background())
		if lost != (err != nil) || lost && !strings.Contains(err.Error(), "run aws-mfa rotate again") {
			t.Errorf("lost %v: %v", lost, err)
		}
		f.invariant("after the write that failed but stored")
		f.place.fail, f.place.lost = nil, nil
		if _, err := f.run(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.finished("after the next run")
	}
}

// TestUnjournaledKey: a journal left by a run whose CreateAccessKey got
// no answer lets the next run delete the key that run made, not a key
// made long after it (by hand, for another machine).
func TestUnjournaledKey(t *testing.T) {
	f := newFixture(t)
	err := edit(credfile.Writer{}, f.dir, func(s *State) {
		s.Rotating["profile aws-mfa"] = Journal{Old: Hash(alice.AccessKeyID), Started: time.Now().Add(-time.Hour)}
	})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := f.a.Clients(f.sess)
	if _, err := c.CreateAccessKey(context.Background(), iamCreate("alice")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.run(context.Background()); err == nil || !strings.Contains(err.Error(), "has two access keys") {
		t.Errorf("run: %v", err)
	}
	if n := len(f.emu.Keys("alice")); n != 2 {
		t.Errorf("IAM holds %d keys: the one made by hand was deleted", n)
	}
}

// TestCreateRefused: a CreateAccessKey IAM refuses made no key, so it
// leaves no journal: a key the user then makes by hand (told "access
// denied" or "throttled") is not taken for the refused run's.
func TestCreateRefused(t *testing.T) {
	for _, fault := range []stsemu.Fault{stsemu.Denied, stsemu.Throttling} {
		f := newFixture(t)
		f.emu.SetActionFault("CreateAccessKey", fault)
		if _, err := f.run(context.Background()); err == nil {
			t.Fatalf("%s: no error", fault)
		}
		if j := Load(f.dir).Rotating; len(j) != 0 {
			t.Errorf("%s: the journal stays: %v", fault, j)
		}
		f.emu.SetActionFault("CreateAccessKey", stsemu.None)
		c, _ := f.a.Clients(f.sess)
		if _, err := c.CreateAccessKey(context.Background(), iamCreate("alice")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.run(context.Background()); err == nil || !strings.Contains(err.Error(), "has two access keys") || len(f.emu.Keys("alice")) != 2 {
			t.Errorf("%s: the next run: %v; IAM holds %v", fault, err, f.emu.Keys("alice"))
		}
	}
}

// TestRefuses: a user with two keys, or a place with a key not the
// user's, is refused before anything changes; each IAM error names IAM's
// call and the permission.
func TestRefuses(t *testing.T) {
	f := newFixture(t)
	c, _ := f.a.Clients(f.sess)
	if _, err := c.CreateAccessKey(context.Background(), iamCreate("alice")); err != nil {
		t.Fatal(err)
	}
	_, err := f.run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "has two access keys") || !strings.Contains(err.Error(), "delete-access-key") {
		t.Errorf("two keys: %v", err)
	}
	if len(f.emu.Keys("alice")) != 2 || f.place.writes != 0 {
		t.Error("something changed")
	}

	f = newFixture(t)
	f.emu.SetActionFault("CreateAccessKey", stsemu.Denied)
	_, err = f.run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "access denied by IAM CreateAccessKey") || !strings.Contains(err.Error(), "iam:CreateAccessKey") || strings.Contains(err.Error(), "by STS") {
		t.Errorf("denied: %v", err)
	}
	f.invariant("denied")

	f = newFixture(t)
	f.place.keys.AccessKeyID = "AKIANOTALICESKEY0009"
	if _, err := f.run(context.Background()); err == nil || !strings.Contains(err.Error(), "not an access key of IAM user alice") {
		t.Errorf("another key: %v", err)
	}
}

func iamCreate(user string) *iam.CreateAccessKeyInput {
	return &iam.CreateAccessKeyInput{UserName: aws.String(user)}
}

type arnSTS string

func (a arnSTS) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{Arn: aws.String(string(a))}, nil
}

// TestWho: the user is the ARN's last part, and an answer whose name IAM
// would never give (a terminal escape, a newline, 65 characters), which
// rotate's log lines print as they are, is refused.
func TestWho(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::123456789012:user/alice":                      "alice",
		"arn:aws-cn:iam::123456789012:user/team/ops/bob+x=y,z@q":    "bob+x=y,z@q",
		"arn:aws:iam::123456789012:user/ali\x1b]0;owned\x07ce":      "",
		"arn:aws:iam::123456789012:user/alice\nrotated":             "",
		"arn:aws:iam::123456789012:user/" + strings.Repeat("a", 64): strings.Repeat("a", 64),
		"arn:aws:iam::123456789012:user/" + strings.Repeat("a", 65): "",
		"arn:aws:iam::123456789012:user/":                           "",
		"arn:aws:sts::123456789012:assumed-role/admin/alice":        "",
	} {
		got, err := Who(context.Background(), arnSTS(arn), AWS{})
		if got != want || (err == nil) != (want != "") {
			t.Errorf("%q: %q, %v", arn, got, err)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\x1b\n") {
			t.Errorf("%q: the error carries it: %q", arn, err)
		}
	}
}

// TestStateThroughALink: keys.json that is a link (to the credentials
// file, by mistake) is never written through: the file it leads to keeps
// every byte, and the edit fails instead.
func TestStateThroughALink(t *testing.T) {
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	const keep = "[aws-mfa]\naws_access_key_id = AKIAEXAMPLE\n"
	os.WriteFile(creds, []byte(keep), 0o600)
	if err := os.Symlink(creds, filepath.Join(dir, stateFile)); err != nil {
		t.Skip(err) // Windows, without the right to make links
	}
	err := edit(credfile.Writer{}, dir, func(s *State) { s.Keys["profile aws-mfa"] = Age{Key: "k"} })
	if b, _ := os.ReadFile(creds); err == nil || string(b) != keep {
		t.Errorf("edit through a link: %v; the file it leads to now holds %q", err, b)
	}
}

// TestLoadWithoutADirectory: with no state directory (the home could not
// be found), Load reads nothing, not keys.json in the working directory.
func TestLoadWithoutADirectory(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, stateFile), []byte(`{"keys":{"profile aws-mfa":{"key":"AKIAEXAMPLE"}}}`), 0o600)
	t.Chdir(dir)
	if st := Load(dir); len(st.Keys) != 1 {
		t.Fatalf("the file itself reads as %+v", st)
	}
	if st := Load(""); len(st.Keys) != 0 || st.Rotating == nil {
		t.Errorf(`Load("") read %+v`, st)
	}
}
