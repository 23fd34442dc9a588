package exporter

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
)

// TestKeyringSource: with Request.Keyring the keys come from Deps.Keyring,
// which is called only when STS is, and before the code is asked for.
func TestKeyringSource(t *testing.T) {
	aliceKeys := awscred.Keys{AccessKeyID: alice.AccessKeyID, SecretAccessKey: alice.SecretAccessKey}
	valid := now.Add(time.Hour).Format(time.RFC3339)
	cases := []struct {
		name      string
		file      string
		serial    string
		force     bool
		keys      awscred.Keys
		keyErr    error
		reads     int    // calls to Deps.Keyring
		asks      int    // codes asked for
		wantErr   string // "" for success
		wantCache bool
	}{
		{name: "cached session, no keyring access", file: "[aws-mfa]\nmfa_serial = " + alice.Serial + "\n[default]\naws_access_key_id = ASIAX\naws_secret_access_key = s\naws_session_token = t\nexpiration = " + valid + "\n", keyErr: errors.New("must not be called"), wantCache: true},
		{name: "refresh reads the keyring once", file: "[aws-mfa]\nmfa_serial = " + alice.Serial + "\n", keys: aliceKeys, reads: 1, asks: 1},
		{name: "forced refresh reads it", file: "[aws-mfa]\nmfa_serial = " + alice.Serial + "\n[default]\naws_access_key_id = ASIAX\naws_secret_access_key = s\naws_session_token = t\nexpiration = " + valid + "\n", force: true, keys: aliceKeys, reads: 1, asks: 1},
		{name: "no source profile, serial from the config", file: "# empty\n", serial: alice.Serial, keys: aliceKeys, reads: 1, asks: 1},
		{name: "keys in both places: the keyring's win", file: "[aws-mfa]\naws_access_key_id = AKIAWRONG00000000000\naws_secret_access_key = wrong\nmfa_serial = " + alice.Serial + "\n", keys: aliceKeys, reads: 1, asks: 1},
		{name: "keyring error before the code is asked", file: "[aws-mfa]\nmfa_serial = " + alice.Serial + "\n", keyErr: errors.New("Secret Service is locked"), reads: 1, wantErr: "Secret Service is locked"},
		{name: "session keys in the keyring", file: "[aws-mfa]\nmfa_serial = " + alice.Serial + "\n", keys: awscred.Keys{AccessKeyID: "ASIAALICEEXAMPLE0001", SecretAccessKey: "s"}, reads: 1, wantErr: "keyring item alice holds session credentials (ASIA…0001)"},
		{name: "no serial anywhere", file: "# empty\n", keyErr: errors.New("must not be called"), wantErr: "no mfa_serial for [aws-mfa]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := setup(t, tc.file)
			fx.req.Keyring, fx.req.Serial, fx.req.Force = "alice", tc.serial, tc.force
			reads := 0
			fx.deps.Keyring = func(item string) (awscred.Keys, error) {
				reads++
				if item != "alice" {
					t.Errorf("item %q", item)
				}
				return tc.keys, tc.keyErr
			}
			res, err := Obtain(context.Background(), fx.req, fx.deps)
			if reads != tc.reads || fx.asks != tc.asks {
				t.Errorf("keyring read %d times, code asked %d times; want %d, %d", reads, fx.asks, tc.reads, tc.asks)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Cached != tc.wantCache {
				t.Errorf("cached %v", res.Cached)
			}
			if !tc.wantCache && fx.sts.Calls()[0].Params.Get("SerialNumber") != alice.Serial {
				t.Errorf("STS call %+v", fx.sts.Calls())
			}
		})
	}
}
