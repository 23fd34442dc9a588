//go:build linux

package keyring_test

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/testkit/keyringd"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
	"github.com/aws-mfa/aws-mfa/keyring"
)

// keys whose secrets hold the characters JSON, gpg and D-Bus could trip on.
var keySets = []awscred.Keys{
	{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
	{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "a+b/c=d\"e\\f'g h%s$(x)`y`"},
	{AccessKeyID: "AKIA0000000000000000", SecretAccessKey: strings.Repeat("Zz9+/", 8)},
}

// roundTrip runs the same checks against a real backend.
func roundTrip(t *testing.T, backend string) {
	ctx := context.Background()
	s, err := keyring.Open(backend, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keySets {
		item := "item-" + string(rune('a'+i))
		if err := s.Status(ctx, item); !errors.Is(err, keyring.ErrNotFound) {
			t.Fatalf("status of a new item: %v, want not found", err)
		}
		_, err := s.Get(ctx, item)
		if !errors.Is(err, keyring.ErrNotFound) || !strings.Contains(err.Error(), s.Where(item)) {
			t.Fatalf("get of a new item: %v, want not found naming %s", err, s.Where(item))
		}
		if err := s.Put(ctx, item, k); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Get(ctx, item); err != nil || got != k {
			t.Fatalf("get %s: %+v, %v", item, got, err)
		}
		if err := s.Status(ctx, item); err != nil {
			t.Fatalf("status: %v", err)
		}
	}
	// Put replaces an item, as setup --keyring does when run again.
	if err := s.Put(ctx, "item-a", keySets[1]); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, "item-a"); got != keySets[1] {
		t.Fatalf("replaced item reads %+v", got)
	}
	for i := range keySets {
		item := "item-" + string(rune('a'+i))
		if err := s.Delete(ctx, item); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, item); !errors.Is(err, keyring.ErrNotFound) {
			t.Fatalf("get after delete: %v", err)
		}
	}
	if err := s.Delete(ctx, "item-a"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestSecretService(t *testing.T) {
	env := keyringd.SecretService(t)
	t.Run("round trip", func(t *testing.T) { roundTrip(t, keyring.SecretService) })
	t.Run("os is secret-service", func(t *testing.T) { roundTrip(t, keyring.OS) })
	t.Run("locked", func(t *testing.T) {
		ctx := context.Background()
		s, _ := keyring.Open("", 30*time.Second)
		k := keySets[0]
		if err := s.Put(ctx, "locked", k); err != nil {
			t.Fatal(err)
		}
		keyringd.Lock(t, env)
		err := s.Status(ctx, "locked")
		if !errors.Is(err, keyring.ErrLocked) {
			t.Fatalf("status of a locked keyring: %v, want locked", err)
		}
		// No prompter here: the daemon dismisses its unlock prompt, and Get
		// says the keyring is locked and how to unlock it.
		_, err = s.Get(ctx, "locked")
		if !errors.Is(err, keyring.ErrLocked) || !strings.Contains(err.Error(), "unlock") {
			t.Fatalf("get from a locked keyring: %v", err)
		}
		checkNoSecret(t, err, k)
	})
}

// TestPass: the round trip, a foreign item and a huge one, in one store,
// whose gpg key and agent are made once.
func TestPass(t *testing.T) {
	keyringd.Pass(t)
	t.Run("round trip", func(t *testing.T) { roundTrip(t, keyring.Pass) })
	t.Run("foreign item", func(t *testing.T) {
		// An item that is not aws-mfa's JSON is named, not shown.
		cmd := exec.Command("pass", "insert", "--multiline", keyring.Service+"/foreign")
		cmd.Stdin = strings.NewReader("hunter2-secret\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		s, _ := keyring.Open(keyring.Pass, 30*time.Second)
		_, err := s.Get(context.Background(), "foreign")
		if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "pass item aws-mfa/foreign") {
			t.Fatalf("foreign item: %v", err)
		}
	})
	t.Run("huge item", passHugeItem)
}

// TestPassLocked: gpg cannot ask for the passphrase (no terminal); the
// error says the store is locked and how to unlock it, in bounded time:
// GPG_TTY, which a shell without it in its rc file lacks, so gpg fails
// even at a terminal, and the item's own pass command. Then, in the same
// store, Peek never prompts.
func TestPassLocked(t *testing.T) {
	keyringd.PassLocked(t)
	t.Run("put and get", func(t *testing.T) {
		s, _ := keyring.Open(keyring.Pass, 30*time.Second)
		k := keySets[1]
		// Put reads back what it wrote, which needs the passphrase.
		err := s.Put(context.Background(), "alice", k)
		if !errors.Is(err, keyring.ErrLocked) || !strings.Contains(err.Error(), "pass is locked") || !strings.Contains(err.Error(), "export GPG_TTY=$(tty)") || !strings.Contains(err.Error(), "`pass show aws-mfa/alice`") {
			t.Fatalf("put into a locked store: %v", err)
		}
		checkNoSecret(t, err, k)
		if _, err := s.Get(context.Background(), "alice"); !errors.Is(err, keyring.ErrLocked) {
			t.Fatalf("get from a locked store: %v", err)
		}
		if err := s.Status(context.Background(), "alice"); err != nil {
			t.Fatalf("status needs no passphrase: %v", err)
		}
	})
	t.Run("peek never prompts", passPeekNeverPrompts)
}

func TestPassUnavailable(t *testing.T) {
	t.Setenv("PASSWORD_STORE_DIR", filepath.Join(t.TempDir(), "none"))
	s, _ := keyring.Open(keyring.Pass, 30*time.Second)
	_, err := s.Get(context.Background(), "x")
	if !errors.Is(err, keyring.ErrUnavailable) || !strings.Contains(err.Error(), "pass") {
		t.Fatalf("get without a store: %v", err)
	}
}

// TestNoSessionBus: without a D-Bus session the Secret Service backend
// says so, and starts no D-Bus daemon of its own (godbus would run
// dbus-launch).
func TestNoSessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("PATH", t.TempDir()) // no dbus-launch to find, should it try
	s, _ := keyring.Open(keyring.SecretService, 30*time.Second)
	for _, err := range []error{s.Status(context.Background(), "x"), s.Put(context.Background(), "x", keySets[0])} {
		if !errors.Is(err, keyring.ErrUnavailable) || !strings.Contains(err.Error(), "D-Bus") {
			t.Fatalf("no session bus: %v", err)
		}
	}
}

// TestHungBus: a bus that accepts the connection and never answers. Run
// in a child process, as godbus keeps its session connection (and its
// lock) for the life of the process.
func TestHungBus(t *testing.T) {
	if os.Getenv("KEYRING_HUNG_CHILD") == "1" {
		// Each call waits out the bound, which is short; side by side.
		s, _ := keyring.Open(keyring.SecretService, 200*time.Millisecond)
		status := make(chan error)
		go func() { status <- s.Status(context.Background(), "x") }()
		_, getErr := s.Get(context.Background(), "x")
		for _, err := range []error{<-status, getErr} {
			if !errors.Is(err, keyring.ErrUnavailable) || !strings.Contains(err.Error(), "no answer within 200ms") || !strings.Contains(err.Error(), "Secret Service") {
				t.Fatalf("hung bus: %v", err)
			}
		}
		return
	}
	sock := filepath.Join(t.TempDir(), "bus")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never answered
		}
	}()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHungBus$", "-test.v")
	cmd.Env = append(os.Environ(), "KEYRING_HUNG_CHILD=1", "DBUS_SESSION_BUS_ADDRESS=unix:path="+sock)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func TestOpen(t *testing.T) {
	for _, name := range []string{"", keyring.OS, keyring.Pass} {
		if _, err := keyring.Open(name, time.Second); err != nil {
			t.Errorf("open %q: %v", name, err)
		}
	}
	for _, name := range []string{"kwallet", "file", keyring.Keychain, keyring.WinCred} {
		if _, err := keyring.Open(name, time.Second); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("open %q on linux: %v", name, err)
		}
	}
}

func TestCheckItem(t *testing.T) {
	for _, item := range []string{"aws-mfa", "work.long_term", "a@b+c=d"} {
		if err := keyring.CheckItem(item); err != nil {
			t.Errorf("%q: %v", item, err)
		}
	}
	for _, item := range []string{"", "a/b", "../x", "a b", "a\nb", strings.Repeat("x", 129), "é"} {
		if err := keyring.CheckItem(item); err == nil {
			t.Errorf("%q accepted", item)
		}
	}
}

func checkNoSecret(t *testing.T, err error, k awscred.Keys) {
	t.Helper()
	if err != nil && (strings.Contains(err.Error(), k.SecretAccessKey) || strings.Contains(err.Error(), k.AccessKeyID)) {
		t.Errorf("error carries a key: %v", err)
	}
}

// passPeekNeverPrompts: Peek, doctor's read, never starts gpg's
// pinentry: with the passphrase not cached it fails as locked, where Get
// asks (the pinentry here records that it was started, and refuses). It
// runs in TestPassLocked's store.
func passPeekNeverPrompts(t *testing.T) {
	s, _ := keyring.Open(keyring.Pass, 30*time.Second)
	ctx := context.Background()
	s.Put(ctx, "alice", keySets[1]) // stored; reading it back needs the passphrase
	dir := t.TempDir()
	asked, pin := filepath.Join(dir, "asked"), filepath.Join(dir, "pinentry")
	testproc.WriteExecutable(pin, []byte("#!/bin/sh\ntouch '"+asked+"'\nexit 1\n"), 0o700)
	gnupg := os.Getenv("GNUPGHOME")
	os.WriteFile(filepath.Join(gnupg, "gpg-agent.conf"), []byte("pinentry-program "+pin+"\n"), 0o600)
	exec.Command("gpgconf", "--kill", "gpg-agent").Run()
	if _, err := s.Peek(ctx, "alice"); !errors.Is(err, keyring.ErrLocked) {
		t.Fatalf("peek: %v", err)
	}
	if _, err := os.Stat(asked); err == nil {
		t.Fatal("Peek started pinentry")
	}
	if _, err := s.Get(ctx, "alice"); !errors.Is(err, keyring.ErrLocked) {
		t.Fatalf("get: %v", err)
	}
	if _, err := os.Stat(asked); err != nil {
		t.Fatal("Get did not start pinentry: the test cannot tell a prompt")
	}
}

// passHugeItem: an item far larger than any aws-mfa writes (here its
// JSON padded with 8 MiB of spaces, which JSON allows) is refused once
// pass has printed a bound's worth, not read whole into memory. It runs
// in TestPass's store.
func passHugeItem(t *testing.T) {
	cmd := exec.Command("pass", "insert", "--multiline", keyring.Service+"/huge")
	cmd.Stdin = strings.NewReader(`{"aws_access_key_id":"AKIAIOSFODNN7EXAMPLE","aws_secret_access_key":"huge-secret"}` + strings.Repeat(" ", 8<<20) + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	s, _ := keyring.Open(keyring.Pass, 60*time.Second)
	_, err := s.Get(context.Background(), "huge")
	if err == nil || !strings.Contains(err.Error(), "printed more than 64 KiB") {
		t.Fatalf("huge item: %v", err)
	}
	checkNoSecret(t, err, awscred.Keys{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "huge-secret"})
}
