package setup

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
)

// TestSetupGivesTheSourceTheRegion runs the docs' flow: `aws configure`
// (keys in [default] of the credentials file, its region in the config
// file), setup, then a refresh to a target other than [default]. Botocore
// must then find the user's region for that target, so that `aws
// --profile prod-session` runs; a region the source has already, in
// either file, even an empty one, is never replaced, and one no tool could
// use is not copied.
func TestSetupGivesTheSourceTheRegion(t *testing.T) {
	t.Parallel() // its own files; botocore, shared, answers one at a time
	bc := peers.StartBotocore(t)
	const keys = "aws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n"
	const serial = "arn:aws:iam::123456789012:mfa/alice"
	emu := stsemu.Start(stsemu.User{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret", Serial: serial, Code: "314159"})
	t.Cleanup(emu.Close)
	for _, tc := range []struct {
		name, creds, config string
		want                string // botocore's region for [prod-session] after the refresh
		dryRun              string // in setup --dry-run's diff; "" for no region line
	}{
		{name: "docs: aws configure's [default] in config", creds: "[default]\n" + keys,
			config: "[default]\nregion = eu-west-1\noutput = json\n", want: "eu-west-1", dryRun: "+region = eu-west-1\n"},
		{name: "config [DEFAULT] inherited by [default]", creds: "[default]\n" + keys,
			config: "[DEFAULT]\nregion = sa-east-1\n\n[default]\noutput = json\n", want: "sa-east-1", dryRun: "+region = sa-east-1\n"},
		{name: "target's region in the credentials file beats config", creds: "[default]\n" + keys + "region = eu-central-1\n",
			config: "[default]\nregion = eu-west-1\n", want: "eu-central-1", dryRun: "+region = eu-central-1\n"},
		{name: "source's own region in config kept", creds: "[default]\n" + keys,
			config: "[default]\nregion = eu-west-1\n\n[profile aws-mfa]\nregion = us-west-2\n", want: "us-west-2"},
		{name: "source's own region in credentials kept", creds: "[aws-mfa]\nregion = ap-south-1\n\n[default]\n" + keys,
			config: "[default]\nregion = eu-west-1\n", want: "ap-south-1"},
		{name: "source's empty region kept", creds: "[aws-mfa]\nregion =\n\n[default]\n" + keys,
			config: "[default]\nregion = eu-west-1\n", want: ""},
		{name: "a region no tool could use", creds: "[default]\n" + keys,
			config: "[default]\nregion = eu-west-1 $(touch x)\n", want: ""},
		{name: "no config file", creds: "[default]\n" + keys, want: ""},
	} {
		// setup --keyring (the keys in a keyring item) gives the source the
		// same region as plain setup.
		for _, item := range []string{"", "aws-mfa"} {
			req, out := setupFiles(t, tc.creds)
			req.Serial, req.Keyring = serial, item
			if item != "" {
				req.Pair = "default" // as OpenKeyring names the built-in pair
			}
			if tc.config != "" {
				if err := os.WriteFile(req.Paths.Config, []byte(tc.config), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			d, store := deps(&fakeDevices{}, out), memStore{}
			d.Store = store
			req.DryRun = true
			if _, err := Run(context.Background(), req, d); err != nil {
				t.Fatalf("%s %s: dry run: %v", tc.name, item, err)
			}
			if got := regionLine(out.String()); got != tc.dryRun {
				t.Errorf("%s %s: the dry run shows %q, want %q:\n%s", tc.name, item, got, tc.dryRun, out)
			}
			req.DryRun = false
			if _, err := Run(context.Background(), req, d); err != nil {
				t.Fatalf("%s %s: setup: %v", tc.name, item, err)
			}
			_, err := exporter.Obtain(context.Background(), exporter.Request{
				Paths: req.Paths, Timeout: 5 * time.Second,
				Pair: config.Pair{Source: "aws-mfa", Target: "prod-session", Duration: time.Hour, Margin: 10 * time.Minute, Endpoint: emu.URL, Write: true, Keyring: item},
			}, exporter.Deps{Now: time.Now, Token: func(string) (string, error) { return "314159", nil }, Keyring: func(item string) (awscred.Keys, error) { return store[item], nil }})
			if err != nil {
				t.Fatalf("%s %s: refresh: %v", tc.name, item, err)
			}
			creds, _ := os.ReadFile(req.Paths.Credentials)
			config, _ := os.ReadFile(req.Paths.Config)
			v := bc.ReadAll(t, []peers.BotocoreQuery{{Data: creds, Config: config, Target: "prod-session", As: "region"}})[0]
			if v.Region != tc.want {
				t.Errorf("%s %s: botocore reads region %q for [prod-session], want %q:\n%s", tc.name, item, v.Region, tc.want, creds)
			}
		}
	}
}

// regionLine is the dry run's added region line, "" for none.
func regionLine(diff string) string {
	for _, l := range strings.SplitAfter(diff, "\n") {
		if strings.HasPrefix(l, "+region") {
			return l
		}
	}
	return ""
}
