package stsparam

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// TestRefusalsAreInputErrors: every value these rules refuse came from the
// user (a flag, the config, a profile, the environment), so every refusal
// is an input error (exit 2) where it arises, whatever the caller adds.
// Random strings over the characters that matter, and the edges.
func TestRefusalsAreInputErrors(t *testing.T) {
	checks := map[string]func(string) error{
		"serial":            CheckSerial,
		"role_arn":          CheckRoleARN,
		"role_session_name": CheckRoleSessionName,
		"external_id":       CheckExternalID,
		"region":            CheckRegion,
		"endpoint":          CheckEndpoint,
		"code":              checkCode,
		"duration": func(s string) error {
			_, err := ParseDuration(s)
			return err
		},
	}
	alphabet := []rune("aZ09:/-_.@=+, \t\n\x00é$`'\"arn:aws:iam::123456789012:mfa/https://h:1")
	r := rand.New(rand.NewPCG(3, 4))
	values := []string{"", " ", "x", "99999999999999999999h", "-5m", "arn:aws:iam::1:mfa/a", "http://", "12345"}
	for range 3000 {
		b := make([]rune, r.IntN(40))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		values = append(values, string(b))
	}
	refused := map[string]int{}
	for name, check := range checks {
		for _, v := range values {
			if err := check(v); err != nil {
				refused[name]++
				if !errors.Is(err, inputerr.Err) {
					t.Fatalf("%s: the refusal of %q is not an input error: %v", name, v, err)
				}
			}
		}
	}
	for name := range checks {
		if refused[name] == 0 {
			t.Errorf("%s refused none of the values: the test proves nothing for it", name)
		}
	}
	for _, d := range []time.Duration{0, time.Minute, 37 * time.Hour} {
		for _, err := range []error{CheckDuration(d, 0, false, false), CheckDuration(d, 0, true, false), CheckDuration(2*time.Hour, 0, true, true)} {
			if err == nil || !errors.Is(err, inputerr.Err) {
				t.Errorf("duration %s: %v is not an input error", d, err)
			}
		}
	}
	if _, err := Seconds(1 << 62); err == nil || !errors.Is(err, inputerr.Err) {
		t.Errorf("Seconds(1<<62): %v is not an input error", err)
	}
}
