package setup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// TestProcessLineRunsUnderBotocore: botocore, as the AWS CLI runs it,
// splits the credential_process line setup writes back into aws-mfa's
// path and arguments and runs it, for paths with spaces, quotes and
// shell characters; its shlex agrees word for word.
func TestProcessLineRunsUnderBotocore(t *testing.T) {
	t.Parallel()
	b := peers.StartBotocore(t)
	argv := []string{"env", "--format", "json", "--config", "/home/a b/it's.toml", "-p", "prod"}
	var lines []string
	for _, dir := range []string{"plain", "with space", `it's "quoted"`, "$(touch x) `y` \\z;#%", "a ;b #c"} {
		bin := filepath.Join(t.TempDir(), dir, "aws-mfa")
		os.MkdirAll(filepath.Dir(bin), 0o700)
		script := "#!/bin/sh\n[ \"$*\" = \"" + strings.Join(argv, " ") + "\" ] || exit 3\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESS000000001\", \"SecretAccessKey\": \"s\"}'\n"
		if err := testproc.WriteExecutable(bin, []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
		line, err := ProcessLine("linux", append([]string{bin}, argv...)...)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
		view := b.ReadWithConfig(t, []byte{}, []byte("[profile prod]\ncredential_process = "+line+"\n"), "prod")
		if view.TargetError != "method custom-process" {
			t.Errorf("botocore did not run %q: %q", line, view.TargetError)
		}
		if words := b.Shlex(t, []string{line})[0]; strings.Join(words, "\x00") != strings.Join(append([]string{bin}, argv...), "\x00") {
			t.Errorf("shlex splits %q as %q", line, words)
		}
	}
	if lines[0] != lines[0][:strings.Index(lines[0], " ")]+" env --format json --config '/home/a b/it'\"'\"'s.toml' -p prod" {
		t.Errorf("plain path quoted: %s", lines[0])
	}
	for _, bad := range []string{"/a\nb", "/a\x00b", ""} {
		if _, err := ProcessLine("linux", bad, "env"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if line, _ := ProcessLine("windows", `C:\Program Files\aws-mfa\aws-mfa.exe`, "env", "-p", "prod"); line != `"C:\Program Files\aws-mfa\aws-mfa.exe" env -p prod` {
		t.Errorf("windows: %s", line)
	}
}
