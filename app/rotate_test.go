package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
	"github.com/aws-mfa/aws-mfa/rotate"
)

// rotateRig is a rig whose emulator answers IAM too, with a comment and
// another profile beside the source, which a rotation must keep.
func rotateRig(t *testing.T) *rig {
	r := newRig(t, "# mine\n"+aliceProfile+"region = eu-west-1\n\n[other]\naws_access_key_id = AKIAOTHEREXAMPLE0002\naws_secret_access_key = other\n")
	r.env["AWS_ENDPOINT_URL_IAM"] = r.emu.URL
	r.env["XDG_STATE_HOME"] = filepath.Join(filepath.Dir(filepath.Dir(r.creds)), "state")
	return r
}

func (r *rig) source() awscred.Session {
	f, err := credfile.Read(r.creds)
	if err != nil {
		r.t.Fatal(err)
	}
	return f.Credentials("aws-mfa")
}

// TestRotateFile rotates the key in a profile: the new key works and is
// the only one in IAM, every other byte of the file is kept, status shows
// the key's age and doctor flags it once it is old.
func TestRotateFile(t *testing.T) {
	t.Parallel()
	r := rotateRig(t)
	before, _ := os.ReadFile(r.creds)
	if out, stderr, code := r.run("", "rotate", "--dry-run"); code != 0 || !strings.Contains(out, "create a key") || !strings.Contains(out, "AKIA…0001") || strings.Contains(out, "false") || r.emu.Requests() != 0 {
		t.Fatalf("dry run: exit %d, %d requests\n%s%s", code, r.emu.Requests(), out, stderr)
	}
	_, stderr, code := r.run("", "rotate", "-t", "314159")
	if code != 0 || !strings.Contains(stderr, "rotated: [aws-mfa] in ") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	k := r.source()
	keys := r.emu.Keys("alice")
	if len(keys) != 1 || keys[0].ID != k.AccessKeyID || !r.emu.Works(k.AccessKeyID, k.SecretAccessKey) {
		t.Errorf("IAM holds %v; the file %s", keys, k.AccessKeyID)
	}
	after, _ := os.ReadFile(r.creds)
	want := strings.NewReplacer("AKIAALICEEXAMPLE0001", k.AccessKeyID, "alice/long+term/secret", k.SecretAccessKey).Replace(string(before))
	if !strings.HasPrefix(string(after), want) {
		t.Errorf("the file changed beyond the keys:\n%s", after)
	}
	out, _, _ := r.run("", "status")
	if !strings.Contains(out, "aws-mfa (key 0 days) → default") {
		t.Errorf("status:\n%s", out)
	}
	// A year on, doctor asks for a rotation and names what it needs.
	r.now = func() time.Time { return time.Now().Add(400 * 24 * time.Hour) }
	out, _, code = r.run("", "doctor")
	if code != 1 || !strings.Contains(out, "is 400 days old, older than max_key_age (90 days)") || !strings.Contains(out, "aws-mfa rotate -p default (needs iam:ListAccessKeys, iam:CreateAccessKey") {
		t.Errorf("doctor: exit %d\n%s", code, out)
	}
	// Named with --config, the config is named again in the fix.
	cfg := filepath.Join(filepath.Dir(r.creds), "my config.toml")
	os.WriteFile(cfg, []byte("[pair.work]\nsource = \"aws-mfa\"\ntarget = \"default\"\n"), 0o600)
	out, _, code = r.run("", "doctor", "--config", cfg)
	if code != 1 || !strings.Contains(out, "aws-mfa rotate -p work --config '"+cfg+"' (needs") {
		t.Errorf("doctor --config: exit %d\n%s", code, out)
	}
}

// TestRotateResumes: a run killed between storing the new key and
// deleting the old one leaves a file whose key works; the next run,
// with the session it wrote, finishes without a third key or a code.
func TestRotateResumes(t *testing.T) {
	t.Parallel()
	r := rotateRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	r.emu.SetBefore(func(action string) {
		if action == "UpdateAccessKey" {
			cancel()
		}
	})
	sys, s := r.system("")
	in := RotateInput{Session: session()}
	in.Session.Token = "314159"
	if err := RotateCommand(ctx, sys, in); err == nil || !strings.Contains(err.Error(), "run aws-mfa rotate again to finish") {
		t.Fatalf("the killed run: %v\n%s", err, s.err)
	}
	k := r.source()
	if !r.emu.Works(k.AccessKeyID, k.SecretAccessKey) || len(r.emu.Keys("alice")) != 2 {
		t.Fatalf("after the kill: %s in the file, %v in IAM", k.AccessKeyID, r.emu.Keys("alice"))
	}
	r.emu.SetBefore(nil)
	if out, _, code := r.run("", "rotate", "--dry-run"); code != 0 || !strings.Contains(out, "; first it finishes a rotation begun earlier):") {
		t.Errorf("the plan: exit %d: %s", code, out)
	}
	_, stderr, code := r.run("", "rotate")
	if code != 0 || !strings.Contains(stderr, "finished the rotation begun earlier") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if keys := r.emu.Keys("alice"); len(keys) != 1 || keys[0].ID != k.AccessKeyID {
		t.Errorf("IAM holds %v", keys)
	}
}

// TestRotateEndsSession: a session AWS ends with its old key is marked
// expired, so that status says so and a refresh asks for a code.
func TestRotateEndsSession(t *testing.T) {
	t.Parallel()
	r := rotateRig(t)
	r.emu.SetRevokeOnDelete(true)
	_, stderr, code := r.run("", "rotate", "-t", "314159")
	if code != 0 || !strings.Contains(stderr, "the next refresh needs a code") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if out, _, _ := r.run("", "status", "--json"); !strings.Contains(out, `"state": "expired"`) {
		t.Errorf("status:\n%s", out)
	}
}

// TestRefreshLearnsKeyAge: a refresh asks IAM for the key's creation
// date once per key, and fails or prints nothing when IAM refuses or
// fails; that stands for a week, so refreshes do not pay for it each time.
func TestRefreshLearnsKeyAge(t *testing.T) {
	t.Parallel()
	r := rotateRig(t)
	// Each refresh has a code of its own: a code is sent once.
	now := time.Now()
	c := &clock{t: now, first: now.Unix() / 30, emu: r.emu}
	r.clock = c
	next := func() string { c.add(30 * time.Second); return c.code() }
	var lists atomic.Int32
	r.emu.SetBefore(func(action string) {
		if action == "ListAccessKeys" {
			lists.Add(1)
		}
	})
	state := filepath.Join(r.env["XDG_STATE_HOME"], "aws-mfa", "keys.json")
	for _, fault := range []stsemu.Fault{stsemu.Garbage, stsemu.Denied} {
		r.emu.SetActionFault("ListAccessKeys", fault)
		_, stderr, code := r.run("", "--force", next())
		if code != 0 || strings.Count(stderr, "\n") != 1 {
			t.Fatalf("%s lookup: exit %d: %s", fault, code, stderr)
		}
	}
	r.emu.SetActionFault("ListAccessKeys", stsemu.None)
	for range 2 {
		if _, stderr, code := r.run("", "--force", next()); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	if n := lists.Load(); n != 1 {
		t.Errorf("%d lookups after a refusal; want 1, then none for a week", n)
	}
	if out, _, _ := r.run("", "status"); strings.Contains(out, "(key ") {
		t.Errorf("status shows an age it never learnt:\n%s", out)
	}
	b, _ := os.ReadFile(state)
	os.WriteFile(state, bytes.ReplaceAll(b, []byte(`"refused": "`+time.Now().UTC().Format("2006-01-02")), []byte(`"refused": "2000-01-01`)), 0o600)
	lists.Store(0)
	for range 2 {
		if _, stderr, code := r.run("", "--force", next()); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	b, _ = os.ReadFile(state)
	var st rotate.State
	json.Unmarshal(b, &st)
	if n := lists.Load(); n != 1 || st.Keys["profile aws-mfa"].Key != rotate.Hash("AKIAALICEEXAMPLE0001") || strings.Contains(string(b), "AKIAALICE") {
		t.Errorf("%d lookups a week on; state %s", n, b)
	}
	if out, _, _ := r.run("", "status"); !strings.Contains(out, "aws-mfa (key ") {
		t.Errorf("status:\n%s", out)
	}
}

// TestRotateChained: a chained pair rotates its base's keys, and says so.
func TestRotateChained(t *testing.T) {
	t.Parallel()
	r := rotateRig(t)
	cfg := filepath.Join(r.env["XDG_CONFIG_HOME"], "aws-mfa", "config.toml")
	os.MkdirAll(filepath.Dir(cfg), 0o700)
	os.WriteFile(cfg, []byte("[pair.base]\nsource = \"aws-mfa\"\ntarget = \"default\"\n[pair.admin]\nsource_pair = \"base\"\ntarget = \"admin\"\nrole_arn = \"arn:aws:iam::123456789012:role/admin\"\n"), 0o600)
	_, stderr, code := r.run("", "rotate", "-p", "admin", "-t", "314159")
	if code != 0 || !strings.Contains(stderr, "pair admin is chained from pair base") || r.source().AccessKeyID == "AKIAALICEEXAMPLE0001" {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestRotateRefusesKeysFromDEFAULT: keys the source inherits, whole or in
// part, from [DEFAULT] are refused before IAM is asked: the new key would
// go to the source, and [DEFAULT] would keep the deleted one (and its
// secret) for every profile. The file stays as it was.
func TestRotateRefusesKeysFromDEFAULT(t *testing.T) {
	t.Parallel()
	for _, creds := range []string{
		"[DEFAULT]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\n[aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[other]\nregion = eu-west-1\n",
		"[DEFAULT]\naws_secret_access_key = alice/long+term/secret\n[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n",
		"[DEFAULT]\naws_access_key_id = AKIAALICEEXAMPLE0001\n[aws-mfa]\naws_secret_access_key = alice/long+term/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n",
	} {
		r := rotateRig(t)
		os.WriteFile(r.creds, []byte(creds), 0o600)
		_, stderr, code := r.run("", "rotate", "-t", "314159")
		if code != 2 || !strings.Contains(stderr, "[DEFAULT] in "+r.creds+" holds the key AKIA…0001, which every profile inherits; move it into [aws-mfa], then rotate") || r.emu.Requests() != 0 {
			t.Errorf("exit %d, %d requests: %s", code, r.emu.Requests(), stderr)
		}
		if got, _ := os.ReadFile(r.creds); string(got) != creds {
			t.Errorf("the file changed:\n%s", got)
		}
	}
}

// TestRotateWithoutCredentialsFile: no file is bad input (exit 2) with
// the next step, as for every command, and the dry run says the same.
func TestRotateWithoutCredentialsFile(t *testing.T) {
	t.Parallel()
	r := rotateRig(t)
	os.Remove(r.creds)
	for _, args := range [][]string{{"rotate", "-t", "314159"}, {"rotate", "--dry-run"}} {
		_, stderr, code := r.run("", args...)
		if code != 2 || !strings.Contains(stderr, "no credentials file at "+r.creds+", so no key to rotate; run `aws configure`") || r.emu.Requests() != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
}
