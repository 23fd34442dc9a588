package app

import (
	"os"
	"strings"
	"testing"
)

// TestKeyOfUncertainCaseIsRefused: a credentials file holding a key that
// Go and the AWS CLI's Python may lower-case differently is refused by
// every command that reads it, with one line and exit 2, before a code is
// spent, and is left byte for byte.
func TestKeyOfUncertainCaseIsRefused(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"aws_sess\u0130on_token", "aws_session_to\u212aen", "tokenΣ"} {
		creds := aliceProfile + key + " = x\n\n[default]\nregion = eu-west-1\n"
		r := newRig(t, creds)
		for _, args := range [][]string{{alice.Code}, {"env", "--shell", "bash", alice.Code}} {
			_, stderr, code := r.run("", args...)
			if code != ExitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "rename the key") {
				t.Errorf("%+q %q: exit %d, %q", key, args, code, stderr)
			}
			if got, _ := os.ReadFile(r.creds); string(got) != creds {
				t.Errorf("%+q %q: the file changed:\n%s", key, args, got)
			}
		}
		if r.emu.Requests() != 0 {
			t.Errorf("%+q: STS was called", key)
		}
	}
}
