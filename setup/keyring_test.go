package setup

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
	"github.com/aws-mfa/aws-mfa/keyring"
)

// memStore is a keyring in memory: these tests are about which profiles
// of the file lose the keys; keyring_test.go at the root runs the real
// backends.
type memStore map[string]keyring.Keys

func (m memStore) Get(_ context.Context, item string) (keyring.Keys, error) {
	k, ok := m[item]
	if !ok {
		return k, keyring.ErrNotFound
	}
	return k, nil
}

func (m memStore) Put(_ context.Context, item string, k keyring.Keys) error {
	m[item] = k
	return nil
}

func (m memStore) Where(item string) string { return "memory item " + item }

// TestSetupKeyringClearsEveryCopy: setup --keyring leaves no section of
// the file from which botocore reads the moved secret key, whatever the
// spelling and wherever the copies are, keeps every
// other profile's keys as botocore reads them, names each section it
// cleared, and points at a copy left in a comment by line number.
func TestSetupKeyringClearsEveryCopy(t *testing.T) {
	t.Parallel() // its own files; botocore, shared, answers one at a time
	bc := peers.StartBotocore(t)
	const id, secret = "AKIAALICEEXAMPLE0001", "alice/long+term/secret"
	const keys = "aws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	const others = "[bob]\naws_access_key_id = AKIABOBEXAMPLE000002\naws_secret_access_key = bob/secret\n"
	cases := []struct {
		name, creds string
		cleared     string
		comment     string // line the secret is still on
	}{
		{name: "source and another", creds: "[aws-mfa]\n" + keys + "[other]\n" + keys + others, cleared: "[aws-mfa] and [other]"},
		{name: "target and two others", creds: "[default]\n" + keys + "region = x\n[other]\n" + keys + others + "[third]\n" + keys, cleared: "[default], [other] and [third]"},
		{name: "spellings", creds: "[default]\nAWS_ACCESS_KEY_ID: " + id + "\nAws_Secret_Access_Key   =   " + secret + "\n[other]\naws_secret_access_key=" + secret + "\naws_access_key_id=" + id + "\n" + others, cleared: "[default] and [other]"},
		{name: "commented copy", creds: "[default]\n" + keys + "#aws_secret_access_key = " + secret + "\n" + others, cleared: "[default]", comment: "on line 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, out := setupFiles(t, tc.creds)
			req.Serial = "arn:aws:iam::123456789012:mfa/alice"
			req.Pair, req.Keyring = "default", "aws-mfa"
			d := deps(&fakeDevices{}, out)
			store := memStore{}
			d.Store = store
			if _, err := Run(context.Background(), req, d); err != nil {
				t.Fatal(err)
			}
			if store["aws-mfa"] != (keyring.Keys{AccessKeyID: id, SecretAccessKey: secret}) {
				t.Fatalf("keyring holds %+v", store)
			}
			after, _ := os.ReadFile(req.Paths.Credentials)
			// botocore's view of every profile, [DEFAULT]'s keys inherited.
			was, now := bc.Read(t, []byte(tc.creds), "").Sections, bc.Read(t, after, "").Sections
			if len(was) == 0 || len(now) < len(was) {
				t.Fatalf("botocore reads %v, then %v", was, now)
			}
			for name, keys := range now {
				if keys["aws_secret_access_key"] == secret {
					t.Errorf("[%s] reads the secret:\n%s", name, after)
				}
			}
			for name, keys := range was {
				switch {
				case keys["aws_secret_access_key"] == secret:
					if now[name]["aws_secret_access_key"] == secret {
						t.Errorf("[%s] still reads the secret:\n%s", name, after)
					}
				case !reflect.DeepEqual(keys, now[name]):
					t.Errorf("[%s] changed from %v to %v", name, keys, now[name])
				}
			}
			if !strings.Contains(out.String(), "removed the keys from "+tc.cleared+" in "+req.Paths.Credentials) {
				t.Errorf("output does not name %s:\n%s", tc.cleared, out)
			}
			if tc.comment != "" && !strings.Contains(out.String(), "still appears in "+req.Paths.Credentials+" "+tc.comment) {
				t.Errorf("output does not point at the comment:\n%s", out)
			}
			if strings.Contains(out.String(), secret) {
				t.Errorf("output shows the secret:\n%s", out)
			}
		})
	}
}

// TestSetupKeyringRefusesKeysInDEFAULT: keys in [DEFAULT] are inherited by
// every profile; setup --keyring leaves that decision to the user and
// changes nothing, in the keyring or the files.
func TestSetupKeyringRefusesKeysInDEFAULT(t *testing.T) {
	const id, secret = "AKIAALICEEXAMPLE0001", "alice/long+term/secret"
	for _, creds := range []string{
		"[DEFAULT]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n[default]\nregion = x\n",
		"[DEFAULT]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n",
		"[DEFAULT]\nAWS_SECRET_ACCESS_KEY: " + secret + "\n[default]\naws_access_key_id = " + id + "\n",
	} {
		req, out := setupFiles(t, creds)
		req.Serial = "arn:aws:iam::123456789012:mfa/alice"
		req.Pair, req.Keyring = "default", "aws-mfa"
		d := deps(&fakeDevices{}, out)
		store := memStore{}
		d.Store = store
		_, err := Run(context.Background(), req, d)
		if err == nil || !strings.Contains(err.Error(), "[DEFAULT] in "+req.Paths.Credentials+" holds the secret key of AKIA…0001") || strings.Contains(err.Error(), secret) {
			t.Errorf("%s: %v", creds, err)
		}
		if got, _ := os.ReadFile(req.Paths.Credentials); string(got) != creds || len(store) != 0 {
			t.Errorf("%s: changed: %s %v", creds, got, store)
		}
		if _, err := os.Stat(req.ConfigPath); err == nil {
			t.Errorf("%s: config written", creds)
		}
	}
}
