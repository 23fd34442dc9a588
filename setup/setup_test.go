package setup

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

type fakeDevices struct {
	serials []string
	calls   int
}

func (f *fakeDevices) List(_ context.Context, k awscred.Keys) ([]string, error) {
	f.calls++
	if k.AccessKeyID != "AKIAALICEEXAMPLE0001" || k.SecretAccessKey != "alice/secret" {
		return nil, errors.New("wrong keys")
	}
	return f.serials, nil
}

const afterConfigure = "# from aws configure\n[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\nregion = eu-west-1\n"

func setupFiles(t *testing.T, creds string) (Request, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	if creds != "" {
		os.WriteFile(path, []byte(creds), 0o600)
	}
	return Request{
		Paths:      credfile.Paths{Credentials: path, Config: filepath.Join(dir, "config")},
		Source:     "aws-mfa",
		Target:     "default",
		ConfigPath: filepath.Join(dir, "aws-mfa", "config.toml"),
	}, &bytes.Buffer{}
}

// backups are the backups setup said it wrote, in order.
func backups(out *bytes.Buffer) []string {
	var paths []string
	for _, line := range strings.Split(out.String(), "\n") {
		if _, backup, ok := strings.Cut(line, " to "); ok && strings.HasPrefix(line, "aws-mfa: backed up ") {
			paths = append(paths, backup)
		}
	}
	return paths
}

func deps(dev *fakeDevices, out *bytes.Buffer) Deps {
	n := 0
	return Deps{Devices: dev, Out: out, Now: func() time.Time {
		n++
		return time.Date(2026, 11, 27, 14, 0, n, 0, time.UTC)
	}}
}

func TestSetupCopiesKeysFindsTheDeviceBacksUpAndIsIdempotent(t *testing.T) {
	req, out := setupFiles(t, afterConfigure)
	dev := &fakeDevices{serials: []string{"arn:aws:iam::123456789012:mfa/alice"}}
	if _, err := Run(context.Background(), req, deps(dev, out)); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(req.Paths.Credentials)
	// [default]'s region goes with the keys: a refresh carries it to every target.
	want := afterConfigure + "\n[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n"
	if string(got) != want {
		t.Errorf("credentials:\n%s\nwant:\n%s", got, want)
	}
	// The backup's path is printed, and the only file beside it is its.
	b := backups(out)
	if m, _ := filepath.Glob(req.Paths.Credentials + ".aws-mfa-backup-*"); len(b) != 1 || !slices.Equal(m, b) ||
		!strings.Contains(out.String(), "backed up "+req.Paths.Credentials+" to "+b[0]) {
		t.Fatalf("backups %v on disk, printed: %s", m, out)
	}
	backup, err := os.ReadFile(b[0])
	st, _ := os.Stat(b[0])
	if err != nil || string(backup) != afterConfigure || st.Mode().Perm() != 0o600 {
		t.Errorf("backup %q mode %v %v", backup, st.Mode(), err)
	}

	// Again: nothing changes, no backup, no lookup.
	out.Reset()
	_, err = Run(context.Background(), req, deps(dev, out))
	if err != nil || strings.Contains(out.String(), "aws-mfa: updated") || len(backups(out)) != 0 || dev.calls != 1 {
		t.Fatalf("second run: %v calls=%d, printed: %s", err, dev.calls, out)
	}
	if m, _ := filepath.Glob(req.Paths.Credentials + ".aws-mfa-backup-*"); len(m) != 1 {
		t.Errorf("second run made a backup: %v", m)
	}
	if again, _ := os.ReadFile(req.Paths.Credentials); string(again) != want {
		t.Error("second run changed the file")
	}
}

// TestSetupRefusesOtherKeysInTheTarget: `aws configure` run again with a
// new access key writes it over the session in [default], while [aws-mfa]
// keeps the old key. setup no longer says "set up already" (a refresh
// refuses to overwrite the new key), nor takes keys that may be another
// IAM user's: it changes nothing and names the command that puts the new
// key in the source. So do setup --keyring and doctor.
func TestSetupRefusesOtherKeysInTheTarget(t *testing.T) {
	const creds = "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n\n" +
		"[default]\naws_access_key_id = AKIAALICENEWKEY00002\naws_secret_access_key = alice/new\naws_session_token = stale\nexpiration = 2026-11-27T10:00:00Z\n"
	const want = "[default] holds long-term keys (AKIA…0002) found in no other profile, and [aws-mfa] holds others (AKIA…0001): if they are the IAM user's new key, enter it with `aws configure --profile aws-mfa`"
	for _, keyring := range []string{"", "aws-mfa"} {
		req, out := setupFiles(t, creds)
		req.Keyring = keyring
		d := deps(&fakeDevices{}, out)
		d.Store = memStore{}
		if _, err := Run(context.Background(), req, d); err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "run aws-mfa setup --keyring") {
			t.Errorf("keyring %q: %v", keyring, err)
		}
		if got, _ := os.ReadFile(req.Paths.Credentials); string(got) != creds {
			t.Errorf("keyring %q: the file changed:\n%s", keyring, got)
		}
	}
}

func TestSetupDevices(t *testing.T) {
	t.Run("none", func(t *testing.T) {
		req, out := setupFiles(t, afterConfigure)
		_, err := Run(context.Background(), req, deps(&fakeDevices{}, out))
		if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), "no MFA device; assign one") {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(req.Paths.Credentials); string(got) != afterConfigure {
			t.Error("changed")
		}
	})
	t.Run("several", func(t *testing.T) {
		req, out := setupFiles(t, afterConfigure)
		d := deps(&fakeDevices{serials: []string{"arn:aws:iam::123456789012:mfa/phone", "arn:aws:iam::123456789012:mfa/yubikey"}}, out)
		var offered []string
		d.Choose = func(s []string) (int, error) { offered = s; return 1, nil }
		res, err := Run(context.Background(), req, d)
		if err != nil || res.Serial != "arn:aws:iam::123456789012:mfa/yubikey" || len(offered) != 2 {
			t.Fatalf("%+v %v %v", res, err, offered)
		}
	})
	t.Run("several, no questions", func(t *testing.T) {
		req, out := setupFiles(t, afterConfigure)
		res, err := Run(context.Background(), req, deps(&fakeDevices{serials: []string{"arn:aws:iam::123456789012:mfa/a", "arn:aws:iam::123456789012:mfa/b"}}, out))
		if err != nil || res.Serial != "arn:aws:iam::123456789012:mfa/a" {
			t.Fatalf("%+v %v", res, err)
		}
	})
	t.Run("given serial skips the lookup", func(t *testing.T) {
		req, out := setupFiles(t, afterConfigure)
		req.Serial = "arn:aws:iam::123456789012:mfa/given"
		dev := &fakeDevices{}
		if _, err := Run(context.Background(), req, deps(dev, out)); err != nil || dev.calls != 0 {
			t.Fatalf("%v calls=%d", err, dev.calls)
		}
	})
	t.Run("no keys anywhere", func(t *testing.T) {
		req, out := setupFiles(t, "[default]\nregion = x\n")
		_, err := Run(context.Background(), req, deps(&fakeDevices{}, out))
		if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), "run `aws configure`") {
			t.Fatal(err)
		}
	})
}

func TestSetupDryRunWritesNothingAndMasksSecrets(t *testing.T) {
	req, out := setupFiles(t, afterConfigure)
	req.DryRun = true
	req.Pair, req.Source, req.Target = "work", "work-keys", "default"
	if _, err := Run(context.Background(), req, deps(&fakeDevices{serials: []string{"arn:aws:iam::123456789012:mfa/alice"}}, out)); err != nil {
		t.Fatal(err)
	}
	diff := out.String()
	for _, want := range []string{"+[work-keys]", "+aws_access_key_id = AKIA…0001", "+aws_secret_access_key = ****", "+mfa_serial = arn:aws:iam::123456789012:mfa/alice", "+[pair.work]", `+source = "work-keys"`} {
		if !strings.Contains(diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, diff)
		}
	}
	if strings.Contains(diff, "alice/secret") || strings.Contains(diff, "AKIAALICEEXAMPLE0001") {
		t.Errorf("diff shows a secret:\n%s", diff)
	}
	if got, _ := os.ReadFile(req.Paths.Credentials); string(got) != afterConfigure {
		t.Error("credentials written")
	}
	if _, err := os.Stat(req.ConfigPath); !os.IsNotExist(err) {
		t.Error("config written")
	}
	if m, _ := filepath.Glob(req.Paths.Credentials + ".aws-mfa-backup-*"); len(m) != 0 {
		t.Error("backup written")
	}
}

func TestSetupPairKeepsTheConfigsComments(t *testing.T) {
	req, out := setupFiles(t, afterConfigure)
	os.MkdirAll(filepath.Dir(req.ConfigPath), 0o700)
	existing := "# my settings\n[defaults]\nregion = \"eu-west-1\" # Ireland\n"
	os.WriteFile(req.ConfigPath, []byte(existing), 0o600)
	req.Pair, req.Source, req.Target = "work", "work-keys", "work"
	req.Serial = "arn:aws:iam::123456789012:mfa/alice"
	// The long-term keys are in [default] here, not in the pair's target.
	req.Target = "default"
	if _, err := Run(context.Background(), req, deps(&fakeDevices{}, out)); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(req.ConfigPath)
	if want := existing + "\n[pair.work]\nsource = \"work-keys\"\ntarget = \"default\"\n"; string(got) != want {
		t.Errorf("config:\n%s", got)
	}
	if m, _ := filepath.Glob(req.ConfigPath + ".aws-mfa-backup-*"); len(m) != 1 {
		t.Errorf("config backups: %v", m)
	}
	// Twice: the pair is there already.
	before, _ := os.ReadFile(req.ConfigPath)
	out.Reset()
	_, err := Run(context.Background(), req, deps(&fakeDevices{}, out))
	if after, _ := os.ReadFile(req.ConfigPath); err != nil || strings.Contains(out.String(), "aws-mfa: updated") || !bytes.Equal(after, before) {
		t.Fatalf("second run: %v, printed: %s", err, out)
	}
}

// TestSetupPairPastADeepLineInAString: setup finds tables line by line,
// and a line that reads as a header may stand in a multi-line string,
// which the config's check of nesting took as a string: such a line is
// not read as TOML on its own. (It was: at 20,000 dots the TOML library
// took minutes on it.)
func TestSetupPairPastADeepLineInAString(t *testing.T) {
	req, out := setupFiles(t, afterConfigure)
	os.MkdirAll(filepath.Dir(req.ConfigPath), 0o700)
	existing := "[defaults]\ntoken_command = [\"sh\", \"-c\", \"\"\"\n[" + strings.Repeat("a.", 20_000) + "a]\n\"\"\"]\n"
	os.WriteFile(req.ConfigPath, []byte(existing), 0o600)
	req.Pair, req.Source, req.Target = "work", "work-keys", "default"
	req.Serial = "arn:aws:iam::123456789012:mfa/alice"
	if _, err := Run(context.Background(), req, deps(&fakeDevices{}, out)); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(req.ConfigPath); string(got) != existing+"\n[pair.work]\nsource = \"work-keys\"\ntarget = \"default\"\n" {
		t.Errorf("config:\n%.200s", got)
	}
}

// TestSetupPairPastTablesInAString: a line in a multi-line string that
// reads as a [table] header or a key is text of the string, which setup
// never edits: the pair goes into a table of its own, pair = "NAME" under
// the real [defaults] header, and the script is left byte for byte. (It
// was not: setup wrote the pair's keys into the script and said done.)
func TestSetupPairPastTablesInAString(t *testing.T) {
	script := "[defaults]\ntoken_command = [\"sh\", \"-c\", \"\"\"\n[pair.work]\nsource = \"x\"\n[defaults]\npair = \"y\"\n\"\"\", '''\n[pair.work]\npair = 'z'\n''']\n"
	for _, defaultPair := range []bool{false, true} {
		req, out := setupFiles(t, afterConfigure)
		os.MkdirAll(filepath.Dir(req.ConfigPath), 0o700)
		os.WriteFile(req.ConfigPath, []byte(script), 0o600)
		req.Pair, req.Source, req.Target, req.DefaultPair = "work", "work-keys", "default", defaultPair
		if _, err := Run(context.Background(), req, deps(&fakeDevices{serials: []string{"arn:aws:iam::123456789012:mfa/alice"}}, out)); err != nil {
			t.Fatal(err)
		}
		want := script + "\n[pair.work]\nsource = \"work-keys\"\ntarget = \"default\"\n"
		if defaultPair {
			want = strings.Replace(want, "[defaults]\n", "[defaults]\npair = \"work\"\n", 1)
		}
		if got, _ := os.ReadFile(req.ConfigPath); string(got) != want {
			t.Errorf("DefaultPair %v: config:\n%s\nwant:\n%s", defaultPair, got, want)
		}
	}
}

// TestSetupRefusesAnInvalidSerial: a serial STS would refuse is never
// written, whether given with --serial or listed by IAM, and a bad
// --serial is refused before IAM is asked.
func TestSetupRefusesAnInvalidSerial(t *testing.T) {
	for _, serial := range []string{
		"x", "12345678", "my phone!", "arn:aws:iam::12345:mfa/alice", "arn:aws:iam::123456789012:user/alice",
		"arn:aws:iam::123456789012:mfa/", "GAHT 12345678", "arn:aws:iam::123456789012:mfa/a\nb", strings.Repeat("A", 257),
	} {
		for _, given := range []bool{true, false} {
			req, out := setupFiles(t, afterConfigure)
			dev := &fakeDevices{serials: []string{serial}}
			if given {
				req.Serial = serial
			}
			_, err := Run(context.Background(), req, deps(dev, out))
			if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), "mfa_serial") {
				t.Errorf("%.30q given=%v: %v", serial, given, err)
			}
			if given && dev.calls != 0 {
				t.Errorf("%.30q: IAM asked before the serial was checked", serial)
			}
			if got, _ := os.ReadFile(req.Paths.Credentials); string(got) != afterConfigure {
				t.Errorf("%.30q given=%v: file changed", serial, given)
			}
			if m, _ := filepath.Glob(req.Paths.Credentials + ".aws-mfa-backup-*"); len(m) != 0 {
				t.Errorf("%.30q: backup written", serial)
			}
		}
	}
}

// TestSetupTwiceInOneSecond: two setups that change the file, at the
// same second, both succeed.
func TestSetupTwiceInOneSecond(t *testing.T) {
	req, out := setupFiles(t, afterConfigure)
	at := func() time.Time { return time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC) }
	d := Deps{Devices: &fakeDevices{serials: []string{"arn:aws:iam::123456789012:mfa/alice"}}, Out: out, Now: at}
	if _, err := Run(context.Background(), req, d); err != nil {
		t.Fatal(err)
	}
	req.Source, req.Target = "other", "aws-mfa"
	req.Serial = "arn:aws:iam::123456789012:mfa/other"
	if _, err := Run(context.Background(), req, d); err != nil {
		t.Fatalf("second setup in the same second: %v", err)
	}
	if m, _ := filepath.Glob(req.Paths.Credentials + ".aws-mfa-backup-*"); len(m) != 2 {
		t.Errorf("backups: %v", m)
	}
}
