package setup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/credfile"
)

// TestDoctorAndSetupShareTheLongTermRule: doctor warns about a target
// whose keys a refresh would destroy in every spelling botocore reads as
// long-term keys, and setup copies such keys to the source.
func TestDoctorAndSetupShareTheLongTermRule(t *testing.T) {
	src := "[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
	keys := "aws_access_key_id = AKIAONLYCOPYEXAMPLE1\naws_secret_access_key = s\n"
	for _, target := range []string{
		"[default]\n" + keys + "aws_session_token =\n",
		"[default]\n" + keys + "AWS_SESSION_TOKEN:   \n",
		"[default]\n" + keys + "aws_security_token =\naws_session_token = x\n",
		"[default]\n" + keys + "aws_security_token = stale\n",
		"[DEFAULT]\naws_session_token = \n[default]\n" + keys,
	} {
		path := filepath.Join(t.TempDir(), "credentials")
		os.WriteFile(path, []byte(target+src), 0o600)
		findings := Doctor(Checkup{
			Paths:  credfile.Paths{Credentials: path},
			Getenv: func(string) string { return "" },
			Now:    time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC),
		})
		found := false
		for _, f := range findings {
			found = found || !f.OK && strings.Contains(f.What, "[default] holds long-term keys, which a refresh would replace")
		}
		if !found {
			t.Errorf("doctor misses the long-term keys in\n%s\nfindings: %+v", target, findings)
		}
		f, err := credfile.Parse([]byte(target + src))
		if err != nil {
			t.Fatal(err)
		}
		k, copied, err := sourceKeys(f, Request{Source: "aws-mfa", Target: "default", Paths: credfile.Paths{Credentials: path}})
		if err != nil || !copied || k.AccessKeyID != "AKIAONLYCOPYEXAMPLE1" {
			t.Errorf("setup does not copy the keys from\n%s\n%v %v %v", target, k, copied, err)
		}
	}
}
