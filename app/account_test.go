package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/credfile"
)

// configuredWork is a credentials file as `aws configure --profile work`
// leaves it, beside the source profile.
const configuredWork = aliceProfile + "[work]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\n"

func (r *rig) configFile() string {
	return filepath.Join(r.env["XDG_CONFIG_HOME"], "aws-mfa", "config.toml")
}

func (r *rig) awsConfig() string {
	if p := r.env["AWS_CONFIG_FILE"]; p != "" {
		return p
	}
	return filepath.Join(filepath.Dir(r.creds), "config")
}

func read(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// TestSetupRecordsItsProfiles: setup given a source or target other than
// the built-in ones records them as the config's default pair, so that
// the next aws-mfa CODE writes that target, not [default]; a config that
// names another default keeps it, and the next step names the pair.
func TestSetupRecordsItsProfiles(t *testing.T) {
	t.Parallel()
	r := newRig(t, configuredWork)
	if _, stderr, code := r.run("", "setup", "--target", "work", "--yes"); code != 0 || !strings.Contains(stderr, "run `aws-mfa CODE`") {
		t.Fatalf("setup: exit %d: %s", code, stderr)
	}
	if got, want := read(r.configFile()), "[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n\n[defaults]\npair = \"work\"\n"; got != want {
		t.Fatalf("config:\n%s\nwant:\n%s", got, want)
	}
	if _, stderr, code := r.run("", "314159"); code != 0 || !strings.Contains(stderr, "wrote an MFA session to [work]") {
		t.Fatalf("refresh: exit %d: %s", code, stderr)
	}
	f, _ := credfile.Read(r.creds)
	if f.Section("default") != nil {
		t.Error("the refresh wrote [default]")
	}
	// Again: nothing to change.
	before := read(r.configFile())
	if _, stderr, code := r.run("", "setup", "--target", "work", "--yes"); code != 0 || read(r.configFile()) != before {
		t.Errorf("second setup: exit %d: %s\n%s", code, stderr, read(r.configFile()))
	}

	// A config with a default of its own, and [defaults] already there.
	r = newRig(t, configuredWork)
	os.MkdirAll(filepath.Dir(r.configFile()), 0o700)
	os.WriteFile(r.configFile(), []byte("# mine\n[defaults]\nregion = \"eu-west-1\"\n"), 0o600)
	if _, stderr, code := r.run("", "setup", "--target", "work", "--yes"); code != 0 {
		t.Fatalf("setup: exit %d: %s", code, stderr)
	}
	if got, want := read(r.configFile()), "# mine\n[defaults]\npair = \"work\"\nregion = \"eu-west-1\"\n\n[pair.work]\nsource = \"aws-mfa\"\ntarget = \"work\"\n"; got != want {
		t.Errorf("config:\n%s\nwant:\n%s", got, want)
	}
	os.WriteFile(r.configFile(), []byte("[defaults]\npair = \"play\"\n\n[pair.play]\nsource = \"aws-mfa\"\ntarget = \"play\"\n"), 0o600)
	if _, stderr, code := r.run("", "setup", "--target", "work", "--yes"); code != 0 || !strings.Contains(stderr, "run `aws-mfa -p work CODE`") {
		t.Errorf("setup beside another default: exit %d: %s", code, stderr)
	}
	if !strings.Contains(read(r.configFile()), "pair = \"play\"") {
		t.Errorf("the default changed:\n%s", read(r.configFile()))
	}
}

// TestSetupAddsAnAccount: one command adds a role pair, chained or
// assumed with MFA, to the config and a [profile NAME] that runs this
// binary by its absolute path to the AWS config file (AWS_CONFIG_FILE
// honoured); the pair works at once; again changes nothing; a profile of
// that name is replaced only with --force; --no-aws-profile and
// --dry-run write nothing there.
func TestSetupAddsAnAccount(t *testing.T) {
	t.Parallel()
	const prodRole = "arn:aws:iam::210987654321:role/admin"
	r := newRig(t, aliceProfile)
	r.env["AWS_CONFIG_FILE"] = filepath.Join(t.TempDir(), "aws config")
	os.WriteFile(r.awsConfig(), []byte("[default]\nregion = eu-west-1\n"), 0o600)

	sys, _ := r.system("")
	exe, _ := executable(sys)
	stdout, stderr, code := r.run("", "setup", "-p", "prod", "--source-pair", "default", "--role-arn", prodRole, "--external-id", "x-1", "--yes", "--dry-run")
	if code != 0 || !strings.Contains(stdout, "+[pair.prod]") || !strings.Contains(stdout, "+credential_process = "+exe+" env --format json -p prod") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(r.configFile()); err == nil || read(r.awsConfig()) != "[default]\nregion = eu-west-1\n" {
		t.Fatal("the dry run wrote")
	}

	if _, stderr, code := r.run("", "setup", "-p", "prod", "--source-pair", "default", "--role-arn", prodRole, "--external-id", "x-1", "--yes"); code != 0 {
		t.Fatalf("setup: exit %d: %s", code, stderr)
	} else if strings.Contains(stderr, "set duration") || !strings.Contains(stderr, "run `aws-mfa -p prod` to get a session") {
		// A chained role is held to 1h (role chaining), and it renews
		// from its base with no code.
		t.Errorf("a chained pair's advice: %s", stderr)
	}
	want := "[pair.prod]\nsource_pair = \"default\"\ntarget = \"prod-session\"\nrole_arn = \"" + prodRole + "\"\nexternal_id = \"x-1\"\n"
	if got := read(r.configFile()); got != want {
		t.Errorf("config:\n%s\nwant:\n%s", got, want)
	}
	// The new profile has [default]'s region, so `aws --profile prod` runs.
	wantAWS := "[default]\nregion = eu-west-1\n\n[profile prod]\ncredential_process = " + exe + " env --format json -p prod\nregion = eu-west-1\n"
	if got := read(r.awsConfig()); got != wantAWS {
		t.Errorf("AWS config:\n%s\nwant:\n%s", got, wantAWS)
	}
	if _, stderr, code := r.run("", "-p", "prod", "314159"); code != 0 || r.emu.Requests() != 2 {
		t.Fatalf("first use: exit %d, %d requests: %s", code, r.emu.Requests(), stderr)
	}
	if c := r.emu.Calls()[1]; c.Params.Get("DurationSeconds") != "3600" || c.Params.Get("ExternalId") != "x-1" || c.Params.Get("RoleSessionName") != "alice@aws-mfa" {
		t.Errorf("AssumeRole: %v", c.Params)
	}

	// A role assumed with MFA from the source's keys.
	if _, stderr, code := r.run("", "setup", "-p", "admin", "--role-arn", prodRole, "--yes"); code != 0 {
		t.Fatalf("setup admin: exit %d: %s", code, stderr)
	} else if !strings.Contains(stderr, `set duration = "4h" under [pair.admin]`) || !strings.Contains(stderr, "run `aws-mfa -p admin CODE`") {
		t.Errorf("no word on the duration, or the code: %s", stderr)
	}
	if got := read(r.configFile()); !strings.HasSuffix(got, "\n\n[pair.admin]\nsource = \"aws-mfa\"\ntarget = \"admin-session\"\nrole_arn = \""+prodRole+"\"\n") {
		t.Errorf("config:\n%s", got)
	}
	// Its own code: the next one the device shows.
	r.emu.SetCode(alice.AccessKeyID, "271828")
	r.clock = &clock{t: time.Now().Add(30 * time.Second)}
	if _, stderr, code := r.run("", "-p", "admin", "271828"); code != 0 || r.emu.Calls()[2].Action != "AssumeRole" || r.emu.Calls()[2].Params.Get("TokenCode") != "271828" {
		t.Fatalf("admin: exit %d: %s", code, stderr)
	}

	// Again: nothing changes.
	cfg, aws := read(r.configFile()), read(r.awsConfig())
	if _, stderr, code := r.run("", "setup", "-p", "admin", "--role-arn", prodRole, "--yes"); code != 0 || read(r.configFile()) != cfg || read(r.awsConfig()) != aws {
		t.Errorf("second setup: exit %d: %s", code, stderr)
	}

	// A profile of that name that runs something else.
	os.WriteFile(r.awsConfig(), []byte("[profile ops]\nregion = us-east-2\ncredential_process = /opt/other\n"), 0o600)
	_, stderr, code = r.run("", "setup", "-p", "ops", "--role-arn", prodRole, "--yes")
	if code != ExitUsage || !strings.Contains(stderr, "add --force") || !strings.Contains(stderr, "--no-aws-profile") || read(r.configFile()) != cfg {
		t.Fatalf("existing profile: exit %d: %s", code, stderr)
	}
	if _, stderr, code := r.run("", "setup", "-p", "ops", "--role-arn", prodRole, "--yes", "--force"); code != 0 || read(r.awsConfig()) != "[profile ops]\nregion = us-east-2\ncredential_process = "+exe+" env --format json -p ops\n" {
		t.Fatalf("--force: exit %d: %s\n%s", code, stderr, read(r.awsConfig()))
	}
	aws = read(r.awsConfig())
	if _, stderr, code := r.run("", "setup", "-p", "dev", "--role-arn", prodRole, "--yes", "--no-aws-profile"); code != 0 || read(r.awsConfig()) != aws || !strings.Contains(read(r.configFile()), "[pair.dev]") {
		t.Fatalf("--no-aws-profile: exit %d: %s", code, stderr)
	}
}

// TestSetupRoleFlagsRefused: the role flags' misuse is refused before
// anything is read or written.
func TestSetupRoleFlagsRefused(t *testing.T) {
	t.Parallel()
	const role = "arn:aws:iam::210987654321:role/admin"
	for _, args := range [][]string{
		{"--role-arn", role},
		{"-p", "x", "--source-pair", "default"},
		{"-p", "x", "--external-id", "x-1", "--source", "a", "--target", "b"},
		{"-p", "x", "--source-pair", "default", "--role-arn", role, "--source", "aws-mfa"},
		{"-p", "x", "--role-arn", "arn:aws:iam::1:role/x"},
		{"--force"},
	} {
		r := newRig(t, aliceProfile)
		_, stderr, code := r.run("", append([]string{"setup", "--yes"}, args...)...)
		if code != ExitUsage {
			t.Errorf("%q: exit %d: %s", args, code, stderr)
		}
		if _, err := os.Stat(r.configFile()); err == nil {
			t.Errorf("%q: wrote the config", args)
		}
	}
}

// TestFirstRunPointsToSetup: with no credentials file at all, the first
// refresh names aws-mfa setup.
func TestFirstRunPointsToSetup(t *testing.T) {
	t.Parallel()
	r := newRig(t, "")
	os.Remove(r.creds)
	_, stderr, code := r.run("", "314159")
	if code != ExitUsage || !strings.Contains(stderr, "then `aws-mfa setup`") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestSetupRecordsANewSource: setup --source names the built-in pair's
// new source, recorded as pair default (the default pair by its name).
func TestSetupRecordsANewSource(t *testing.T) {
	t.Parallel()
	r := newRig(t, strings.Replace(aliceProfile, "[aws-mfa]", "[alice]", 1))
	if _, stderr, code := r.run("", "setup", "--source", "alice", "--yes"); code != 0 {
		t.Fatalf("setup: exit %d: %s", code, stderr)
	}
	if got, want := read(r.configFile()), "[pair.default]\nsource = \"alice\"\ntarget = \"default\"\n"; got != want {
		t.Fatalf("config:\n%s\nwant:\n%s", got, want)
	}
	if _, stderr, code := r.run("", "314159"); code != 0 || !strings.Contains(stderr, "wrote an MFA session to [default]") {
		t.Errorf("refresh: exit %d: %s", code, stderr)
	}
	_, stderr, code := r.run("", "setup", "--source", "alice", "--target", "a b", "--yes")
	if code != ExitUsage || !strings.Contains(stderr, "name it with -p NAME") {
		t.Errorf("a target that is no pair name: exit %d: %s", code, stderr)
	}
}
