package setup

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/stsemu"
)

// TestAWSDevicesAgainstTheEmulator runs the real lookup (GetCallerIdentity,
// then ListMFADevices for that user) against the in-process emulator, whose
// IAM checks each request's signature, for zero, one and several devices.
func TestAWSDevicesAgainstTheEmulator(t *testing.T) {
	for name, devices := range map[string][]string{
		"none":    {},
		"one":     {"arn:aws:iam::123456789012:mfa/phone"},
		"several": {"arn:aws:iam::123456789012:mfa/phone", "arn:aws:iam::123456789012:mfa/yubikey"},
	} {
		t.Run(name, func(t *testing.T) {
			emu := stsemu.Start(stsemu.User{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret", Devices: devices})
			defer emu.Close()
			a := AWS{Region: "us-east-1", STSURL: emu.URL, IAMURL: emu.URL, Timeout: 5 * time.Second}
			got, err := a.List(context.Background(), exporter.Keys{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret"})
			if err != nil || len(got) != len(devices) {
				t.Fatalf("%v %v", got, err)
			}
			for i := range got {
				if got[i] != devices[i] {
					t.Errorf("%v", got)
				}
			}
			calls := emu.Calls()
			if len(calls) != 2 || calls[1].Params.Get("UserName") != "alice" {
				t.Errorf("calls %+v", calls)
			}

			// The whole of setup with it: none stops, one is used.
			req, out := setupFiles(t, afterConfigure)
			_, err = Run(context.Background(), req, Deps{Devices: a, Out: out, Now: time.Now})
			if len(devices) == 0 {
				if err == nil {
					t.Fatal("no device, yet setup went on")
				}
				if b, _ := os.ReadFile(req.Paths.Credentials); string(b) != afterConfigure {
					t.Error("file changed")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("wrong keys", func(t *testing.T) {
		emu := stsemu.Start(stsemu.User{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret"})
		defer emu.Close()
		a := AWS{Region: "us-east-1", STSURL: emu.URL, IAMURL: emu.URL, Timeout: 5 * time.Second}
		if _, err := a.List(context.Background(), exporter.Keys{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "wrong"}); err == nil {
			t.Fatal("wrong secret accepted")
		}
	})
}
