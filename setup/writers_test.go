package setup

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

// waitingDevices and waitingStore run during each call what happens
// while setup waits there.
type waitingDevices struct {
	*fakeDevices
	during func()
}

func (w waitingDevices) List(ctx context.Context, k awscred.Keys) ([]string, error) {
	w.during()
	return w.fakeDevices.List(ctx, k)
}

type waitingStore struct {
	memStore
	get, put func()
}

func (w waitingStore) Get(ctx context.Context, item string) (awscred.Keys, error) {
	w.get()
	return w.memStore.Get(ctx, item)
}

func (w waitingStore) Put(ctx context.Context, item string, k awscred.Keys) error {
	w.put()
	return w.memStore.Put(ctx, item, k)
}

// rewrite is another program writing path: in place, or by rename as
// editors save.
func rewrite(t *testing.T, path, style string, edit func([]byte) []byte) {
	t.Helper()
	old, err := os.ReadFile(path)
	if err != nil {
		t.Error(err)
		return
	}
	if style == "in place" {
		err = os.WriteFile(path, edit(old), 0o600)
	} else if err = os.WriteFile(path+".swp", edit(old), 0o600); err == nil {
		err = os.Rename(path+".swp", path)
	}
	if err != nil {
		t.Error(err)
	}
}

// TestOtherWritersSurviveSetup: while setup waits (IAM's device list, the
// keyring's read, its write), another program writes the credentials file
// (a rotated key in [ci], a region in the target) and the config (a hand
// edit), in place and by rename; or gives the source a region in the AWS
// config (aws configure set region), which the target's, that setup
// copies with the keys, must not hide. Both changes survive: botocore
// reads them beside setup's, and the config holds both the hand edit and
// setup's pair.
func TestOtherWritersSurviveSetup(t *testing.T) {
	bc := peers.StartBotocore(t)
	const rotated = "AKIAROTATEDEXAMPLE01"
	const hand = "\n# by hand\n[pair.ci]\nsource = \"ci\"\ntarget = \"ci-mfa\"\n"
	for _, wait := range []string{"device list", "keyring read", "keyring write"} {
		for _, style := range []string{"in place", "by rename", "AWS config"} {
			t.Run(wait+" "+style, func(t *testing.T) {
				req, out := setupFiles(t, afterConfigure+"[ci]\naws_access_key_id = AKIAOLDCIKEYEXAMPLE1\naws_secret_access_key = ci/secret\n")
				os.MkdirAll(strings.TrimSuffix(req.ConfigPath, "/config.toml"), 0o700)
				os.WriteFile(req.ConfigPath, []byte("# mine\n"), 0o600)
				req.Pair = "work"
				var once sync.Once
				write := func() {
					once.Do(func() {
						rewrite(t, req.Paths.Credentials, style, func(b []byte) []byte {
							f, _ := credfile.Parse(b)
							b, _ = f.Edit("ci", []credfile.KV{{Key: "aws_access_key_id", Value: rotated}}, nil)
							f, _ = credfile.Parse(b)
							if style != "AWS config" {
								b, _ = f.Edit(req.Target, []credfile.KV{{Key: "region", Value: "ap-south-2"}}, nil)
							}
							return b
						})
						rewrite(t, req.ConfigPath, style, func(b []byte) []byte { return append(b, hand...) })
						if style == "AWS config" {
							os.WriteFile(req.Paths.Config, []byte("[profile "+req.Source+"]\nregion = ap-south-2\n"), 0o600)
						}
					})
				}
				dev := &fakeDevices{serials: []string{"arn:aws:iam::123456789012:mfa/alice"}}
				d := deps(dev, out)
				d.Devices = waitingDevices{dev, func() {
					if wait == "device list" {
						write()
					}
				}}
				if wait != "device list" {
					req.Serial = "arn:aws:iam::123456789012:mfa/alice"
					req.Keyring = "aws-mfa"
					d.Store = waitingStore{memStore{}, func() {
						if wait == "keyring read" {
							write()
						}
					}, func() {
						if wait == "keyring write" {
							write()
						}
					}}
				}
				if _, err := Run(context.Background(), req, d); err != nil {
					t.Fatal(err)
				}
				data, _ := os.ReadFile(req.Paths.Credentials)
				awsConfig, _ := os.ReadFile(req.Paths.Config)
				given := map[bool]string{true: req.Source, false: req.Target}[style == "AWS config"]
				views := bc.ReadAll(t, []peers.BotocoreQuery{{Data: data}, {Data: data, Config: awsConfig, Target: given, As: "region"}})
				if views[0].Sections["ci"]["aws_access_key_id"] != rotated || views[1].Region != "ap-south-2" {
					t.Fatalf("a change made meanwhile is lost (botocore: [ci] %v, region %q)", views[0].Sections["ci"]["aws_access_key_id"], views[1].Region)
				}
				if views[0].Sections[req.Source]["mfa_serial"] != "arn:aws:iam::123456789012:mfa/alice" {
					t.Fatalf("setup's own change is lost: [%s] %v", req.Source, views[0].Sections[req.Source])
				}
				cfgData, _ := os.ReadFile(req.ConfigPath)
				cfg, err := config.Parse(req.ConfigPath, cfgData)
				if err != nil {
					t.Fatal(err)
				}
				ci, err1 := cfg.Select("ci")
				work, err2 := cfg.Select("work")
				if err1 != nil || err2 != nil || ci.Source != "ci" || work.Source != req.Source || work.Keyring != req.Keyring {
					t.Fatalf("config lost a change:\n%s", cfgData)
				}
			})
		}
	}
}

// TestSetupKeyringTwiceAtOnce: two setup --keyring runs for two pairs at
// once, both past their keyring write before either writes the config:
// the config names both items.
func TestSetupKeyringTwiceAtOnce(t *testing.T) {
	creds := "[a-keys]\naws_access_key_id = AKIAAAAAEXAMPLE00001\naws_secret_access_key = a/secret\n" +
		"[b-keys]\naws_access_key_id = AKIABBBBEXAMPLE00002\naws_secret_access_key = b/secret\n"
	base, _ := setupFiles(t, creds)
	var both sync.WaitGroup
	both.Add(2)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, name := range []string{"a", "b"} {
		req := base
		req.Source, req.Target, req.Pair, req.Keyring = name+"-keys", name, name, name+"-keys"
		req.Serial = "arn:aws:iam::123456789012:mfa/" + name
		d := deps(&fakeDevices{}, &bytes.Buffer{})
		d.Store = waitingStore{memStore{}, func() {}, func() { both.Done(); both.Wait() }}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Run(context.Background(), req, d)
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	data, _ := os.ReadFile(base.ConfigPath)
	cfg, err := config.Parse(base.ConfigPath, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b"} {
		if p, err := cfg.Select(name); err != nil || p.Keyring != name+"-keys" {
			t.Errorf("pair %s lost its keyring line:\n%s", name, data)
		}
	}
}

// TestSetupRefusesKeysRotatedMeanwhile: the target's keys, which setup
// copies to the source, are rotated (aws configure set) while IAM lists
// the devices of the old ones: setup changes nothing and says why, and
// the rotated key stays.
func TestSetupRefusesKeysRotatedMeanwhile(t *testing.T) {
	req, out := setupFiles(t, afterConfigure)
	dev := &fakeDevices{serials: []string{"arn:aws:iam::123456789012:mfa/alice"}}
	d := deps(dev, out)
	var rotated []byte
	d.Devices = waitingDevices{dev, func() {
		rewrite(t, req.Paths.Credentials, "by rename", func(b []byte) []byte {
			f, _ := credfile.Parse(b)
			rotated, _ = f.Edit("default", []credfile.KV{{Key: "aws_access_key_id", Value: "AKIAROTATEDEXAMPLE01"}, {Key: "aws_secret_access_key", Value: "new/secret"}}, nil)
			return rotated
		})
	}}
	_, err := Run(context.Background(), req, d)
	if err == nil || !strings.Contains(err.Error(), "changed while setup ran") {
		t.Fatalf("err = %v", err)
	}
	if got, _ := os.ReadFile(req.Paths.Credentials); string(got) != string(rotated) {
		t.Errorf("credentials:\n%s", got)
	}
}

// TestFilesEmptiedMeanwhileAreNotWritten: while setup waits (IAM's device
// list, the keyring's read, its write) or keyring export waits for the
// keyring, another program empties or removes the credentials file, the
// config or the AWS config file (aws configure truncates, then writes).
// Nothing is written into it: the run fails, and the file stays as that
// program left it, never replaced by setup's edit alone; export keeps the
// keyring item.
func TestFilesEmptiedMeanwhileAreNotWritten(t *testing.T) {
	const serial = "arn:aws:iam::123456789012:mfa/alice"
	keys := awscred.Keys{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret"}
	for _, wait := range []string{"device list", "keyring read", "keyring write", "export's keyring read"} {
		for _, file := range []string{"credentials", "config", "AWS config"} {
			for _, how := range []string{"emptied", "removed"} {
				if wait == "export's keyring read" && file == "AWS config" {
					continue // export does not write it
				}
				t.Run(wait+" "+file+" "+how, func(t *testing.T) {
					req, out := setupFiles(t, "# mine\n[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n[ci]\naws_access_key_id = AKIAOLDCIKEYEXAMPLE1\naws_secret_access_key = ci/secret\n")
					os.MkdirAll(filepath.Dir(req.ConfigPath), 0o700)
					os.WriteFile(req.ConfigPath, []byte("# mine\n[pair.ci]\nsource = \"ci\"\ntarget = \"ci-mfa\"\nkeyring = \"alice\"\n"), 0o600)
					os.WriteFile(req.Paths.Config, []byte("[default]\nregion = eu-west-1\n[profile other]\nregion = eu-west-2\n"), 0o600)
					path := map[string]string{"credentials": req.Paths.Credentials, "config": req.ConfigPath, "AWS config": req.Paths.Config}[file]
					var once sync.Once
					empty := func() {
						once.Do(func() {
							if how == "emptied" {
								os.WriteFile(path, nil, 0o600)
							} else {
								os.Remove(path)
							}
						})
					}
					at := func(w string) func() {
						return func() {
							if wait == w {
								empty()
							}
						}
					}
					dev := &fakeDevices{serials: []string{serial}}
					d := deps(dev, out)
					d.Devices = waitingDevices{dev, at("device list")}
					d.Store = waitingStore{memStore{}, at("keyring read"), at("keyring write")}
					// A role pair: setup writes all three files.
					req.Pair, req.Target, req.RoleARN, req.Process = "work", "work-session", "arn:aws:iam::123456789012:role/admin", "aws-mfa env --format json -p work"
					var err error
					switch wait {
					case "device list":
						_, err = Run(context.Background(), req, d)
					case "export's keyring read":
						store := memStore{"alice": keys}
						d.Store = waitingStore{store, empty, func() {}}
						pair := config.Pair{Name: "ci", Source: "ci", Target: "ci-mfa", Keyring: "alice"}
						err = Export(context.Background(), ExportRequest{Paths: req.Paths, ConfigPath: req.ConfigPath, Pair: pair, Profile: "ci-keys", Delete: true}, d)
						if store["alice"] != keys {
							t.Errorf("the keyring item was deleted")
						}
					default:
						req.Serial, req.Keyring = serial, "aws-mfa"
						_, err = Run(context.Background(), req, d)
					}
					got, readErr := os.ReadFile(path)
					if err == nil || len(got) != 0 || (how == "removed") != os.IsNotExist(readErr) {
						t.Fatalf("err %v; %s holds %q (%v)\n%s", err, file, got, readErr, out)
					}
				})
			}
		}
	}
}
