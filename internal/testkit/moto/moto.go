// Package peers starts and provisions third-party AWS emulators for
// tests: moto, the widely used emulator nobody on this project wrote.
package moto

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// ProvisionCalls is how many unsigned calls Provision makes; an auth-mode
// moto must be started with INITIAL_NO_AUTH_ACTION_COUNT set to it.
const ProvisionCalls = 6

// Account is what Provision created in moto.
type Account struct {
	UserName        string
	AccessKeyID     string
	SecretAccessKey string
	Serial          string // a virtual MFA device enabled for the user
	RoleARN         string // a role the user may assume
}

var (
	mu       sync.Mutex
	accounts = map[string]*Account{}
	// ownServers holds, per mode (auth or not), the moto this process
	// started. Each mode boots on its own, so that tests wanting the two
	// modes start them at the same time instead of one after the other.
	ownServers  = map[bool]*ownServer{false: {}, true: {}}
	ownStops    []func()
	ownServerMu sync.Mutex // guards ownStops
)

type ownServer struct {
	mu      sync.Mutex
	booting chan struct{} // closed once booted; nil until the first start
	url     string
	missing bool  // moto_server is not installed
	err     error // why it did not start
}

// StopAll stops the servers this process started and waits for them to
// exit. Call it from TestMain (testproc.Wrap(m, peers.StopAll)); should the
// test binary die first, the servers die with it (see start).
func StopAll() {
	for _, s := range ownServers {
		s.mu.Lock()
		booting := s.booting
		s.mu.Unlock()
		if booting != nil {
			<-booting // a moto still starting registers its stop first
		}
	}
	ownServerMu.Lock()
	defer ownServerMu.Unlock()
	for _, stop := range ownStops {
		stop()
	}
	ownStops = nil
}

func envName(auth bool) string {
	if auth {
		return "AWS_MFA_MOTO_AUTH_URL"
	}
	return "AWS_MFA_MOTO_URL"
}

// Prestart starts this process's moto for the mode booting, unless the
// environment names one, and returns at once. A test calls it before
// t.Parallel: moto's second or more of start-up then overlaps the tests
// that run first, instead of holding a parallel test's slot. URL waits
// for it.
func Prestart(auth bool) {
	if os.Getenv(envName(auth)) == "" {
		ownServers[auth].boot(auth)
	}
}

// boot starts the server once, in the background; the channel is closed
// when it is up or failed.
func (s *ownServer) boot(auth bool) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.booting == nil {
		s.booting = make(chan struct{})
		go func() {
			url, missing, err := startMoto(auth)
			s.mu.Lock()
			s.url, s.missing, s.err = url, missing, err
			s.mu.Unlock()
			close(s.booting)
		}()
	}
	return s.booting
}

// URL returns the URL of a moto server. With auth, moto verifies SigV4
// signatures after its first ProvisionCalls calls; without, it checks
// nothing. .ci/run starts both and sets AWS_MFA_MOTO_AUTH_URL and
// AWS_MFA_MOTO_URL; elsewhere one is started for this test process.
func URL(t testing.TB, auth bool) string {
	t.Helper()
	testproc.Require(t, "moto_server")
	name := envName(auth)
	if u := os.Getenv(name); u != "" {
		return u
	}
	s := ownServers[auth]
	<-s.boot(auth)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.missing:
		testproc.Missing(t, "moto_server is not installed and "+name+" is not set; .ci/run must provide moto")
	case s.err != nil:
		t.Fatalf("start moto: %v", s.err)
	}
	return s.url
}

// startMoto starts a moto server on a port it picks itself, and returns
// its URL once it listens. (A free port found here and handed to moto
// could be taken in between by another test's server, which would then
// answer in moto's place and vanish with its test.) Tests share the
// server; TestMain stops it with StopAll.
func startMoto(auth bool) (url string, missing bool, err error) {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return "", true, nil
	}
	logR, logW, err := os.Pipe()
	if err != nil {
		return "", false, err
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", "0")
	cmd.Env = append(os.Environ(), "MOTO_CALL_RESET_API=false")
	if auth {
		cmd.Env = append(cmd.Env, fmt.Sprintf("INITIAL_NO_AUTH_ACTION_COUNT=%d", ProvisionCalls))
	}
	cmd.Stderr = logW
	stop, err := start(cmd)
	logW.Close() // moto holds it now
	if err != nil {
		logR.Close()
		return "", false, err
	}
	ownServerMu.Lock()
	ownStops = append(ownStops, stop)
	ownServerMu.Unlock()
	url, err = listening(logR)
	return url, false, err
}

// listening reads moto's log (its stderr) until werkzeug says where it
// listens, " * Running on http://127.0.0.1:PORT", which it prints once
// the socket is bound. It then drains the rest in the background, as
// moto logs every request there and must never block on a full pipe.
func listening(log *os.File) (string, error) {
	found := make(chan string, 1)
	go func() {
		defer log.Close()
		r := bufio.NewReader(log)
		for {
			line, err := r.ReadString('\n')
			if _, url, ok := strings.Cut(line, "Running on "); ok {
				found <- strings.TrimSpace(url)
				break
			}
			if err != nil {
				close(found) // moto exited without listening
				return
			}
		}
		io.Copy(io.Discard, r)
	}()
	select {
	case url, ok := <-found:
		if !ok {
			return "", errors.New("moto exited before it listened")
		}
		return url, nil
	case <-time.After(60 * time.Second):
		return "", errors.New("moto did not listen within 60s")
	}
}

// Provision creates, with exactly ProvisionCalls unsigned calls, an IAM
// user with an access key, an allow-all policy, an enabled virtual MFA
// device and a role to assume. It runs once per server.
func Provision(t testing.TB, url string) *Account {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if a := accounts[url]; a != nil {
		return a
	}
	a := &Account{UserName: "alice"}
	iamCall(t, url, nil, "CreateUser", "UserName", a.UserName)
	var key struct {
		ID     string `xml:"CreateAccessKeyResult>AccessKey>AccessKeyId"`
		Secret string `xml:"CreateAccessKeyResult>AccessKey>SecretAccessKey"`
	}
	iamCall(t, url, &key, "CreateAccessKey", "UserName", a.UserName)
	a.AccessKeyID, a.SecretAccessKey = key.ID, key.Secret
	iamCall(t, url, nil, "PutUserPolicy", "UserName", a.UserName, "PolicyName", "all",
		"PolicyDocument", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	var dev struct {
		Serial string `xml:"CreateVirtualMFADeviceResult>VirtualMFADevice>SerialNumber"`
	}
	iamCall(t, url, &dev, "CreateVirtualMFADevice", "VirtualMFADeviceName", "alice-phone")
	a.Serial = dev.Serial
	iamCall(t, url, nil, "EnableMFADevice", "UserName", a.UserName, "SerialNumber", a.Serial,
		"AuthenticationCode1", "123456", "AuthenticationCode2", "654321")
	var role struct {
		ARN string `xml:"CreateRoleResult>Role>Arn"`
	}
	iamCall(t, url, &role, "CreateRole", "RoleName", "admin",
		"AssumeRolePolicyDocument", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`,
		"MaxSessionDuration", "43200", "Tags.member.1.Key", "purpose", "Tags.member.1.Value", "aws-mfa tests")
	a.RoleARN = role.ARN
	if !strings.HasPrefix(a.Serial, "arn:aws:iam::") || a.AccessKeyID == "" || a.RoleARN == "" {
		t.Fatalf("moto gave serial %q, key %q, role %q", a.Serial, a.AccessKeyID, a.RoleARN)
	}
	accounts[url] = a
	return a
}

// iamCall makes one call of IAM's query API to moto and decodes its
// answer into out (nil: none wanted). Moto picks the service a request
// is for from its Authorization header's scope, and checks no signature
// in an auth-mode server's first ProvisionCalls calls: the header names
// IAM and signs nothing. (Written by hand, not with the SDK's IAM client,
// which every test binary that starts botocore would otherwise link.)
func iamCall(t testing.TB, endpoint string, out any, action string, params ...string) {
	t.Helper()
	form := url.Values{"Action": {action}, "Version": {"2010-05-08"}}
	for i := 0; i+1 < len(params); i += 2 {
		form.Set(params[i], params[i+1])
	}
	req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatalf("moto %s: %v", action, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAPROVISIONING000/20200101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=unsigned")
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Fatalf("moto %s: %v", action, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
	}
	if err == nil && out != nil {
		err = xml.Unmarshal(body, out)
	}
	if err != nil {
		t.Fatalf("moto %s: %v", action, err)
	}
}
