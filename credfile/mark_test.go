package credfile

import (
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
)

// TestWrittenSessionWithAnyPrefix: a session aws-mfa wrote is a session
// whatever its key id looks like (moto's and LocalStack's start AKIA);
// a key set over it with `aws configure set` (id, secret or both), a
// token line edited, or a mark copied beside other keys is long-term
// keys again, as is an id with a token but no mark.
func TestWrittenSessionWithAnyPrefix(t *testing.T) {
	t.Parallel()
	const source = "[aws-mfa]\naws_access_key_id = AKIASOURCEEXAMPLE001\naws_secret_access_key = s\n"
	for _, id := range []string{"AKIAMOTOSESSION00001", "LSIAQAAAAAAAAEXAMPLE", "ASIATEMPORARYKEY0001"} {
		f, _ := Parse([]byte(source))
		s := awscred.Session{Keys: awscred.Keys{AccessKeyID: id, SecretAccessKey: "sess/secret"}, SessionToken: "FQoGZXIvYXdzEXAMPLETOKEN", Expiration: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
		out, err := f.SetSession("default", s)
		if err != nil {
			t.Fatal(err)
		}
		written := string(out)
		if strings.Contains(written, SessionMarkKey) == strings.HasPrefix(id, "ASIA") {
			t.Errorf("%s: mark written %v:\n%s", id, !strings.HasPrefix(id, "ASIA"), written)
		}
		for name, tc := range map[string]struct {
			data     string
			longTerm bool
		}{
			"as written":          {written, false},
			"expired":             {strings.Replace(written, "2030-01-02", "2001-01-02", 1), false},
			"new key id":          {strings.Replace(written, "aws_access_key_id = "+id, "aws_access_key_id = AKIANEWROTATEDKEY001", 1), true},
			"new secret":          {strings.Replace(written, "sess/secret", "NEWROTATEDSECRETonlycopy", 1), true},
			"token edited":        {strings.Replace(written, "EXAMPLETOKEN", "OTHERTOKEN", 1), true},
			"no expiration":       {removeLine(written, "expiration"), true},
			"no token":            {removeLine(written, "aws_session_token"), true},
			"mark emptied":        {replaceLine(written, SessionMarkKey, SessionMarkKey+" ="), true},
			"mark in [DEFAULT]":   {"[DEFAULT]\n" + markLine(written) + "\n" + removeLine(written, SessionMarkKey), true},
			"mark beside AKIA id": {source + "[other]\naws_access_key_id = AKIAOTHERLONGTERM001\naws_secret_access_key = o\n" + markLine(written) + "\n", true},
		} {
			if strings.HasPrefix(id, "ASIA") {
				tc.longTerm = name == "new key id" || name == "mark beside AKIA id"
			}
			g, err := Parse([]byte(tc.data))
			if err != nil {
				t.Fatalf("%s %s: %v", id, name, err)
			}
			profile := "default"
			if name == "mark beside AKIA id" {
				profile = "other"
			}
			if got := g.HoldsLongTermKeys(profile); got != tc.longTerm {
				t.Errorf("%s, %s: HoldsLongTermKeys = %v:\n%s", id, name, got, tc.data)
			}
		}
	}
}

func removeLine(data, key string) string { return replaceLine(data, key, "") }

func replaceLine(data, key, with string) string {
	lines := strings.Split(data, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, key+" ") {
			lines[i] = with
		}
	}
	return strings.Join(lines, "\n")
}

func markLine(data string) string {
	for _, l := range strings.Split(data, "\n") {
		if strings.HasPrefix(l, SessionMarkKey+" ") {
			return l
		}
	}
	return ""
}
