package mfastate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

const serial = "arn:aws:iam::123456789012:mfa/alice"

var t0 = time.Date(2026, 11, 27, 14, 0, 10, 0, time.UTC) // 10 s into a step

// TestSpend: a code sent is refused in its step and the two after (AWS
// takes a code a step early or late), for its device only; a code AWS called wrong is
// never recorded.
func TestSpend(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		rejected bool          // the first answer
		serial   string        // the second attempt's
		code     string        // the second attempt's
		after    time.Duration // the second attempt's, after the first
		next     time.Duration // the wait the refusal names; -1: not refused
	}{
		{"same step", false, serial, "314159", 0, 20 * time.Second},
		{"same step, later", false, serial, "314159", 19*time.Second + 500*time.Millisecond, 500 * time.Millisecond},
		{"next step: an old code", false, serial, "314159", 20 * time.Second, 0},
		{"two steps on: a device a step ahead", false, serial, "314159", 50 * time.Second, 0},
		{"three steps on", false, serial, "314159", 80 * time.Second, -1},
		{"another code", false, serial, "271828", 0, -1},
		{"another device", false, serial + "2", "314159", 0, -1},
		{"rejected: not recorded", true, serial, "314159", 0, -1},
		{"a step back (clock set back)", false, serial, "314159", -30 * time.Second, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Store{Dir: filepath.Join(t.TempDir(), "state")}
			done, err := s.Spend(serial, "314159", t0)
			if err != nil {
				t.Fatal(err)
			}
			done(tc.rejected)
			done, err = s.Spend(tc.serial, tc.code, t0.Add(tc.after))
			var used *UsedError
			switch {
			case tc.next < 0 && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.next < 0:
				done(false)
			case !errors.As(err, &used) || used.Next != tc.next || !errors.Is(err, inputerr.Err):
				t.Fatalf("got %v (%#v), want a refusal naming %s", err, used, tc.next)
			}
		})
	}
}

// TestUsedErrorSaysWhenTheNextComes: whole seconds, rounded up, and
// "now" when the device already shows another code.
func TestUsedErrorSaysWhenTheNextComes(t *testing.T) {
	t.Parallel()
	for next, want := range map[time.Duration]string{
		20 * time.Second:       "wait 20s for the next one",
		500 * time.Millisecond: "wait 1s for the next one",
		0:                      "run again with the one your device shows now",
	} {
		if got := (&UsedError{next}).Error(); !strings.HasSuffix(got, want) || !strings.HasPrefix(got, "this MFA code was already used") {
			t.Errorf("%s: %q", next, got)
		}
	}
}

// TestSpendOnceAmongConcurrentRuns: of runs that try one code at once,
// exactly one sends it; the lock is held until its answer.
func TestSpendOnceAmongConcurrentRuns(t *testing.T) {
	t.Parallel()
	s := &Store{Dir: t.TempDir()}
	var wg sync.WaitGroup
	var mu sync.Mutex
	sent := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done, err := s.Spend(serial, "314159", t0)
			if err == nil {
				mu.Lock()
				sent++
				mu.Unlock()
				done(false)
			}
		}()
	}
	wg.Wait()
	if sent != 1 {
		t.Errorf("%d runs sent the code", sent)
	}
}

// TestFilesStayBoundedAndSecret: however many codes and sessions are
// recorded, each file keeps only recent lines, and neither shows a code,
// a serial or a key id.
func TestFilesStayBoundedAndSecret(t *testing.T) {
	t.Parallel()
	s := &Store{Dir: filepath.Join(t.TempDir(), "state")}
	for i := range 50 {
		now := t0.Add(time.Duration(2*i) * time.Second)
		done, err := s.Spend(serial, fmt.Sprintf("%06d", i), now)
		if err != nil {
			t.Fatal(err)
		}
		done(false)
		s.SetMFA(now, now, fmt.Sprintf("ASIAEXAMPLE%09d", i))
	}
	codes, _ := os.ReadFile(filepath.Join(s.Dir, "codes"))
	mfa, _ := os.ReadFile(filepath.Join(s.Dir, "mfa"))
	// Codes of the last three steps, at one every two seconds.
	if n := strings.Count(string(codes), "\n"); n < 30 || n > 45 {
		t.Errorf("codes holds %d lines", n)
	}
	if n := strings.Count(string(mfa), "\n"); n != 50 {
		t.Errorf("mfa holds %d lines", n)
	}
	// However long a file grew, an edit keeps its newest lines.
	var long strings.Builder
	for i := range 3 * maxLines {
		fmt.Fprintf(&long, "%064d %d\n", i, i)
	}
	os.WriteFile(filepath.Join(s.Dir, "mfa"), []byte(long.String()), 0o600)
	s.SetMFA(time.Unix(5000, 0), time.Unix(0, 0), "ASIANEW")
	kept := strings.Split(strings.TrimSpace(read(t, filepath.Join(s.Dir, "mfa"))), "\n")
	if len(kept) != maxLines || !strings.HasSuffix(kept[len(kept)-1], " 5000") || !strings.HasSuffix(kept[len(kept)-2], fmt.Sprint(" ", 3*maxLines-1)) {
		t.Errorf("kept %d lines, ending %q", len(kept), kept[len(kept)-2:])
	}
	// Every line is a hash and numbers of times: no code, serial or key.
	shape := regexp.MustCompile(`^[0-9a-f]{64}( [0-9]{8,})+$`)
	for _, l := range strings.Split(strings.TrimSpace(string(codes)+string(mfa)), "\n") {
		if !shape.MatchString(l) {
			t.Errorf("a state line %q", l)
		}
	}
	for _, f := range []string{s.Dir, filepath.Join(s.Dir, "codes"), filepath.Join(s.Dir, "mfa")} {
		if st, err := os.Stat(f); err != nil || st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: %v %v", f, st.Mode(), err)
		}
	}
}

// TestMFA: the newest record for a key id wins; records older than any
// session are forgotten; a file that is not ours, or none, knows nothing.
func TestMFA(t *testing.T) {
	t.Parallel()
	s := &Store{Dir: t.TempDir()}
	s.SetMFA(t0, t0, "ASIAONE", "ASIATWO")
	s.SetMFA(t0.Add(time.Minute), t0, "ASIATWO")
	if at, ok := s.MFA("ASIAONE"); !ok || !at.Equal(t0) {
		t.Errorf("one: %v %v", at, ok)
	}
	if at, ok := s.MFA("ASIATWO"); !ok || !at.Equal(t0.Add(time.Minute)) {
		t.Errorf("two: %v %v", at, ok)
	}
	s.SetMFA(t0.Add(keepMFA), t0.Add(keepMFA+30*time.Second), "ASIATHREE")
	if _, ok := s.MFA("ASIAONE"); ok {
		t.Error("a record older than any session was kept")
	}
	if _, ok := s.MFA("ASIATWO"); !ok {
		t.Error("a record young enough was dropped")
	}
	if _, ok := s.MFA("ASIANONE"); ok {
		t.Error("a record for a session never seen")
	}
	os.WriteFile(filepath.Join(s.Dir, "mfa"), []byte("garbage\n\x00\x01 2 3 4\n"), 0o600)
	if _, ok := s.MFA("ASIATWO"); ok {
		t.Error("a record from garbage")
	}
	var none *Store
	none.SetMFA(t0, t0, "x")
	if done, err := none.Spend(serial, "314159", t0); err != nil {
		t.Error(err)
	} else {
		done(false)
	}
	if _, ok := none.MFA("x"); ok {
		t.Error("a nil store knows something")
	}
}

// TestUnwritableStateNeverStopsARefresh: a state directory that cannot
// be made lets the code through, unrecorded.
func TestUnwritableStateNeverStopsARefresh(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	s := &Store{Dir: filepath.Join(file, "state")}
	for range 2 {
		done, err := s.Spend(serial, "314159", t0)
		if err != nil {
			t.Fatal(err)
		}
		done(false)
	}
	s.SetMFA(t0, t0, "ASIAONE")
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestHostileStateFiles: whatever stands where a state file or its lock
// belongs (a FIFO, a link to a device, a directory, a file too large),
// a refresh goes on, unblocked, and learns nothing wrong from it.
func TestHostileStateFiles(t *testing.T) {
	t.Parallel()
	plant := map[string]func(t *testing.T, path string){
		"fifo":          func(t *testing.T, p string) { mkfifo(t, p) },
		"link to zero":  func(t *testing.T, p string) { os.Symlink("/dev/zero", p) },
		"dangling link": func(t *testing.T, p string) { os.Symlink(filepath.Join(filepath.Dir(p), "none", "x"), p) },
		"directory":     func(t *testing.T, p string) { os.Mkdir(p, 0o700) },
		"binary": func(t *testing.T, p string) {
			os.WriteFile(p, []byte("\x00\xff 1\n"+strings.Repeat("a", 64)+" x y\n"), 0o600)
		},
		"huge": func(t *testing.T, p string) {
			f, _ := os.Create(p)
			f.Truncate(40 << 20)
			f.Close()
		},
	}
	for name, put := range plant {
		for _, file := range []string{"codes", "codes.lock", "mfa", "mfa.lock"} {
			t.Run(name+" "+file, func(t *testing.T) {
				s := &Store{Dir: t.TempDir()}
				put(t, filepath.Join(s.Dir, file))
				for _, code := range []string{"314159", "271828"} {
					done, err := s.Spend(serial, code, t0.Add(time.Minute))
					if err != nil {
						t.Fatal(err)
					}
					done(false)
				}
				s.SetMFA(t0, t0, "ASIAONE")
				if at, ok := s.MFA("ASIAONE"); ok && !at.Equal(t0) {
					t.Errorf("MFA at %v", at)
				}
			})
		}
	}
}

// TestLinkedStateFileLeftAlone: a state file that is a link (to the
// credentials file, say) is never written through: a record would
// replace what it leads to.
func TestLinkedStateFileLeftAlone(t *testing.T) {
	t.Parallel()
	s := &Store{Dir: t.TempDir()}
	other := filepath.Join(t.TempDir(), "credentials")
	os.WriteFile(other, []byte("[default]\naws_access_key_id = AKIAEXAMPLE\n"), 0o600)
	for _, f := range []string{"codes", "mfa"} {
		os.Symlink(other, filepath.Join(s.Dir, f))
	}
	done, err := s.Spend(serial, "314159", t0)
	if err != nil {
		t.Fatal(err)
	}
	done(false)
	s.SetMFA(t0, t0, "ASIAONE")
	if got := read(t, other); got != "[default]\naws_access_key_id = AKIAEXAMPLE\n" {
		t.Errorf("the file linked to became %q", got)
	}
}

// TestHugeStateFileReplaced: a state file larger than any aws-mfa writes
// (grown by a bug, or by hand, past what is read) is replaced, so that
// records are kept again.
func TestHugeStateFileReplaced(t *testing.T) {
	t.Parallel()
	for _, size := range []int64{maxLines*128 + 1, 40 << 20} {
		s := &Store{Dir: t.TempDir()}
		for _, f := range []string{"codes", "mfa"} {
			os.WriteFile(filepath.Join(s.Dir, f), []byte(strings.Repeat("a", 64)+" 1\n"), 0o600)
			os.Truncate(filepath.Join(s.Dir, f), size) // sparse
		}
		done, err := s.Spend(serial, "314159", t0)
		if err != nil {
			t.Fatal(err)
		}
		done(false)
		if _, err := s.Spend(serial, "314159", t0); err == nil {
			t.Errorf("%d bytes: a code not recorded", size)
		}
		s.SetMFA(t0, t0, "ASIAONE")
		if _, ok := s.MFA("ASIAONE"); !ok {
			t.Errorf("%d bytes: an MFA time not recorded", size)
		}
	}
}
