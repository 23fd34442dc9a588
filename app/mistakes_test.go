package app

import (
	"os"
	"strings"
	"testing"
)

// TestExecWithoutDashes: a code where the command should be is not
// looked for in PATH; the error shows the form, and STS is never asked.
func TestExecWithoutDashes(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	for _, args := range [][]string{
		{"exec", "123456"},
		{"exec", "123 456"},
		{"exec", "123456", "true"},
		{"exec", "-t", "123456"},
		{"exec", "no-such-command-here"},
	} {
		_, stderr, code := r.run("", args...)
		if code != ExitUsage || !strings.Contains(stderr, "aws-mfa exec [-t CODE] -- COMMAND") || strings.Contains(stderr, `"123456" not found`) {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
	if r.emu.Requests() != 0 {
		t.Error("STS was asked")
	}
	if b, _ := os.ReadFile(r.creds); string(b) != aliceProfile {
		t.Error("the file changed")
	}
}
