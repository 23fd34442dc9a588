package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCachedEnvTouchesOnlyItsFiles traces, with strace, the files a cached
// `aws-mfa env` opens or stats: past what the runtime, the dynamic loader
// and the system read, only the config and the credentials file (the
// source and target profiles have their region, so the AWS config is
// not needed). Every
// other file is start-up time on every prompt that loads a session
// (urfave/cli, for one, stats its own binary to fill a field it never
// shows).
func TestCachedEnvTouchesOnlyItsFiles(t *testing.T) {
	t.Parallel()
	strace := requireTool(t, "strace")
	bin := toolBinary(t)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	exp := time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)
	os.WriteFile(creds, []byte("[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n\n[default]\naws_access_key_id = ASIAALICESESSION0001\naws_secret_access_key = session/secret\naws_session_token = token\nregion = eu-west-1\nexpiration = "+exp+"\n"), 0o600)
	log := filepath.Join(dir, "strace.log")
	cmd := exec.Command(strace, "-f", "-qq", "-e", "trace=%file", "-o", log, bin, "env", "--shell", "bash")
	cmd.Env = peerEnv(dir, "AWS_ENDPOINT_URL_STS=http://127.0.0.1:1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{creds: true, filepath.Join(dir, ".config", "aws-mfa", "config.toml"): true}
	seen := 0
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.Contains(l, "execve(") {
			continue // the exec of the binary itself
		}
		_, rest, ok := strings.Cut(l, `"`)
		if !ok {
			continue
		}
		path, _, _ := strings.Cut(rest, `"`)
		switch {
		case path == "":
			// fstat of an open file (AT_EMPTY_PATH)
		case want[path]:
			seen++
		case strings.HasPrefix(path, "/proc/"), strings.HasPrefix(path, "/sys/"), strings.HasPrefix(path, "/etc/"),
			strings.HasPrefix(path, "/lib"), strings.HasPrefix(path, "/usr/lib"):
			// the runtime, the dynamic loader and the system
		default:
			t.Errorf("a cached env touches %s:\n%s", path, l)
		}
	}
	if seen == 0 {
		t.Fatalf("the trace shows neither the config nor the credentials file:\n%s", data)
	}
}
