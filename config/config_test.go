package config

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestExampleDecodesCompletely(t *testing.T) {
	data, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	var f fileTOML
	md, err := toml.Decode(string(data), &f)
	if err != nil || len(md.Undecoded()) > 0 {
		t.Fatalf("err %v, undecoded %v", err, md.Undecoded())
	}
	c, err := Parse("config.example.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	if c.Default != "work" || len(c.Pairs) != 4 {
		t.Fatalf("%+v", c)
	}
	admin, _ := c.Select("prod-admin")
	want := Pair{
		Name: "prod-admin", Source: "work-long-term", Target: "prod-admin",
		Duration: time.Hour, Margin: 10 * time.Minute, Region: "eu-west-1",
		RoleARN: "arn:aws:iam::210987654321:role/admin", RoleSessionName: "alice", ExternalID: "prod-3f9a",
		TokenCommand: []string{"oathtool", "--totp", "-b", "JBSWY3DPEHPK3PXP"}, TokenTimeout: 30 * time.Second, Write: true, Shell: "zsh",
	}
	if !equal(admin, want) {
		t.Errorf("prod-admin:\n got %+v\nwant %+v", admin, want)
	}
	work, _ := c.Select("work")
	if work.Duration != 8*time.Hour || work.Region != "eu-central-1" || strings.Join(work.TokenCommand, " ") != "ykman oath accounts code -s aws" {
		t.Errorf("work: %+v", work)
	}
	if p, _ := c.Select("ci-shell"); p.Write {
		t.Error("write = false ignored")
	}
	if p, err := c.Select("default"); err != nil || p.Source != "aws-mfa" || p.Duration != 12*time.Hour {
		t.Errorf("built-in pair: %+v %v", p, err)
	}
}

func equal(a, b Pair) bool { return reflect.DeepEqual(a, b) }

func TestMissingFileIsTheBuiltinPair(t *testing.T) {
	c, err := Load(t.TempDir() + "/none.toml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Select("")
	if err != nil || p.Source != "aws-mfa" || p.Target != "default" || !p.Write || p.Duration != 12*time.Hour {
		t.Fatalf("%+v %v", p, err)
	}
}

func TestSelectByNameOrTarget(t *testing.T) {
	c, err := Parse("c.toml", []byte("[pair.w]\nsource = \"a\"\ntarget = \"work-session\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := c.Select("work-session"); err != nil || p.Name != "w" {
		t.Errorf("%+v %v", p, err)
	}
	if _, err := c.Select("nope"); err == nil || !strings.Contains(err.Error(), "the pairs are default, w") {
		t.Errorf("%v", err)
	}
}

func TestLocate(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	dir := func() (string, error) { return "/home/u/.config", nil }
	if got := Locate("", getenv, dir); got != "/home/u/.config/aws-mfa/config.toml" {
		t.Error(got)
	}
	env["AWS_MFA_CONFIG"] = "/etc/mfa.toml"
	if got := Locate("", getenv, dir); got != "/etc/mfa.toml" {
		t.Error(got)
	}
	if got := Locate("/x.toml", getenv, dir); got != "/x.toml" {
		t.Error(got)
	}
}

func TestValidation(t *testing.T) {
	cases := map[string]struct{ toml, want string }{
		"unknown key":       {"[defaults]\nregion = \"x\"\n\n[pair.w]\nsource = \"a\"\ntarget = \"b\"\nduraton = \"1h\"\n", "unknown key duraton at c.toml:7; did you mean duration?"},
		"unknown default":   {"[defaults]\nshel = \"zsh\"\n", "unknown key shel at c.toml:2; did you mean shell?"},
		"unknown table":     {"[pairs.w]\nsource = \"a\"\n", "unknown key pairs at c.toml:1; did you mean pair?"},
		"syntax":            {"[defaults]\nduration = \n", "c.toml:2:"},
		"bad duration":      {"[defaults]\nduration = \"forever\"\n", "c.toml:2: duration is not like 12h"},
		"huge duration":     {"[defaults]\nduration = 18446744074\n", "c.toml:2: duration is too large"},
		"huge seconds":      {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nduration = \"18446744074\"\n", "duration is too large"},
		"short account":     {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nmfa_serial = \"arn:aws:iam::12345:mfa/alice\"\n", "an AWS account id is 12 digits"},
		"bad region":        {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nregion = \"eu west 1\"\n", "region has a space"},
		"bad endpoint":      {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nendpoint_url = \"http://u:secret@h:port\"\n", "endpoint URL does not parse"},
		"bad external id":   {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nrole_arn = \"arn:aws:iam::123456789012:role/x\"\nexternal_id = \"a b\"\n", "external_id must be"},
		"short duration":    {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nduration = \"5m\"\n", "duration 5m0s is outside what STS allows (15m to 36h)"},
		"long role":         {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nduration = \"13h\"\nrole_arn = \"arn:aws:iam::123456789012:role/x\"\n", "the role's MaxSessionDuration may be lower still"},
		"self target":       {"[pair.w]\nsource = \"a\"\ntarget = \"a\"\n", `target "a" is its own source`},
		"same target":       {"[pair.v]\nsource = \"a\"\ntarget = \"t\"\n[pair.w]\nsource = \"b\"\ntarget = \"t\"\n", "pairs v and w both write [t]"},
		"target is source":  {"[pair.v]\nsource = \"a\"\ntarget = \"aws-mfa\"\n", "which another pair uses as its source"},
		"role arn":          {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nrole_arn = \"admin\"\n", "role_arn is not an ARN"},
		"serial arn":        {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nmfa_serial = \"my phone\"\n", "mfa_serial is 8 characters long; STS takes 9 to 256"},
		"missing target":    {"[pair.w]\nsource = \"a\"\n", "needs both source and target"},
		"default pair":      {"[defaults]\npair = \"nope\"\n", `defaults.pair: no pair named "nope"`},
		"empty command":     {"[defaults]\ntoken_command = \"\"\n", "token_command is empty"},
		"external id alone": {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nexternal_id = \"x\"\n", "need role_arn"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("c.toml", []byte(tc.toml))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant %q", err, tc.want)
			}
		})
	}
}
