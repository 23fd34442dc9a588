package app

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
)

// canaries hands out distinct secret-looking strings, one per place
// planted, and remembers where each went.
type canaries struct{ where map[string]string }

func (c *canaries) plant(place string) string {
	s := fmt.Sprintf("Cnry%02dQz", len(c.where))
	c.where[s] = place
	return s
}

// canaryRun is one run of the command line: its arguments, and what to
// change before it.
type canaryRun struct {
	args   []string
	fault  stsemu.Fault
	action string        // the fault plays only on this STS or IAM action
	behind time.Duration // STS's clock runs this far behind
	creds  string        // credentials file content; "" for the base one
	toml   string        // aws-mfa's config; "" for the base one
	config string        // the AWS config; "" for the base one
	env    map[string]string
	stdin  string
	twice  bool // the same command runs twice, in one step
}

// timeoutFor is the --timeout of a canary run against fault: short where
// the run waits for it to fire.
func timeoutFor(f stsemu.Fault) string {
	if f == stsemu.Hang {
		return hangTimeout
	}
	return "5s"
}

// TestCanariesNeverPrinted plants a distinct canary in every key and
// position of the credentials file, the AWS config, aws-mfa's TOML
// config and the environment (secrets, other profiles, [DEFAULT],
// comments, continuation lines, unknown keys, token_command arguments,
// external ids, endpoint URLs' passwords), then drives every error path
// it can reach through the command line (bad files, bad flags, every STS
// and IAM fault of the emulator, a skewed STS clock, failing token
// commands, --verbose everywhere) and checks that no canary appears on
// stdout or stderr. Values aws-mfa shows by design are not planted:
// profile and pair names, the source's mfa_serial and region, key ids
// (shown masked, so canaries sit in their hidden middle).
func TestCanariesNeverPrinted(t *testing.T) {
	t.Parallel() // its runs wait on emulators and back-off; others go meanwhile
	c := &canaries{where: map[string]string{}}
	srcKeyID := "AKIA" + c.plant("source key id, middle") + "0001"
	srcSecret := c.plant("source secret") + "/long+term"
	user := stsemu.User{AccessKeyID: srcKeyID, SecretAccessKey: srcSecret, Serial: "arn:aws:iam::123456789012:mfa/alice", Code: "314159"}
	// Each run has its own emulator, so that runs go in parallel; the
	// files and the environment name its host emuHost, replaced per run.
	const emuHost = "emulator.invalid"
	const emuURL = "http://" + emuHost

	source := "[aws-mfa]\naws_access_key_id = " + srcKeyID + "\naws_secret_access_key = " + srcSecret + "\n" +
		"mfa_serial = arn:aws:iam::123456789012:mfa/alice\nnote = " + c.plant("unknown key in the source") + "\n" +
		"# " + c.plant("comment in the source") + "\n"
	expired := "[default]\naws_access_key_id = ASIA" + c.plant("expired target key id, middle") + "0002\n" +
		"aws_secret_access_key = " + c.plant("expired target secret") + "\n" +
		"aws_session_token = " + c.plant("expired target token") + "\n" +
		"expiration = 2020-01-01T00:00:00Z\n" +
		"description = " + c.plant("value with a continuation") + "\n  " + c.plant("continuation line") + "\n"
	other := "[other]\naws_access_key_id = AKIA" + c.plant("other key id, middle") + "0003\n" +
		"aws_secret_access_key = " + c.plant("other secret") + "\n" +
		"aws_session_token = " + c.plant("other token") + "\n" +
		"credential_process = /bin/echo " + c.plant("other credential_process") + "\n"
	credsBase := "# " + c.plant("first comment") + "\n" + source + "\n" + expired + "\n" + other
	withDefault := "[DEFAULT]\nnote = " + c.plant("[DEFAULT] unknown key") + "\n" + credsBase
	withDefaultToken := "[DEFAULT]\naws_security_token = " + c.plant("[DEFAULT] aws_security_token") + "\n" + credsBase
	// The target holds the only copy of long-term keys.
	onlyCopy := strings.Replace(credsBase, expired, "[default]\naws_access_key_id = AKIA"+c.plant("only-copy key id, middle")+"0004\naws_secret_access_key = "+c.plant("only-copy secret")+"\n", 1)
	awsConfig := "[profile other]\nregion = eu-west-1\nsso_session = " + c.plant("config sso_session") + "\n" +
		"[profile aws-mfa]\n# " + c.plant("config comment") + "\ncli_pager = " + c.plant("config unknown key") + "\n"

	tomlBase := "# " + c.plant("toml comment") + "\n" +
		"[pair.totp]\nsource = \"aws-mfa\"\ntarget = \"totp\"\ntoken_command = [\"/bin/echo\", \"" + c.plant("token_command argument printed as the code") + "\"]\n" +
		"[pair.fails]\nsource = \"aws-mfa\"\ntarget = \"fails\"\ntoken_command = [\"/bin/sh\", \"-c\", \"exit 3\", \"" + c.plant("token_command argument of a failing command") + "\"]\n" +
		"[pair.role]\nsource = \"aws-mfa\"\ntarget = \"role\"\nduration = \"1h\"\nrole_arn = \"arn:aws:iam::123456789012:role/admin\"\nexternal_id = \"" + c.plant("external_id") + "\"\n" +
		"[pair.chained]\nsource_pair = \"role\"\ntarget = \"chained\"\nduration = \"1h\"\nrole_arn = \"arn:aws:iam::123456789012:role/readonly\"\nexternal_id = \"" + c.plant("chained pair's external_id") + "\"\n" +
		"[pair.local]\nsource = \"aws-mfa\"\ntarget = \"local\"\nendpoint_url = \"" + strings.Replace(emuURL, "http://", "http://user:"+c.plant("pair endpoint_url password")+"@", 1) + "\"\n"
	badTOML := []string{
		"[defaults]\nduration = \"" + c.plant("bad duration string") + "\"\n",
		"[defaults]\nduration = " + c.plant("unquoted duration") + "\n",
		"[pair.x]\nsource = \"a\"\ntarget = \"b\"\nmfa_serial = \"" + c.plant("bad serial") + " x\"\n",
		"[pair.x]\nsource = \"a\"\ntarget = \"b\"\nendpoint_url = \"http://u:" + c.plant("unparseable endpoint password") + "@h:port\"\n",
		"[pair.x]\nsource = \"a\"\ntarget = \"b\"\nrole_arn = \"" + c.plant("bad role_arn") + "\"\n",
		"[pair.x]\nsource = \"a\"\ntarget = \"b\"\nregion = \"" + c.plant("bad region") + " x\"\n",
		"[pair.x]\nsource = \"a\"\ntarget = \"b\"\ncolour = \"" + c.plant("unknown TOML key's value") + "\"\n",
		"[pair.x]\nsource = \"a\"\ntarget = \"b\"\nexternal_id = \"" + c.plant("external_id without role_arn") + "\"\n",
		"[defaults]\ntoken_command = 7\n# " + c.plant("comment after a type error") + "\n",
	}

	env := map[string]string{
		"AWS_SECRET_ACCESS_KEY":     c.plant("env AWS_SECRET_ACCESS_KEY"),
		"AWS_SESSION_TOKEN":         c.plant("env AWS_SESSION_TOKEN"),
		"AWS_SECURITY_TOKEN":        c.plant("env AWS_SECURITY_TOKEN"),
		"AWS_ACCESS_KEY_ID":         "ASIA" + c.plant("env AWS_ACCESS_KEY_ID, middle") + "0005",
		"AWS_CREDENTIAL_EXPIRATION": c.plant("env AWS_CREDENTIAL_EXPIRATION"),
		"AWS_MFA_EXPIRY":            c.plant("env AWS_MFA_EXPIRY"),
		"AWS_ENDPOINT_URL_STS":      strings.Replace(emuURL, "http://", "http://user:"+c.plant("env endpoint password")+"@", 1),
		"AWS_ENDPOINT_URL_IAM":      strings.Replace(emuURL, "http://", "http://user:"+c.plant("env IAM endpoint password")+"@", 1),
	}
	badEndpoint := "http://user:" + c.plant("flag endpoint password") + "@" + strings.TrimPrefix(emuURL, "http://")
	federation := "http://user:" + c.plant("--federation-url password") + "@" + emuHost + "/federation"

	var runs []canaryRun
	faults := []stsemu.Fault{stsemu.None, stsemu.WrongCode, stsemu.ExpiredToken, stsemu.Throttling, stsemu.ServerError,
		stsemu.Garbage, stsemu.Reset, stsemu.Close, stsemu.Huge, stsemu.HugeError, stsemu.SessionCreds, stsemu.RegionRefused, stsemu.Denied, stsemu.Hang}
	for _, f := range faults {
		timeout := timeoutFor(f)
		runs = append(runs,
			canaryRun{args: []string{"--verbose", "--timeout", timeout, "314159"}, fault: f},
			canaryRun{args: []string{"env", "--verbose", "--timeout", timeout, "--shell", "sh", "314159"}, fault: f},
			canaryRun{args: []string{"exec", "--verbose", "--timeout", timeout, "-t", "314159", "--", "true"}, fault: f},
			canaryRun{args: []string{"-p", "role", "--verbose", "--timeout", timeout, "314159"}, fault: f},
			canaryRun{args: []string{"-p", "chained", "--verbose", "--timeout", timeout, "314159"}, fault: f},
			// __renew is exec --renew's credential_process; --renew itself
			// stops before the command only on an error.
			canaryRun{args: []string{"__renew", "$HOME/.aws/credentials", "$HOME/.aws/config", "-p", "chained", "--verbose", "--timeout", timeout, "-t", "314159"}, fault: f},
			canaryRun{args: []string{"console", "-p", "role", "--print", "--verbose", "--timeout", timeout, "--federation-url", federation, "314159"}, fault: f},
			canaryRun{args: []string{"console", "-p", "chained", "--verbose", "--timeout", timeout, "--federation-url", federation, "314159"}, fault: f, action: "getSigninToken"},
			canaryRun{args: []string{"setup", "--yes", "--source", "fresh", "--target", "aws-mfa", "--timeout", timeout}, fault: f, action: "ListMFADevices"},
			canaryRun{args: []string{"setup", "--yes", "--source", "fresh", "--target", "aws-mfa", "--timeout", timeout}, fault: f, action: "GetCallerIdentity"},
		)
		for _, action := range []string{"", "ListAccessKeys", "CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey"} {
			runs = append(runs, canaryRun{args: []string{"rotate", "--verbose", "--timeout", timeout, "-t", "314159"}, fault: f, action: action})
		}
	}
	for _, f := range faults[1:] {
		runs = append(runs, canaryRun{args: []string{"exec", "--renew", "-p", "chained", "--verbose", "--timeout", timeoutFor(f), "-t", "314159", "--", "true"}, fault: f})
	}
	runs = append(runs,
		canaryRun{args: []string{"rotate", "--dry-run"}},
		canaryRun{args: []string{"rotate", "-p", "chained", "-t", "314159"}, fault: stsemu.LostAnswer, action: "CreateAccessKey"},
		canaryRun{args: []string{"rotate", "-t", "314159"}, fault: stsemu.LostAnswer, action: "DeleteAccessKey"},
	)
	for _, behind := range []time.Duration{13 * time.Hour, 11*time.Hour + 55*time.Minute} {
		runs = append(runs, canaryRun{args: []string{"--verbose", "--force", "314159"}, behind: behind})
	}
	wrongSecret := strings.Replace(credsBase, srcSecret, c.plant("wrong source secret"), 1)
	multiLineSerial := strings.Replace(credsBase, "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n",
		"mfa_serial = arn:aws:iam::123456789012:mfa/alice\n  aws_secret_access_key = "+c.plant("line after a multi-line mfa_serial")+"\n", 1)
	oddLines := credsBase + "[odd]\nk = \"\"\"" + c.plant("value starting with triple quotes") + "\n[x = " + c.plant("key line like a header") + "\n"
	for _, creds := range []string{wrongSecret, multiLineSerial, oddLines, withDefault, withDefaultToken, onlyCopy, "\ufeff" + credsBase, credsBase + "\n" + source, strings.Replace(credsBase, "[aws-mfa]", "[renamed]", 1), credsBase + "\n[broken\n", credsBase + "\nk = v\x00\n"} {
		runs = append(runs,
			canaryRun{args: []string{"--verbose", "314159"}, creds: creds},
			canaryRun{args: []string{"env", "--verbose", "--shell", "fish", "314159"}, creds: creds},
			canaryRun{args: []string{"--verbose", "status"}, creds: creds},
			canaryRun{args: []string{"doctor"}, creds: creds},
		)
	}
	// The target's profile in the AWS config sets what botocore serves
	// before the credentials file.
	for _, cfg := range []string{
		awsConfig + "[default]\nrole_arn = arn:aws:iam::123456789012:role/" + c.plant("config role_arn of the target") + "\nsource_profile = " + c.plant("config source_profile of the target") + "\n",
		awsConfig + "[default]\nsso_account_id = " + c.plant("config sso_account_id") + "\nsso_role_name = " + c.plant("config sso_role_name") + "\n",
		awsConfig + "[default]\nweb_identity_token_file = /tmp/" + c.plant("config web_identity_token_file") + "\n",
		awsConfig + "[default]\ncredential_process = /bin/echo " + c.plant("config credential_process of the target") + "\n",
	} {
		runs = append(runs,
			canaryRun{args: []string{"--verbose", "314159"}, config: cfg},
			canaryRun{args: []string{"doctor"}, config: cfg},
		)
	}
	for _, toml := range badTOML {
		runs = append(runs,
			canaryRun{args: []string{"--verbose", "314159"}, toml: toml},
			canaryRun{args: []string{"status"}, toml: toml},
			canaryRun{args: []string{"doctor"}, toml: toml},
		)
	}
	runs = append(runs,
		canaryRun{args: []string{"-p", "totp", "--verbose"}},
		canaryRun{args: []string{"-p", "fails", "--verbose"}},
		canaryRun{args: []string{"-p", "local", "--verbose", "314159"}, fault: stsemu.Throttling},
		canaryRun{args: []string{"-p", "local", "--verbose", "314159"}},
		canaryRun{args: []string{"--verbose", "--endpoint-url", badEndpoint, "314159"}, fault: stsemu.Close},
		canaryRun{args: []string{"--verbose", "--endpoint-url", "http://u:" + c.plant("flag endpoint password, unparseable") + "@h:port", "314159"}},
		canaryRun{args: []string{"--verbose", "--duration", "10m", "314159"}},
		canaryRun{args: []string{"--verbose", "--duration", "18446744074", "314159"}},
		canaryRun{args: []string{"--verbose", "12345x"}},
		canaryRun{args: []string{"--verbose", "--no-such-flag", "314159"}},
		canaryRun{args: []string{"--verbose", "--source", "nobody", "314159"}},
		canaryRun{args: []string{"--verbose", "--source", "other", "--target", "x", "314159"}},
		canaryRun{args: []string{"--verbose"}, stdin: "not a code\n"},
		canaryRun{args: []string{"--verbose"}, stdin: ""},
		canaryRun{args: []string{"--verbose", "--config", "/nonexistent/config.toml", "314159"}},
		canaryRun{args: []string{"env", "--unset", "--shell", "bash"}},
		canaryRun{args: []string{"exec", "--renew", "--no-write", "-p", "chained", "314159", "--", "true"}},
		canaryRun{args: []string{"exec", "--renew", "-p", "nope", "314159", "--", "true"}},
		canaryRun{args: []string{"__renew", "$HOME/.aws/credentials"}},
		canaryRun{args: []string{"console", "--print", "--verbose", "314159"}},
		canaryRun{args: []string{"console", "-p", "role", "--federation-url", "http://u:" + c.plant("--federation-url password, unparseable") + "@h:port", "314159"}},
		canaryRun{args: []string{"--verbose", "-p", "nope", "314159"}},
		canaryRun{args: []string{"--verbose", "--force", "314159"}, twice: true},
		canaryRun{args: []string{"env", "--verbose", "--no-write", "-p", "chained", "314159"}, twice: true},
		canaryRun{args: []string{"--verbose", "314159"}, env: map[string]string{"AWS_REGION": "eu west 1"}},
		canaryRun{args: []string{"setup", "--yes", "--serial", "x", "--source", "fresh", "--target", "aws-mfa"}},
	)
	if testing.Short() {
		// The inner loop runs every third, spread over the commands and
		// faults; the full tier runs all and checks that each reaches its
		// path (below).
		var some []canaryRun
		for i := 0; i < len(runs); i += 3 {
			some = append(some, runs[i])
		}
		runs = some
	}

	var mu sync.Mutex
	var out, log strings.Builder // what aws-mfa printed; which run printed it
	reached := map[int]int{}
	// The runs share nothing (each has its own emulator and home), and
	// many of them wait: on a hanging emulator, on the SDK's retry back-off
	// for IAM. They go at once in goroutines: parallel subtests would run
	// only -parallel (GOMAXPROCS) at a time, waits included.
	var wg sync.WaitGroup
	slots := make(chan struct{}, 16)
	for i, r := range runs {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			emu := stsemu.Start(user)
			defer emu.Close()
			at := func(s string) string { return strings.ReplaceAll(s, emuHost, strings.TrimPrefix(emu.URL, "http://")) }
			home := t.TempDir()
			aws := filepath.Join(home, ".aws")
			os.MkdirAll(aws, 0o700)
			os.WriteFile(filepath.Join(aws, "credentials"), []byte(cmp.Or(r.creds, credsBase)), 0o600)
			os.WriteFile(filepath.Join(aws, "config"), []byte(cmp.Or(r.config, awsConfig)), 0o600)
			tomlPath := filepath.Join(home, "aws-mfa.toml")
			os.WriteFile(tomlPath, []byte(at(cmp.Or(r.toml, tomlBase))), 0o600)
			if r.action != "" {
				emu.SetActionFault(r.action, r.fault)
			} else {
				emu.SetFault(r.fault)
			}
			emu.SetNow(func() time.Time { return time.Now().Add(-r.behind) })

			vars := map[string]string{"HOME": home, "AWS_MFA_CONFIG": tomlPath, "PATH": "/usr/bin:/bin", "TZ": "UTC"}
			for k, v := range env {
				vars[k] = at(v)
			}
			for k, v := range r.env {
				vars[k] = v
			}
			args := make([]string, len(r.args))
			for j, a := range r.args {
				args[j] = strings.ReplaceAll(at(a), "$HOME", home)
			}
			var stdout, stderr bytes.Buffer
			sys := System{
				Stdin:  strings.NewReader(r.stdin),
				Stdout: &stdout,
				Stderr: &stderr,
				Getenv: func(k string) string { return vars[k] },
				Environ: func() []string {
					var kv []string
					for k, v := range vars {
						kv = append(kv, k+"="+v)
					}
					return kv
				},
				Now:           time.Now,
				IsTerminal:    func(any) bool { return false },
				ParentProcess: func() string { return "" },
				Exec:          func(string, []string, []string) error { return nil },
				Args0:         "aws-mfa",
				Executable:    func() (string, error) { return "/usr/local/bin/aws-mfa", nil },
				TTY:           func() (io.ReadWriteCloser, error) { return nil, os.ErrNotExist },
				Browse:        func(string) error { return errors.New("no browser here") },
			}
			if r.twice {
				Run(append([]string{"aws-mfa"}, args...), sys)
			}
			rc := Run(append([]string{"aws-mfa"}, args...), sys)
			// What the state directory records is scanned as printed.
			filepath.WalkDir(filepath.Join(home, ".local", "state"), func(path string, d fs.DirEntry, err error) error {
				if b, err := os.ReadFile(path); err == nil && d.Type().IsRegular() {
					stderr.Write(b)
				}
				return nil
			})
			mu.Lock()
			defer mu.Unlock()
			reached[rc]++
			// A successful env prints the new session from the
			// emulator: no canary, but it is checked all the same.
			out.WriteString(stderr.String() + stdout.String())
			fmt.Fprintf(&log, "run %d %q fault=%q behind=%s: exit %d\n%s%s", i, r.args, r.fault, r.behind, rc, stderr.String(), stdout.String())
		})
	}
	wg.Wait()

	all := out.String()
	for s, place := range c.where {
		if strings.Contains(all, s) {
			t.Errorf("the canary planted as %s (%s) was printed", place, s)
		}
	}
	if m := regexp.MustCompile(`Cnry\d\dQz`).FindString(all); m != "" && c.where[m] == "" {
		t.Errorf("an unknown canary %s was printed", m)
	}

	// The runs must have reached the paths they were written for.
	for _, want := range []string{
		"MFA code rejected", "keys rejected by AWS", "STS is throttling", "failed on its side", "closed the connection",
		"sent an answer over 1024 KiB", "holds session credentials", "not enabled in this region", "access denied by IAM ListMFADevices",
		"no complete answer from STS", "handed out a session that expired", "within the refresh margin", "found in no other profile",
		"byte order mark", "appears twice", "invalid config", "region has a space", "MFA code must be exactly six digits",
		"endpoint URL does not parse", "AssumeRole", "wrote an MFA session", "AssumeRole role=arn:aws:iam::123456789012:role/readonly with the session in [role]",
		"which the AWS CLI and SDKs use instead of the keys", "it does not go with --no-write", "__renew needs the credentials",
		"access denied by IAM CreateAccessKey", "rotated: [aws-mfa]", "aws-mfa rotate would", "delete the old key",
		"this URL signs in to the AWS console", "cannot open a browser (no browser here)", "getSigninToken endpoint=http://127.0.0.1:",
		"gets its session from GetSessionToken", "federation endpoint http://127.0.0.1:", "refused to sign in (HTTP 500)",
		"answered with no sign-in token", "--federation-url is not an http or https URL",
		"this MFA code was already used",
	} {
		if !strings.Contains(all, want) && !testing.Short() {
			t.Errorf("no run reached %q", want)
		}
	}
	if reached[0] == 0 || reached[1] == 0 || reached[2] == 0 {
		t.Errorf("exit codes reached: %v", reached)
	}
	if t.Failed() {
		t.Logf("runs:\n%s", log.String())
	}
	t.Logf("%d runs, %d canaries, exit codes %v", len(runs), len(c.where), reached)
}
