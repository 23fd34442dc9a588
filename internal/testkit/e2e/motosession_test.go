//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// TestMotoSessionsRenew: moto hands out session keys starting AKIA. Once
// aws-mfa has written one, its renewal (a refresh, credential_process)
// replaces it with no --force, and doctor finds nothing to fix; a key
// set over it with the AWS CLI's own `aws configure set` is guarded
// again, before a code is spent.
func TestMotoSessionsRenew(t *testing.T) {
	peers.Prestart(false)
	t.Parallel()
	url := peers.Moto(t, false)
	bin := toolBinary(t)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte(aliceSource), 0o600)
	env := peerEnv(dir, "AWS_ENDPOINT_URL_STS="+url, "XDG_CONFIG_HOME="+dir)
	expire := func() {
		b, _ := os.ReadFile(creds)
		b = regexp.MustCompile(`(?m)^expiration = .*$`).ReplaceAll(b, []byte("expiration = 2001-01-01T00:00:00Z"))
		os.WriteFile(creds, b, 0o600)
	}

	if _, stderr, err := run(t, env, bin, "314159"); err != nil {
		t.Fatalf("first refresh: %v: %s", err, stderr)
	}
	f, _ := credfile.Read(creds)
	if id := f.Credentials("default").AccessKeyID; !strings.HasPrefix(id, "AKIA") {
		t.Fatalf("moto's session id %q does not start AKIA; the test shows nothing", id)
	}
	expire()
	if _, stderr, err := run(t, env, bin, "314159"); err != nil {
		t.Fatalf("renewal of moto's session: %v: %s", err, stderr)
	}
	expire()
	os.MkdirAll(filepath.Join(dir, "aws-mfa"), 0o700)
	os.WriteFile(filepath.Join(dir, "aws-mfa", "config.toml"), []byte("[defaults]\ntoken_command = \"echo 314159\"\n"), 0o600)
	if out, stderr, err := run(t, env, bin, "env", "--format", "json"); err != nil || !strings.Contains(out, `"SessionToken"`) {
		t.Fatalf("credential_process renewal: %v: %s", err, stderr)
	}
	if out, _, err := run(t, env, bin, "doctor"); err != nil || strings.Contains(out, "FIX") {
		t.Errorf("doctor: %v\n%s", err, out)
	}

	aws := testproc.Require(t, "aws")
	if _, stderr, err := run(t, env, aws, "configure", "set", "aws_access_key_id", "AKIANEWROTATEDKEY001", "--profile", "default"); err != nil {
		t.Fatalf("aws configure set: %v: %s", err, stderr)
	}
	expire()
	before, _ := os.ReadFile(creds)
	_, stderr, err := run(t, env, bin, "314159")
	if exitCode(err) != 2 || !strings.Contains(stderr, "holds long-term keys") {
		t.Errorf("a key set over the session: exit %d: %s", exitCode(err), stderr)
	}
	if after, _ := os.ReadFile(creds); string(after) != string(before) {
		t.Error("the rotated key was overwritten")
	}
}
