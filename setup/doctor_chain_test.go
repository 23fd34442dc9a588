package setup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
)

// TestDoctorChainedTargetFixWorks: for a chained pair (no source profile)
// whose target holds the only copy of long-term keys, doctor's fix is a
// setup that names a real profile, and running it as printed leaves
// doctor nothing to fix for that pair.
func TestDoctorChainedTargetFixWorks(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(path, []byte("[aws-mfa]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = base\nmfa_serial = arn:aws:iam::123456789012:mfa/base\n"+
		"[prod]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret\n"), 0o600)
	os.WriteFile(cfg, []byte("[pair.prod]\nsource_pair = \"default\"\ntarget = \"prod\"\nrole_arn = \"arn:aws:iam::210987654321:role/admin\"\n"), 0o600)
	check := Checkup{Paths: credfile.Paths{Credentials: path}, Config: config.Location{Path: cfg}, Pair: "prod",
		Getenv: withRegion(nil), Now: time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)}
	var fix string
	for _, f := range Doctor(check) {
		if !f.OK {
			fix = f.Fix
		}
	}
	cmd, _, _ := strings.Cut(fix, " (")
	args := strings.Fields(cmd)
	if len(args) != 6 || args[0] != "aws-mfa" || args[1] != "setup" || args[2] != "--source" || args[3] == "''" || args[4] != "--target" || args[5] != "prod" {
		t.Fatalf("doctor's fix %q", fix)
	}
	// Run it as setup's command line would.
	req, out := setupFiles(t, "")
	req.Paths.Credentials, req.Source, req.Target = path, args[3], args[5]
	if _, err := Run(context.Background(), req, deps(&fakeDevices{serials: []string{"arn:aws:iam::123456789012:mfa/alice"}}, out)); err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	for _, f := range Doctor(check) {
		if !f.OK {
			t.Errorf("after %s: %+v", cmd, f)
		}
	}
}
