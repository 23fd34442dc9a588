package setup

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

// TestSetupOverAnOldSession: setup copying long-term keys into a source
// that holds an old session (in every spelling botocore reads a token)
// leaves a source from which botocore itself reads exactly the long-term
// keys and no token, and other profiles as they were.
func TestSetupOverAnOldSession(t *testing.T) {
	t.Parallel() // its own files; botocore, shared, answers one at a time
	bc := peers.StartBotocore(t)
	const serial = "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
	const target = "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n"
	for _, source := range []string{
		"[aws-mfa]\naws_access_key_id = ASIAOLDSESSION000001\naws_secret_access_key = oldsecret\naws_session_token = oldtok\n" + serial,
		"[aws-mfa]\naws_access_key_id = ASIAOLDSESSION000001\naws_secret_access_key = oldsecret\nAWS_SESSION_TOKEN: oldtok\nexpiration = 2026-11-27T10:00:00Z\n",
		"[aws-mfa]\naws_access_key_id = ASIAOLDSESSION000001\naws_secret_access_key = oldsecret\naws_security_token = oldtok\naws_session_token = oldtok\n" + serial,
		"[aws-mfa]\naws_access_key_id = ASIAOLDSESSION000001\naws_secret_access_key = oldsecret\naws_session_token = oldtok\n  continued\n" + serial,
		"[aws-mfa]\naws_access_key_id = ASIAOLDSESSION000001\naws_secret_access_key = oldsecret\n" + serial,
		// Long-term keys already there, with a stale token botocore would send.
		"[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\naws_security_token = stale\n" + serial,
		"[aws-mfa]\nAws_Security_Token: stale\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n" + serial,
	} {
		before := "# mine\n" + source + "\n" + target
		req, out := setupFiles(t, before)
		req.Serial = "arn:aws:iam::123456789012:mfa/alice"
		if _, err := Run(context.Background(), req, deps(&fakeDevices{}, out)); err != nil {
			t.Errorf("setup over\n%s: %v", source, err)
			continue
		}
		after, _ := os.ReadFile(req.Paths.Credentials)
		v := bc.Read(t, after, "aws-mfa")
		if v.Target == nil || v.Target.Key != "AKIAALICEEXAMPLE0001" || v.Target.Secret != "alice/secret" || v.Target.Token != "" {
			t.Errorf("setup over\n%s\nleft\n%s\nbotocore reads [aws-mfa] as %+v %s", source, after, v.Target, v.TargetError)
		}
		if was, now := bc.Read(t, []byte(before), "").Sections["default"], v.Sections["default"]; !reflect.DeepEqual(was, now) {
			t.Errorf("setup over\n%s\nchanged [default] from %v to %v", source, was, now)
		}
		if !strings.HasPrefix(string(after), "# mine\n") {
			t.Errorf("comment lost:\n%s", after)
		}
	}
}

// TestSetupSaysWhenDEFAULTHandsTheSourceAToken: a token in [DEFAULT] that
// botocore would send with the source's keys cannot be shadowed (an empty
// value is never written); setup says so, naming [DEFAULT], and only when
// it is so.
func TestSetupSaysWhenDEFAULTHandsTheSourceAToken(t *testing.T) {
	const target = "[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n"
	for _, tc := range []struct {
		creds string
		warn  bool
	}{
		{"[DEFAULT]\naws_security_token = stale\n" + target, true},
		{"[DEFAULT]\nAWS_SESSION_TOKEN: stale\n" + target, true},
		{"[DEFAULT]\naws_security_token = stale\n" + target + "[aws-mfa]\naws_security_token =\n", false},
		{"[DEFAULT]\naws_session_token =\n" + target, false},
		{target, false},
	} {
		req, out := setupFiles(t, tc.creds)
		req.Serial = "arn:aws:iam::123456789012:mfa/alice"
		if _, err := Run(context.Background(), req, deps(&fakeDevices{}, out)); err != nil {
			t.Errorf("%s: %v", tc.creds, err)
			continue
		}
		said := strings.Contains(out.String(), "[DEFAULT] in "+req.Paths.Credentials+" sets a session token that botocore also sends with [aws-mfa]'s keys")
		if said != tc.warn || strings.Contains(out.String(), "stale") {
			t.Errorf("%s: said %v, want %v:\n%s", tc.creds, said, tc.warn, out)
		}
	}
}
