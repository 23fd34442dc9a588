//go:build linux

package e2e

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/keyringd"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
)

// keyringBackend is a real backend the keyring tests run against: it
// starts its daemon or store and returns the environment for aws-mfa.
type keyringBackend struct {
	name  string
	start func(t testing.TB) []string
	// seed stores value in item with the backend's own tool.
	seed func(t testing.TB, env []string, item, value string)
	// cutOff returns an environment in which the backend cannot be reached.
	cutOff func(t testing.TB, env []string) []string
}

var keyringBackends = []keyringBackend{
	{
		name:  "secret-service",
		start: keyringd.SecretServiceEnv,
		seed: func(t testing.TB, env []string, item, value string) {
			runTool(t, env, value, "secret-tool", "store", "--label=aws-mfa test", "service", "aws-mfa", "username", item)
		},
		// A D-Bus address that accepts and never answers.
		cutOff: func(t testing.TB, env []string) []string {
			return append(env, "DBUS_SESSION_BUS_ADDRESS=unix:path="+hungSocket(t))
		},
	},
	{
		name:  "pass",
		start: keyringd.PassEnv,
		seed: func(t testing.TB, env []string, item, value string) {
			runTool(t, env, value+"\n", "pass", "insert", "--multiline", "aws-mfa/"+item)
		},
		cutOff: func(t testing.TB, env []string) []string {
			return append(env, "PASSWORD_STORE_DIR="+filepath.Join(t.TempDir(), "gone"), "PATH="+t.TempDir())
		},
	},
}

// eachBackend runs f for every backend, at once (atOnce): each is its
// own daemon or store, and mostly waits for it.
func eachBackend(t *testing.T, f func(t *testing.T, b keyringBackend)) {
	t.Helper()
	var names []string
	for _, b := range keyringBackends {
		names = append(names, b.name)
	}
	atOnce(t, names, func(t *testing.T, name string) {
		f(t, keyringBackends[slices.Index(names, name)])
	})
}

func runTool(t testing.TB, env []string, stdin string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

// hungSocket listens on a Unix socket and never answers.
func hungSocket(t testing.TB) string {
	sock := filepath.Join(t.TempDir(), "bus")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { l.Close(); <-done })
	go func() {
		defer close(done)
		var held []net.Conn
		for {
			c, err := l.Accept()
			if err != nil {
				for _, c := range held {
					c.Close()
				}
				return
			}
			held = append(held, c)
		}
	}()
	return sock
}

const aliceKeysJSON = `{"aws_access_key_id":"AKIAALICEEXAMPLE0001","aws_secret_access_key":"alice/long+term/secret"}`

// TestKeyringRefresh: a pair whose keys are in a real keyring refreshes
// with them; the cached path then works with the keyring out of reach;
// a refresh with the keyring out of reach fails in bounded time, naming
// the backend and item and no secret.
func TestKeyringRefresh(t *testing.T) {
	t.Parallel() // the keyring's environment goes only to the child processes
	bin := toolBinary(t)
	eachBackend(t, func(t *testing.T, b keyringBackend) {
		kenv := b.start(t)
		b.seed(t, kenv, "alice", aliceKeysJSON)
		emu := stsemu.Start(alice)
		t.Cleanup(emu.Close)
		dir := t.TempDir()
		creds := filepath.Join(dir, "credentials")
		cfg := filepath.Join(dir, "config.toml")
		os.WriteFile(creds, []byte("[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"), 0o600)
		// defaults is the [defaults] table's first lines.
		pairs := func(defaults string) []byte {
			return []byte("[defaults]\n" + defaults + "keyring_backend = \"" + b.name + "\"\n\n[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\n")
		}
		os.WriteFile(cfg, pairs(""), 0o600) // the default bound: ample for a keyring on a busy machine
		env := append(peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "AWS_MFA_CONFIG="+cfg), kenv...)

		_, stderr, err := run(t, env, bin, "-t", alice.Code)
		if err != nil || !strings.Contains(stderr, "wrote an MFA session to [default]") {
			t.Fatalf("refresh: %v\n%s", err, stderr)
		}
		data, _ := os.ReadFile(creds)
		if strings.Contains(string(data), "AKIAALICE") || strings.Contains(string(data), "alice/long") {
			t.Fatalf("long-term keys in the file:\n%s", data)
		}
		if emu.Requests() != 1 {
			t.Fatalf("%d STS requests", emu.Requests())
		}

		// The cached path opens no keyring: with it out of reach (a hung
		// D-Bus would block any call for the whole token_timeout and
		// then fail), a valid session is still served at once. Out of
		// reach, every keyring call fails whatever the bound: it is
		// short, so that the refresh below fails soon.
		short := filepath.Join(dir, "short.toml")
		os.WriteFile(short, pairs("token_timeout = \"300ms\"\n"), 0o600)
		cut := append(b.cutOff(t, env), "AWS_MFA_CONFIG="+short)
		for _, args := range [][]string{{}, {"env", "--shell", "bash"}, {"status"}} {
			_, stderr, err := run(t, cut, bin, args...)
			if err != nil {
				t.Fatalf("cached %v with the keyring cut off: %v\n%s", args, err, stderr)
			}
		}
		if emu.Requests() != 1 {
			t.Fatalf("%d STS requests after cached runs", emu.Requests())
		}

		// A refresh must read the keyring: it fails, bounded by
		// token_timeout, before asking STS or for a code.
		_, stderr, err = run(t, cut, bin, "--force", "-t", alice.Code)
		if err == nil || !strings.Contains(stderr, "aws-mfa/alice") || strings.Count(stderr, "\n") != 1 {
			t.Fatalf("forced refresh with the keyring cut off: %v\n%s", err, stderr)
		}
		if strings.Contains(stderr, "alice/long") || emu.Requests() != 1 {
			t.Fatalf("leaked a secret or called STS (%d): %s", emu.Requests(), stderr)
		}
		t.Logf("cut off: %s", stderr)
	})
}

// TestKeyringLocked: a locked Secret Service serves a cached session
// without a prompt, doctor reports it, and a refresh says the keyring is locked and how to
// unlock it (no prompter here, as on a server without a desktop).
func TestKeyringLocked(t *testing.T) {
	t.Parallel() // the keyring's environment goes only to the child processes
	bin := toolBinary(t)
	kenv := keyringd.SecretServiceEnv(t)
	keyringBackends[0].seed(t, kenv, "alice", aliceKeysJSON)
	emu := stsemu.Start(alice)
	t.Cleanup(emu.Close)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(creds, []byte("[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"), 0o600)
	os.WriteFile(cfg, []byte("[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\n"), 0o600)
	env := append(peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "AWS_MFA_CONFIG="+cfg), kenv...)
	if _, stderr, err := run(t, env, bin, "-t", alice.Code); err != nil {
		t.Fatalf("refresh: %v\n%s", err, stderr)
	}
	keyringd.Lock(t, kenv)
	if _, stderr, err := run(t, env, bin, "env"); err != nil {
		t.Fatalf("cached env with a locked keyring: %v\n%s", err, stderr)
	}
	// doctor says so, and how to unlock it, without asking to unlock.
	stdout, _, err := run(t, env, bin, "doctor")
	if exitCode(err) != 1 || !strings.Contains(stdout, "FIX   pair default: Secret Service is locked, so Secret Service item aws-mfa/alice cannot be read\n      → unlock the login keyring") {
		t.Fatalf("doctor with a locked keyring: %v\n%s", err, stdout)
	}
	_, stderr, err := run(t, env, bin, "--force", "-t", alice.Code)
	if exitCode(err) != 2 || !strings.Contains(stderr, "Secret Service is locked") || !strings.Contains(stderr, "unlock") {
		t.Fatalf("refresh with a locked keyring: %v\n%s", err, stderr)
	}
	if emu.Requests() != 1 {
		t.Fatalf("%d STS requests", emu.Requests())
	}
}

// TestKeyringExport puts the keys back into the credentials file for a
// user who leaves the keyring, and deletes the item only when asked and
// only after the file reads them back.
func TestKeyringExport(t *testing.T) {
	t.Parallel() // the keyring's environment goes only to the child processes
	bin := toolBinary(t)
	eachBackend(t, func(t *testing.T, b keyringBackend) {
		kenv := b.start(t)
		b.seed(t, kenv, "alice", aliceKeysJSON)
		dir := t.TempDir()
		creds := filepath.Join(dir, "credentials")
		cfg := filepath.Join(dir, "config.toml")
		const other = "# mine\n[other]\naws_access_key_id = AKIAOTHEREXAMPLE0002\naws_secret_access_key = other/secret\n"
		os.WriteFile(creds, []byte(other+"\n[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"), 0o600)
		os.WriteFile(cfg, []byte("[defaults]\nkeyring_backend = \""+b.name+"\"\n\n[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\n"), 0o600)
		env := append(peerEnv(dir, "AWS_MFA_CONFIG="+cfg), kenv...)

		// Into a profile holding other keys: refused, nothing changed.
		_, stderr, err := run(t, env, bin, "keyring", "export", "--profile", "other")
		if exitCode(err) != 2 || !strings.Contains(stderr, "[other]") || strings.Contains(stderr, "other/secret") {
			t.Fatalf("export over other keys: %v\n%s", err, stderr)
		}
		_, stderr, err = run(t, env, bin, "keyring", "export", "--delete")
		if err != nil {
			t.Fatalf("export: %v\n%s", err, stderr)
		}
		if strings.Contains(stderr, "alice/long") || !strings.Contains(stderr, "AKIA…0001") || !strings.Contains(stderr, "deleted") {
			t.Fatalf("export said:\n%s", stderr)
		}
		data, _ := os.ReadFile(creds)
		want := other + "\n[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\n"
		if string(data) != want {
			t.Fatalf("credentials after export:\n%s\nwant:\n%s", data, want)
		}
		// The pair reads [aws-mfa] again: export removed its keyring line,
		// as setup --keyring added it, and a second export says so.
		if got, _ := os.ReadFile(cfg); string(got) != "[defaults]\nkeyring_backend = \""+b.name+"\"\n\n[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\n" || !strings.Contains(stderr, "updated "+cfg+": [pair.default] read the keys from [aws-mfa]") {
			t.Fatalf("config after export:\n%s\n%s", got, stderr)
		}
		_, stderr, err = run(t, env, bin, "keyring", "export")
		if exitCode(err) != 2 || !strings.Contains(stderr, "pair default keeps its keys in [aws-mfa], not in a keyring") {
			t.Fatalf("second export: %v\n%s", err, stderr)
		}
		if after, _ := os.ReadFile(creds); string(after) != want {
			t.Fatalf("second export changed the file:\n%s", after)
		}
	})
}

// keyringLookup reads an item with the backend's own tool; "" when absent.
func keyringLookup(t testing.TB, backend string, env []string, item string) string {
	t.Helper()
	var cmd *exec.Cmd
	if backend == "pass" {
		cmd = exec.Command("pass", "show", "aws-mfa/"+item)
	} else {
		cmd = exec.Command("secret-tool", "lookup", "service", "aws-mfa", "username", item)
	}
	cmd.Env = append(os.Environ(), env...)
	out, _ := cmd.Output()
	return strings.TrimSpace(string(out))
}

// TestSetupKeyring moves the keys `aws configure` wrote into a real
// keyring: verified there before the file loses them, no backup with
// them left anywhere, refreshes reading them; and it changes nothing
// when the keyring cannot take them or holds other keys.
func TestSetupKeyring(t *testing.T) {
	t.Parallel() // the keyring's environment goes only to the child processes
	bin := toolBinary(t)
	const configured = "# from aws configure\n[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nregion = eu-west-1\n\n[other]\naws_access_key_id = AKIAOTHEREXAMPLE0002\naws_secret_access_key = other/long+term/secret\n\n[copy]\nregion = eu-west-1\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\n"
	eachBackend(t, func(t *testing.T, b keyringBackend) {
		kenv := b.start(t)
		emu := stsemu.Start(alice)
		t.Cleanup(emu.Close)
		dir := t.TempDir()
		creds := filepath.Join(dir, "credentials")
		cfg := filepath.Join(dir, "config.toml")
		os.WriteFile(creds, []byte(configured), 0o600)
		env := append(peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "AWS_MFA_CONFIG="+cfg), kenv...)
		setupArgs := []string{"setup", "--keyring", "--keyring-backend", b.name, "--yes", "--serial", alice.Serial}

		// Unreachable keyring: nothing changes anywhere. (It fails
		// whatever the bound; a short one makes it fail soon.)
		_, stderr, err := run(t, b.cutOff(t, env), bin, append(setupArgs, "--timeout", "300ms")...)
		if err == nil || !strings.Contains(stderr, "aws-mfa/aws-mfa") || strings.Contains(stderr, "alice/long") {
			t.Fatalf("setup with the keyring cut off: %v\n%s", err, stderr)
		}
		assertFiles(t, dir, map[string]string{"credentials": configured})

		// Dry run: a masked diff, nothing stored or written.
		stdout, stderr, err := run(t, env, bin, append(setupArgs, "--dry-run")...)
		if err != nil || !strings.Contains(stdout, "would store the keys AKIA…0001 in") || !strings.Contains(stdout, "-aws_secret_access_key = ****") || !strings.Contains(stdout, `+keyring = "aws-mfa"`) || strings.Contains(stdout+stderr, "alice/long") {
			t.Fatalf("dry run: %v\n%s\n%s", err, stdout, stderr)
		}
		assertFiles(t, dir, map[string]string{"credentials": configured})
		if v := keyringLookup(t, b.name, kenv, "aws-mfa"); v != "" {
			t.Fatalf("dry run stored %q", v)
		}

		// The move, and a first refresh that reads the keyring.
		_, stderr, err = run(t, env, bin, append(setupArgs, "-t", alice.Code)...)
		if err != nil || !strings.Contains(stderr, "wrote an MFA session to [default]") || strings.Contains(stderr, "alice/long") {
			t.Fatalf("setup --keyring: %v\n%s", err, stderr)
		}
		// Every profile that held them was cleared, and named.
		if !strings.Contains(stderr, "removed the keys from [default] and [copy] in "+creds) {
			t.Fatalf("setup --keyring did not name the profiles cleared:\n%s", stderr)
		}
		if v := keyringLookup(t, b.name, kenv, "aws-mfa"); v != aliceKeysJSON {
			t.Fatalf("keyring holds %q", v)
		}
		if emu.Requests() != 1 {
			t.Fatalf("%d STS requests", emu.Requests())
		}
		wantCfg := "[pair.default]\nkeyring = \"aws-mfa\"\nkeyring_backend = \"" + b.name + "\"\nsource = \"aws-mfa\"\ntarget = \"default\"\n"
		data, _ := os.ReadFile(creds)
		if strings.Contains(string(data), "AKIAALICE") || strings.Contains(string(data), "alice/long") || !strings.Contains(string(data), "[other]\naws_access_key_id = AKIAOTHEREXAMPLE0002\naws_secret_access_key = other/long+term/secret\n") || !strings.Contains(string(data), "[aws-mfa]\nmfa_serial = "+alice.Serial+"\n") {
			t.Fatalf("credentials after the move:\n%s", data)
		}
		assertFiles(t, dir, map[string]string{"credentials": string(data), "config.toml": wantCfg})

		// Again: the keys are only in the keyring now; nothing changes.
		_, stderr, err = run(t, env, bin, setupArgs...)
		if err != nil {
			t.Fatalf("setup --keyring again: %v\n%s", err, stderr)
		}
		assertFiles(t, dir, map[string]string{"credentials": string(data), "config.toml": wantCfg})

		// Another profile's keys into an item that holds alice's: refused.
		os.Remove(cfg)
		_, stderr, err = run(t, env, bin, "setup", "--keyring", "--keyring-backend", b.name, "--yes", "--serial", alice.Serial, "--source", "aws-mfa", "--target", "other")
		if exitCode(err) != 2 || !strings.Contains(stderr, "already holds other keys (AKIA…0001)") {
			t.Fatalf("setup into a taken item: %v\n%s", err, stderr)
		}
		assertFiles(t, dir, map[string]string{"credentials": string(data)})
		if v := keyringLookup(t, b.name, kenv, "aws-mfa"); v != aliceKeysJSON {
			t.Fatalf("keyring holds %q", v)
		}
	})
}

// assertFiles checks that dir holds exactly these files with this content:
// no backup, no temporary file.
func assertFiles(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".lock") { // credfile's empty lock files
			continue
		}
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		w, ok := want[e.Name()]
		if !ok {
			t.Errorf("unexpected file %s:\n%s", e.Name(), data)
		} else if string(data) != w {
			t.Errorf("%s:\n%s\nwant:\n%s", e.Name(), data, w)
		}
		delete(want, e.Name())
	}
	for name := range want {
		t.Errorf("%s is missing", name)
	}
}

// TestKeyringUsage: misuses that need no backend, each one line, exit 2.
func TestKeyringUsage(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	cases := []struct {
		name, config string
		args         []string
		want         string
	}{
		{"backend without --keyring", "", []string{"setup", "--keyring-backend", "pass", "--yes"}, "--keyring-backend goes with --keyring"},
		{"unknown backend", "", []string{"setup", "--keyring", "--keyring-backend", "kwallet", "--yes"}, `keyring_backend "kwallet" is unknown; use "os" (this system's own store) or "pass"`},
		{"export without a keyring pair", "", []string{"keyring", "export"}, "pair default keeps its keys in [aws-mfa], not in a keyring"},
		{"export into the target", "[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"a\"\n", []string{"keyring", "export", "--profile", "default"}, "[default] is the pair's target"},
		{"a chained pair", "[pair.base]\nsource = \"aws-mfa\"\ntarget = \"b\"\n[pair.mid]\nsource_pair = \"base\"\ntarget = \"m\"\nrole_arn = \"arn:aws:iam::123456789012:role/a\"\n[pair.top]\nsource_pair = \"mid\"\ntarget = \"t\"\nrole_arn = \"arn:aws:iam::123456789012:role/b\"\n",
			[]string{"setup", "--keyring", "-p", "top", "--yes"}, "pair top has no long-term keys to move: it is chained from pair mid (source_pair), and its sessions are made from pair base's keys; run aws-mfa setup --keyring -p base"},
		{"another system's store", "[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"a\"\nkeyring_backend = \"wincred\"\n", []string{"-t", "314159"}, `keyring_backend "wincred" is not available on linux`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "credentials"), []byte("[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nmfa_serial = "+alice.Serial+"\n"), 0o600)
			env := peerEnv(dir, "AWS_ENDPOINT_URL_STS=http://127.0.0.1:1")
			if tc.config != "" {
				cfg := filepath.Join(dir, "config.toml")
				os.WriteFile(cfg, []byte(tc.config), 0o600)
				env = append(env, "AWS_MFA_CONFIG="+cfg)
			}
			_, stderr, err := run(t, env, bin, tc.args...)
			if exitCode(err) != 2 || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("%v: exit %d\n%s\nwant %q", tc.args, exitCode(err), stderr, tc.want)
			}
		})
	}
}

// TestKeyringExportBotocoreReadsTheKeys: after keyring export, botocore's
// own Session for the profile returns exactly the exported keys and no
// token, whatever stale token the profile or [DEFAULT] held; where only
// [DEFAULT] could be changed for that, export refuses and writes nothing.
func TestKeyringExportBotocoreReadsTheKeys(t *testing.T) {
	bin := toolBinary(t)
	bc := peers.StartBotocore(t)
	b := keyringBackends[1] // pass: the file logic is the same for both
	kenv := b.start(t)
	b.seed(t, kenv, "alice", aliceKeysJSON)
	const src = "[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
	for _, tc := range []struct {
		creds string
		ok    bool
	}{
		{src + "aws_security_token = stale\n", true},
		{src + "Aws_Session_Token: stale\nAWS_SECURITY_TOKEN = stale\nexpiration = 2026-11-27T10:00:00Z\n", true},
		{"[DEFAULT]\naws_security_token =\n" + src, true},
		{"[DEFAULT]\naws_security_token = stale\n" + src, false},
		{"[DEFAULT]\nAWS_SESSION_TOKEN: stale\n" + src, false},
		{"[DEFAULT]\naws_session_token = stale\n" + src + "aws_security_token = own\n", false},
	} {
		dir := t.TempDir()
		creds := filepath.Join(dir, "credentials")
		cfg := filepath.Join(dir, "config.toml")
		os.WriteFile(creds, []byte(tc.creds), 0o600)
		os.WriteFile(cfg, []byte("[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\nkeyring_backend = \"pass\"\n"), 0o600)
		env := append(peerEnv(dir, "AWS_MFA_CONFIG="+cfg), kenv...)
		_, stderr, err := run(t, env, bin, "keyring", "export")
		data, _ := os.ReadFile(creds)
		if !tc.ok {
			if exitCode(err) != 2 || !strings.Contains(stderr, "[DEFAULT] in "+creds+" sets a session token that [aws-mfa] would inherit") || string(data) != tc.creds {
				t.Errorf("export under\n%s: %v\n%s\nfile:\n%s", tc.creds, err, stderr, data)
			}
			continue
		}
		if err != nil {
			t.Errorf("export under\n%s: %v\n%s", tc.creds, err, stderr)
			continue
		}
		v := bc.Read(t, data, "aws-mfa")
		if v.Target == nil || v.Target.Key != "AKIAALICEEXAMPLE0001" || v.Target.Secret != "alice/long+term/secret" || v.Target.Token != "" {
			t.Errorf("after export under\n%s\nbotocore reads [aws-mfa] as %+v %s:\n%s", tc.creds, v.Target, v.TargetError, data)
		}
	}
}

// TestKeyringChainReadsThroughItsBase: a chained pair renewing its base
// reads the base's keyring item through the base's keyring_backend and
// token_timeout, not its own: here the base keeps its keys in pass and
// the chained pair names no backend (the OS's own, with no D-Bus here),
// by a refresh and by credential_process (env --format json) alike.
func TestKeyringChainReadsThroughItsBase(t *testing.T) {
	t.Parallel() // the keyring's environment goes only to the child processes
	bin := toolBinary(t)
	kenv := keyringd.PassEnv(t)
	keyringBackends[1].seed(t, kenv, "alice", aliceKeysJSON)
	for _, args := range [][]string{{"-p", "prod", "-t", alice.Code}, {"env", "--format", "json", "-p", "prod", "-t", alice.Code}} {
		emu := stsemu.Start(alice)
		t.Cleanup(emu.Close)
		dir := t.TempDir()
		creds := filepath.Join(dir, "credentials")
		cfg := filepath.Join(dir, "config.toml")
		os.WriteFile(creds, []byte("[aws-mfa]\nmfa_serial = "+alice.Serial+"\n"), 0o600)
		os.WriteFile(cfg, []byte("[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\nkeyring_backend = \"pass\"\n\n"+
			"[pair.prod]\nsource_pair = \"default\"\ntarget = \"prod\"\nrole_arn = \"arn:aws:iam::123456789012:role/admin\"\nduration = \"1h\"\ntoken_timeout = \"1ms\"\n"), 0o600)
		env := append(peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "AWS_MFA_CONFIG="+cfg), kenv...)
		if _, stderr, err := run(t, env, bin, args...); err != nil || emu.Requests() != 2 {
			t.Fatalf("%v: %v (%d STS requests)\n%s", args, err, emu.Requests(), stderr)
		}
	}
}

// TestSetupKeyringWithoutDBus: with no D-Bus session (a server, an SSH
// login), setup --keyring fails before anything changes and says how to
// use pass instead, its set-up included.
func TestSetupKeyringWithoutDBus(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	dir := t.TempDir()
	const creds = "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\n"
	os.WriteFile(filepath.Join(dir, "credentials"), []byte(creds), 0o600)
	env := peerEnv(dir, "AWS_MFA_CONFIG="+filepath.Join(dir, "config.toml"), "XDG_RUNTIME_DIR="+dir)
	_, stderr, err := run(t, env, bin, "setup", "--keyring", "--yes", "--serial", alice.Serial)
	for _, want := range []string{"no D-Bus session", "aws-mfa setup --keyring --keyring-backend pass", "gpg --quick-generate-key", "pass init"} {
		if exitCode(err) != 1 || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
			t.Fatalf("exit %d, want %q:\n%s", exitCode(err), want, stderr)
		}
	}
	assertFiles(t, dir, map[string]string{"credentials": creds})
	// A refresh of a pair whose keys are there says the same way out.
	os.WriteFile(filepath.Join(dir, "config.toml"), []byte("[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\nmfa_serial = \""+alice.Serial+"\"\n"), 0o600)
	if _, stderr, err := run(t, env, bin, "-f", alice.Code); exitCode(err) != 1 || !strings.Contains(stderr, "run aws-mfa in a desktop session, or keep the keys in pass (docs/keyring.md says how)") {
		t.Fatalf("refresh: exit %d:\n%s", exitCode(err), stderr)
	}
}

// TestSetupKeyringRolePair: setup --keyring -p NAME on a role pair that
// is in the config, as keyring.md and doctor show it: the keys move to
// the item, and setup says nothing of a duration the pair already sets.
func TestSetupKeyringRolePair(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	kenv := keyringd.PassEnv(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(filepath.Join(dir, "credentials"), []byte("[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nmfa_serial = "+alice.Serial+"\n"), 0o600)
	os.WriteFile(cfg, []byte("[pair.prod]\nsource = \"aws-mfa\"\ntarget = \"prod-session\"\nrole_arn = \"arn:aws:iam::123456789012:role/admin\"\nduration = \"4h\"\n"), 0o600)
	env := append(peerEnv(dir, "AWS_MFA_CONFIG="+cfg), kenv...)
	_, stderr, err := run(t, env, bin, "setup", "--keyring", "--keyring-backend", "pass", "-p", "prod", "--yes")
	if got, _ := os.ReadFile(cfg); err != nil || !strings.Contains(string(got), "keyring = \"aws-mfa\"") || strings.Contains(stderr, "asks for 1h sessions") {
		t.Errorf("%v\n%s\nconfig:\n%s", err, stderr, got)
	}
}
