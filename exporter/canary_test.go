package exporter

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/quick"

	"github.com/aws-mfa/aws-mfa/internal/testkit/credgen"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
)

// canary has a space, so no key id, serial or region that --verbose may
// show can be it.
const canary = "CANARY q7Zx"

// TestErrorsNeverQuoteTheFiles plants a canary in every kind of place of
// generated credentials files (values of every key, comments,
// continuation lines, [DEFAULT]) and of the config file, and in a
// multi-line mfa_serial followed by another profile's secret; then drives
// refreshes through every STS fault with --verbose on. No error and no
// verbose line may carry the canary.
func TestErrorsNeverQuoteTheFiles(t *testing.T) {
	t.Parallel() // its own files and emulators; botocore answers under a lock
	r := rand.New(rand.NewPCG(3, 4))
	faults := []stsemu.Fault{stsemu.None, stsemu.WrongCode, stsemu.ExpiredToken, stsemu.Throttling, stsemu.ServerError, stsemu.Garbage, stsemu.SessionCreds, stsemu.RegionRefused}
	var files []string
	for range 200 {
		files = append(files, string(credgen.File(r, credgen.Options{
			Target: "default", Source: "aws-mfa", Default: true, Canary: canary,
			Keys: [3]string{alice.AccessKeyID, alice.SecretAccessKey, alice.Serial},
		})))
	}
	files = append(files,
		"[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n  aws_secret_access_key = "+canary+"\n",
		"[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nmfa_serial = "+canary+"\n",
		"[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nmfa_serial =\n  x = "+canary+"\n",
		"[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\n",
		"[default]\naws_access_key_id = "+canary+"\naws_secret_access_key = "+canary+"\n[aws-mfa]\nmfa_serial = "+canary+"\n",
		"[aws-mfa]\nk = "+canary+"\n\x01\n",
		"[aws-mfa]\nk = "+canary+"\n[aws-mfa]\n",
	)
	configs := []string{
		"",
		"[profile aws-mfa]\nmfa_serial = " + canary + "\nregion = " + canary + "\n",
		"[profile aws-mfa]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n  " + canary + "\n",
		"[profile aws-mfa]\n" + canary + "\n",
	}
	errs, runs := 0, 0
	for i, content := range files {
		if testing.Short() && i < 200 && i%5 != 0 {
			continue // the inner loop reads every fifth generated file; the full tier all
		}
		runs++
		fx := setup(t, content)
		fx.sts.SetFault(faults[i%len(faults)])
		if cfg := configs[i%len(configs)]; cfg != "" {
			os.WriteFile(fx.req.Paths.Config, []byte(cfg), 0o600)
		}
		var log bytes.Buffer
		fx.deps.Log = &log
		fx.req.Force = i%3 == 0
		_, err := Obtain(context.Background(), fx.req, fx.deps)
		if err != nil {
			errs++
			if strings.Contains(err.Error(), canary) {
				t.Errorf("error quotes the file: %v\nfile:\n%s", err, content)
			}
		}
		if strings.Contains(log.String(), canary) {
			t.Errorf("--verbose quotes the file: %s", log.String())
		}
		os.Remove(filepath.Join(filepath.Dir(fx.path), "config"))
	}
	if errs < runs/4 {
		t.Fatalf("only %d of %d runs failed: too few error paths reached", errs, runs)
	}
}

// TestMaskKeyShowsOnlyKeyIDs: a key id value that runs into other lines or
// holds anything but letters and digits is not shown at all.
func TestMaskKeyShowsOnlyKeyIDs(t *testing.T) {
	for id, want := range map[string]string{
		"AKIAIOSFODNN7EXAMPLE":     "AKIA…MPLE",
		"AKIA1234":                 "…",
		"AKIAIOSFODNN7\n[x]\nsecr": "…",
		"a ; b = v xxxx":           "…",
		"2026-11-27T15:00:00Z":     "…",
		"AKIAIOSFODNN7EXAMPLé":     "…",
		// A secret key pasted into aws_access_key_id: letters and
		// digits, but not a key id's shape.
		"wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY0": "…",
		"wJalrXUtnFEMIK7MDENG":                    "…",
		"AKIAIOSFODNN7EXAMPLE0":                   "…",
		"akiaiosfodnn7example":                    "…",
		"ASIAIOSFODNN7EXAMPLE":                    "ASIA…MPLE",
	} {
		if got := MaskKey(id); got != want {
			t.Errorf("MaskKey(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestMaskKeyProperty: for any value, MaskKey shows its ends only when it
// is an access key id's shape, and then only 4 and 4 characters.
func TestMaskKeyProperty(t *testing.T) {
	shape := regexp.MustCompile(`^(AKIA|ASIA)[A-Z0-9]{16}$`)
	const valid, invalid = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "az/+=\n é"
	check := func(seed []byte, keyLike bool) bool {
		var b strings.Builder
		if keyLike { // mostly key ids, some a character off
			b.WriteString([]string{"AKIA", "ASIA", "AKIB", "akia", "AKIA", "ASIA"}[int(seed[0]%6)])
			seed = seed[1:]
		}
		for _, c := range seed {
			if c < 250 {
				b.WriteByte(valid[int(c)%len(valid)])
			} else {
				b.WriteString(string([]rune(invalid)[int(c)%len([]rune(invalid))]))
			}
		}
		id := b.String()
		got := MaskKey(id)
		if shape.MatchString(id) {
			return got == id[:4]+"…"+id[16:]
		}
		return got == "…"
	}
	f := func(seed []byte) bool { return len(seed) == 0 || check(seed, false) }
	g := func(seed [17]byte) bool { return check(seed[:], true) }
	if err := quick.Check(f, nil); err != nil {
		t.Error(err)
	}
	if err := quick.Check(g, &quick.Config{MaxCount: 2000}); err != nil {
		t.Error(err)
	}
}
