package app

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkEnvCachedInProcess is a cached `aws-mfa env` inside the test
// process: the work after start-up (urfave/cli, config, read, print).
func BenchmarkEnvCachedInProcess(b *testing.B) {
	home := b.TempDir()
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	exp := time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(aliceProfile+"\n[default]\naws_access_key_id = ASIAALICESESSION0001\naws_secret_access_key = s\naws_session_token = t\nexpiration = "+exp+"\n"), 0o600)
	env := map[string]string{"HOME": home, "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1"}
	sys := System{Stdin: os.Stdin, Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }, Now: time.Now,
		IsTerminal: func(any) bool { return false }, ParentProcess: func() string { return "" }}
	for range b.N {
		if rc := Run([]string{"aws-mfa", "env", "--shell", "bash"}, sys); rc != 0 {
			b.Fatal(rc)
		}
	}
}
