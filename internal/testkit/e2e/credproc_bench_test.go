//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkCredentialProcess runs the cached credential_process path (a
// chained pair's session still valid in the file: no code, no network)
// against an empty Go program.
//
//	go test -run '^$' -bench CredentialProcess -benchtime 300x ./internal/testkit/e2e
func BenchmarkCredentialProcess(b *testing.B) {
	home := b.TempDir()
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	os.MkdirAll(filepath.Join(home, ".config", "aws-mfa"), 0o700)
	os.WriteFile(filepath.Join(home, ".config", "aws-mfa", "config.toml"), []byte(chainConfig), 0o600)
	exp := time.Now().Add(50 * time.Minute).UTC().Format(time.RFC3339)
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(aliceSource+`
[prod-session]
aws_access_key_id = ASIAALICESESSION0001
aws_secret_access_key = session/secret
aws_session_token = FwoGZXIvYXdzEJr//////////wEaDExampleToken==
expiration = `+exp+"\n"), 0o600)
	versusEmpty(b, home, "credential-process", "env", "--format", "json", "-p", "prod")
}
