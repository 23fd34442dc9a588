package exporter

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

// foreignWrite is what another program does to the files while aws-mfa
// waits: `aws configure set aws_access_key_id … --profile ci` (a rotated
// key AWS shows only once) and a region given to the target, in its own
// section of the credentials file, saved in place or by rename, as
// editors do, or in the config file, as `aws configure set region` does.
func foreignWrite(t *testing.T, paths credfile.Paths, target, style string) {
	t.Helper()
	path := paths.Credentials
	f, err := credfile.Read(path)
	if err != nil {
		t.Error(err)
		return
	}
	b, err := f.Edit("ci", []credfile.KV{{Key: "aws_access_key_id", Value: rotatedKey}}, nil)
	if err == nil {
		f, err = credfile.Parse(b)
	}
	if err == nil && style != "config" {
		b, err = f.Edit(target, []credfile.KV{{Key: "region", Value: "ap-south-2"}}, nil)
	}
	if err != nil {
		t.Error(err)
		return
	}
	switch style {
	case "config":
		header := map[bool]string{true: "[default]", false: "[profile " + target + "]"}[target == "default"]
		if err = os.WriteFile(path, b, 0o600); err == nil {
			err = os.WriteFile(paths.Config, []byte(header+"\nregion = ap-south-2\n"), 0o600)
		}
	case "in place":
		err = os.WriteFile(path, b, 0o600)
	case "by rename":
		tmp := path + ".swp"
		if err = os.WriteFile(tmp, b, 0o600); err == nil {
			err = os.Rename(tmp, path)
		}
	}
	if err != nil {
		t.Error(err)
	}
}

const rotatedKey = "AKIAROTATEDEXAMPLE01"

// TestOtherWritersSurviveEveryWait: at every point where a refresh waits
// (the keyring, the code, each STS call of a chain), another program
// writes the credentials file, in place and by rename, or gives the
// target a region in the config file. botocore then reads both that
// program's change and the new session: the refresh made its edit on
// the files as they were after the wait, not before. The source's
// region, which a refresh gives a target without one, must not hide it.
func TestOtherWritersSurviveEveryWait(t *testing.T) {
	b := peers.StartBotocore(t)
	waits := []string{"keyring", "code", "STS call 1 of 3", "STS call 2 of 3", "STS call 3 of 3"}
	for _, wait := range waits {
		for _, style := range []string{"in place", "by rename", "config"} {
			t.Run(wait+" "+style, func(t *testing.T) {
				// The source has a region; the target, where the region
				// goes to the config, none of its own.
				creds := strings.Replace(aliceFile, "region = eu-west-1\n", map[bool]string{true: "", false: "region = eu-west-1\n"}[style == "config"], 1)
				creds = strings.Replace(creds, "[aws-mfa]\n", "[aws-mfa]\nregion = us-east-2\n", 1)
				fx := setup(t, creds+"\n[ci]\naws_access_key_id = AKIAOLDCIKEYEXAMPLE1\naws_secret_access_key = ci/secret\n")
				realClock(fx)
				req := fx.req
				if strings.HasPrefix(wait, "STS") {
					prod := chained(fx, &fx.req, "prod")
					req = chained(fx, &prod, "prod2")
				}
				var once sync.Once
				write := func() { once.Do(func() { foreignWrite(t, req.Paths, req.Target, style) }) }
				switch wait {
				case "keyring":
					req.Keyring = "alice"
					fx.deps.Keyring = func(string) (awscred.Keys, error) {
						write()
						return awscred.Keys{AccessKeyID: alice.AccessKeyID, SecretAccessKey: alice.SecretAccessKey}, nil
					}
				case "code":
					fx.deps.Token = func(string) (string, error) {
						write()
						return alice.Code, nil
					}
				default:
					var n atomic.Int32 // each request is served on its own goroutine
					fx.sts.SetBefore(func(string) {
						if strings.HasPrefix(wait, fmt.Sprintf("STS call %d ", n.Add(1))) {
							write()
						}
					})
				}
				res, err := Obtain(context.Background(), req, fx.deps)
				if err != nil {
					t.Fatal(err)
				}
				data := []byte(fx.file(t))
				cfg, _ := os.ReadFile(req.Paths.Config)
				views := b.ReadAll(t, []peers.BotocoreQuery{{Data: data, Target: req.Target}, {Data: data, Config: cfg, Target: req.Target, As: "region"}})
				got := views[0]
				if got.Target == nil || got.Target.Key != res.AccessKeyID || got.Target.Token != res.SessionToken {
					t.Fatalf("botocore does not read the new session in [%s]:\n%s", req.Target, data)
				}
				if got.Sections["ci"]["aws_access_key_id"] != rotatedKey {
					t.Fatalf("the key written to [ci] meanwhile is lost:\n%s", data)
				}
				if views[1].Region != "ap-south-2" || res.Region != "ap-south-2" || !res.OwnRegion {
					t.Fatalf("the region written to [%s] meanwhile: botocore reads %q, aws-mfa reports %q:\n%s", req.Target, views[1].Region, res.Region, data)
				}
			})
		}
	}
}

// TestGuardRunsAgainAfterTheWait: while the code is asked for, another
// program puts long-term keys found nowhere else into the target: the
// refresh, which checked the target before the wait, checks it again on
// the file it edits, and refuses.
func TestGuardRunsAgainAfterTheWait(t *testing.T) {
	fx := setup(t, aliceFile)
	realClock(fx)
	var keys []byte
	fx.deps.Token = func(string) (string, error) {
		f, _ := credfile.Read(fx.path)
		keys, _ = f.Edit("default", []credfile.KV{{Key: "aws_access_key_id", Value: rotatedKey}, {Key: "aws_secret_access_key", Value: "only/copy"}}, nil)
		os.WriteFile(fx.path, keys, 0o600)
		return alice.Code, nil
	}
	_, err := Obtain(context.Background(), fx.req, fx.deps)
	if err == nil || !strings.Contains(err.Error(), "holds long-term keys") {
		t.Fatalf("err = %v", err)
	}
	if fx.file(t) != string(keys) {
		t.Errorf("credentials:\n%s", fx.file(t))
	}
}
