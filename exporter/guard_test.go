package exporter

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

const aliceSource = "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"

// TestGuardRefusesEveryEmptyTokenSpelling: [default] holds the only copy
// of a key pair next to a token botocore reads as empty, in every
// spelling; the refresh is refused before any code is asked, and the file
// is left byte for byte.
func TestGuardRefusesEveryEmptyTokenSpelling(t *testing.T) {
	t.Parallel() // its own files and emulators
	keys := "aws_access_key_id = AKIAONLYCOPYEXAMPLE1\naws_secret_access_key = only/copy\n"
	var files []string
	for _, key := range []string{"aws_session_token", "AWS_SESSION_TOKEN", "aws_security_token", "Aws_Security_Token"} {
		for _, sep := range []string{" = ", ":", " : ", "\t="} {
			for _, value := range []string{"", "  ", "\t"} {
				line := key + sep + value + "\n"
				files = append(files,
					aliceSource+"[default]\n"+keys+line,
					"[DEFAULT]\n"+line+aliceSource+"[default]\n"+keys)
			}
		}
	}
	files = append(files,
		aliceSource+"[default]\naws_access_key_id = AKIAONLYCOPYEXAMPLE1\naws_secret_access_key = only/copy\naws_security_token =\naws_session_token = x\n",
		aliceSource+"[default]\nAWS_ACCESS_KEY_ID: AKIAONLYCOPYEXAMPLE1\nAWS_SECRET_ACCESS_KEY: only/copy\n",
		"[DEFAULT]\naws_session_token = stale\n"+aliceSource+"[default]\n"+keys,
	)
	for _, content := range files {
		fx := setup(t, content)
		_, err := Obtain(context.Background(), fx.req, fx.deps)
		if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), "[default] holds long-term keys (AKIA…PLE1) found in no other profile") {
			t.Errorf("err = %v for\n%s", err, content)
		}
		if fx.file(t) != content || fx.asks != 0 || fx.sts.Requests() != 0 {
			t.Errorf("file changed, code asked or STS called for\n%s", content)
		}
	}
}

// TestRefreshBeatsDefaultSection: whatever [DEFAULT] holds, botocore's
// own resolver for the target returns exactly the new session after a
// refresh, every other profile reads as before, and [DEFAULT] is kept.
func TestRefreshBeatsDefaultSection(t *testing.T) {
	b := peers.StartBotocore(t)
	for _, def := range []string{
		"aws_security_token = stale\n",
		"AWS_SECURITY_TOKEN:\n",
		"aws_session_token = stale\n",
		"aws_security_token = stale\naws_session_token = stale2\nexpiration = 2030-01-01T00:00:00Z\n",
		"aws_access_key_id = AKIADEFAULTEXAMPLE01\naws_secret_access_key = d\naws_security_token = x\n",
		"region = eu-west-1\n",
	} {
		for _, target := range []string{
			"[default]\naws_access_key_id = ASIAOLD\naws_secret_access_key = old\naws_session_token = old\n",
			"[default]\nregion = eu-west-1\n",
			"",
		} {
			content := "[DEFAULT]\n" + def + aliceSource + "[other]\naws_access_key_id = ASIAX\naws_secret_access_key = y\naws_session_token = z\n" + target
			fx := setup(t, content)
			fx.req.Force = true // [DEFAULT]'s keys may look like the target's own
			res, err := Obtain(context.Background(), fx.req, fx.deps)
			if err != nil {
				t.Fatalf("%v for\n%s", err, content)
			}
			after := []byte(fx.file(t))
			if !bytes.HasPrefix(after, []byte("[DEFAULT]\n"+def)) {
				t.Errorf("[DEFAULT] changed:\n%s", after)
			}
			vs := b.ReadAll(t, []peers.BotocoreQuery{{Data: after, Target: "default"}, {Data: []byte(content)}})
			v, old := vs[0], vs[1]
			if v.Target == nil || v.Target.Key != res.AccessKeyID || v.Target.Secret != res.SecretAccessKey || v.Target.Token != res.SessionToken {
				t.Errorf("botocore reads %+v (%s) for [default], want the new session, in\n%s", v.Target, v.TargetError, after)
			}
			for name, keys := range old.Sections {
				if name != "default" && !reflect.DeepEqual(keys, v.Sections[name]) {
					t.Errorf("[%s] changed: %v -> %v", name, keys, v.Sections[name])
				}
			}
		}
	}
}

// TestGuardAdviceForAChainedTarget: a chained pair's target holding the
// only copy of long-term keys is refused with advice that works: copy
// them to a profile nothing writes, never into the base pair's target,
// which the base's refresh overwrites.
func TestGuardAdviceForAChainedTarget(t *testing.T) {
	fx := setup(t, aliceFile+"\n[prod]\naws_access_key_id = AKIAPRODONLYCOPY0001\naws_secret_access_key = prod/secret\n")
	realClock(fx)
	_, err := Obtain(context.Background(), chained(fx, &fx.req, "prod"), fx.deps)
	if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), "[prod] holds long-term keys (AKIA…0001)") {
		t.Fatalf("%v", err)
	}
	if strings.Contains(err.Error(), "Copy [prod] to [default]") || !strings.Contains(err.Error(), "not [default], which holds the base pair's session") {
		t.Errorf("advice: %v", err)
	}
	if strings.Contains(err.Error(), "prod/secret") {
		t.Error("secret in the message")
	}
}
