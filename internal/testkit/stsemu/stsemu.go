// Package stsemu is an in-process emulator of the STS and IAM calls
// aws-mfa makes, for tests. It checks each request's SigV4 signature by signing it again
// with the SDK's own signer and the secret it knows for the key, checks
// the parameters like STS does, and can be told to fail in each way real
// STS or a broken network fails.
package stsemu

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Fault makes the emulator fail every request in one way.
type Fault string

// The faults it can play.
const (
	None          Fault = ""
	WrongCode     Fault = "wrong-code"    // AccessDenied, invalid one time pass code
	ExpiredToken  Fault = "expired-token" // ExpiredToken
	Throttling    Fault = "throttling"    // Throttling, HTTP 400
	ServerError   Fault = "500"           // HTTP 500 with an InternalFailure body
	Garbage       Fault = "garbage"       // HTTP 200 with a body that is not XML
	Hang          Fault = "hang"          // never answers (until the client gives up)
	Reset         Fault = "reset"         // resets the connection (RST) without an answer
	Close         Fault = "close"         // closes the connection (FIN) without an answer
	Huge          Fault = "huge"          // HTTP 200 with a body of 1 GB
	HugeError     Fault = "huge-error"    // HTTP 403 with an error body of 1 GB
	Trickle       Fault = "trickle"       // HTTP 200, then a byte now and then, never ending
	Denied        Fault = "denied"        // AccessDenied, as IAM says it for a missing permission
	ClockSkew     Fault = "clock-skew"    // SignatureDoesNotMatch: signed more than 15 minutes off AWS's clock
	SessionCreds  Fault = "session-creds" // AccessDenied, called with session credentials
	RegionRefused Fault = "region-disabled"
)

// canned are the faults answered with an STS error document, in STS's own
// words; early ones come before the signature is checked.
var canned = map[Fault]struct {
	early          bool
	status         int
	typ, code, msg string
}{
	ServerError:   {true, http.StatusInternalServerError, "Receiver", "InternalFailure", "We encountered an internal error. Please try again."},
	Throttling:    {true, http.StatusBadRequest, "Sender", "Throttling", "Rate exceeded"},
	WrongCode:     {false, http.StatusForbidden, "Sender", "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. "},
	ExpiredToken:  {false, http.StatusForbidden, "Sender", "ExpiredToken", "The security token included in the request is expired"},
	SessionCreds:  {false, http.StatusForbidden, "Sender", "AccessDenied", "Cannot call GetSessionToken with session credentials"},
	RegionRefused: {false, http.StatusForbidden, "Sender", "RegionDisabledException", "STS is not activated in this region for account"},
	Denied:        {false, http.StatusForbidden, "Sender", "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform this action"},
	ClockSkew:     {true, http.StatusForbidden, "Sender", "SignatureDoesNotMatch", "Signature expired: 20261127T120000Z is now earlier than 20261127T134500Z (20261127T140000Z - 15 min.)"},
}

// hugeSize is how much Huge and HugeError send at most.
const hugeSize = 1 << 30

// User is an IAM user the emulator knows.
type User struct {
	AccessKeyID     string
	SecretAccessKey string
	Serial          string   // its MFA device
	Code            string   // the code its device shows now
	Devices         []string // what IAM ListMFADevices lists; nil means [Serial]
	Name            string   // its IAM user name; "" means alice
	// KeyCreated is when IAM says its access key was created; zero
	// means when the emulator started.
	KeyCreated time.Time
}

// name is the user's IAM user name.
func (u User) name() string {
	if u.Name == "" {
		return "alice"
	}
	return u.Name
}

// Call is a request the emulator accepted as well formed and signed.
type Call struct {
	Action string
	Region string
	Params url.Values
	Key    string // the access key id that signed it
}

// session is temporary credentials the emulator issued: it accepts them
// until they expire, as STS does.
type session struct {
	user    User
	secret  string
	token   string
	expires time.Time
	origin  string // the long-term key whose caller got it, "" for Accept
	role    bool   // from AssumeRole
	chained bool   // AssumeRole signed with a session
}

// Server is a running emulator.
type Server struct {
	URL string

	mu       sync.Mutex
	users    map[string]User
	sessions map[string]session // by access key id
	fault    Fault
	faults   map[string]Fault // by action; beats fault
	calls    []Call
	requests atomic.Int64
	sent     atomic.Int64 // body bytes Huge and HugeError managed to send
	srv      *httptest.Server
	now      func() time.Time
	before   func(action string)
	closed   chan struct{}

	keys     map[string]*accessKey // IAM's access keys, by id
	keyDelay time.Duration         // a new key signs only this long after it is created
	revoke   bool                  // deleting a key ends the sessions it got
}

// Start starts an emulator that knows users.
func Start(users ...User) *Server {
	s := &Server{users: map[string]User{}, sessions: map[string]session{}, faults: map[string]Fault{}, now: time.Now, closed: make(chan struct{}), keys: map[string]*accessKey{}}
	for _, u := range users {
		s.users[u.AccessKeyID] = u
		created := u.KeyCreated
		if created.IsZero() {
			created = time.Now().UTC().Truncate(time.Second)
		}
		s.keys[u.AccessKeyID] = &accessKey{user: u.name(), status: "Active", created: created}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the emulator.
func (s *Server) Close() {
	close(s.closed)
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// SetFault makes every later request fail with f.
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// SetActionFault makes every later request for action (an STS or IAM
// action name, like ListMFADevices) fail with f; None clears it.
func (s *Server) SetActionFault(action string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[action] = f
}

// SetBefore makes every later request run before(action) before it is
// answered: a test does there what happens while the client waits.
func (s *Server) SetBefore(before func(action string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.before = before
}

// SetNow sets the emulator's clock, from which it dates the sessions it
// hands out: a clock behind the client's makes them expire early.
func (s *Server) SetNow(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetCode makes the device of the user with access key id keyID show
// code: the next step's, as a real device does every 30 seconds.
func (s *Server) SetCode(keyID, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[keyID]
	u.Code = code
	s.users[keyID] = u
}

// Accept makes the emulator take a session that another STS (moto)
// issued to u: requests signed with its keys and carrying its token, as
// long as it has not expired.
func (s *Server) Accept(u User, accessKeyID, secretAccessKey, token string, expires time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[accessKeyID] = session{user: u, secret: secretAccessKey, token: token, expires: expires}
}

// BytesSent counts the body bytes Huge and HugeError sent before the
// client stopped reading.
func (s *Server) BytesSent() int64 { return s.sent.Load() }

// Requests counts every HTTP request received, valid or not.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// Calls returns the requests that were accepted.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "Sender", "InvalidRequest", "unreadable body")
		return
	}
	form, formErr := url.ParseQuery(string(body))
	if r.Method == http.MethodGet { // the federation endpoint's parameters
		form, formErr = r.URL.Query(), nil
	}
	s.mu.Lock()
	before := s.before
	s.mu.Unlock()
	if before != nil {
		before(form.Get("Action")) // it may set the fault this request plays
	}
	s.mu.Lock()
	fault, forAction := s.faults[form.Get("Action")]
	if fault == None {
		fault, forAction = s.fault, false
	}
	now := s.now
	s.mu.Unlock()
	switch fault {
	case Hang:
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
		return
	case Reset:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.SetLinger(0)
				}
				c.Close()
			}
		}
		return
	case Close:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
			}
		}
		return
	case Garbage:
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "<<<not xml")
		return
	case Huge, HugeError:
		s.huge(w, r, fault)
		return
	case Trickle:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusOK)
		for {
			if _, err := io.WriteString(w, " "); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-s.closed:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	if c, ok := canned[fault]; ok && c.early {
		writeError(w, c.status, c.typ, c.code, c.msg)
		return
	}
	if r.Method == http.MethodGet && form.Get("Action") == "getSigninToken" {
		s.federation(w, form)
		return
	}

	user, region, key, viaSession, status, code, msg := s.authenticate(r, body)
	if code != "" {
		writeError(w, status, "Sender", code, msg)
		return
	}
	if formErr != nil {
		writeError(w, http.StatusBadRequest, "Sender", "InvalidRequest", "bad form body")
		return
	}
	action := form.Get("Action")
	if keyActions[action] {
		s.accessKeys(w, Call{Action: action, Region: region, Params: form, Key: key}, user, fault)
		return
	}
	if action == "GetCallerIdentity" || action == "ListMFADevices" {
		// A fault set for all actions plays on the MFA calls only.
		if c, ok := canned[fault]; ok && forAction {
			writeError(w, c.status, c.typ, c.code, c.msg)
			return
		}
		s.identity(w, Call{Action: action, Region: region, Params: form, Key: key}, user)
		return
	}
	if form.Get("Version") != "2011-06-15" {
		writeError(w, http.StatusBadRequest, "Sender", "InvalidAction", "bad version")
		return
	}
	if c, ok := canned[fault]; ok {
		writeError(w, c.status, c.typ, c.code, c.msg)
		return
	}
	if viaSession && action == "GetSessionToken" {
		writeError(w, http.StatusForbidden, "Sender", "AccessDenied", "Cannot call GetSessionToken with session credentials")
		return
	}
	// A session's caller already proved MFA; long-term keys must prove it now.
	if code, msg := checkMFA(form, user); code != "" && !viaSession {
		writeError(w, http.StatusForbidden, "Sender", code, msg)
		return
	}
	var dur int
	switch action {
	case "GetSessionToken":
		dur, code, msg = durationParam(form, 43200, 900, 129600)
	case "AssumeRole":
		dur, code, msg = durationParam(form, 3600, 900, 43200)
		if code == "" && viaSession && dur > 3600 {
			code, msg = "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
		}
		if code == "" && !strings.HasPrefix(form.Get("RoleArn"), "arn:aws:iam::") {
			code, msg = "ValidationError", "invalid RoleArn"
		}
	default:
		code, msg = "InvalidAction", "unknown action "+action
	}
	if code != "" {
		writeError(w, http.StatusBadRequest, "Sender", code, msg)
		return
	}
	exp := now().Add(time.Duration(dur) * time.Second).UTC()
	id, secret, token := "ASIA"+strings.ToUpper(random(16)), random(20)+"/"+random(10), "FwoGZXIvYXdzE"+random(60)+"=="
	s.mu.Lock()
	s.calls = append(s.calls, Call{Action: action, Region: region, Params: form, Key: key})
	origin := key
	if viaSession {
		origin = s.sessions[key].origin
	}
	s.sessions[id] = session{user: user, secret: secret, token: token, expires: exp, origin: origin, role: action == "AssumeRole", chained: viaSession}
	s.mu.Unlock()

	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%[1]sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <%[1]sResult>
    <Credentials>
      <AccessKeyId>%[2]s</AccessKeyId>
      <SecretAccessKey>%[3]s</SecretAccessKey>
      <SessionToken>%[4]s</SessionToken>
      <Expiration>%[5]s</Expiration>
    </Credentials>%[6]s
  </%[1]sResult>
  <ResponseMetadata><RequestId>%[2]s</RequestId></ResponseMetadata>
</%[1]sResponse>`, action, id, secret, token,
		exp.Format("2006-01-02T15:04:05.000000Z"), assumedUser(action, form))
}

// federation answers the console's federation endpoint (any path, GET
// with Action=getSigninToken) as AWS does: the Session parameter must be
// JSON with exactly sessionId, sessionKey and sessionToken of an unexpired
// role session the emulator issued (AWS takes no GetSessionToken session
// for the console), and a SessionDuration, if any, must be 900 to 43200
// seconds and not come with a chained role's session. What it refuses gets
// HTTP 400 with an HTML page, as AWS answers. The accepted call is recorded
// with the SigninToken it was answered in its Params.
func (s *Server) federation(w http.ResponseWriter, form url.Values) {
	var in map[string]string
	err := json.Unmarshal([]byte(form.Get("Session")), &in)
	s.mu.Lock()
	sess, ok := s.sessions[in["sessionId"]]
	now := s.now()
	s.mu.Unlock()
	dur, durErr := strconv.Atoi(form.Get("SessionDuration"))
	switch {
	case err != nil || len(in) != 3 || !ok || sess.secret != in["sessionKey"] || sess.token != in["sessionToken"] || !now.Before(sess.expires):
	case !sess.role:
	case form.Has("SessionDuration") && (sess.chained || durErr != nil || dur < 900 || dur > 43200):
	default:
		token := "SigninT0ken-" + random(300)
		call := Call{Action: "getSigninToken", Params: url.Values{}, Key: in["sessionId"]}
		for k, v := range form {
			call.Params[k] = v
		}
		call.Params.Set("SigninToken", token)
		s.mu.Lock()
		s.calls = append(s.calls, call)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"SigninToken": token})
		return
	}
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadRequest)
	io.WriteString(w, "<html><body><h1>HTTP Status 400 - Invalid credentials parameter</h1></body></html>")
}

// huge sends an answer of up to hugeSize bytes, for as long as the client
// reads it.
func (s *Server) huge(w http.ResponseWriter, r *http.Request, fault Fault) {
	w.Header().Set("Content-Type", "text/xml")
	if fault == HugeError {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>`)
	} else {
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `<GetSessionTokenResponse><GetSessionTokenResult><Credentials><SessionToken>`)
	}
	chunk := []byte(strings.Repeat("A", 64<<10))
	for s.sent.Load() < hugeSize {
		if _, err := w.Write(chunk); err != nil {
			return
		}
		s.sent.Add(int64(len(chunk)))
		select {
		case <-r.Context().Done():
			return
		case <-s.closed:
			return
		default:
		}
	}
}

// identity answers STS GetCallerIdentity and IAM ListMFADevices.
func (s *Server) identity(w http.ResponseWriter, call Call, u User) {
	name := u.name()
	action, form := call.Action, call.Params
	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml")
	if action == "GetCallerIdentity" {
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
  <Arn>arn:aws:iam::123456789012:user/%s</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>
</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, name)
		return
	}
	if form.Get("UserName") != name {
		writeError(w, http.StatusNotFound, "Sender", "NoSuchEntity", "The user with name "+form.Get("UserName")+" cannot be found.")
		return
	}
	devices := u.Devices
	if devices == nil {
		devices = []string{u.Serial}
	}
	var b strings.Builder
	for _, d := range devices {
		fmt.Fprintf(&b, "<member><UserName>%s</UserName><SerialNumber>%s</SerialNumber><EnableDate>2026-01-01T00:00:00Z</EnableDate></member>", name, d)
	}
	fmt.Fprintf(w, `<ListMFADevicesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListMFADevicesResult>
  <MFADevices>%s</MFADevices><IsTruncated>false</IsTruncated>
</ListMFADevicesResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></ListMFADevicesResponse>`, b.String())
}

func assumedUser(action string, form url.Values) string {
	if action != "AssumeRole" {
		return ""
	}
	return fmt.Sprintf("\n    <AssumedRoleUser><Arn>%s/%s</Arn><AssumedRoleId>AROAEXAMPLE:%s</AssumedRoleId></AssumedRoleUser>",
		form.Get("RoleArn"), form.Get("RoleSessionName"), form.Get("RoleSessionName"))
}

var authRE = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/(sts|iam)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$`)

// authenticate checks the request's signature by signing a copy of it
// again with the secret of the user's key or of a session it issued. It
// returns the user, the signing region and key, and whether a session signed.
func (s *Server) authenticate(r *http.Request, body []byte) (User, string, string, bool, int, string, string) {
	m := authRE.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return User{}, "", "", false, http.StatusBadRequest, "IncompleteSignature", "missing or malformed Authorization header"
	}
	keyID, region, service, signed, sig := m[1], m[3], m[4], strings.Split(m[5], ";"), m[6]
	token := r.Header.Get("X-Amz-Security-Token")
	s.mu.Lock()
	user, ok := s.users[keyID]
	sess, isSession := s.sessions[keyID]
	now := s.now()
	if k := s.keys[keyID]; ok && k != nil && (k.status != "Active" || now.Before(k.usable)) {
		ok = false // an inactive key, or one IAM has not yet spread
	}
	s.mu.Unlock()
	secret := user.SecretAccessKey
	switch {
	case token == "" && !ok, token != "" && (!isSession || sess.token != token):
		return User{}, "", "", false, http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."
	case token != "" && !now.Before(sess.expires):
		return User{}, "", "", false, http.StatusForbidden, "ExpiredToken", "The security token included in the request is expired"
	case token != "":
		user, secret = sess.user, sess.secret
	}
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return User{}, "", "", false, http.StatusBadRequest, "IncompleteSignature", "bad X-Amz-Date"
	}
	again, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), strings.NewReader(string(body)))
	// The signer signs content-length whenever it is set; clients that did
	// not sign it (botocore) must be checked without it.
	again.ContentLength = 0
	for _, h := range signed {
		if h == "content-length" {
			again.ContentLength = int64(len(body))
		}
	}
	for _, h := range signed {
		if h != "host" {
			again.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret, SessionToken: token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, again, hex.EncodeToString(sum[:]), service, region, when); err != nil {
		return User{}, "", "", false, http.StatusInternalServerError, "InternalFailure", err.Error()
	}
	if !strings.HasSuffix(again.Header.Get("Authorization"), "Signature="+sig) {
		return User{}, "", "", false, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."
	}
	return user, region, keyID, token != "", 0, "", ""
}

func checkMFA(form url.Values, u User) (string, string) {
	serial, code := form.Get("SerialNumber"), form.Get("TokenCode")
	if serial == "" && code == "" {
		return "", ""
	}
	if serial != u.Serial {
		return "AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user."
	}
	if len(code) != 6 || code != u.Code {
		return "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. "
	}
	return "", ""
}

func durationParam(form url.Values, def, lo, hi int) (int, string, string) {
	v := form.Get("DurationSeconds")
	if v == "" {
		return def, "", ""
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, "ValidationError", fmt.Sprintf("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint", v)
	}
	return n, "", ""
}

func writeError(w http.ResponseWriter, status int, typ, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>
  <RequestId>00000000-0000-0000-0000-000000000000</RequestId>
</ErrorResponse>`, typ, code, msg)
}

func random(n int) string {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}
