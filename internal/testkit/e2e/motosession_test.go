//go:build unix

package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/moto"
)

// TestMotoSessionsRenew: moto hands out session keys starting AKIA. Once
// aws-mfa has written one, its renewal (a refresh, credential_process)
// replaces it with no --force, and doctor finds nothing to fix; a key
// set over it as `aws configure set` sets one is guarded again, before a
// code is spent.
func TestMotoSessionsRenew(t *testing.T) {
	moto.Prestart(false)
	t.Parallel()
	url := moto.URL(t, false)
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
	if out, _, err := run(t, append(env, "AWS_REGION=us-east-1"), bin, "doctor"); err != nil || strings.Contains(out, "FIX") {
		t.Errorf("doctor: %v\n%s", err, out)
	}

	// What `aws configure set aws_access_key_id AKIANEWROTATEDKEY001`
	// does to the file: that one line's value replaced, the session's
	// other lines kept. credfile-rotate.txtar runs the CLI's own over a
	// session aws-mfa wrote; what is tested here is the guard on moto's
	// AKIA sessions.
	err := credfile.Writer{}.EditBytes(creds, credfile.Parsed(creds, func(f *credfile.File) ([]byte, error) {
		return f.Edit("default", []credfile.KV{{Key: "aws_access_key_id", Value: "AKIANEWROTATEDKEY001"}}, nil)
	}))
	if err != nil {
		t.Fatal(err)
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

// TestMotoConsole: a role session moto issued (AssumeRole with a code, in
// plain mode) goes to a local federation endpoint as exactly the three
// fields of the session aws-mfa wrote, with no SessionDuration, and the
// printed login URL carries the token it answered.
func TestMotoConsole(t *testing.T) {
	moto.Prestart(false)
	t.Parallel()
	moto := moto.URL(t, false)
	var got url.Values
	fed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Query()
		io.WriteString(w, `{"SigninToken":"moto-console-token"}`)
	}))
	t.Cleanup(fed.Close)
	bin := toolBinary(t)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte(aliceSource), 0o600)
	os.MkdirAll(filepath.Join(dir, "aws-mfa"), 0o700)
	os.WriteFile(filepath.Join(dir, "aws-mfa", "config.toml"), []byte("[pair.admin]\nsource = \"aws-mfa\"\ntarget = \"admin\"\nrole_arn = \"arn:aws:iam::123456789012:role/admin\"\n"), 0o600)
	env := peerEnv(dir, "AWS_ENDPOINT_URL_STS="+moto, "XDG_CONFIG_HOME="+dir)
	stdout, stderr, err := run(t, env, bin, "console", "-p", "admin", "--print", "--federation-url", fed.URL+"/federation", "314159")
	if err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	f, _ := credfile.Read(creds)
	issued := f.Credentials("admin")
	var session map[string]string
	if err := json.Unmarshal([]byte(got.Get("Session")), &session); err != nil || got.Get("Action") != "getSigninToken" || got.Has("SessionDuration") {
		t.Fatalf("federation request %v: %v", got, err)
	}
	if len(session) != 3 || session["sessionId"] != issued.AccessKeyID || session["sessionKey"] != issued.SecretAccessKey || session["sessionToken"] != issued.SessionToken || issued.SessionToken == "" {
		t.Errorf("sent %v; moto issued %+v", session, issued)
	}
	if stdout != fed.URL+"/federation?Action=login&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fconsole%2Fhome&Issuer=aws-mfa&SigninToken=moto-console-token\n" {
		t.Errorf("stdout %q", stdout)
	}
}
