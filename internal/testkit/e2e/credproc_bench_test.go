//go:build unix

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkCredentialProcess runs the cached credential_process path (a
// chained pair's session still valid in the file: no code, no network)
// and an empty Go program built the same way, interleaved, and reports
// the median as a ratio to the empty program's, like BenchmarkStartup.
func BenchmarkCredentialProcess(b *testing.B) {
	empty := b.TempDir()
	os.WriteFile(filepath.Join(empty, "go.mod"), []byte("module empty\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(empty, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	emptyBin := build(b, empty, "empty")
	tool := build(b, moduleRoot, "aws-mfa")

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
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_ENDPOINT_URL_STS=http://127.0.0.1:1"}
	runs := map[string][]string{
		"empty":              {emptyBin},
		"credential-process": {tool, "env", "--format", "json", "-p", "prod"},
	}
	times := map[string][]time.Duration{}
	b.ResetTimer()
	for range b.N {
		for name, argv := range runs {
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Env = env
			start := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%s: %v %s", name, err, out)
			}
			times[name] = append(times[name], time.Since(start))
		}
	}
	b.StopTimer()
	base := median(times["empty"])
	b.ReportMetric(float64(base.Microseconds()), "µs-empty")
	b.ReportMetric(float64(median(times["credential-process"]).Microseconds()), "µs-credential-process")
	b.ReportMetric(float64(median(times["credential-process"]))/float64(base), "x-empty-credential-process")
}
