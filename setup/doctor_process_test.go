package setup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// TestDoctorFindsAMissingCredentialProcess: a credential_process whose
// program is not there (aws-mfa moved since setup wrote its path, with a
// space in it, or a bare name not on PATH) is a finding with its fix;
// one that is there is not.
func TestDoctorFindsAMissingCredentialProcess(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	there := filepath.Join(dir, "bin dir", "aws-mfa")
	os.MkdirAll(filepath.Dir(there), 0o700)
	testproc.WriteExecutable(there, []byte("#!/bin/sh\n"), 0o700)
	gone := filepath.Join(dir, "old dir", "aws-mfa")
	there1, _ := ProcessLine("linux", there, "env", "--format", "json", "-p", "ok")
	gone1, _ := ProcessLine("linux", gone, "env", "--format", "json", "-p", "prod")
	awsConfig := filepath.Join(dir, "config")
	os.WriteFile(awsConfig, []byte("[profile ok]\ncredential_process = "+there1+"\n[profile prod]\ncredential_process = "+gone1+"\n[profile bare]\ncredential_process = no-such-program-anywhere --x\n[profile sh]\ncredential_process = sh -c true\n"), 0o600)
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte("[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"), 0o600)
	findings := Doctor(Checkup{
		Paths:      credfile.Paths{Credentials: creds, Config: awsConfig},
		Config:     config.Location{Path: filepath.Join(dir, "none.toml")},
		Getenv:     func(string) string { return "" },
		Now:        time.Now(),
		Executable: there,
	})
	var bad []string
	for _, f := range findings {
		if !f.OK && strings.Contains(f.What, "credential_process") {
			bad = append(bad, f.What+" → "+f.Fix)
		}
	}
	if len(bad) != 2 || !strings.Contains(bad[0], "[profile prod] in "+awsConfig+" runs "+gone+" as its credential_process, which is not there or cannot run → replace "+gone+" in the line with aws-mfa's path now, "+there) || !strings.Contains(bad[1], "[profile bare]") {
		t.Errorf("findings:\n%s", strings.Join(bad, "\n"))
	}
}
