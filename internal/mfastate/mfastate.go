// Package mfastate keeps what aws-mfa learns about MFA between runs, in
// the state directory: the codes it sent, so that none is sent twice, and
// when the code behind each session was entered, its MFA age. Neither
// record holds a code, a serial or a key: only SHA-256 hashes and times.
package mfastate

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/readfile"
)

// step is how many seconds a device shows one code (RFC 6238's default,
// which AWS's virtual and hardware devices use).
const step = 30

// maxLines bounds each file: more lines than this are never needed, and a
// file grown by hand or by a bug is cut back to its newest lines.
const maxLines = 512

// Store is the records in one state directory. A nil Store records
// nothing and knows nothing.
//
// The state is kept apart from the credentials file, keyed by a hash of
// each session's access key id: a session exported by env --no-write or
// handed to exec's command never reaches that file, and the record still
// finds it by its key id wherever it went.
type Store struct{ Dir string }

// UsedError refuses a code already sent in its step: AWS accepts each
// code once, so sending it again could only fail, after the wait.
type UsedError struct{ Next time.Duration } // until the device shows the next code

func (e *UsedError) Error() string {
	next := "run again with the one your device shows now"
	if e.Next > 0 {
		next = fmt.Sprintf("wait %ds for the next one", (e.Next+time.Second-1)/time.Second)
	}
	return "this MFA code was already used, and AWS accepts each code once; " + next
}

// Is makes it an input error: exit 2.
func (e *UsedError) Is(target error) bool { return target == inputerr.Err }

// Spend refuses code if it was sent for serial in this step or the two
// before, before any request: AWS accepts a code a step early or late,
// so one sent from a device a step ahead is taken two steps on. Otherwise
// it holds the codes file's lock, so that concurrent runs send a code
// once between them, until done is called with the answer: the code is
// recorded unless AWS called it wrong or it never left the machine
// (unused), since any other answer, a timeout or a reset included, may
// come after AWS used it. A state
// directory that cannot be written never stops a refresh: done is then a
// no-op.
func (s *Store) Spend(serial, code string, now time.Time) (done func(unused bool), err error) {
	done = func(bool) {}
	if s == nil {
		return done, nil
	}
	l, err := s.lock("codes")
	if err != nil {
		return done, nil
	}
	n := now.Unix() / step
	err = l.EditBytes(func(old []byte) ([]byte, error) {
		for _, e := range entries(old) {
			switch e.key {
			case hash(serial, n, code):
				return nil, &UsedError{time.Unix((n+1)*step, 0).Sub(now)}
			case hash(serial, n-1, code), hash(serial, n-2, code):
				return nil, &UsedError{} // the device shows another code by now
			}
		}
		return nil, nil
	})
	if err != nil {
		l.Unlock()
		if _, used := err.(*UsedError); !used {
			err = nil // unreadable: sent unrecorded
		}
		return done, err
	}
	return func(unused bool) {
		if !unused {
			add(l, n, n-2, hash(serial, n, code))
		}
		l.Unlock()
	}, nil
}

// keepMFA is how long an MFA time is kept: a session from GetSessionToken
// lasts at most 36 hours, and a role renewed from it an hour more.
const keepMFA = 48 * time.Hour

// SetMFA records that the code behind the sessions with these access key
// ids was entered at.
func (s *Store) SetMFA(at, now time.Time, keyIDs ...string) {
	if s == nil || at.IsZero() {
		return
	}
	if l, err := s.lock("mfa"); err == nil {
		var keys []string
		for _, id := range keyIDs {
			keys = append(keys, hash(id))
		}
		add(l, at.Unix(), now.Add(-keepMFA).Unix(), keys...)
		l.Unlock()
	}
}

// MFA returns when the code behind the session with access key id keyID
// was entered; false when no record says.
func (s *Store) MFA(keyID string) (time.Time, bool) {
	if s == nil {
		return time.Time{}, false
	}
	data, _ := readfile.Read(filepath.Join(s.Dir, "mfa"), maxLines*128)
	for _, e := range entries(data) {
		if e.key == hash(keyID) {
			return time.Unix(e.n, 0), true
		}
	}
	return time.Time{}, false
}

// lock takes the lock of state file name. A link there is refused: the
// credentials lock follows links, and a record would replace the file the
// link leads to. A file too large to be read is removed: it would
// otherwise stop every record for good.
func (s *Store) lock(name string) (*credfile.Locked, error) {
	path := filepath.Join(s.Dir, name)
	if st, err := os.Lstat(path); err == nil && st.Mode().IsRegular() && st.Size() > credfile.MaxSize {
		_ = os.Remove(path)
	}
	return credfile.Writer{NoLinks: true}.Lock(path)
}

// entry is a line of a state file: a hash and a number (a step, a time).
type entry struct {
	key string
	n   int64
}

// entries reads a state file's lines, newest first; malformed lines are
// dropped.
func entries(data []byte) []entry {
	var out []entry
	for _, l := range strings.Split(string(data), "\n") {
		key, num, _ := strings.Cut(l, " ")
		if n, err := strconv.ParseInt(num, 10, 64); err == nil && len(key) == 64 {
			out = append(out, entry{key, n})
		}
	}
	slices.Reverse(out)
	return out
}

// add appends an entry with number n for each key, and keeps of the old
// ones those of other keys with a number of at least oldest, the newest
// maxLines in all.
func add(l *credfile.Locked, n, oldest int64, keys ...string) {
	_ = l.EditBytes(func(old []byte) ([]byte, error) {
		var b strings.Builder
		kept := slices.DeleteFunc(entries(old), func(e entry) bool { return e.n < oldest || slices.Contains(keys, e.key) })
		for i := min(len(kept), maxLines-len(keys)) - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "%s %d\n", kept[i].key, kept[i].n)
		}
		for _, k := range keys {
			fmt.Fprintf(&b, "%s %d\n", k, n)
		}
		return []byte(b.String()), nil
	})
}

// hash is the hex SHA-256 of its parts, one a line: a record shows
// neither a code nor the device or session it belongs to.
func hash(parts ...any) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintln(h, p)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
