//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkPromptHook times 1,000 calls of the prompt hook against 1,000
// calls of an empty function in the same bash and zsh, with a session
// exported, and reports the hook's own cost per prompt.
func BenchmarkPromptHook(b *testing.B) {
	bin := toolBinary(nil)
	for _, sh := range []string{"bash", "zsh"} {
		b.Run(sh, func(b *testing.B) {
			dir := b.TempDir()
			hook, _, err := run(nil, peerEnv(dir), bin, "hook", sh)
			if err != nil {
				b.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "hook"), []byte(hook), 0o600)
			script := `source ` + dir + `/hook
export AWS_MFA_TARGET=default AWS_MFA_EXPIRY=$((EPOCHSECONDS + 7200))
empty() { :; }
t0=$EPOCHREALTIME; for ((i = 0; i < 1000; i++)); do _aws_mfa_hook; done
t1=$EPOCHREALTIME; for ((i = 0; i < 1000; i++)); do empty; done
t2=$EPOCHREALTIME
`
			// Elapsed microseconds: bash has no floats, zsh's clock has nine decimals.
			args := map[string][]string{
				"bash": {"--norc", "-c", script + `echo $(( ${t1/./} - ${t0/./} )) $(( ${t2/./} - ${t1/./} ))`},
				"zsh":  {"-f", "-c", "zmodload zsh/datetime; " + script + `printf "%.0f %.0f\\n" $(( (t1 - t0) * 1e6 )) $(( (t2 - t1) * 1e6 ))`},
			}[sh]
			hookUS, emptyUS := timePair(b, peerEnv(dir), 1000, sh, args...)
			b.ReportMetric(hookUS, "µs/hook-call")
			b.ReportMetric(emptyUS, "µs/empty-call")
		})
	}
}

// BenchmarkWrapper compares `aws-mfa env` through the bash wrapper with
// evaluating the binary's output directly, on the cached path.
func BenchmarkWrapper(b *testing.B) {
	bin := toolBinary(nil)
	dir := b.TempDir()
	exp := time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)
	os.WriteFile(filepath.Join(dir, "credentials"), []byte(aliceSource+"[default]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = "+exp+"\n"), 0o600)
	env := peerEnv(dir, "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
	script := `eval "$(aws-mfa hook bash)"
t0=$EPOCHREALTIME; for ((i = 0; i < 50; i++)); do aws-mfa env 2>/dev/null; done
t1=$EPOCHREALTIME; for ((i = 0; i < 50; i++)); do out=$("$_aws_mfa_bin" env --shell bash 2>/dev/null) && eval "$out"; done
t2=$EPOCHREALTIME
echo $(( (${t1/[.,]/} - ${t0/[.,]/}) )) $(( (${t2/[.,]/} - ${t1/[.,]/}) ))`
	wrapped, direct := timePair(b, env, 50, "bash", "--norc", "-c", script)
	b.ReportMetric(wrapped, "µs/wrapped")
	b.ReportMetric(direct, "µs/direct")
}

// timePair runs a shell script b.N times that prints two totals in
// microseconds, each over calls calls, and returns their means per call.
func timePair(b *testing.B, env []string, calls int, name string, args ...string) (first, second float64) {
	b.ResetTimer()
	for range b.N {
		out, stderr, err := run(nil, env, name, args...)
		if err != nil {
			b.Fatalf("%v %s", err, stderr)
		}
		f := strings.Fields(out)
		x, _ := strconv.ParseFloat(f[0], 64)
		y, _ := strconv.ParseFloat(f[1], 64)
		first += x / float64(calls)
		second += y / float64(calls)
	}
	return first / float64(b.N), second / float64(b.N)
}
