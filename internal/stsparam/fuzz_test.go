package stsparam

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// stsSerial is STS's own pattern for SerialNumber (API reference).
var stsSerial = regexp.MustCompile(`^[\w+=/:,.@-]{9,256}$`)

// FuzzCheckSerial: whatever CheckSerial accepts, STS's pattern accepts
// too, an ARN only with a 12-digit account; and a refusal never quotes
// the value (a marker appended to it never shows).
func FuzzCheckSerial(f *testing.F) {
	for _, s := range []string{"arn:aws:iam::123456789012:mfa/alice", "GAHT12345678", "arn:aws:iam::12345:mfa/a", "my phone", "arn:aws:iam::123456789012:mfa/a\nb", "arn:aws-cn:iam::123456789012:u2f/x/y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckSerial(s)
		if err == nil {
			if !stsSerial.MatchString(s) {
				t.Fatalf("accepted %q, which STS's pattern refuses", s)
			}
			if strings.HasPrefix(s, "arn:") && len(strings.Split(s, ":")[4]) != 12 {
				t.Fatalf("accepted %q without a 12-digit account", s)
			}
			return
		}
		if err := CheckSerial(s + "Zq9Qx"); err != nil && strings.Contains(err.Error(), "Zq9Qx") {
			t.Fatalf("the error quotes the value: %v", err)
		}
	})
}

// FuzzRedact: what Redact returns never carries a user:password@ part, a
// path, a query or a fragment, and an endpoint CheckEndpoint accepts is
// still shown (host and port).
func FuzzRedact(f *testing.F) {
	f.Add("user", "secret", "127.0.0.1:5000", "/p")
	f.Add("", "p@ss:word", "h", "")
	f.Add("u", "", "sts.eu-west-1.amazonaws.com", "/x?y=z")
	f.Add("u", "p", "h:8443", "/a;b?X-Amz-Security-Token=CANARY#CANARY")
	f.Fuzz(func(t *testing.T, user, pass, host, rest string) {
		path, query, _ := strings.Cut(rest, "?")
		query, fragment, _ := strings.Cut(query, "#")
		u := url.URL{Scheme: "https", User: url.UserPassword(user, pass), Host: host, Path: path, RawQuery: query, Fragment: fragment}
		s := u.String()
		r := Redact(s)
		if r == "(an endpoint URL that does not parse)" {
			if CheckEndpoint(s) == nil {
				t.Fatalf("%q is accepted but not shown", s)
			}
			return
		}
		back, err := url.Parse(r)
		if err != nil || back.User != nil || back.Path != "" || back.RawQuery != "" || back.Fragment != "" {
			t.Fatalf("Redact(%q) = %q", s, r)
		}
		if p, _ := url.Parse(s); CheckEndpoint(s) == nil && back.Host != p.Host {
			t.Fatalf("Redact(%q) = %q lost the host", s, r)
		}
	})
}
