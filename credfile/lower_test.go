package credfile

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// pythonLower lowers every string with python3's str.lower, in one
// process. The strings go each way as UTF-8 separated by a 0xFF byte,
// which UTF-8 never holds: JSON for the million strings cost python3 and
// the test seconds of escaping and unescaping. python3 decodes the lot at
// once, the 0xFF bytes becoming the lone surrogate U+DCFF, which no valid
// string holds and no lowering makes.
func pythonLower(t *testing.T, in []string) []string {
	t.Helper()
	cmd := exec.Command(testproc.Require(t, "python3"), "-c", `import sys
text = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
lowered = "\udcff".join(s.lower() for s in text.split("\udcff"))
sys.stdout.buffer.write(lowered.encode("utf-8", "surrogateescape"))
`)
	var req bytes.Buffer
	req.Grow(4 * len(in) * 3) // most are three runes
	for i, s := range in {
		if !utf8.ValidString(s) {
			t.Fatalf("%+q is not UTF-8", s)
		}
		if i > 0 {
			req.WriteByte(0xff)
		}
		req.WriteString(s)
	}
	cmd.Stdin = &req
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	got := strings.Split(string(out), "\xff")
	if len(got) != len(in) {
		t.Fatalf("python3 answered %d of %d strings", len(got), len(in))
	}
	return got
}

// TestKeysLowerAsPythonDoes: every key Parse accepts is lowered as
// configparser lowers it, with Python's str.lower: each code point beside
// ASCII capitals, in one file; every other key is refused (see
// TestParseRefusesKeysOfUncertainCase).
func TestKeysLowerAsPythonDoes(t *testing.T) {
	t.Parallel()
	testproc.Require(t, "python3") // before the 250,000 keys: python3 checks them
	var in []string
	var file strings.Builder
	file.WriteString("[p]\n")
	for r := rune(0x20); r <= unicode.MaxRune; r++ {
		key := "k" + string(r) + "K"
		if !utf8.ValidRune(r) || strings.ContainsRune("=:ABCDEFGHIJKLMNOPQRSTUVWXYZ", r) || checkControl(key) != nil || uncertainCase(key) >= 0 {
			continue // not one key, lowered like another, or refused
		}
		in = append(in, key)
		file.WriteString(key + " = v\n")
	}
	f, err := Parse([]byte(file.String()))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range f.Section("p").options {
		keys = append(keys, o.key)
	}
	if len(keys) != len(in) || len(in) < 250000 {
		t.Fatalf("%d keys parsed of %d", len(keys), len(in))
	}
	want := pythonLower(t, in)
	bad := 0
	for i, key := range in {
		if keys[i] != want[i] {
			bad++
			if bad <= 20 {
				t.Errorf("%+q reads as %+q, python3 lowers it to %+q", key, keys[i], want[i])
			}
		}
	}
}

// TestParseRefusesKeysOfUncertainCase: a key Go and Python may lower-case
// differently (U+0130, a capital sigma, the Kelvin sign, any capital
// outside ASCII, a character newer than Go's Unicode tables) is refused
// as an input error, in any section, and an edit leaves the file byte for
// byte.
func TestParseRefusesKeysOfUncertainCase(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"aws_sess\u0130on_token", "aws_session_tokenΣ", "AWS_ΣΣ_TOKEN", "aws_session_to\u212aen", "Äb", "ǅ", "x\u24b6", "k\u0378", "k\u1c89"} {
		for _, data := range []string{
			"[default]\naws_session_token = t\n" + key + " = x\n",
			"[other]\n" + key + " = x\n[default]\naws_session_token = t\n",
		} {
			path := filepath.Join(t.TempDir(), "credentials")
			os.WriteFile(path, []byte(data), 0o600)
			err := editINI(Writer{}, path, func(f *File) ([]byte, error) { return f.Edit("default", sessionKeys, nil) })
			if !errors.Is(err, inputerr.Err) || !strings.Contains(err.Error(), "rename the key") {
				t.Errorf("%+q: %v", key, err)
			}
			if got, _ := os.ReadFile(path); string(got) != data {
				t.Errorf("%+q: the file changed:\n%q", key, got)
			}
		}
	}
	for _, key := range []string{"aws_session_token", "Aws_Session_Token", "σ", "ς_x", "é", "ß", "中", "k\u0301"} {
		if _, err := Parse([]byte("[p]\n" + key + " = v\n")); err != nil {
			t.Errorf("%+q: %v", key, err)
		}
	}
}
