package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// maxEnvRatio guards the cached env: it may take up to this many times an
// empty Go program's start. A guard, not a target.
const maxEnvRatio = 3.0

// BenchmarkCachedEnv runs a cached `aws-mfa env` (a session still valid
// in the file: no code, no network) against an empty Go program, and
// fails past maxEnvRatio.
//
//	go test -run '^$' -bench CachedEnv -benchtime 300x ./internal/testkit/e2e
func BenchmarkCachedEnv(b *testing.B) {
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
	if r := versusEmpty(b, home, "env", "env", "--shell", "bash"); r > maxEnvRatio {
		b.Errorf("a cached env takes %.1f times an empty Go program; at most %.1f", r, maxEnvRatio)
	}
}

// versusEmpty builds aws-mfa and an empty Go program the README's way,
// runs aws-mfa with args and HOME=home interleaved with the empty program
// b.N times (so that the machine's load weighs on both alike), reports
// both medians, and returns aws-mfa's as a multiple of the empty one's.
func versusEmpty(b *testing.B, home, name string, args ...string) float64 {
	empty := b.TempDir()
	os.WriteFile(filepath.Join(empty, "go.mod"), []byte("module empty\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(empty, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	runs := map[string][]string{"empty": {build(b, empty)}, name: append([]string{build(b, moduleRoot)}, args...)}
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_ENDPOINT_URL_STS=http://127.0.0.1:1"}
	times := map[string][]time.Duration{}
	b.ResetTimer()
	for range b.N {
		for n, argv := range runs {
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Env = env
			start := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%s: %v %s", n, err, out)
			}
			times[n] = append(times[n], time.Since(start))
		}
	}
	b.StopTimer()
	base, own := median(times["empty"]), median(times[name])
	b.ReportMetric(float64(base.Microseconds()), "µs-empty")
	b.ReportMetric(float64(own.Microseconds()), "µs-"+name)
	b.ReportMetric(float64(own)/float64(base), "x-empty-"+name)
	return float64(own) / float64(base)
}

// build builds the main package in dir as the README does: a static
// binary without urfave/cli's man-page generator.
func build(b *testing.B, dir string) string {
	bin := filepath.Join(b.TempDir(), "bin")
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "urfave_cli_no_docs", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build %s: %v\n%s", dir, err, out)
	}
	return bin
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
