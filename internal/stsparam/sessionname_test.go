package stsparam

import (
	"math/rand/v2"
	"testing"
)

// TestRoleSessionName: the default session name is the MFA device's
// (the IAM user's) name with aws-mfa's mark, and whatever the serial,
// a name STS takes.
func TestRoleSessionName(t *testing.T) {
	t.Parallel()
	for serial, want := range map[string]string{
		"arn:aws:iam::123456789012:mfa/alice":             "alice@aws-mfa",
		"arn:aws-cn:iam::123456789012:mfa/team/bob.smith": "bob.smith@aws-mfa",
		"arn:aws:iam::123456789012:mfa/al ice+x":          "al-ice+x@aws-mfa",
		"arn:aws:iam::123456789012:mfa/":                  "aws-mfa",
		"GAHT12345678":                                    "aws-mfa",
		"":                                                "aws-mfa",
		"arn:aws:iam::123456789012:mfa/" + string(make([]byte, 100)): "--------------------------------------------------------@aws-mfa",
		"arn:aws:iam::123456789012:mfa/é":                            "--@aws-mfa",
	} {
		if got := RoleSessionName(serial); got != want {
			t.Errorf("RoleSessionName(%q) = %q, want %q", serial, got, want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, r.IntN(90))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		serial := "arn:aws:iam::123456789012:mfa/" + string(b)
		if name := RoleSessionName(serial); CheckRoleSessionName(name) != nil {
			t.Fatalf("RoleSessionName(%q) = %q, which STS refuses", serial, name)
		}
	}
}
