//go:build linux

package setup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/testkit/keyringd"
	"github.com/aws-mfa/aws-mfa/keyring"
)

// TestDoctorKeyring runs doctor on pairs whose keys are in a real pass
// store. (The locked Secret Service case runs the binary, in the main
// package's TestDoctorKeyringLocked.)
func TestDoctorKeyring(t *testing.T) {
	keyringd.Pass(t)
	store, _ := keyring.Open(keyring.Pass, 30*time.Second)
	if err := store.Put(context.Background(), "alice", awscred.Keys{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret"}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	const moved = "[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
	const pair = "[defaults]\nkeyring_backend = \"pass\"\n[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\n"
	cases := []struct {
		name, creds, config, store string
		files                      map[string]string // more files beside the credentials
		problem, fix               string            // "" for healthy
	}{
		{name: "a copy in the AWS config", creds: moved, config: pair, files: map[string]string{"config": "[profile old]\naws_secret_access_key = alice/secret\n"},
			problem: "config (line 2) holds the secret key of AKIA…0001, kept in pass item aws-mfa/alice, in plaintext", fix: "rotate the access key: aws-mfa rotate"},
		{name: "a copy in a backup", creds: moved, config: pair, files: map[string]string{"credentials.aws-mfa-backup-20261101T000000Z": "[default]\naws_secret_access_key = alice/secret\n", "sub/other": "no key here", "sub/big": strings.Repeat("x", 5<<20)},
			problem: "credentials.aws-mfa-backup-20261101T000000Z (line 2) holds the secret key", fix: "delete this backup of aws-mfa's: rm "},
		{name: "another pair of the source lost its keys to the keyring", creds: moved, config: pair + "[pair.ci]\nsource = \"aws-mfa\"\ntarget = \"ci\"\n",
			problem: "pair ci: [aws-mfa] lacks long-term keys", fix: `its keys are in keyring item alice (pair default): add keyring = "alice" and keyring_backend = "pass" to [pair.ci]`},
		{name: "healthy", creds: moved, config: pair},
		{name: "no source profile, serial in the pair", creds: "# empty\n", config: pair + "mfa_serial = \"arn:aws:iam::123456789012:mfa/alice\"\n"},
		{name: "no serial anywhere", creds: "# empty\n", config: pair, problem: "has no mfa_serial", fix: "aws-mfa setup --keyring"},
		{name: "keys in both places", creds: moved + "aws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n", config: pair,
			problem: "[aws-mfa] still holds long-term keys AKIA…0001 in plaintext, beside pass item aws-mfa/alice", fix: "aws-mfa setup --keyring (compares them"},
		{name: "a new key in the target", creds: moved + "[default]\naws_access_key_id = AKIAALICENEWKEY00002\naws_secret_access_key = alice/new\n", config: pair,
			problem: "[default] holds long-term keys", fix: "if they are the IAM user's new key, run `aws-mfa keyring export --delete`, enter it with `aws configure --profile aws-mfa`, then run `aws-mfa setup --keyring`"},
		{name: "a copy of the item's keys in the target", creds: moved + "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n", config: pair,
			problem: "[default] holds long-term keys", fix: "aws-mfa setup --keyring (moves them to the item, or drops this copy of its keys)"},
		{name: "a new key in the target of a pair default that is not the default", creds: moved + "[wk]\naws_access_key_id = AKIAWORKEXAMPLE00003\naws_secret_access_key = w\nmfa_serial = arn:aws:iam::123456789012:mfa/w\n[default]\naws_access_key_id = AKIAALICENEWKEY00002\naws_secret_access_key = alice/new\n",
			config:  strings.Replace(pair, "[defaults]\n", "[defaults]\npair = \"work\"\n", 1) + "[pair.work]\nsource = \"wk\"\ntarget = \"work\"\n",
			problem: "pair default: [default] holds long-term keys", fix: "run `aws-mfa keyring export --delete -p default`, enter it with `aws configure --profile aws-mfa`, then run `aws-mfa setup --keyring`"},
		{name: "item missing", creds: moved, config: strings.Replace(pair, `"alice"`, `"bob"`, 1), problem: "pass item aws-mfa/bob is missing", fix: "aws-mfa setup --keyring"},
		{name: "no store", creds: moved, config: pair, store: "/nonexistent/store", problem: "no password store at /nonexistent/store", fix: "pass show"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.store != "" {
				t.Setenv("PASSWORD_STORE_DIR", tc.store)
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "credentials")
			os.WriteFile(path, []byte(tc.creds), 0o600)
			cfg := filepath.Join(dir, "config.toml")
			os.WriteFile(cfg, []byte(tc.config), 0o600)
			for name, data := range tc.files {
				os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o700)
				os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600)
			}
			findings := Doctor(Checkup{
				Paths:  credfile.Paths{Credentials: path, Config: filepath.Join(dir, "config")},
				Config: config.Location{Path: cfg},
				Getenv: withRegion(nil),
				Now:    now,
			})
			for _, f := range findings {
				if strings.Contains(f.What+f.Fix, "alice/secret") {
					t.Errorf("finding carries the secret: %+v", f)
				}
			}
			wantOneFinding(t, findings, tc.problem, tc.fix)
		})
	}
}

// TestDoctorSetupFixOfAKeyringRolePair: the setup doctor names for a pair
// whose keys are in a keyring names the pair, so that setup --keyring
// takes it as it is: --source and --target would make a pair without its
// role, which setup refuses.
func TestDoctorSetupFixOfAKeyringRolePair(t *testing.T) {
	p := config.Pair{Name: "prod", Source: "aws-mfa", Target: "prod-session", RoleARN: "arn:aws:iam::123456789012:role/admin", Keyring: "aws-mfa"}
	if got := setupCommand(Checkup{}, p); got != "aws-mfa setup --keyring -p prod" {
		t.Errorf("got %q", got)
	}
	// A pair named default with profiles of its own is no built-in pair,
	// which setup finds by [aws-mfa] and [default].
	p = config.Pair{Name: "default", Source: "dev-keys", Target: "dev", Keyring: "dev-keys"}
	if got := setupCommand(Checkup{}, p); got != "aws-mfa setup --keyring -p default" {
		t.Errorf("got %q", got)
	}
}

// TestDoctorKeyringItemMissingAndKeysInTheTarget: with the item missing
// (a config copied to a new machine, then aws configure), doctor names
// setup --keyring, which stores the target's keys there, and never the
// new-key steps, whose keyring export would fail on the missing item.
func TestDoctorKeyringItemMissingAndKeysInTheTarget(t *testing.T) {
	keyringd.Pass(t)
	fixes := doctorFixes(t, "[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n", "[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"gone\"\nkeyring_backend = \"pass\"\n")
	if len(fixes) == 0 || strings.Contains(strings.Join(fixes, "\n"), "keyring export --delete") || !strings.HasPrefix(fixes[0], "aws-mfa setup --keyring") {
		t.Errorf("fixes: %q", fixes)
	}
}

// TestDoctorKeyringUnreadableItemAndANewKey: the item is there but cannot
// be read (no gpg key to decrypt it), and the target holds other keys:
// doctor gives the new-key steps, which work once the item can be read,
// not setup --keyring, which refuses an item that holds other keys.
func TestDoctorKeyringUnreadableItemAndANewKey(t *testing.T) {
	keyringd.Pass(t)
	store, _ := keyring.Open(keyring.Pass, 30*time.Second)
	if err := store.Put(context.Background(), "alice", awscred.Keys{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GNUPGHOME", t.TempDir())
	fixes := doctorFixes(t, "[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[default]\naws_access_key_id = AKIAALICENEWKEY00002\naws_secret_access_key = alice/new\n", "[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\nkeyring_backend = \"pass\"\n")
	if all := strings.Join(fixes, "\n"); !strings.Contains(all, "keyring export --delete") {
		t.Errorf("fixes: %q", fixes)
	}
}

// TestDoctorKeyringItemMissingAndANewKey: no item yet, the old key still
// in the source and a new one in the target: setup --keyring refuses to
// choose, so doctor names the step that puts the new key in the source
// (keyring export has no item to export).
func TestDoctorKeyringItemMissingAndANewKey(t *testing.T) {
	keyringd.Pass(t)
	fixes := doctorFixes(t, "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[default]\naws_access_key_id = AKIAALICENEWKEY00002\naws_secret_access_key = alice/new\n", "[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"gone\"\nkeyring_backend = \"pass\"\n")
	if all := strings.Join(fixes, "\n"); !strings.Contains(all, "if they are the IAM user's new key, enter it with `aws configure --profile aws-mfa`") || strings.Contains(all, "keyring export --delete") {
		t.Errorf("fixes: %q", fixes)
	}
}

// TestDoctorKeyringOtherKeysBesideAnItem: the item holds the old key, the
// source and the target hold others in plaintext: the new-key steps start
// with keyring export --delete, since setup --keyring refuses an item
// that holds other keys.
func TestDoctorKeyringOtherKeysBesideAnItem(t *testing.T) {
	keyringd.Pass(t)
	store, _ := keyring.Open(keyring.Pass, 30*time.Second)
	if err := store.Put(context.Background(), "alice", awscred.Keys{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret"}); err != nil {
		t.Fatal(err)
	}
	fixes := doctorFixes(t, "[aws-mfa]\naws_access_key_id = AKIAALICEOTHER000003\naws_secret_access_key = alice/other\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[default]\naws_access_key_id = AKIAALICENEWKEY00002\naws_secret_access_key = alice/new\n", "[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\nkeyring_backend = \"pass\"\n")
	if all := strings.Join(fixes, "\n"); !strings.Contains(all, "if they are the IAM user's new key, run `aws-mfa keyring export --delete`") {
		t.Errorf("fixes: %q", fixes)
	}
}

// doctorFixes runs doctor on a credentials file and an aws-mfa config of
// these contents and returns the fixes it names.
func doctorFixes(t *testing.T, creds, cfg string) (fixes []string) {
	dir := t.TempDir()
	path, cfgPath := filepath.Join(dir, "credentials"), filepath.Join(dir, "config.toml")
	os.WriteFile(path, []byte(creds), 0o600)
	os.WriteFile(cfgPath, []byte(cfg), 0o600)
	for _, f := range Doctor(Checkup{Paths: credfile.Paths{Credentials: path, Config: filepath.Join(dir, "config")}, Config: config.Location{Path: cfgPath}, Getenv: withRegion(nil), Now: time.Now()}) {
		if !f.OK {
			fixes = append(fixes, f.Fix)
		}
	}
	return fixes
}
