package config

import (
	"strings"
	"testing"
	"time"
)

// TestRoleDefaults: a role pair that names no duration asks for an hour,
// a role's default MaxSessionDuration, whatever [defaults] says; one that
// names its own keeps it. [defaults]' endpoint_url serves every pair, the
// built-in one included, unless a pair names its own.
func TestRoleDefaults(t *testing.T) {
	t.Parallel()
	const role = "arn:aws:iam::210987654321:role/admin"
	c, err := Parse("c.toml", []byte(`[defaults]
duration = "12h"
endpoint_url = "http://127.0.0.1:4566"

[pair.mfa]
source = "aws-mfa"
target = "mfa"

[pair.role]
source = "aws-mfa"
target = "role"
role_arn = "`+role+`"

[pair.long]
source = "aws-mfa"
target = "long"
role_arn = "`+role+`"
duration = "4h"
endpoint_url = "https://sts.eu-west-1.amazonaws.com"

[pair.chained]
source_pair = "mfa"
target = "chained"
role_arn = "`+role+`"
`))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]struct {
		dur      time.Duration
		endpoint string
	}{
		"mfa":     {12 * time.Hour, "http://127.0.0.1:4566"},
		"role":    {time.Hour, "http://127.0.0.1:4566"},
		"long":    {4 * time.Hour, "https://sts.eu-west-1.amazonaws.com"},
		"chained": {time.Hour, "http://127.0.0.1:4566"},
		"default": {12 * time.Hour, "http://127.0.0.1:4566"},
	} {
		p, err := c.Select(name)
		if err != nil || p.Duration != want.dur || p.Endpoint != want.endpoint {
			t.Errorf("%s: duration %s endpoint %q (%v), want %s %q", name, p.Duration, p.Endpoint, err, want.dur, want.endpoint)
		}
	}
	// Without [defaults] too.
	c, _ = Parse("c.toml", []byte("[pair.role]\nsource = \"a\"\ntarget = \"b\"\nrole_arn = \""+role+"\"\n"))
	if p, _ := c.Select("role"); p.Duration != time.Hour {
		t.Errorf("role without [defaults]: %s", p.Duration)
	}
	// A bad endpoint in [defaults] is refused there.
	_, err = Parse("c.toml", []byte("[defaults]\nendpoint_url = \"ftp://h/\"\n"))
	if err == nil || !strings.Contains(err.Error(), "[defaults]") {
		t.Errorf("bad [defaults] endpoint_url: %v", err)
	}
}
