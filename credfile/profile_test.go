package credfile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

const (
	onlyID     = "AKIAONLYCOPYEXAMPLE1"
	onlySecret = "only/copy/secret"
)

// tokenSpellings are lines that botocore reads as an empty token, in
// every spelling its parser accepts: key case, "=" or ":", spacing, and
// white-space-only values.
func tokenSpellings() []string {
	var lines []string
	for _, key := range []string{"aws_session_token", "AWS_SESSION_TOKEN", "Aws_Session_Token", "aws_security_token", "AWS_Security_Token"} {
		for _, sep := range []string{"=", " = ", ":", " : ", "\t=\t", "   =", ": "} {
			for _, value := range []string{"", " ", "\t", " \t "} {
				lines = append(lines, key+sep+value)
			}
		}
	}
	return lines
}

// TestLongTermKeysAsBotocoreSeesThem builds a family of files in which
// [default] holds the only copy of a long-term key pair, spelt every way
// botocore accepts: the rule must say so, and botocore's own resolver
// must read long-term keys (no token) there wherever the rule relies on
// it.
func TestLongTermKeysAsBotocoreSeesThem(t *testing.T) {
	t.Parallel()
	b := peers.StartBotocore(t)
	keys := []string{
		"aws_access_key_id = " + onlyID + "\naws_secret_access_key = " + onlySecret + "\n",
		"AWS_ACCESS_KEY_ID:" + onlyID + "\nAws_Secret_Access_Key :\t" + onlySecret + "\n",
	}
	type tc struct {
		name, file    string
		botocoreEmpty bool // botocore itself reads no token for [default]
	}
	var cases []tc
	for i, k := range keys {
		cases = append(cases, tc{fmt.Sprintf("keys%d, no token", i), "[default]\n" + k, true})
		for _, tok := range tokenSpellings() {
			cases = append(cases,
				tc{fmt.Sprintf("keys%d %q", i, tok), "[default]\n" + k + tok + "\n", true},
				// [DEFAULT] gives the empty token to every profile.
				tc{fmt.Sprintf("keys%d, [DEFAULT] %q", i, tok), "[DEFAULT]\n" + tok + "\n[default]\n" + k, true},
			)
			if strings.HasPrefix(strings.ToLower(tok), "aws_security_token") {
				// botocore reads aws_security_token first, so it wins even empty.
				cases = append(cases, tc{fmt.Sprintf("keys%d %q before a session token", i, tok), "[default]\n" + k + tok + "\naws_session_token = x\n", true})
			}
		}
		cases = append(cases,
			tc{fmt.Sprintf("keys%d, stale aws_security_token", i), "[default]\n" + k + "aws_security_token = stale\n", false},
			tc{fmt.Sprintf("keys%d, token from [DEFAULT]", i), "[DEFAULT]\naws_session_token = x\n[default]\n" + k, false},
			tc{fmt.Sprintf("keys%d, security token from [DEFAULT]", i), "[DEFAULT]\naws_security_token = x\n[default]\n" + k, false},
			tc{fmt.Sprintf("keys%d, secret from [DEFAULT]", i), "[DEFAULT]\naws_secret_access_key = " + onlySecret + "\n[default]\n" + strings.SplitAfter(k, "\n")[0], true},
		)
	}
	files := make([]*File, len(cases))
	qs := make([]peers.BotocoreQuery, len(cases))
	for i, c := range cases {
		data := []byte("# c\n[other]\naws_access_key_id = AKIAOTHEREXAMPLE0001\naws_secret_access_key = x\n" + c.file)
		f, err := Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !f.HoldsLongTermKeys("default") {
			t.Errorf("%s: [default] does not hold long-term keys:\n%s", c.name, data)
		}
		if id, only := f.OnlyCopy("default"); !only || id != onlyID {
			t.Errorf("%s: OnlyCopy = %q, %v:\n%s", c.name, id, only, data)
		}
		files[i], qs[i] = f, peers.BotocoreQuery{Data: data, Target: "default"}
	}
	for i, v := range b.ReadAll(t, qs) {
		c, f := cases[i], files[i]
		if v.Target == nil || v.Target.Key != onlyID || (v.Target.Token == "") != c.botocoreEmpty {
			t.Errorf("%s: botocore reads %+v (%s), want %s with an empty token: %v", c.name, v.Target, v.TargetError, onlyID, c.botocoreEmpty)
		}
		if got := f.Credentials("default"); v.Target != nil && (got.AccessKeyID != v.Target.Key || got.SecretAccessKey != v.Target.Secret || got.SessionToken != v.Target.Token) {
			t.Errorf("%s: Credentials = %+v, botocore %+v", c.name, got, v.Target)
		}
	}
}

// TestOnlyCopyFindsCopiesAnywhere: the keys are not the only copy when
// another profile, or [DEFAULT], reads the same pair, or the target only
// inherits them; and a session is never long-term keys.
func TestOnlyCopyFindsCopiesAnywhere(t *testing.T) {
	k := "aws_access_key_id = " + onlyID + "\naws_secret_access_key = " + onlySecret + "\n"
	for name, file := range map[string]string{
		"copy in a profile":        "[aws-mfa]\n" + k + "[default]\n" + k,
		"copy spelt differently":   "[aws-mfa]\nAWS_ACCESS_KEY_ID:" + onlyID + "\naws_secret_access_key=" + onlySecret + "\n[default]\n" + k,
		"copy in [DEFAULT]":        "[DEFAULT]\n" + k + "[default]\n" + k,
		"inherited from [DEFAULT]": "[DEFAULT]\n" + k + "[default]\nregion = x\n",
		"a session":                "[default]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\n",
		"a session key, no token":  "[default]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\n",
		"no keys":                  "[default]\nregion = x\n",
		"no section":               "[other]\n" + k,
	} {
		f, err := Parse([]byte(file))
		if err != nil {
			t.Fatal(err)
		}
		if id, only := f.OnlyCopy("default"); only {
			t.Errorf("%s: OnlyCopy = %q, true", name, id)
		}
	}
}

// staleTokenLines are token lines that `aws configure set` leaves beside
// a rotated key, or that an old session left: every key spelling botocore
// reads, with a non-empty value.
func staleTokenLines() []string {
	var lines []string
	for _, key := range []string{"aws_session_token", "AWS_SESSION_TOKEN", "Aws_Session_Token", "aws_security_token", "AWS_SECURITY_TOKEN"} {
		for _, sep := range []string{" = ", ":", "\t=\t", "   = "} {
			lines = append(lines, key+sep+"FwoGZXIvYXdzEstale==")
		}
	}
	return lines
}

// TestRotatedKeyOverAStaleSession: a key id that is not a temporary one
// (ASIA) is long-term keys whatever token sits beside it, in the section
// or inherited from [DEFAULT], with or without a stale expiration: a key
// rotated with `aws configure set` over an old session is the only copy
// of that key. ASIA ids with the same tokens are sessions.
func TestRotatedKeyOverAStaleSession(t *testing.T) {
	const secret = "NEWROTATEDSECRETonlycopy"
	for _, id := range []string{"AKIANEWROTATEDKEY001", "akianewrotatedkey001", "AIDAUNUSUALPREFIX001", "MINIOKEYNOPREFIX0001", "ASIATEMPORARYKEY0001"} {
		session := strings.HasPrefix(id, "ASIA")
		for _, tok := range staleTokenLines() {
			for _, exp := range []string{"", "expiration = 2020-01-01T00:00:00Z\n"} {
				keys := "aws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
				for _, file := range []string{
					"[default]\n" + keys + tok + "\n" + exp,
					"[default]\n" + tok + "\n" + exp + keys,
					"[DEFAULT]\n" + tok + "\n[default]\n" + exp + keys,
				} {
					data := "[aws-mfa]\naws_access_key_id = AKIASOURCEEXAMPLE001\naws_secret_access_key = s\n" + file
					f, err := Parse([]byte(data))
					if err != nil {
						t.Fatal(err)
					}
					if got := f.HoldsLongTermKeys("default"); got == session {
						t.Errorf("HoldsLongTermKeys = %v for %s:\n%s", got, id, data)
					}
					if gotID, only := f.OnlyCopy("default"); only == session || (!session && gotID != id) {
						t.Errorf("OnlyCopy = %q, %v for %s:\n%s", gotID, only, id, data)
					}
				}
			}
		}
	}
}

// TestShadowingAsBotocoreSeesIt puts profile settings in every place
// botocore merges into a target's profile (the section, the credentials
// file's [DEFAULT], the config file's profile section in the spellings
// botocore accepts, and its [DEFAULT]) beside a written session. Where
// Shadowing finds nothing, botocore's own resolver must return exactly
// the session; where it names a key, botocore must not.
func TestShadowingAsBotocoreSeesIt(t *testing.T) {
	b := peers.StartBotocore(t)
	const session = "aws_access_key_id = ASIAWRITTENSESSION01\naws_secret_access_key = written/secret\naws_session_token = written-token\n"
	settings := []string{
		"role_arn = arn:aws:iam::123456789012:role/r",
		"role_arn = arn:aws:iam::123456789012:role/r\nsource_profile = src",
		"role_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Environment",
		"Role_ARN: arn:aws:iam::123456789012:role/r",
		"web_identity_token_file = /nonexistent/token",
		"web_identity_token_file = /nonexistent/token\nrole_arn = arn:aws:iam::123456789012:role/r",
		"sso_account_id = 123456789012",
		"sso_role_name = r",
		"sso_account_id = 123456789012\nsso_role_name = r\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1",
		"sso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1",
		"sso_session = s",
		"credential_process = /bin/false",
		"source_profile = src",
		"credential_source = Environment",
		"region = eu-west-1",
	}
	type check struct {
		target, set, where string
		key, in            string // what Shadowing says
	}
	var checks []check
	var qs []peers.BotocoreQuery
	for _, target := range []string{"default", "dev"} {
		header := "[profile " + target + "]"
		if target == "default" {
			header = "[default]"
		}
		for _, set := range settings {
			for _, c := range []struct{ where, creds, config string }{
				{"section", "[" + target + "]\n" + session + set + "\n", ""},
				{"[DEFAULT]", "[DEFAULT]\n" + set + "\n[" + target + "]\n" + session, ""},
				{"config", "[" + target + "]\n" + session, header + "\n" + set + "\n"},
				{"config, quoted header", "[" + target + "]\n" + session, "[profile \"" + target + "\"]\n" + set + "\n"},
				{"config [DEFAULT]", "[" + target + "]\n" + session, "[DEFAULT]\n" + set + "\n" + header + "\nregion = x\n"},
				{"config [DEFAULT], no profile", "[" + target + "]\n" + session, "[DEFAULT]\n" + set + "\n[profile other]\nregion = x\n"},
			} {
				creds := []byte("[src]\naws_access_key_id = AKIASOURCEEXAMPLE001\naws_secret_access_key = s\n" + c.creds)
				f, err := Parse(creds)
				if err != nil {
					t.Fatal(err)
				}
				var config []byte
				if c.config != "" {
					config = []byte(c.config)
				}
				cfg, err := Parse(config)
				if err != nil {
					t.Fatal(err)
				}
				key, where := Shadowing(f, cfg, target)
				checks = append(checks, check{target, set, c.where, key, where})
				qs = append(qs, peers.BotocoreQuery{Data: creds, Config: config, Target: target})
			}
		}
	}
	for i, v := range b.ReadAll(t, qs) {
		c := checks[i]
		used := v.Target != nil && v.Target.Key == "ASIAWRITTENSESSION01" && v.Target.Secret == "written/secret" && v.Target.Token == "written-token"
		if (c.key == "") != used {
			t.Errorf("[%s], %q in %s: Shadowing = %q (%s); botocore reads %+v %s", c.target, c.set, c.where, c.key, c.in, v.Target, v.TargetError)
		}
	}
}

// TestLongTermKeysInheritedFromDEFAULT: botocore gives every profile the
// keys of [DEFAULT] it does not set itself, so a profile holding nothing
// but a region holds [DEFAULT]'s long-term keys, and writing a session
// there replaces what it read.
func TestLongTermKeysInheritedFromDEFAULT(t *testing.T) {
	k := "aws_access_key_id = " + onlyID + "\naws_secret_access_key = " + onlySecret + "\n"
	for file, want := range map[string]bool{
		"[DEFAULT]\n" + k + "[default]\nregion = x\n":                                           true,
		"[DEFAULT]\naws_access_key_id = " + onlyID + "\n[default]\naws_secret_access_key = s\n": true,
		"[DEFAULT]\naws_access_key_id = ASIAEXAMPLE\n[default]\naws_secret_access_key = s\n":    false,
		"[DEFAULT]\n" + k + "[default]\naws_access_key_id = ASIAEXAMPLE\n":                      false,
		"[DEFAULT]\n" + k: false, // no [default] section
	} {
		f, err := Parse([]byte(file))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.HoldsLongTermKeys("default"); got != want {
			t.Errorf("HoldsLongTermKeys(default) = %v, want %v in\n%s", got, want, file)
		}
	}
}
