package completion

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
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

// TestWrite writes the release's files twice, byte for byte the same: the
// completions as Script makes them, and the man page gzipped as man reads
// it (app's TestMan checks what the page says).
func TestWrite(t *testing.T) {
	const man = ".TH aws-mfa 1\n.SH env\n"
	a, b := t.TempDir(), t.TempDir()
	if err := Write(a, man); err != nil {
		t.Fatal(err)
	}
	if err := Write(b, man); err != nil {
		t.Fatal(err)
	}
	for name, shell := range Files {
		got, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := os.ReadFile(filepath.Join(b, name)); !bytes.Equal(got, again) {
			t.Errorf("%s differs from one run to the next", name)
		}
		if shell != "" {
			if want, _ := Script(shell); string(got) != want {
				t.Errorf("%s is not the %s completion", name, shell)
			}
			continue
		}
		z, err := gzip.NewReader(bytes.NewReader(got))
		if err != nil {
			t.Fatal(err)
		}
		if page, err := io.ReadAll(z); err != nil || string(page) != man {
			t.Errorf("%s gunzips to %q, %v; want the man page", name, page, err)
		}
	}
}
