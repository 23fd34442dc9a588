package completion

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
	"github.com/aws-mfa/aws-mfa/shells"
)

// TestCompletionIsTheHooks: the completion file a package installs defines
// the very function the hook defines, so a shell that loads both keeps
// one; it lints as bash, and an unknown shell has none.
func TestCompletionIsTheHooks(t *testing.T) {
	for _, name := range Shells {
		code, err := Script(name)
		if err != nil {
			t.Fatal(err)
		}
		sh, _ := shells.Lookup(name)
		hook, err := sh.Hook("/opt/it's $HOME!/bin/aws-mfa", []string{"AWS_SESSION_TOKEN", "AWS_MFA_EXPIRY"})
		if err != nil {
			t.Fatal(err)
		}
		body := code
		if name == "zsh" { // the autoloaded file's own first and last lines
			body = strings.TrimPrefix(strings.TrimSuffix(code, "\n_aws_mfa_complete \"$@\"\n"), "#compdef aws-mfa\n\n")
		}
		if body == code && name == "zsh" || !strings.Contains(hook, body) || !strings.Contains(body, "_aws_mfa_complete") {
			t.Errorf("the %s hook does not hold its completion file", name)
		}
	}
	if _, err := Script("tcsh"); err == nil {
		t.Error("tcsh has a completion file")
	}
	code, _ := Script("bash")
	cmd := exec.Command(testproc.Require(t, "shellcheck"), "-s", "bash", "-")
	cmd.Stdin = strings.NewReader(code)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}
