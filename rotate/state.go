package rotate

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/readfile"
)

// State is what aws-mfa keeps about long-term keys in the state
// directory, by place: never a secret, and key ids only hashed.
type State struct {
	Keys     map[string]Age     `json:"keys"`
	Rotating map[string]Journal `json:"rotating"`
}

// Age is when the key in a place was created; a key's creation date
// never changes, so IAM is asked once per key.
type Age struct {
	Key     string    `json:"key"` // Hash of its id
	Created time.Time `json:"created,omitzero"`
	// Refused is when IAM last refused or failed to say: refreshes ask
	// again a week later, not each time.
	Refused time.Time `json:"refused,omitzero"`
}

// askAgain is how long a refused lookup stands.
const askAgain = 7 * 24 * time.Hour

// Journal is a rotation under way: the hashes of the old and new key ids.
type Journal struct {
	Old     string    `json:"old"`
	New     string    `json:"new,omitempty"`
	Started time.Time `json:"started"`
}

// stateFile is the state's file in the state directory.
const stateFile = "keys.json"

// Hash stands for a key id in the state.
func Hash(id string) string {
	return fmt.Sprintf("%.8x", sha256.Sum256([]byte(id))) // its first 8 bytes, in hex
}

// Place names where p's long-term keys live: its keyring item, else its
// source profile.
func Place(p config.Pair) string {
	if p.Keyring != "" {
		return "keyring " + cmp.Or(p.KeyringBackend, "os") + "/" + p.Keyring
	}
	return "profile " + p.Source
}

// Load reads the state in dir; one that is missing or unreadable is
// empty: losing it costs a lookup, never a key.
func Load(dir string) State {
	if dir == "" { // no state directory: the home could not be found
		return parse(nil)
	}
	b, _ := readfile.Read(filepath.Join(dir, stateFile), 1<<20)
	return parse(b)
}

func parse(b []byte) State {
	var s State
	_ = json.Unmarshal(b, &s)
	if s.Keys == nil {
		s.Keys = map[string]Age{}
	}
	if s.Rotating == nil {
		s.Rotating = map[string]Journal{}
	}
	return s
}

// edit changes the state under its lock, on the file as it is then.
func edit(w credfile.Writer, dir string, change func(*State)) error {
	w.NoLinks = true
	return w.EditBytes(filepath.Join(dir, stateFile), func(old []byte) ([]byte, error) {
		s := parse(old)
		change(&s)
		return json.MarshalIndent(s, "", "  ")
	})
}

// Created is when the key in p's place was created, as recorded; for a
// profile, only while creds still holds that key.
func (s State) Created(p config.Pair, creds *credfile.File) (time.Time, bool) {
	a, ok := s.Keys[Place(p)]
	if !ok || a.Created.IsZero() || p.SourcePair != "" || p.Keyring == "" && Hash(creds.Credentials(p.Source).AccessKeyID) != a.Key {
		return time.Time{}, false
	}
	return a.Created, true
}

// Learn records the creation date of keyID, the key in place, asking IAM
// with a session's clients unless the state knows it.
func Learn(ctx context.Context, dir, place, keyID string, c IAM, s STS, a AWS) error {
	if k := Load(dir).Keys[place]; k.Key == Hash(keyID) && (k.Refused.IsZero() || time.Since(k.Refused) < askAgain) {
		return nil
	}
	user, err := Who(ctx, s, a)
	var out *iam.ListAccessKeysOutput
	if err == nil {
		out, err = c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: &user})
	}
	if err != nil {
		// Refused (no iam:ListAccessKeys) or unanswered (IAM out of
		// reach, as behind an STS-only VPC endpoint): either would
		// cost every refresh the wait again.
		_ = edit(credfile.Writer{}, dir, func(st *State) { st.Keys[place] = Age{Key: Hash(keyID), Refused: time.Now()} })
		return err
	}
	for _, k := range out.AccessKeyMetadata {
		if aws.ToString(k.AccessKeyId) == keyID {
			return edit(credfile.Writer{}, dir, func(st *State) { st.Keys[place] = Age{Key: Hash(keyID), Created: aws.ToTime(k.CreateDate)} })
		}
	}
	return nil
}
