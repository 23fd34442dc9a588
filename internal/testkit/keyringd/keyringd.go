// Package keyringd starts real keyring backends for tests: a Secret
// Service (gnome-keyring-daemon on a private D-Bus session bus) and pass
// with a throwaway gpg key. Each lives in temporary directories, never
// the user's own, and is stopped when the test ends. Outside CI a test
// whose programs are missing is skipped; in CI (CI=true) it fails.
package keyringd

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// Password unlocks the test login keyring.
const Password = "test-keyring-password"

// need skips, or in CI fails, when a program is missing (testproc.Require).
func need(t testing.TB, programs ...string) {
	t.Helper()
	for _, p := range programs {
		testproc.Require(t, p)
	}
}

// tempDir is a short private directory: gpg-agent's and D-Bus's socket
// paths must stay under about 100 bytes, which t.TempDir may not.
func tempDir(t testing.TB, pattern string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// SecretService starts a private D-Bus session with gnome-keyring-daemon
// on it, its login keyring created and unlocked with Password, and points
// this process at it with t.Setenv. It returns the environment entry for
// child processes: DBUS_SESSION_BUS_ADDRESS.
func SecretService(t testing.TB) []string {
	t.Helper()
	return setenv(t, SecretServiceEnv(t))
}

// SecretServiceEnv is SecretService for a test that gives the environment
// only to its child processes: it changes nothing in this process, so the
// test may run in parallel.
func SecretServiceEnv(t testing.TB) []string {
	t.Helper()
	need(t, "dbus-daemon", "gnome-keyring-daemon")
	dir := tempDir(t, "kr")
	env := []string{
		"HOME=" + dir,
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		"XDG_RUNTIME_DIR=" + filepath.Join(dir, "run"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
	}
	for _, d := range []string{"data", "run", "config"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1", "--address=unix:path="+filepath.Join(dir, "bus"))
	bus.Env = append(os.Environ(), env...)
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Process.Kill(); bus.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	busEnv := "DBUS_SESSION_BUS_ADDRESS=" + strings.TrimSpace(addr)
	env = append(env, busEnv)

	gk := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	gk.Env = append(os.Environ(), env...)
	gk.Stdin = strings.NewReader(Password)
	if err := gk.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gk.Process.Kill(); gk.Wait() })
	// Clients need only the bus; HOME and the XDG directories were the
	// daemon's, to keep it away from the user's own keyrings.
	conn := connect(t, []string{busEnv})
	// Readiness, not timing: wait until the daemon owns its bus name and
	// the login keyring exists; bounded by count. It looks often at first.
	pause := 5 * time.Millisecond
	for i := 0; ; i++ {
		var ok bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&ok)
		if err == nil && ok {
			if v, err := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets/aliases/default").GetProperty("org.freedesktop.Secret.Collection.Locked"); err == nil && v.Value() == false {
				break
			}
		}
		if i == 250 {
			t.Fatalf("gnome-keyring-daemon did not come up on the private bus (%v)", err)
		}
		time.Sleep(pause)
		pause = min(2*pause, 50*time.Millisecond)
	}
	return []string{busEnv}
}

// connect opens a private connection to the bus named in env.
func connect(t testing.TB, env []string) *dbus.Conn {
	t.Helper()
	var addr string
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "DBUS_SESSION_BUS_ADDRESS="); ok {
			addr = v
		}
	}
	conn, err := dbus.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.Auth(nil); err != nil {
		t.Fatal(err)
	}
	if err := conn.Hello(); err != nil {
		t.Fatal(err)
	}
	return conn
}

// Lock locks the login keyring of the Secret Service that SecretService
// or SecretServiceEnv started and returned env for.
func Lock(t testing.TB, env []string) {
	t.Helper()
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err := connect(t, env).Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{"/org/freedesktop/secrets/aliases/default"}).Store(&locked, &prompt)
	if err != nil || len(locked) != 1 {
		t.Fatalf("lock the login keyring: %v (locked %v, prompt %v)", err, locked, prompt)
	}
}

// Pass creates a password store with a new gpg key without a passphrase,
// points this process at it with t.Setenv, and returns the environment
// entries for child processes.
func Pass(t testing.TB) []string { return setenv(t, pass(t, false)) }

// PassEnv is Pass for a test that gives the environment only to its child
// processes: it changes nothing in this process, so the test may run in
// parallel.
func PassEnv(t testing.TB) []string { return pass(t, false) }

// PassLocked is Pass with a key under a passphrase that nobody can enter:
// gpg-agent's pinentry is /bin/false, as when there is no terminal, and
// the agent has forgotten the passphrase. Items can be stored (encrypting
// needs only the public key) but not read.
func PassLocked(t testing.TB) []string { return setenv(t, pass(t, true)) }

func pass(t testing.TB, locked bool) []string {
	t.Helper()
	need(t, "pass", "gpg", "gpgconf")
	dir := tempDir(t, "pass")
	gnupg := filepath.Join(dir, "g")
	if err := os.Mkdir(gnupg, 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{"GNUPGHOME=" + gnupg, "PASSWORD_STORE_DIR=" + filepath.Join(dir, "store")}
	run := func(name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	t.Cleanup(func() {
		cmd := exec.Command("gpgconf", "--kill", "all")
		cmd.Env = append(os.Environ(), env...)
		cmd.Run()
	})
	const uid = "aws-mfa test <test@aws-mfa.invalid>"
	passphrase := ""
	if locked {
		passphrase = Password
		// A fixed s2k-count spares gpg-agent calibrating its passphrase
		// hashing when it protects the key: 10 to 20 s on a loaded machine.
		if err := os.WriteFile(filepath.Join(gnupg, "gpg-agent.conf"), []byte("pinentry-program /bin/false\ns2k-count 65536\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// future-default is ed25519 with a cv25519 subkey: generated in well under a
	// second, where the default RSA 3072 key takes 4 to 30 s on a loaded machine.
	run("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase, "--quick-generate-key", uid, "future-default", "default", "never")
	run("pass", "init", "test@aws-mfa.invalid")
	if locked {
		run("gpgconf", "--kill", "gpg-agent") // forgets the passphrase
	}
	return env
}

// setenv points this process at env with t.Setenv and returns env.
func setenv(t testing.TB, env []string) []string {
	t.Helper()
	for _, e := range env {
		k, v, _ := strings.Cut(e, "=")
		t.Setenv(k, v)
	}
	return env
}
