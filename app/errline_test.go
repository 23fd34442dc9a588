package app

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/quick"
	"unicode"
	"unicode/utf8"
)

// checkOneLine: what printError wrote for msg is one line, "aws-mfa: " and
// msg with nothing unprintable left in it, and msg itself when it is
// printable already.
func checkOneLine(t *testing.T, msg string) bool {
	t.Helper()
	var b bytes.Buffer
	printError(&b, errors.New(msg))
	out := b.String()
	body, ok := strings.CutPrefix(out, "aws-mfa: ")
	body, nl := strings.CutSuffix(body, "\n")
	switch {
	case !ok || !nl || strings.Count(out, "\n") != 1 || !utf8.ValidString(out):
		t.Errorf("printError(%q) wrote %q", msg, out)
	case strings.ContainsFunc(body, func(r rune) bool { return !unicode.IsPrint(r) }):
		t.Errorf("printError(%q) kept a character that is not printable: %q", msg, out)
	case utf8.ValidString(msg) && !strings.ContainsFunc(msg, func(r rune) bool { return !unicode.IsPrint(r) }) && body != msg:
		t.Errorf("printError(%q) changed a printable message: %q", msg, out)
	default:
		return true
	}
	return false
}

// TestPrintErrorIsOneLine: whatever an error holds (a path or a name with
// newlines, CR, escape sequences, U+2028, invalid UTF-8), it is printed
// as one line with nothing that drives the terminal.
func TestPrintErrorIsOneLine(t *testing.T) {
	t.Parallel()
	for _, msg := range []string{
		"",
		"no credentials file at /tmp/a\nb; run `aws configure`",
		"x\r\ny", "\x1b[2J\x1b[31mred", "tab\there", "del\x7f", "nul\x00", "c1\u0085", "ls\u2028ps\u2029",
		"rtl\u202eoverride", "bad utf-8 \xff\xfe", "trailing\n", "already escaped \\n stays",
		"printable: é → AKIA…WXYZ [default] \"q\" 'q'",
	} {
		checkOneLine(t, msg)
	}
	prop := func(b []byte, s string) bool { return checkOneLine(t, string(b)) && checkOneLine(t, s) }
	if err := quick.Check(prop, &quick.Config{MaxCount: 5000}); err != nil {
		t.Error(err)
	}
}

// TestErrorWithANewlineInAPath: a credentials path holding a newline and
// an escape sequence still gives one line on stderr.
func TestErrorWithANewlineInAPath(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "a\nb\x1b[31m")
	var out, errb bytes.Buffer
	env := map[string]string{"AWS_SHARED_CREDENTIALS_FILE": path, "AWS_CONFIG_FILE": path + ".config", "HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}
	sys := System{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }, IsTerminal: func(any) bool { return false }}
	code := Run([]string{"aws-mfa", "123456"}, sys)
	if code != ExitUsage || out.Len() != 0 || strings.Count(errb.String(), "\n") != 1 || strings.Contains(errb.String(), "\x1b") || !strings.Contains(errb.String(), `a\nb\x1b[31m`) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// TestNoteWithANewlineInAPath: the line a refresh writes naming a new
// profile's file stays one line too, whatever the path holds.
func TestNoteWithANewlineInAPath(t *testing.T) {
	t.Parallel()
	r := newRig(t, aliceProfile)
	path := filepath.Join(t.TempDir(), "cre\ndentials\x1b[31m")
	b, err := os.ReadFile(r.creds)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r.env["AWS_SHARED_CREDENTIALS_FILE"] = path
	_, stderr, code := r.run("", "--target", "fresh", "314159")
	if code != 0 || strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "\x1b") || !strings.Contains(stderr, `cre\ndentials\x1b[31m`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
