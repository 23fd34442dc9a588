package exporter

import (
	"cmp"
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

// botocoreRegions asks botocore, with no AWS_REGION in the environment,
// which region get_config_variable("region") gives each (credentials file,
// config file, profile): "" for none.
func botocoreRegions(t *testing.T, files [][3]string) []string {
	t.Helper()
	b := peers.StartBotocore(t)
	var qs []peers.BotocoreQuery
	for _, f := range files {
		creds, err := os.ReadFile(f[0])
		if err != nil {
			t.Fatal(err)
		}
		config, err := os.ReadFile(f[1])
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		qs = append(qs, peers.BotocoreQuery{Data: creds, Config: config, Target: f[2], As: "region"})
	}
	var regions []string
	for _, v := range b.ReadAll(t, qs) {
		regions = append(regions, v.Region)
	}
	return regions
}

// TestRefreshNeverOverridesTheTargetsRegion: a refresh writes a region into
// the target (the pair's, else the source profile's) only when botocore
// would find none for the target in either file, [DEFAULT] included; a
// region the user gave the target is never overridden. Result.Region, which
// env exports, is what botocore then reads for the target, fresh or cached.
func TestRefreshNeverOverridesTheTargetsRegion(t *testing.T) {
	const src = "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
	cases := []struct {
		name       string
		target     string // "" for work
		creds, cfg string // besides src
		srcRegion  string // region in [aws-mfa] of the credentials file
		pair       string // the pair's region
		want       string // botocore's region for the target afterwards
		written    string // the target's region in the credentials file afterwards
		own        bool   // want is the target's own region, not the one written
	}{
		{name: "red team: the source's region in config, the target's own there",
			cfg: "[profile aws-mfa]\nregion = us-west-2\n\n[profile work]\nregion = ap-south-1\n", want: "ap-south-1", own: true},
		{name: "red team: [default] in config", target: "default",
			cfg: "[profile aws-mfa]\nregion = us-west-2\n\n[default]\nregion = ap-south-1\n", want: "ap-south-1", own: true},
		{name: "source region from config, target has none",
			cfg: "[profile aws-mfa]\nregion = us-west-2\n", want: "us-west-2", written: "us-west-2"},
		{name: "source region from credentials, target has none", srcRegion: "eu-west-3", want: "eu-west-3", written: "eu-west-3"},
		{name: "pair region beats the source's", srcRegion: "eu-west-3", pair: "ap-south-1", want: "ap-south-1", written: "ap-south-1"},
		{name: "pair region, target's own in credentials",
			creds: "[work]\nregion = us-west-2\n", pair: "ap-south-1", want: "us-west-2", written: "us-west-2", own: true},
		{name: "pair region, target's own in config",
			cfg: "[profile work]\nregion = eu-north-1\n", pair: "ap-south-1", want: "eu-north-1", own: true},
		{name: "pair region, credentials [DEFAULT] region inherited",
			creds: "[DEFAULT]\nregion = eu-central-1\n", pair: "ap-south-1", want: "eu-central-1", own: true},
		{name: "pair region, config [DEFAULT] inherited by [profile work]",
			cfg: "[DEFAULT]\nregion = sa-east-1\n\n[profile work]\noutput = json\n", pair: "ap-south-1", want: "sa-east-1", own: true},
		{name: "config [DEFAULT] without a [profile work] does not reach it",
			cfg: "[DEFAULT]\nregion = sa-east-1\n", pair: "ap-south-1", want: "ap-south-1", written: "ap-south-1"},
		{name: "credentials beat config for the target",
			creds: "[work]\nregion = us-east-2\n", cfg: "[profile work]\nregion = eu-north-1\n", pair: "ap-south-1", want: "us-east-2", written: "us-east-2", own: true},
		{name: "an empty region is none", creds: "[work]\nregion =\n", pair: "ap-south-1", want: "ap-south-1", written: "ap-south-1"},
		{name: "no region anywhere", want: ""},
	}
	var files [][3]string
	for _, tc := range cases {
		target := cmp.Or(tc.target, "work")
		creds := src + "\n" + tc.creds
		if tc.srcRegion != "" {
			creds = strings.Replace(creds, "mfa_serial", "region = "+tc.srcRegion+"\nmfa_serial", 1)
		}
		fx := setup(t, creds)
		fx.req.Target, fx.req.Region = target, tc.pair
		if tc.cfg != "" {
			if err := os.WriteFile(fx.req.Paths.Config, []byte(tc.cfg), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Obtain(context.Background(), fx.req, fx.deps)
		if err != nil || !res.Written {
			t.Fatalf("%s: %+v, %v", tc.name, res, err)
		}
		cached, err := Obtain(context.Background(), fx.req, fx.deps)
		if err != nil || !cached.Cached {
			t.Fatalf("%s: cached %+v, %v", tc.name, cached, err)
		}
		f, err := credfile.Read(fx.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Section(target).Get("region"); got != tc.written {
			t.Errorf("%s: [%s] has region %q in the credentials file, want %q:\n%s", tc.name, target, got, tc.written, fx.file(t))
		}
		if res.Region != tc.want || cached.Region != tc.want {
			t.Errorf("%s: result region %q, cached %q, want %q", tc.name, res.Region, cached.Region, tc.want)
		}
		if res.OwnRegion != tc.own {
			t.Errorf("%s: own region = %v, want %v", tc.name, res.OwnRegion, tc.own)
		}
		files = append(files, [3]string{fx.path, fx.req.Paths.Config, target})
	}
	for i, got := range botocoreRegions(t, files) {
		if got != cases[i].want {
			t.Errorf("%s: botocore reads region %q for the target, want %q", cases[i].name, got, cases[i].want)
		}
	}
}
