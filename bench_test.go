package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// buildFlags are the release build's: a static binary without urfave/cli's
// man-page generator, which costs start-up time and is never used.
var buildFlags = []string{"build", "-trimpath", "-tags", "urfave_cli_no_docs", "-o"}

func build(b *testing.B, dir, out string) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), out)
	cmd := exec.Command("go", append(buildFlags, bin, ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build %s: %v\n%s", dir, err, out)
	}
	return bin
}

// BenchmarkStartup runs the cached paths (a session still valid in the
// file: no code, no network) and an empty Go program built the same way,
// interleaved, and reports each median as a ratio to the empty program's.
func BenchmarkStartup(b *testing.B) {
	empty := b.TempDir()
	os.WriteFile(filepath.Join(empty, "go.mod"), []byte("module empty\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(empty, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	emptyBin := build(b, empty, "empty")
	tool := build(b, ".", "aws-mfa")

	home := b.TempDir()
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	exp := time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(`[aws-mfa]
aws_access_key_id = AKIAALICEEXAMPLE0001
aws_secret_access_key = alice/long+term/secret
mfa_serial = arn:aws:iam::123456789012:mfa/alice
region = eu-west-1

[default]
aws_access_key_id = ASIAALICESESSION0001
aws_secret_access_key = session/secret
aws_session_token = FwoGZXIvYXdzEJr//////////wEaDExampleToken==
expiration = `+exp+"\n"), 0o600)
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_ENDPOINT_URL_STS=http://127.0.0.1:1"}

	runs := map[string][]string{
		"empty":   {emptyBin},
		"env":     {tool, "env", "--shell", "bash"},
		"refresh": {tool},
	}
	times := map[string][]time.Duration{}
	b.ResetTimer()
	for range b.N {
		for name, argv := range runs {
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Env = env
			start := time.Now()
			if err := cmd.Run(); err != nil {
				b.Fatalf("%s: %v", name, err)
			}
			times[name] = append(times[name], time.Since(start))
		}
	}
	b.StopTimer()
	base := median(times["empty"])
	b.ReportMetric(float64(base.Microseconds()), "µs-empty")
	b.ReportMetric(float64(median(times["env"]))/float64(base), "x-empty-env")
	b.ReportMetric(float64(median(times["refresh"]))/float64(base), "x-empty-refresh")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
