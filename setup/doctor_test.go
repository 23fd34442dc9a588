package setup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
)

func TestDoctor(t *testing.T) {
	now := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	healthy := "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n" +
		"[default]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2026-11-27T20:00:00Z\n"
	chained := "[pair.prod]\nsource_pair = \"default\"\ntarget = \"prod\"\nrole_arn = \"arn:aws:iam::210987654321:role/admin\"\n"
	cases := []struct {
		name    string
		creds   string
		mode    os.FileMode
		config  string
		aws     string // the AWS config file
		env     map[string]string
		problem string // "" for healthy
		fix     string
	}{
		{name: "healthy", creds: healthy, env: map[string]string{"AWS_MFA_SHELL": "zsh"}},
		{name: "just set up", creds: "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\n"},
		{name: "world readable", creds: healthy, mode: 0o644, problem: "is readable by others", fix: "chmod 600"},
		{name: "no file", problem: "no credentials file", fix: "aws configure"},
		{name: "unparseable", creds: "[a]\n[a]\n", problem: "appears twice", fix: "fix the line"},
		{name: "no source", creds: "[default]\nregion = x\n", problem: "no [aws-mfa] profile, and no long-term keys in [default]", fix: "aws configure --profile aws-mfa (the IAM user's access key), then aws-mfa setup"},
		{name: "no source, keys in the target", creds: "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\n", problem: "no [aws-mfa] profile", fix: "aws-mfa setup"},
		{name: "no keys", creds: "[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/a\n", problem: "lacks long-term keys", fix: "aws configure --profile aws-mfa"},
		{name: "session in source", creds: strings.Replace(strings.Replace(healthy, "mfa_serial", "aws_session_token = x\nmfa_serial", 1), "AKIAALICE", "ASIAALICE", 1), problem: "holds session credentials", fix: "long-term keys"},
		{name: "no serial", creds: strings.Replace(healthy, "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n", "", 1), problem: "has no mfa_serial", fix: "aws-mfa setup"},
		{name: "long-term target", creds: "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[default]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = s\n", problem: "holds long-term keys, which a refresh would replace", fix: "if they are the IAM user's new key, enter it with `aws configure --profile aws-mfa`"},
		{name: "expired", creds: strings.Replace(healthy, "2026-11-27T20:00:00Z", "2026-11-27T13:00:00Z", 1), problem: "session expired", fix: "aws-mfa CODE"},
		{name: "chained, healthy", creds: healthy, env: map[string]string{"AWS_MFA_SHELL": "zsh"}, config: chained},
		{name: "chained, long-term target", creds: healthy + "[prod]\naws_access_key_id = AKIAPRODONLY00000001\naws_secret_access_key = p\n", config: chained, problem: "[prod] holds long-term keys, which a refresh would replace", fix: "aws-mfa setup --source prod-keys --target prod (copies them to [prod-keys], which no refresh writes)"},
		{name: "chained, expired", creds: healthy + "[prod]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2026-11-27T13:00:00Z\n", config: chained, problem: "[prod] session expired", fix: "aws-mfa -p prod"},
		{name: "bad config", creds: healthy, config: "[pair.x]\nsorce = \"a\"\n", problem: "unknown key sorce", fix: "fix the config"},
		{name: "stale env", creds: healthy, env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIAOLD"}, problem: "shadows the credentials file", fix: `eval "$(aws-mfa env --unset)"`},
		{name: "web identity env", creds: healthy, env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token", "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci"}, problem: "assume that role instead of using the credentials file", fix: "unset both"},
		{name: "source typo", creds: healthy, config: "[pair.work]\nsource = \"aws-mfaa\"\ntarget = \"work\"\n", problem: "no [aws-mfaa] profile; did you mean [aws-mfa]?", fix: `set source = "aws-mfa" in [pair.work] of `},
		{name: "AWS_PROFILE nowhere", creds: healthy, env: map[string]string{"AWS_PROFILE": "foo\x1b[2J"}, problem: `AWS_PROFILE is set in this shell to "foo\x1b[2J", a profile in neither the credentials file nor the AWS config: every AWS tool fails`, fix: "unset AWS_PROFILE in this shell, or set it to a profile that a pair writes"},
		{name: "AWS_DEFAULT_PROFILE nowhere", creds: healthy, env: map[string]string{"AWS_DEFAULT_PROFILE": "foo", "AWS_PROFILE": "default"}, problem: "AWS_DEFAULT_PROFILE is set", fix: "unset AWS_DEFAULT_PROFILE"},
		{name: "AWS_PROFILE DEFAULT", creds: "[DEFAULT]\nregion = eu-west-1\n" + healthy, env: map[string]string{"AWS_PROFILE": "DEFAULT"}, problem: `AWS_PROFILE is set in this shell to "DEFAULT"`, fix: "unset AWS_PROFILE"},
		{name: "AWS_PROFILE a target never written", creds: healthy, config: "[pair.ci]\nsource = \"aws-mfa\"\ntarget = \"ci\"\nwrite = false\n", env: map[string]string{"AWS_PROFILE": "ci"}, problem: `AWS_PROFILE is set in this shell to "ci"`, fix: "unset AWS_PROFILE"},
		{name: "AWS_PROFILE a role profile", creds: healthy, aws: "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n", env: map[string]string{"AWS_PROFILE": "admin"}},
		{name: "AWS_PROFILE another profile", creds: healthy + "[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = s\n", env: map[string]string{"AWS_PROFILE": "other"}},
		{name: "AWS_PROFILE a target", creds: healthy + "[prod]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2026-11-27T20:00:00Z\n", config: chained, env: map[string]string{"AWS_PROFILE": "prod", "AWS_DEFAULT_PROFILE": "default"}},
		{name: "no region", creds: healthy, env: map[string]string{"AWS_REGION": ""}, problem: `pair default: [default] has no region, nor has [aws-mfa] or AWS_REGION: AWS tools that use it fail with "You must specify a region"`, fix: "aws configure set region REGION --profile default (REGION: yours, such as us-east-1)"},
		{name: "no region, chained", creds: strings.Replace(healthy, "[default]\n", "[default]\nregion = eu-west-1\n", 1), config: chained, env: map[string]string{"AWS_REGION": ""}, problem: "pair prod: [prod] has no region, nor has [aws-mfa] or AWS_REGION", fix: "aws configure set region REGION --profile prod"},
		{name: "no region, and not written", creds: healthy, config: "[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nwrite = false\n", env: map[string]string{"AWS_REGION": ""}},
		{name: "region in the AWS config", creds: healthy, aws: "[default]\nregion = eu-west-1\n", env: map[string]string{"AWS_REGION": ""}},
		{name: "region of the source", creds: strings.Replace(healthy, "mfa_serial", "region = eu-west-1\nmfa_serial", 1), env: map[string]string{"AWS_REGION": ""}},
		{name: "region of the source in the AWS config", creds: healthy, aws: "[profile aws-mfa]\nregion = eu-west-1\n", env: map[string]string{"AWS_REGION": ""}},
		{name: "region of the pair", creds: healthy, config: "[defaults]\nregion = \"eu-west-1\"\n", env: map[string]string{"AWS_REGION": ""}},
		{name: "AWS_DEFAULT_REGION", creds: healthy, env: map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-west-1"}},
		{name: "empty region", creds: strings.Replace(healthy, "[default]\n", "[default]\nregion =\n", 1), env: map[string]string{"AWS_REGION": ""}, problem: "[default] has no region", fix: "aws configure set region"},
		{name: "another default pair, and a pair default of the user's", creds: strings.ReplaceAll(strings.ReplaceAll(healthy, "[aws-mfa]", "[work-lt]"), "[default]", "[work]"), config: "[defaults]\npair = \"work\"\n[pair.work]\nsource = \"work-lt\"\ntarget = \"work\"\n[pair.default]\nsource = \"personal-lt\"\ntarget = \"default\"\n", problem: "pair default: no [personal-lt] profile", fix: "aws configure --profile personal-lt"},
		{name: "another default pair, and a pair default written like the built-in", creds: strings.ReplaceAll(strings.ReplaceAll(healthy, "[aws-mfa]", "[work-lt]"), "[default]", "[work]"), config: "[defaults]\npair = \"work\"\n[pair.work]\nsource = \"work-lt\"\ntarget = \"work\"\n[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nduration = \"8h\"\n", problem: "pair default: no [aws-mfa] profile", fix: "aws configure --profile aws-mfa"},
		{name: "another default pair, the built-in never set up", creds: strings.ReplaceAll(strings.ReplaceAll(healthy, "[aws-mfa]", "[work-lt]"), "[default]", "[work]"), config: "[defaults]\npair = \"work\"\n[pair.work]\nsource = \"work-lt\"\ntarget = \"work\"\n"},
		{name: "expired env", creds: healthy, env: map[string]string{"AWS_ACCESS_KEY_ID": "ASIA", "AWS_MFA_EXPIRY": "1000"}, problem: "expired aws-mfa session", fix: `eval "$(aws-mfa env CODE)"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "credentials")
			if tc.creds != "" {
				os.WriteFile(path, []byte(tc.creds), 0o600)
				if tc.mode != 0 {
					os.Chmod(path, tc.mode)
				}
			}
			cfg := filepath.Join(dir, "config.toml")
			if tc.config != "" {
				os.WriteFile(cfg, []byte(tc.config), 0o600)
			}
			aws := filepath.Join(dir, "aws-config")
			os.WriteFile(aws, []byte(tc.aws), 0o600)
			findings := Doctor(Checkup{
				Paths:  credfile.Paths{Credentials: path, Config: aws},
				Config: config.Location{Path: cfg},
				Getenv: withRegion(tc.env),
				Now:    now,
			})
			wantOneFinding(t, findings, tc.problem, tc.fix)
		})
	}
}

// withRegion is env as Getenv, with AWS_REGION set unless env says
// otherwise: most cases are about something else than the region.
func withRegion(env map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := env[k]; ok || k != "AWS_REGION" {
			return v
		}
		return "us-east-1"
	}
}

// wantOneFinding fails unless findings hold exactly one problem, with what
// and fix containing problem and fix, or none when problem is "".
func wantOneFinding(t *testing.T, findings []Finding, problem, fix string) {
	t.Helper()
	var bad []Finding
	for _, f := range findings {
		if !f.OK {
			bad = append(bad, f)
		}
	}
	if problem == "" {
		if len(bad) != 0 {
			t.Fatalf("healthy set-up has findings: %+v", bad)
		}
		return
	}
	if len(bad) != 1 || !strings.Contains(bad[0].What, problem) || !strings.Contains(bad[0].Fix, fix) {
		t.Fatalf("findings %+v\nwant one with %q, fix %q", bad, problem, fix)
	}
}
