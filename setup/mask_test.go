package setup

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/credfile"
)

// TestDryRunMasksEveryCanary plants a distinct canary, shaped like a real
// secret or token, in every position a secret can take in a credentials
// file (each secret key in each spelling, continuation lines, [DEFAULT],
// other profiles, commented-out keys, bare secrets in comments, CRLF) and
// checks that the dry run's diff shows none of them, and every section
// header as it is.
func TestDryRunMasksEveryCanary(t *testing.T) {
	n := 0
	canary := func() string {
		n++
		return fmt.Sprintf("CANARY%03dwJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", n)[:40]
	}
	var planted []string
	plant := func() string {
		c := canary()
		planted = append(planted, c)
		return c
	}
	var b strings.Builder
	b.WriteString("# from aws configure\n[default]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n")
	sections := 0
	for _, key := range []string{"aws_secret_access_key", "aws_session_token", "aws_security_token", "AWS_SESSION_TOKEN", "Aws_Secret_Access_Key"} {
		for _, sep := range []string{" = ", "=", ": ", ":", "   =   ", "\t=\t"} {
			sections++
			fmt.Fprintf(&b, "[p%d]\naws_access_key_id = AKIAOTHER%011d\n%s%s%s\n", sections, sections, key, sep, plant())
			// A value on continuation lines, a blank line among them.
			sections++
			fmt.Fprintf(&b, "[p%d]\n%s%s%s\n  %s\n\n\t%s\n", sections, key, sep, plant(), plant(), plant())
			// Commented out, with and without spaces; a bare secret in a comment.
			fmt.Fprintf(&b, "#%s%s%s\n;%s%s%s\n  # %s%s%s\n# %s\n", key, sep, plant(), key, sep, plant(), key, sep, plant(), plant())
		}
	}
	// An empty token followed by a header: the header stays.
	b.WriteString("[empty]\naws_session_token =\n[after-empty]\nAWS_SECURITY_TOKEN:\n[after-colon]\n[DEFAULT]\naws_secret_access_key = " + plant() + "\naws_session_token = " + plant() + "\n  " + plant() + "\n")
	// A known secret repeated in another key.
	b.WriteString("[reuse]\nnote = " + planted[0] + "\n")
	for _, eol := range []string{"\n", "\r\n"} {
		creds := strings.ReplaceAll(b.String(), "\n", eol)
		f, err := credfile.Parse([]byte(creds))
		if err != nil {
			t.Fatalf("the test's file does not parse: %v", err)
		}
		req, out := setupFiles(t, creds)
		req.DryRun = true
		req.Serial = "arn:aws:iam::123456789012:mfa/alice"
		if _, err := Run(context.Background(), req, deps(&fakeDevices{}, out)); err != nil {
			t.Fatal(err)
		}
		diff := out.String()
		for _, c := range append(planted, "alice/secret") {
			if strings.Contains(diff, c) {
				t.Errorf("eol %q: the dry run shows %s:\n%s", eol, c, diff)
			}
		}
		// The diff's context shows the file around the change; mask itself
		// must keep every header of the whole file.
		masked := string(mask([]byte(creds)))
		for _, s := range f.Sections() {
			line := strings.Split(creds, "\n")[s.HeaderLine()]
			if !strings.Contains(masked, line) {
				t.Errorf("eol %q: the header %q was masked", eol, line)
			}
		}
		if strings.Contains(masked, "CANARY") || strings.Contains(masked, "alice/secret") {
			t.Errorf("eol %q: mask leaves a canary:\n%s", eol, masked)
		}
		if !strings.Contains(masked, "aws_access_key_id = AKIA…0001") {
			t.Errorf("eol %q: key id not shortened", eol)
		}
	}
}

// TestMaskUnparsed: a file the parser refuses (the dry run's diff of a
// TOML config, say) is masked by its look alone, headers kept.
func TestMaskUnparsed(t *testing.T) {
	in := "\xef\xbb\xbf[a]\naws_secret_access_key = CANARY01\n# CANARY02wJalrXUtnFEMI/K7MDENG\nkey = AKIAALICEEXAMPLE0001\n[pair.x]\n"
	got := string(mask([]byte(in)))
	want := "\xef\xbb\xbf[a]\naws_secret_access_key = ****\n# ****\nkey = AKIA…0001\n[pair.x]\n"
	if got != want {
		t.Errorf("mask = %q, want %q", got, want)
	}
}
