package stsparam

import (
	"strings"
	"testing"
	"time"
)

// check runs a table of values through a rule: an empty want means
// accepted, else the error must contain want and must not quote the value.
func check(t *testing.T, rule func(string) error, cases map[string]string) {
	t.Helper()
	for in, want := range cases {
		err := rule(in)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q refused: %v", in, err)
		case want != "" && err == nil:
			t.Errorf("%q accepted, want %q", in, want)
		case want != "" && !strings.Contains(err.Error(), want):
			t.Errorf("%q: %v\nwant %q", in, err, want)
		case err != nil && len(in) > 8 && strings.Contains(err.Error(), in):
			t.Errorf("%q: the error quotes the value: %v", in, err)
		case err != nil && strings.Contains(err.Error(), "\n"):
			t.Errorf("%q: error spans lines: %q", in, err)
		}
	}
}

func TestCheckSerial(t *testing.T) {
	check(t, CheckSerial, map[string]string{
		"arn:aws:iam::123456789012:mfa/alice":           "",
		"arn:aws:iam::123456789012:mfa/path/to/alice":   "",
		"arn:aws:iam::123456789012:u2f/user/alice/key1": "",
		"arn:aws-cn:iam::123456789012:mfa/a.b+c=d,e@f-": "",
		"arn:aws-us-gov:iam::123456789012:mfa/alice":    "",
		"GAHT12345678": "",
		"GAHT1234":     "9 to 256",
		"arn:aws:iam::" + strings.Repeat("1", 12) + ":mfa/" + strings.Repeat("a", 240): "9 to 256",
		"":                                         "empty",
		"my phone":                                 "9 to 256",
		"my phone 1":                               "a space at character 3",
		"arn:aws:iam::12345:mfa/alice":             "account id of 5 characters; an AWS account id is 12 digits",
		"arn:aws:iam::1234567890123:mfa/alice":     "account id of 13",
		"arn:aws:iam::12345678901x:mfa/alice":      "12 digits",
		"arn:aws:iam::123456789012:user/alice":     "after the account id comes mfa/NAME",
		"arn:aws:iam::123456789012:mfa/":           "no name after mfa/",
		"arn:aws:iam::123456789012:mfa/a b":        "a space at character 32",
		"arn:aws:iam::123456789012:mfa/al ice":     "a space at character 33",
		"arn:aws-cn:iam::123456789012:u2f/a/b\tc":  "a control character at character 37",
		"arn:aws:iam::123456789012:mfa/a\nb = c":   "a control character",
		"arn:aws:iam::123456789012:mfa/aliçe":      "non-ASCII",
		"arn:aws:sts::123456789012:mfa/alice":      "not an IAM ARN",
		"arn:aws:iam:us-east-1:123456789012:mfa/x": "not an IAM ARN",
		"arn:gcp:iam::123456789012:mfa/alice":      "partition",
		"arn:aws:iam:123456789012:mfa/alice":       "not an ARN",
		"GAHT1234\t5678":                           "control character",
	})
}

func TestCheckRoleARN(t *testing.T) {
	check(t, CheckRoleARN, map[string]string{
		"arn:aws:iam::123456789012:role/admin":                        "",
		"arn:aws:iam::123456789012:role/path/x/admin":                 "",
		"arn:aws:iam::123456789012:role/":                             "no name",
		"arn:aws:iam::1234:role/admin":                                "12 digits",
		"arn:aws:iam::123456789012:mfa/admin":                         "role/NAME",
		"admin":                                                       "not an ARN",
		"arn:aws:iam::123456789012:role/" + strings.Repeat("a", 2100): "at most 2048",
	})
}

func TestCheckRoleSessionNameAndExternalID(t *testing.T) {
	check(t, CheckRoleSessionName, map[string]string{
		"alice": "", "a.b@c=d,e+f_g-h": "", "a": "2 to 64", strings.Repeat("a", 65): "2 to 64", "a b": "2 to 64", "a/b": "2 to 64",
	})
	check(t, CheckExternalID, map[string]string{
		"prod-3f9a": "", "a:b/c": "", "x": "2 to 1224", "a b": "2 to 1224", strings.Repeat("a", 1225): "2 to 1224",
	})
}

func TestCode(t *testing.T) {
	check(t, checkCode, map[string]string{
		"123456": "", "000000": "", "12345": "six digits", "1234567": "six digits", "12345a": "six digits",
		"+12345": "six digits", " 12345": "six digits", "１２３４５６": "six digits", "": "six digits",
		" 123456\n": "", "123 456": "", "123-456": "", "\t123 456 ": "", "123  456": "six digits", "12-3456": "six digits",
		"123--456": "six digits", "123_456": "six digits", "123 45a": "six digits",
	})
	for _, s := range []string{"123456", " 123 456\n", "123-456"} {
		if got, _ := Code(s); got != "123456" {
			t.Errorf("Code(%q) = %q", s, got)
		}
	}
}

// checkCode is Code as a check.
func checkCode(s string) error {
	_, err := Code(s)
	return err
}

func TestCheckRegion(t *testing.T) {
	check(t, CheckRegion, map[string]string{
		"us-east-1": "", "eu-west-1": "", "cn-north-1": "", "us-gov-west-1": "", "local": "",
		"":                      "empty",
		"eu west 1":             "a space at character 3",
		"eu-west-1\n":           "control character",
		"eu-west-1/../x":        `'/' at character 10`,
		"-eu":                   "hyphen",
		"eu-":                   "hyphen",
		"eu.west":               `'.'`,
		strings.Repeat("a", 64): "64 characters",
	})
}

func TestCheckEndpointAndRedact(t *testing.T) {
	check(t, CheckEndpoint, map[string]string{
		"https://sts.eu-west-1.amazonaws.com":    "",
		"http://127.0.0.1:5000":                  "",
		"http://user:secret@127.0.0.1:5000/path": "",
		"sts.amazonaws.com":                      "not http or https",
		"ftp://host":                             "not http or https",
		"https://":                               "no host",
		"http://:80":                             "no host",
		"http://user:pass@":                      "no host",
		"https://ho st":                          "does not parse",
		"http://u:p@h:port":                      "does not parse",
		"":                                       "not http or https",
	})
	for in, want := range map[string]string{
		"https://sts.eu-west-1.amazonaws.com":                        "https://sts.eu-west-1.amazonaws.com",
		"http://user:secret@127.0.0.1:5000/p":                        "http://127.0.0.1:5000",
		"http://127.0.0.1:5000/p/a?X-Amz-Security-Token=CANARY#frag": "http://127.0.0.1:5000",
		"https://h/#CANARY":                                          "https://h",
		"https://h:443/;CANARY":                                      "https://h:443",
		"http://user@127.0.0.1:5000":                                 "http://127.0.0.1:5000",
		"http://u:p%40ss@h/":                                         "http://h",
		"http://u:secret@h:port":                                     "(an endpoint URL that does not parse)",
		"http://u:secret@ho st":                                      "(an endpoint URL that does not parse)",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDurations(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"12h": 12 * time.Hour, "90m": 90 * time.Minute, "1h30m": 90 * time.Minute, "3600": time.Hour, "0": 0, "-60": -time.Minute,
	} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"18446744074":          "too large", // wrapped into 290ms before
		"9223372037":           "too large", // the first second count over the limit
		"-9223372037":          "too large",
		"99999999999999999999": "too large",    // over int64
		"9999999999h":          "not like 12h", // time.ParseDuration's own overflow
		"forever":              "not like 12h",
		"12":                   "",
		"1-2":                  "not like 12h",
		"":                     "not like 12h",
	} {
		_, err := ParseDuration(in)
		if (err == nil) != (want == "") || err != nil && !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDuration(%q): %v, want %q", in, err, want)
		}
	}
	if d, err := Seconds(maxSeconds); err != nil || d <= 0 {
		t.Errorf("Seconds(max) = %v, %v", d, err)
	}
	for _, n := range []int64{maxSeconds + 1, 18446744074, -maxSeconds - 1} {
		if d, err := Seconds(n); err == nil {
			t.Errorf("Seconds(%d) = %v", n, d)
		}
	}
	for _, tc := range []struct {
		d    time.Duration
		role bool
		want string
	}{
		{15 * time.Minute, false, ""}, {36 * time.Hour, false, ""}, {12 * time.Hour, true, ""}, {15 * time.Minute, true, ""},
		{15*time.Minute - time.Second, false, "15m to 36h"}, {36*time.Hour + time.Second, false, "15m to 36h"},
		{12*time.Hour + time.Second, true, "15m to 12h"}, {-time.Hour, false, "15m to 36h"}, {290 * time.Millisecond, false, "15m to 36h"},
	} {
		err := CheckDuration(tc.d, 0, tc.role, false)
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckDuration(%s, %v) = %v, want %q", tc.d, tc.role, err, tc.want)
		}
	}
}

func TestEndpoint(t *testing.T) {
	for _, tc := range [][3]string{
		{"", "eu-west-1", "https://sts.eu-west-1.amazonaws.com"},
		{"", "cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn"},
		{"http://x", "eu-west-1", "http://x"},
	} {
		if got := Endpoint(tc[0], tc[1]); got != tc[2] {
			t.Errorf("Endpoint(%q, %q) = %q", tc[0], tc[1], got)
		}
	}
}
