package setup

import (
	"cmp"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/testkit/stsemu"
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
			got, err := a.List(context.Background(), awscred.Keys{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret"})
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
		if _, err := a.List(context.Background(), awscred.Keys{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "wrong"}); err == nil {
			t.Fatal("wrong secret accepted")
		}
	})
}

// TestAWSDevicesErrorsNameTheirCall: a failure of IAM ListMFADevices is
// reported as IAM's, a bad region before anything is sent, and endpoint
// URLs without their user:password@.
func TestAWSDevicesErrorsNameTheirCall(t *testing.T) {
	t.Parallel() // own emulators; IAM throttled waits out the SDK's retry back-off
	keys := awscred.Keys{AccessKeyID: "AKIAALICEEXAMPLE0001", SecretAccessKey: "alice/secret"}
	for _, tc := range []struct {
		name   string
		action string // "" for every call
		fault  stsemu.Fault
		region string
		devs   []string
		input  bool
		want   string
	}{
		{name: "iam denied", action: "ListMFADevices", fault: stsemu.Denied, want: "list MFA devices: access denied by IAM ListMFADevices: User: arn:aws:iam::123456789012:user/alice is not authorized to perform this action; check that the IAM user's policies allow iam:ListMFADevices; or pass --serial ARN"},
		{name: "iam throttled", action: "ListMFADevices", fault: stsemu.Throttling, want: "IAM is throttling requests (Throttling)"},
		{name: "iam closed", action: "ListMFADevices", fault: stsemu.Close, want: "list MFA devices: IAM at http://127.0.0.1:"},
		{name: "iam huge", action: "ListMFADevices", fault: stsemu.HugeError, want: "IAM at http://127.0.0.1:"},
		{name: "sts denied", action: "GetCallerIdentity", fault: stsemu.Denied, want: "identify the keys: access denied by STS GetCallerIdentity"},
		{name: "sts reset", action: "GetCallerIdentity", fault: stsemu.Reset, want: "identify the keys: STS at http://127.0.0.1:"},
		{name: "region with spaces", region: "eu west 1", input: true, want: "AWS_REGION or AWS_DEFAULT_REGION: region has a space"},
		{name: "serial with a line break", devs: []string{"arn:aws:iam::123456789012:mfa/x\n[default]"}, want: "listed a device whose mfa_serial has a control character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			emu := stsemu.Start(stsemu.User{AccessKeyID: keys.AccessKeyID, SecretAccessKey: keys.SecretAccessKey, Serial: "arn:aws:iam::123456789012:mfa/phone", Devices: tc.devs})
			defer emu.Close()
			emu.SetActionFault(tc.action, tc.fault)
			url := strings.Replace(emu.URL, "http://", "http://Us3r:Pa55@", 1)
			a := AWS{Source: "aws-mfa", Region: cmp.Or(tc.region, "us-east-1"), STSURL: url, IAMURL: url, Timeout: 5 * time.Second}
			_, err := a.List(context.Background(), keys)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "by STS") != strings.HasPrefix(tc.name, "sts") && strings.Contains(err.Error(), "access denied") {
				t.Errorf("wrong service: %v", err)
			}
			if strings.Contains(err.Error(), "Us3r") || strings.Contains(err.Error(), "Pa55") || strings.Contains(err.Error(), "\n") {
				t.Errorf("userinfo or a line break shown: %q", err)
			}
			if errors.Is(err, inputerr.Err) != tc.input {
				t.Errorf("input error = %v", errors.Is(err, inputerr.Err))
			}
			if tc.input && emu.Requests() != 0 {
				t.Errorf("%d requests sent", emu.Requests())
			}
		})
	}
}
