//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

// TestCodeOnceAcrossProcesses: processes given one code at once send it
// once between them, and the others are refused (exit 2) before any
// request; a refresh later in the step is refused too. The next code
// works, and its session is what the AWS CLI reads, with its MFA time
// in the state directory, private, and not in the credentials file.
// The AWS CLI's own library, botocore, reads it and calls STS with it,
// in the shared peer: TestMoto runs both CLIs on a session aws-mfa wrote.
func TestCodeOnceAcrossProcesses(t *testing.T) {
	t.Parallel()
	emu, bin, dir, creds := faultRig(t, aliceSource, 0o600)
	state := filepath.Join(dir, "recorded")
	env := peerEnv(dir, "AWS_ENDPOINT_URL_STS="+emu.URL, "XDG_STATE_HOME="+state)

	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for range 4 {
		wg.Go(func() {
			_, stderr, err := run(t, env, bin, "env", "--no-write", "314159")
			mu.Lock()
			defer mu.Unlock()
			codes[exitCode(err)]++
			if err != nil && !strings.Contains(stderr, "this MFA code was already used") {
				t.Errorf("exit %d: %s", exitCode(err), stderr)
			}
		})
	}
	wg.Wait()
	if codes[0] != 1 || codes[2] != 3 || emu.Requests() != 1 {
		t.Fatalf("exit codes %v, %d requests", codes, emu.Requests())
	}
	if _, stderr, err := run(t, env, bin, "314159"); exitCode(err) != 2 || emu.Requests() != 1 || read(creds) != aliceSource {
		t.Fatalf("a refresh with the used code: exit %d, %d requests: %s", exitCode(err), emu.Requests(), stderr)
	}

	emu.SetCode(alice.AccessKeyID, "271828")
	if _, stderr, err := run(t, env, bin, "271828"); err != nil {
		t.Fatalf("the next code: %v: %s", err, stderr)
	}
	if out, stderr, err := run(t, env, bin, "status"); err != nil || !strings.Contains(out, ", MFA under a minute ago") {
		t.Errorf("status: %v:\n%s%s", err, out, stderr)
	}
	for _, f := range []string{state, filepath.Join(state, "aws-mfa"), filepath.Join(state, "aws-mfa", "codes"), filepath.Join(state, "aws-mfa", "mfa")} {
		if st, err := os.Stat(f); err != nil || st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	out, traceback, err := peers.StartBotocore(t).Run(peerEnv(dir), dir, `import sys, botocore.session
c = botocore.session.Session(profile="default").create_client("sts", endpoint_url=sys.argv[1], region_name="us-east-1")
print(c.get_caller_identity()["Arn"])`, emu.URL)
	if err != nil || traceback != "" || !strings.Contains(out, "arn:aws:") {
		t.Errorf("botocore with the session: %q %v %s", out, err, traceback)
	}
}

func read(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}
