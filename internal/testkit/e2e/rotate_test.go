//go:build linux

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/keyringd"
	"github.com/aws-mfa/aws-mfa/internal/testkit/moto"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// TestRotateKilled kills the built binary (SIGKILL) while IAM deactivates
// the old key, after the new one is stored: the file holds a key AWS
// accepts, and the next rotate finishes, leaving one key.
func TestRotateKilled(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	emu := stsemu.Start(alice)
	t.Cleanup(emu.Close)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte(aliceSource), 0o600)
	env := peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "AWS_ENDPOINT_URL_IAM="+emu.URL, "XDG_STATE_HOME="+filepath.Join(dir, "state"))

	cmd := exec.Command(bin, "rotate", "-t", alice.Code)
	cmd.Env = env
	var mu sync.Mutex
	killed := false
	emu.SetBefore(func(action string) {
		if action == "UpdateAccessKey" {
			mu.Lock()
			defer mu.Unlock()
			killed = cmd.Process.Signal(syscall.SIGKILL) == nil
		}
	})
	err := cmd.Run()
	// The handler holds mu from the kill until it records it: Run can
	// return in between.
	mu.Lock()
	wasKilled := killed
	mu.Unlock()
	if err == nil || !wasKilled {
		t.Fatalf("the run was not killed: %v", err)
	}
	emu.SetBefore(nil)
	f, err := credfile.Read(creds)
	if err != nil {
		t.Fatal(err)
	}
	k := f.Credentials("aws-mfa")
	if !emu.Works(k.AccessKeyID, k.SecretAccessKey) || k.AccessKeyID == alice.AccessKeyID || len(emu.Keys("alice")) > stsemu.MaxKeys {
		t.Fatalf("after the kill: %s in the file, %v in IAM", k.AccessKeyID, emu.Keys("alice"))
	}
	_, stderr, err := run(t, env, bin, "rotate")
	if err != nil || !strings.Contains(stderr, "finished the rotation begun earlier") {
		t.Fatalf("the next run: %v\n%s", err, stderr)
	}
	if keys := emu.Keys("alice"); len(keys) != 1 || keys[0].ID != k.AccessKeyID {
		t.Errorf("IAM holds %v", keys)
	}
}

// TestRotateKeyring rotates the key kept in a real keyring item (Secret
// Service on a private D-Bus, and pass): the item then holds the new key,
// with which the next refresh works, and IAM holds only it.
func TestRotateKeyring(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	eachBackend(t, func(t *testing.T, b keyringBackend) {
		kenv := b.start(t)
		b.seed(t, kenv, "alice", aliceKeysJSON)
		emu := stsemu.Start(alice)
		t.Cleanup(emu.Close)
		dir := t.TempDir()
		cfg := filepath.Join(dir, "config.toml")
		os.WriteFile(filepath.Join(dir, "credentials"), []byte("[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"), 0o600)
		os.WriteFile(cfg, []byte("[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\nkeyring_backend = \""+b.name+"\"\n"), 0o600)
		env := append(peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "AWS_ENDPOINT_URL_IAM="+emu.URL, "AWS_MFA_CONFIG="+cfg, "XDG_STATE_HOME="+filepath.Join(dir, "state")), kenv...)
		_, stderr, err := run(t, env, bin, "rotate", "-t", alice.Code)
		if err != nil || !strings.Contains(stderr, "rotated: "+map[string]string{"pass": "pass", "secret-service": "Secret Service"}[b.name]+" item aws-mfa/alice holds") {
			t.Fatalf("rotate: %v\n%s", err, stderr)
		}
		keys := emu.Keys("alice")
		if len(keys) != 1 || keys[0].ID == alice.AccessKeyID {
			t.Fatalf("IAM holds %v", keys)
		}
		if _, stderr, err := run(t, env, bin, "--force", "-t", alice.Code); err != nil {
			t.Fatalf("a refresh with the rotated key: %v\n%s", err, stderr)
		}
		if calls := emu.Calls(); calls[len(calls)-1].Key != keys[0].ID {
			t.Errorf("the refresh was signed by %s, not the new key %s", calls[len(calls)-1].Key, keys[0].ID)
		}
		if data, _ := os.ReadFile(filepath.Join(dir, "credentials")); strings.Contains(string(data), "aws_secret_access_key = ") && strings.Contains(string(data), "[aws-mfa]\naws_") {
			t.Errorf("the keys went to the file:\n%s", data)
		}
	})
}

// TestRotateKeyringChanged: another writer (setup --keyring in another
// terminal, the backend's own tool) replaces the item while rotate waits
// for IAM. Its keys are kept, as a changed file's are: the new key is
// not written over them, and is deleted.
func TestRotateKeyringChanged(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	const theirs = `{"aws_access_key_id":"AKIATHEIRSEXAMPLE009","aws_secret_access_key":"theirs"}`
	eachBackend(t, func(t *testing.T, b keyringBackend) {
		kenv := b.start(t)
		b.seed(t, kenv, "alice", aliceKeysJSON)
		emu := stsemu.Start(alice)
		t.Cleanup(emu.Close)
		emu.SetBefore(func(action string) {
			if action == "CreateAccessKey" {
				b.seed(t, kenv, "alice", theirs)
			}
		})
		dir := t.TempDir()
		cfg := filepath.Join(dir, "config.toml")
		os.WriteFile(filepath.Join(dir, "credentials"), []byte("[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"), 0o600)
		os.WriteFile(cfg, []byte("[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\nkeyring_backend = \""+b.name+"\"\n"), 0o600)
		env := append(peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "AWS_ENDPOINT_URL_IAM="+emu.URL, "AWS_MFA_CONFIG="+cfg, "XDG_STATE_HOME="+filepath.Join(dir, "state")), kenv...)
		_, stderr, err := run(t, env, bin, "rotate", "-t", alice.Code)
		if err == nil || !strings.Contains(stderr, "changed while aws-mfa rotated its key") {
			t.Errorf("rotate: %v\n%s", err, stderr)
		}
		if keys := emu.Keys("alice"); len(keys) != 1 || keys[0].ID != alice.AccessKeyID {
			t.Errorf("IAM holds %v", keys)
		}
		// The item holds the other writer's keys, which sign the next
		// refresh (the emulator knows them not).
		emu.SetBefore(nil)
		if _, stderr, _ := run(t, env, bin, "--force", "-t", alice.Code); !strings.Contains(stderr, "InvalidClientTokenId") {
			t.Errorf("the item lost the other writer's keys: %s", stderr)
		}
	})
}

// TestRotateMoto rotates against moto in plain mode, a second IAM: its
// answers are read as real IAM's, and the file then holds its new key.
// moto's plain mode names every unknown caller (a session it issued) as
// its user "moto", whose key the source holds.
func TestRotateMoto(t *testing.T) {
	moto.Prestart(false)
	t.Parallel()
	url := moto.URL(t, false)
	ctx := context.Background()
	c := iam.New(iam.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Credentials: credentials.NewStaticCredentialsProvider("AKIAPROVISION0000001", "x", "")})
	c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("moto")}) // there already, after another run against this moto
	if old, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("moto")}); err == nil {
		for _, k := range old.AccessKeyMetadata {
			c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("moto"), AccessKeyId: k.AccessKeyId})
		}
	}
	out, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("moto")})
	if err != nil {
		t.Fatal(err)
	}
	old := *out.AccessKey.AccessKeyId
	bin := toolBinary(t)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte("[aws-mfa]\naws_access_key_id = "+old+"\naws_secret_access_key = "+*out.AccessKey.SecretAccessKey+"\nmfa_serial = arn:aws:iam::123456789012:mfa/moto\n"), 0o600)
	env := peerEnv(dir, "AWS_ENDPOINT_URL_STS="+url, "AWS_ENDPOINT_URL_IAM="+url, "XDG_STATE_HOME="+filepath.Join(dir, "state"))
	_, stderr, err := run(t, env, bin, "rotate", "-t", "314159")
	if err != nil || !strings.Contains(stderr, "of IAM user moto") {
		t.Fatalf("rotate against moto: %v\n%s", err, stderr)
	}
	f, _ := credfile.Read(creds)
	now, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("moto")})
	if err != nil || len(now.AccessKeyMetadata) != 1 || *now.AccessKeyMetadata[0].AccessKeyId != f.Credentials("aws-mfa").AccessKeyID || f.Credentials("aws-mfa").AccessKeyID == old {
		t.Errorf("moto holds %v, the file %s (was %s)", now, f.Credentials("aws-mfa").AccessKeyID, old)
	}
	if out, _, _ := run(t, env, bin, "status"); !strings.Contains(out, "aws-mfa (key 0 days) → default") {
		t.Errorf("status:\n%s", out)
	}
}

// TestRotateKeyringWriteFails: pass cannot write the item (its store
// names a gpg key nobody has), though it still reads it. The rotation
// stops with pass's failure, deletes the new key, whose secret would be
// lost, and the item still holds the old key, which signs the next
// refresh.
func TestRotateKeyringWriteFails(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	b := keyringBackends[1]
	kenv := b.start(t)
	b.seed(t, kenv, "alice", aliceKeysJSON)
	var store string
	for _, e := range kenv {
		if v, ok := strings.CutPrefix(e, "PASSWORD_STORE_DIR="); ok {
			store = v
		}
	}
	if err := os.WriteFile(filepath.Join(store, ".gpg-id"), []byte("nobody@aws-mfa.invalid\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	emu := stsemu.Start(alice)
	t.Cleanup(emu.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(filepath.Join(dir, "credentials"), []byte("[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"), 0o600)
	os.WriteFile(cfg, []byte("[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\nkeyring_backend = \"pass\"\n"), 0o600)
	env := append(peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "AWS_ENDPOINT_URL_IAM="+emu.URL, "AWS_MFA_CONFIG="+cfg, "XDG_STATE_HOME="+filepath.Join(dir, "state")), kenv...)
	_, stderr, err := run(t, env, bin, "rotate", "-t", alice.Code)
	if exitCode(err) != 1 || !strings.Contains(stderr, "write pass item aws-mfa/alice") || !strings.Contains(stderr, "still holds AKIA…0001") || strings.Contains(stderr, "alice/long") {
		t.Fatalf("rotate with an unwritable item: %v\n%s", err, stderr)
	}
	if keys := emu.Keys("alice"); len(keys) != 1 || keys[0].ID != alice.AccessKeyID {
		t.Fatalf("IAM holds %v", keys)
	}
	if _, stderr, err := run(t, env, bin, "--force", "-t", alice.Code); err != nil {
		t.Fatalf("a refresh with the old key: %v\n%s", err, stderr)
	}
}

// TestRotateRacesKeyringExport: keyring export --delete runs while rotate
// stores the new key in the pass item (pass insert is held until the
// export has had its chance). The two take the aws-mfa config's lock in
// turn, so the export moves the key that rotate stored: the file ends
// with the one key IAM still has, not the old one rotate then deletes.
func TestRotateRacesKeyringExport(t *testing.T) {
	t.Parallel()
	bin, passBin := toolBinary(t), testproc.Require(t, "pass")
	kenv := keyringd.PassEnv(t)
	b := keyringBackends[slices.IndexFunc(keyringBackends, func(b keyringBackend) bool { return b.name == "pass" })]
	b.seed(t, kenv, "alice", aliceKeysJSON)
	emu := stsemu.Start(alice)
	t.Cleanup(emu.Close)
	dir := t.TempDir()
	held, release := filepath.Join(dir, "held"), filepath.Join(dir, "release")
	wrap := filepath.Join(dir, "bin")
	os.Mkdir(wrap, 0o700)
	testproc.WriteExecutable(filepath.Join(wrap, "pass"), []byte("#!/bin/sh\nif [ \"$1\" = insert ]; then\n\t: > '"+held+"'\n\twhile [ ! -e '"+release+"' ]; do sleep 0.05; done\nfi\nexec '"+passBin+"' \"$@\"\n"), 0o700)
	creds, cfg := filepath.Join(dir, "credentials"), filepath.Join(dir, "config.toml")
	os.WriteFile(creds, []byte("[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"), 0o600)
	os.WriteFile(cfg, []byte("[pair.default]\nsource = \"aws-mfa\"\ntarget = \"default\"\nkeyring = \"alice\"\nkeyring_backend = \"pass\"\n"), 0o600)
	env := append(peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "AWS_ENDPOINT_URL_IAM="+emu.URL, "AWS_MFA_CONFIG="+cfg, "XDG_STATE_HOME="+filepath.Join(dir, "state")), kenv...)
	env = append(env, "PATH="+wrap+":"+os.Getenv("PATH"))

	rotated := make(chan string, 1)
	go func() {
		_, stderr, err := run(t, env, bin, "rotate", "-t", alice.Code)
		rotated <- fmt.Sprint(err, " ", stderr)
	}()
	if !waitFor(func() bool { _, err := os.Stat(held); return err == nil }) {
		os.WriteFile(release, nil, 0o600)
		t.Fatalf("rotate never stored its key: %s", <-rotated)
	}
	exported := make(chan string, 1)
	go func() {
		_, stderr, err := run(t, env, bin, "keyring", "export", "--delete")
		exported <- fmt.Sprint(err, " ", stderr)
	}()
	select { // without the lock the export ends here, before rotate's write
	case e := <-exported:
		exported <- e + " (ended while rotate held its write)"
	case <-time.After(time.Second):
	}
	os.WriteFile(release, nil, 0o600)
	r, e := <-rotated, <-exported
	f, err := credfile.Read(creds)
	if err != nil {
		t.Fatal(err)
	}
	if keys := emu.Keys("alice"); len(keys) != 1 || keys[0].ID != f.Credentials("aws-mfa").AccessKeyID {
		t.Errorf("IAM holds %v, [aws-mfa] %s\nrotate: %s\nexport: %s", keys, f.Credentials("aws-mfa").AccessKeyID, r, e)
	}
}
