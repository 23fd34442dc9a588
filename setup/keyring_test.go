package setup

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/config"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
	"github.com/aws-mfa/aws-mfa/keyring"
)

// memStore is a keyring in memory: these tests are about which profiles
// of the file lose the keys; keyring_test.go at the root runs the real
// backends.
type memStore map[string]awscred.Keys

func (m memStore) Get(_ context.Context, item string) (awscred.Keys, error) {
	k, ok := m[item]
	if !ok {
		return k, keyring.ErrNotFound
	}
	return k, nil
}

func (m memStore) Put(_ context.Context, item string, k awscred.Keys) error {
	m[item] = k
	return nil
}

func (m memStore) Delete(_ context.Context, item string) error {
	delete(m, item)
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
		{name: "commented copy", creds: "[default]\n" + keys + "#aws_secret_access_key = " + secret + "\n" + others, cleared: "[default]", comment: "line 2"},
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
			if store["aws-mfa"] != (awscred.Keys{AccessKeyID: id, SecretAccessKey: secret}) {
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
			if tc.comment != "" && !strings.Contains(out.String(), "is still in plaintext in "+req.Paths.Credentials+" ("+tc.comment+")") {
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

// TestSetupKeyringCoversEveryPairOfTheSource: the keys leave the file for
// every pair that read them there, so each such pair names the item (and
// the backend the keys went to); a pair of another source, a chained pair
// and a pair that names its own item are left as they were, as is every
// other byte of the config. (It was refused or broke the other pairs:
// "lacks aws_access_key_id".)
func TestSetupKeyringCoversEveryPairOfTheSource(t *testing.T) {
	t.Parallel()
	const id, secret = "AKIAALICEEXAMPLE0001", "alice/secret"
	req, out := setupFiles(t, "[aws-mfa]\naws_access_key_id = "+id+"\naws_secret_access_key = "+secret+"\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[copy]\naws_access_key_id = "+id+"\naws_secret_access_key = "+secret+"\n")
	os.MkdirAll(filepath.Dir(req.ConfigPath), 0o700)
	const cfg = "# mine\n[defaults]\nkeyring_backend = \"pass\"\n\n[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\" # the daily one\n\n" +
		"[pair.ci]\nsource = \"aws-mfa\"\ntarget = \"ci\"\nkeyring_backend = \"os\"\n\n[pair.fromcopy]\nsource = \"copy\"\ntarget = \"c\"\n\n" +
		"[pair.other]\nsource = \"other\"\ntarget = \"o\"\n\n[pair.own]\nsource = \"aws-mfa\"\ntarget = \"own\"\nkeyring = \"elsewhere\"\n\n" +
		"[pair.prod]\nsource_pair = \"work\"\ntarget = \"prod\"\nrole_arn = \"arn:aws:iam::123456789012:role/admin\"\n"
	os.WriteFile(req.ConfigPath, []byte(cfg), 0o600)
	req.Pair, req.Keyring, req.KeyringBackend = "work", "aws-mfa", "pass"
	req.Source, req.Target = "aws-mfa", "work"
	d := deps(&fakeDevices{}, out)
	store := memStore{}
	d.Store = store
	if _, err := Run(context.Background(), req, d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	data, _ := os.ReadFile(req.ConfigPath)
	got, err := config.Parse(req.ConfigPath, data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	want := map[string][2]string{"work": {"aws-mfa", "pass"}, "ci": {"aws-mfa", "pass"}, "fromcopy": {"aws-mfa", "pass"}, "default": {"aws-mfa", "pass"},
		"other": {"", "pass"}, "own": {"elsewhere", "pass"}, "prod": {"", "pass"}}
	for _, p := range got.Pairs {
		if w, ok := want[p.Name]; !ok || p.Keyring != w[0] || p.KeyringBackend != w[1] {
			t.Errorf("[pair.%s] keyring %q %q, want %q", p.Name, p.Keyring, p.KeyringBackend, w)
		}
		delete(want, p.Name)
	}
	if len(want) != 0 || !strings.HasPrefix(string(data), "# mine\n") || !strings.Contains(string(data), "target = \"work\" # the daily one\n") {
		t.Errorf("missing %v; config:\n%s", want, data)
	}
	if creds, _ := os.ReadFile(req.Paths.Credentials); strings.Contains(string(creds), secret) || store["aws-mfa"].SecretAccessKey != secret {
		t.Errorf("credentials:\n%s\nkeyring %v", creds, store)
	}
	// Again: nothing left to change.
	out.Reset()
	req.DryRun = true
	if _, err := Run(context.Background(), req, d); err != nil || !strings.Contains(out.String(), "nothing to change") {
		t.Errorf("again: %v\n%s", err, out)
	}
}

// raceStore is memStore in which item vanishes right after Put, as when
// keyring export --delete runs between setup --keyring's steps.
type raceStore struct{ memStore }

func (r raceStore) Put(ctx context.Context, item string, k awscred.Keys) error {
	delete(r.memStore, item)
	return nil
}

// TestSetupKeyringRacingExportKeepsTheKeys: the keyring loses the item
// after setup stored it (keyring export --delete, which took the keys from
// the file in between): setup reads the item back under the file's lock
// before removing the keys, so it fails with the keys still in the file.
// (Both exited 0 with the keys in neither place.)
func TestSetupKeyringRacingExportKeepsTheKeys(t *testing.T) {
	t.Parallel()
	const creds = "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
	req, out := setupFiles(t, creds)
	req.Pair, req.Keyring = "default", "aws-mfa"
	d := deps(&fakeDevices{}, out)
	d.Store = raceStore{memStore{}}
	_, err := Run(context.Background(), req, d)
	if err == nil || !strings.Contains(err.Error(), "memory item aws-mfa no longer holds the keys AKIA…0001") || strings.Contains(err.Error(), "alice/secret") {
		t.Fatalf("got %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(req.Paths.Credentials); string(got) != creds {
		t.Errorf("credentials:\n%s", got)
	}
}

// outHook calls fn once when a line containing at is written.
type outHook struct {
	bytes.Buffer
	at string
	fn func()
}

func (h *outHook) Write(p []byte) (int, error) {
	if h.fn != nil && strings.Contains(string(p), h.at) {
		h.fn()
		h.fn = nil
	}
	return h.Buffer.Write(p)
}

// TestExportRacingSetupKeepsTheItem: keyring export --delete writes the
// keys to the file, and setup --keyring removes them again before the
// item is deleted: export reads the file back under its lock before the
// delete, so it fails with the item kept. Without --delete, and with it
// when nothing races, the pairs that named the item read the profile.
func TestExportRacingSetupKeepsTheItem(t *testing.T) {
	t.Parallel()
	keys := awscred.Keys{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret"}
	const creds = "[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
	const cfg = "[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\n\n[pair.ci]\nsource = \"aws-mfa\"\ntarget = \"ci\"\nkeyring = \"alice\"\n"
	for _, race := range []bool{false, true} {
		req, _ := setupFiles(t, creds)
		os.MkdirAll(filepath.Dir(req.ConfigPath), 0o700)
		os.WriteFile(req.ConfigPath, []byte(cfg), 0o600)
		store := memStore{"alice": keys}
		out := &outHook{at: "wrote the keys"}
		if race {
			out.fn = func() { os.WriteFile(req.Paths.Credentials, []byte(creds), 0o600) }
		}
		c, _ := config.Parse(req.ConfigPath, []byte(cfg))
		p, _ := c.Select("default")
		err := Export(context.Background(), ExportRequest{Paths: req.Paths, ConfigPath: req.ConfigPath, Pair: p, Delete: true}, Deps{Out: out, Store: store})
		got, _ := os.ReadFile(req.Paths.Credentials)
		if race {
			if err == nil || !strings.Contains(err.Error(), "no longer holds the keys AKIA…0001; memory item alice is kept") || store["alice"] != keys {
				t.Errorf("raced: %v, keyring %v\n%s", err, store, got)
			}
			continue
		}
		if err != nil || len(store) != 0 || !strings.Contains(string(got), "aws_secret_access_key = alice/secret\n") {
			t.Fatalf("%v, keyring %v\n%s\n%s", err, store, got, out)
		}
		data, _ := os.ReadFile(req.ConfigPath)
		if want := strings.ReplaceAll(cfg, "keyring = \"alice\"\n", ""); string(data) != want {
			t.Errorf("config:\n%s\nwant:\n%s", data, want)
		}
	}
}

// TestOpenKeyringKeepsANewPairsName: setup --keyring -p new with
// --source and --target adds pair new, whatever the config holds; without
// -p the pair is the config's for the profiles, else the built-in one.
// (new was renamed to the built-in pair's name.)
func TestOpenKeyringKeepsANewPairsName(t *testing.T) {
	t.Parallel()
	const creds = "[s]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
	for _, tc := range []struct{ cfg, without, added string }{
		{"", "default", "+[pair.new]\n"}, // no config file
		{"[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n", "default", "+[pair.new]\n"},
		{"[defaults]\npair = \"work\"\n\n[pair.work]\nsource = \"s\"\ntarget = \"work\"\n", "default", "+[pair.new]\n"},
		{"[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\n", "default", "+[pair.new]\n"},
		{"[pair.other]\nsource = \"s\"\ntarget = \"t\"\n", "other", "pairs new and other both write [t]"},
	} {
		for _, pair := range []string{"new", ""} {
			req, out := setupFiles(t, creds)
			if tc.cfg != "" {
				os.MkdirAll(filepath.Dir(req.ConfigPath), 0o700)
				os.WriteFile(req.ConfigPath, []byte(tc.cfg), 0o600)
			}
			req.Pair, req.Source, req.Target, req.DryRun = pair, "s", "t", true
			_, err := OpenKeyring(&req, true, true, time.Second)
			if want := cmp.Or(pair, tc.without); err != nil || req.Pair != want || req.Keyring != "s" {
				t.Errorf("-p %q in %q: pair %q item %q, %v; want pair %s", pair, tc.cfg, req.Pair, req.Keyring, err, want)
				continue
			}
			if pair == "" {
				continue
			}
			d := deps(&fakeDevices{}, out)
			d.Store = memStore{}
			_, err = Run(context.Background(), req, d)
			if got := fmt.Sprint(out, err); !strings.Contains(got, tc.added) {
				t.Errorf("-p new in %q: want %q in\n%s", tc.cfg, tc.added, got)
			}
		}
	}
}

// TestSetupKeyringOfARolePair: setup --keyring -p NAME, as keyring.md and
// doctor's fixes show it, moves the keys of a role pair (or one with an
// external id) that is in the config, rather than refusing a pair
// "already mapped" differently: -p alone names the pair as it is.
func TestSetupKeyringOfARolePair(t *testing.T) {
	t.Parallel()
	req, out := setupFiles(t, "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n")
	os.MkdirAll(filepath.Dir(req.ConfigPath), 0o700)
	os.WriteFile(req.ConfigPath, []byte("[pair.prod]\nsource = \"aws-mfa\"\ntarget = \"prod-session\"\nrole_arn = \"arn:aws:iam::123456789012:role/admin\"\nexternal_id = \"x-1\"\n"), 0o600)
	req.Pair, req.KeyringBackend = "prod", "pass"
	if _, err := OpenKeyring(&req, false, false, time.Second); err != nil {
		t.Fatal(err)
	}
	d := deps(&fakeDevices{}, out)
	d.Store = memStore{}
	if _, err := Run(context.Background(), req, d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if cfg, _ := os.ReadFile(req.ConfigPath); !strings.Contains(string(cfg), "[pair.prod]\nkeyring = \"aws-mfa\"") || !strings.Contains(string(cfg), "role_arn") {
		t.Errorf("config:\n%s", cfg)
	}
}

// TestExportToAnotherProfileCarriesTheDevice: keyring export --profile
// points the pairs at that profile, so it gets the source's mfa_serial
// and region with the keys (a refresh needs the device), but keeps a
// value of its own; botocore reads the keys from it.
func TestExportToAnotherProfileCarriesTheDevice(t *testing.T) {
	t.Parallel()
	keys := awscred.Keys{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret"}
	const creds = "[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n"
	const cfg = "[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\n"
	for _, tc := range []struct{ own, want string }{
		{"", "\n[work-keys]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n"},
		{"[work-keys]\nregion = us-east-2\n", "[work-keys]\nregion = us-east-2\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"},
	} {
		req, out := setupFiles(t, creds+tc.own)
		os.MkdirAll(filepath.Dir(req.ConfigPath), 0o700)
		os.WriteFile(req.ConfigPath, []byte(cfg), 0o600)
		c, _ := config.Parse(req.ConfigPath, []byte(cfg))
		p, _ := c.Select("default")
		if err := Export(context.Background(), ExportRequest{Paths: req.Paths, ConfigPath: req.ConfigPath, Pair: p, Profile: "work-keys"}, Deps{Out: out, Store: memStore{"alice": keys}}); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(req.Paths.Credentials)
		if want := creds + tc.want; string(got) != want {
			t.Errorf("credentials:\n%s\nwant:\n%s", got, want)
		}
		data, _ := os.ReadFile(req.ConfigPath)
		if after, err := config.Parse(req.ConfigPath, data); err != nil || after.Pairs[0].Source != "work-keys" {
			t.Errorf("config:\n%s", data)
		}
	}
}

// TestSetupKeyringWritesTheRoleProfile: setup --keyring for a role pair
// writes its [profile NAME] with credential_process, as setup without
// --keyring does, so that the "every AWS tool can use it" it prints holds;
// a dry run shows it.
func TestSetupKeyringWritesTheRoleProfile(t *testing.T) {
	t.Parallel()
	for _, dry := range []bool{true, false} {
		req, out := setupFiles(t, "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n")
		req.Pair, req.Target, req.Keyring, req.DryRun = "work", "work-session", "aws-mfa", dry
		req.Serial, req.RoleARN, req.Process = "arn:aws:iam::123456789012:mfa/alice", "arn:aws:iam::123456789012:role/admin", "aws-mfa env --format json -p work"
		d := deps(&fakeDevices{}, out)
		d.Store = memStore{}
		if _, err := Run(context.Background(), req, d); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(req.Paths.Config)
		if want := "[profile work]\ncredential_process = aws-mfa env --format json -p work\n"; dry && (len(got) != 0 || !strings.Contains(out.String(), "+[profile work]\n")) || !dry && string(got) != want {
			t.Errorf("dry run %v: AWS config %q\n%s", dry, got, out)
		}
		if dry {
			continue
		}
		// The keys have moved: a dry run shows the profile alone, gone
		// from the AWS config, and not that nothing would change.
		os.WriteFile(req.Paths.Config, nil, 0o600)
		out.Reset()
		req.DryRun = true
		if _, err := Run(context.Background(), req, d); err != nil || strings.Contains(out.String(), "nothing to change") || !strings.Contains(out.String(), "+[profile work]\n") {
			t.Errorf("dry run after the move: %v\n%s", err, out)
		}
	}
}
