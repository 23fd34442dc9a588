package app

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// consoleConfig has a GetSessionToken pair (default), a role assumed with
// the source's keys and a code (admin), a role chained from the default
// pair's session (readonly), and roles in other partitions.
const consoleConfig = `[defaults]
pair = "default"

[pair.default]
source = "aws-mfa"
target = "default"

[pair.admin]
source = "aws-mfa"
target = "admin"
role_arn = "arn:aws:iam::123456789012:role/admin"
region = "eu-west-1"

[pair.readonly]
source_pair = "default"
target = "readonly"
role_arn = "arn:aws:iam::123456789012:role/readonly"

[pair.gov]
source = "aws-mfa"
target = "gov"
role_arn = "arn:aws-us-gov:iam::123456789012:role/admin"

[pair.iso]
source = "aws-mfa"
target = "iso"
role_arn = "arn:aws-iso:iam::123456789012:role/admin"
`

// consoleRig is a rig with consoleConfig, whose emulator serves the
// federation endpoint at FED/federation.
func consoleRig(t *testing.T) (*rig, string) {
	r := newRig(t, aliceProfile)
	os.MkdirAll(filepath.Dir(r.configFile()), 0o700)
	if err := os.WriteFile(r.configFile(), []byte(consoleConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return r, r.emu.URL + "/federation"
}

// signins are the emulator's accepted getSigninToken calls.
func signins(emu *stsemu.Server) []stsemu.Call {
	var out []stsemu.Call
	for _, c := range emu.Calls() {
		if c.Action == "getSigninToken" {
			out = append(out, c)
		}
	}
	return out
}

// TestConsolePrint: for a role assumed with a code and for a role chained
// from a GetSessionToken session, --print prints exactly one line, the
// login URL; the federation endpoint got exactly the session the emulator
// issued and the refresh wrote (its three fields and nothing else, no
// SessionDuration), and the URL carries the token it answered. Neither
// the session nor the URL's token is on stderr, which says how long the
// URL works.
func TestConsolePrint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pair, dest string
		actions    []string // STS calls before the sign-in
	}{
		{"admin", "https://console.aws.amazon.com/console/home?region=eu-west-1", []string{"AssumeRole"}},
		{"readonly", "https://console.aws.amazon.com/console/home", []string{"GetSessionToken", "AssumeRole"}},
	} {
		t.Run(tc.pair, func(t *testing.T) {
			t.Parallel()
			r, fed := consoleRig(t)
			stdout, stderr, code := r.run("", "console", "-p", tc.pair, "--print", "--federation-url", fed, "314159")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var actions []string
			for _, c := range r.emu.Calls() {
				actions = append(actions, c.Action)
			}
			if want := strings.Join(append(tc.actions, "getSigninToken"), " "); strings.Join(actions, " ") != want {
				t.Errorf("calls %q, want %s", actions, want)
			}
			calls := signins(r.emu)
			if len(calls) != 1 {
				t.Fatalf("%d sign-ins", len(calls))
			}
			sent := calls[0].Params
			var session map[string]string
			if err := json.Unmarshal([]byte(sent.Get("Session")), &session); err != nil {
				t.Fatal(err)
			}
			f, err := credfile.Read(r.creds)
			if err != nil {
				t.Fatal(err)
			}
			issued := f.Credentials(tc.pair)
			if len(session) != 3 || session["sessionId"] != issued.AccessKeyID || session["sessionKey"] != issued.SecretAccessKey || session["sessionToken"] != issued.SessionToken || issued.SessionToken == "" {
				t.Errorf("sent session %v, the target holds %+v", session, issued)
			}
			if sent.Has("SessionDuration") {
				t.Errorf("SessionDuration %q sent", sent.Get("SessionDuration"))
			}
			if strings.Count(stdout, "\n") != 1 || !strings.HasSuffix(stdout, "\n") {
				t.Fatalf("stdout is not one line: %q", stdout)
			}
			u, err := url.Parse(strings.TrimSpace(stdout))
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			if u.Scheme+"://"+u.Host+u.Path != fed || q.Get("Action") != "login" || q.Get("Issuer") != "aws-mfa" ||
				q.Get("Destination") != tc.dest || q.Get("SigninToken") != sent.Get("SigninToken") || len(q) != 4 {
				t.Errorf("login URL %s; want %s with the token %s and destination %s", stdout, fed, sent.Get("SigninToken"), tc.dest)
			}
			for _, secret := range []string{issued.SecretAccessKey, issued.SessionToken, sent.Get("SigninToken")} {
				if strings.Contains(stderr, secret) {
					t.Errorf("stderr has a secret: %s", stderr)
				}
			}
			if strings.Contains(stdout, issued.SecretAccessKey) || strings.Contains(stdout, issued.SessionToken) {
				t.Errorf("stdout has the session: %s", stdout)
			}
			if !strings.Contains(stderr, "valid for 15 minutes") || !strings.Contains(stderr, "role/"+tc.pair) {
				t.Errorf("stderr: %s", stderr)
			}

			// Again: the session in the target is reused, with no code.
			before := read(r.creds)
			stdout, stderr, code = r.run("", "console", "-p", tc.pair, "--print", "--verbose", "--federation-url", fed)
			if code != 0 || strings.Count(stdout, "\n") != 1 || read(r.creds) != before || len(signins(r.emu)) != 2 {
				t.Errorf("second run: exit %d, stdout %q, stderr %s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, "getSigninToken endpoint="+r.emu.URL+"\n") {
				t.Errorf("--verbose: %s", stderr)
			}
		})
	}
}

// TestConsoleOpens: without --print the URL goes to the browser, not to
// stdout; a browser that cannot be opened is exit 1, pointing at --print.
func TestConsoleOpens(t *testing.T) {
	t.Parallel()
	r, fed := consoleRig(t)
	var opened []string
	sys, s := r.system("")
	sys.Browse = func(u string) error { opened = append(opened, u); return nil }
	if code := Run([]string{"aws-mfa", "console", "-p", "admin", "--federation-url", fed, "314159"}, sys); code != 0 {
		t.Fatalf("exit %d: %s", code, s.err)
	}
	if len(opened) != 1 || s.out.Len() != 0 || !strings.Contains(opened[0], "Action=login") || !strings.Contains(s.err.String(), "opened the AWS console as arn:aws:iam::123456789012:role/admin") {
		t.Errorf("opened %q, stdout %q, stderr %s", opened, s.out, s.err)
	}
	sys, s = r.system("")
	sys.Browse = func(string) error { return errors.New(`exec: "xdg-open": executable file not found in $PATH`) }
	code := Run([]string{"aws-mfa", "console", "-p", "admin", "--federation-url", fed}, sys)
	if code != 1 || s.out.Len() != 0 || !strings.Contains(s.err.String(), "cannot open a browser") || !strings.Contains(s.err.String(), "run aws-mfa console -p admin --print") {
		t.Errorf("no browser: exit %d, stdout %q, stderr %s", code, s.out, s.err)
	}
}

// TestConsoleRefuses: a GetSessionToken pair, a partition whose console
// aws-mfa does not know, and a --federation-url the session must not go
// to are refused with exit 2 and one line, before STS or the federation
// endpoint is asked anything; the files are left alone.
func TestConsoleRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"GetSessionToken pair", []string{"console", "--print"}, "pair default gets its session from GetSessionToken, which AWS does not take for the console (only role sessions); add a role pair with aws-mfa setup -p NAME --role-arn ARN"},
		{"GetSessionToken pair by name", []string{"console", "-p", "default"}, "GetSessionToken"},
		{"unknown partition", []string{"console", "-p", "iso", "--print"}, "not aws-iso"},
		{"not a URL", []string{"console", "-p", "admin", "--federation-url", "::"}, "--federation-url is not an http or https URL"},
		{"no host", []string{"console", "-p", "admin", "--federation-url", "https:///federation"}, "not an http or https URL"},
		{"ftp", []string{"console", "-p", "admin", "--federation-url", "ftp://signin.aws.amazon.com/federation"}, "not an http or https URL"},
		{"plain http elsewhere", []string{"console", "-p", "admin", "--federation-url", "http://signin.example.com/federation"}, "unencrypted"},
		{"stray word", []string{"console", "-p", "admin", "314159", "x"}, `unexpected argument "x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, _ := consoleRig(t)
			stdout, stderr, code := r.run("", append(tc.args, "-t", "314159")...)
			if code != ExitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout, stderr, tc.want)
			}
			if r.emu.Requests() != 0 || read(r.creds) != aliceProfile {
				t.Errorf("%d requests; credentials:\n%s", r.emu.Requests(), read(r.creds))
			}
		})
	}
}

// TestConsoleFederationFaults: every way the federation endpoint can fail
// is one line naming it, exit 1, nothing on stdout and no browser, the
// session reused from the target and the files left as they were.
func TestConsoleFederationFaults(t *testing.T) {
	t.Parallel()
	serve := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	for _, tc := range []struct {
		name    string
		fault   stsemu.Fault     // played by the emulator on getSigninToken
		handler http.HandlerFunc // else a server of the test's own
		want    string
	}{
		{"500", stsemu.ServerError, nil, "refused to sign in (HTTP 500)"},
		{"garbage", stsemu.Garbage, nil, "answered with no sign-in token"},
		{"huge", stsemu.Huge, nil, "answered with no sign-in token"},
		{"hang", stsemu.Hang, nil, "no complete answer from the federation endpoint http://127.0.0.1:"},
		{"trickle", stsemu.Trickle, nil, "within " + hangTimeout},
		{"reset", stsemu.Reset, nil, "no answer from the federation endpoint"},
		{"close", stsemu.Close, nil, "no answer from the federation endpoint"},
		{"no token", "", serve(200, `{"Other":"x"}`), "answered with no sign-in token"},
		{"empty token", "", serve(200, `{"SigninToken":""}`), "answered with no sign-in token"},
		{"HTML page", "", serve(200, "<html><body>Sign in</body></html>"), "answered with no sign-in token"},
		{"refused", "", serve(400, "<html><body>Invalid credentials parameter</body></html>"), "refused to sign in (HTTP 400); run again later, or with --force"},
		{"huge token", "", serve(200, `{"SigninToken":"`+strings.Repeat("A", 2<<20)+`"}`), "sent an answer over 1024 KiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, fed := consoleRig(t)
			if _, stderr, code := r.run("", "console", "-p", "admin", "--print", "--federation-url", fed, "314159"); code != 0 {
				t.Fatalf("first run: exit %d: %s", code, stderr)
			}
			r.emu.SetActionFault("getSigninToken", tc.fault)
			if tc.handler != nil {
				srv := httptest.NewServer(tc.handler)
				t.Cleanup(srv.Close)
				fed = srv.URL + "/federation"
			}
			before := read(r.creds)
			sys, s := r.system("")
			sys.Browse = func(string) error { t.Error("a browser was opened"); return nil }
			timeout := "15s" // a bound never reached, on a busy machine too
			if tc.fault == stsemu.Hang || tc.fault == stsemu.Trickle {
				timeout = hangTimeout
			}
			code := Run([]string{"aws-mfa", "console", "-p", "admin", "--timeout", timeout, "--federation-url", fed}, sys)
			if code != ExitFailure || s.out.Len() != 0 || strings.Count(s.err.String(), "\n") != 1 || !strings.Contains(s.err.String(), tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, s.out, s.err, tc.want)
			}
			if strings.Contains(s.err.String(), "Session") || strings.Contains(s.err.String(), "sessionKey") {
				t.Errorf("the request is quoted: %s", s.err)
			}
			if read(r.creds) != before {
				t.Error("the credentials file changed")
			}
		})
	}
}

// TestConsoleURLs: each partition's federation endpoint and console.
func TestConsoleURLs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ arn, endpoint, home string }{
		{"arn:aws:iam::123456789012:role/a", "https://signin.aws.amazon.com/federation", "https://console.aws.amazon.com/console/home"},
		{"arn:aws-us-gov:iam::123456789012:role/a", "https://signin.amazonaws-us-gov.com/federation", "https://console.amazonaws-us-gov.com/console/home"},
		{"arn:aws-cn:iam::123456789012:role/a", "https://signin.amazonaws.cn/federation", "https://console.amazonaws.cn/console/home"},
	} {
		pair := consolePair(tc.arn)
		endpoint, home, err := consoleURLs(pair, "")
		if err != nil || endpoint != tc.endpoint || home != tc.home {
			t.Errorf("%s: %s %s %v", tc.arn, endpoint, home, err)
		}
		for _, local := range []string{"http://127.0.0.1:8080/federation", "http://[::1]:1/f", "http://localhost/f", "https://signin.example.com/f"} {
			if endpoint, home2, err := consoleURLs(pair, local); err != nil || endpoint != local || home2 != tc.home {
				t.Errorf("%s with %s: %s %s %v", tc.arn, local, endpoint, home2, err)
			}
		}
	}
}

// TestBrowse: the opener gets the URL as its one argument, with no shell
// between; one that fails is an error.
func TestBrowse(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("xdg-open is the opener on Linux only")
	}
	testproc.Require(t, "sh")
	dir := t.TempDir()
	got := filepath.Join(dir, "args")
	testproc.WriteExecutable(filepath.Join(dir, "xdg-open"), []byte("#!/bin/sh\nprintf '%s\\n' \"$#\" \"$1\" > "+got+"\n[ \"$1\" != fail ]\n"), 0o755)
	t.Setenv("PATH", dir)
	u := "https://signin.aws.amazon.com/federation?Action=login&Destination=x%3By&SigninToken=a$(touch%20/tmp/x)'\""
	if err := browse(u); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(got); string(b) != "1\n"+u+"\n" {
		t.Errorf("xdg-open got %q", b)
	}
	if err := browse("fail"); err == nil {
		t.Error("a failing opener is no error")
	}
}

func consolePair(arn string) config.Pair { return config.Pair{Name: "x", RoleARN: arn} }

// TestConsoleKeepsTheSession: when the federation endpoint fails after STS
// issued the session, stderr says the session was written, and the next
// run signs in with it, asking no code.
func TestConsoleKeepsTheSession(t *testing.T) {
	t.Parallel()
	r, fed := consoleRig(t)
	r.emu.SetActionFault("getSigninToken", stsemu.ServerError)
	_, stderr, code := r.run("", "console", "-p", "admin", "--print", "--federation-url", fed, "314159")
	if code != ExitFailure || !strings.Contains(stderr, "wrote an MFA session to [admin]") || !strings.Contains(stderr, "HTTP 500") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	r.emu.SetActionFault("getSigninToken", stsemu.None)
	stdout, stderr, code := r.run("", "console", "-p", "admin", "--print", "--federation-url", fed)
	if code != 0 || !strings.Contains(stdout, "SigninToken=") || len(r.emu.Calls()) != 2 {
		t.Errorf("exit %d, %d calls: %s", code, len(r.emu.Calls()), stderr)
	}
}
