package credfile

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

// pythonLower lowers every string with python3's str.lower, in one
// process. The strings go each way as UTF-8 separated by a 0xFF byte,
// which UTF-8 never holds: JSON for the million strings cost python3 and
// the test seconds of escaping and unescaping. python3 decodes the lot at
// once, the 0xFF bytes becoming the lone surrogate U+DCFF, which no valid
// string holds and no lowering makes.
func pythonLower(t *testing.T, in []string) []string {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is not installed")
		}
		t.Skip("python3 is not installed")
	}
	cmd := exec.Command("python3", "-c", `import sys
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

// TestLowerIsPythons: keys are lowered exactly as configparser does, with
// Python's str.lower: every code point alone, then random strings built
// around the context-dependent capital sigma and U+0130.
func TestLowerIsPythons(t *testing.T) {
	t.Parallel()
	const random = 200000
	in := make([]string, 0, unicode.MaxRune+1+6*0x800+random)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if utf8.ValidRune(r) {
			in = append(in, "k"+string(r)+"K")
		}
	}
	// Below U+0800, where a sigma's context is trusted: each character
	// before, after and around one.
	for r := rune(0); r < 0x800; r++ {
		c := string(r)
		in = append(in, "a"+c+"Σ", "aΣ"+c, "Σ"+c+"a", c+"Σ", "aΣ"+c+"b", "a"+c+"Σb")
	}
	// Strings of runes from the classes that decide the sigma's form:
	// cased letters, case-ignorable ones, others, and the specials.
	pool := []rune{'Σ', 'Σ', 'σ', 'ς', 'İ', 'A', 'a', 'ǅ', 'ʰ', '\'', '.', ':', '·', '’', '\u0301', '\u0345', '\u00ad', '\u200d', '^', 'ˆ', '_', '1', ' ', 'Ⓐ', 'ⓐ', 'ᾼ', 'ﬀ', 'Ꭰ', 'ꭰ', '𐐀', '中'}
	r := rand.New(rand.NewPCG(1, 2))
	for range random {
		n := 1 + r.IntN(8)
		var b strings.Builder
		for range n {
			if r.IntN(6) == 0 {
				c := rune(r.IntN(0x20000))
				if utf8.ValidRune(c) {
					b.WriteRune(c)
					continue
				}
			}
			b.WriteRune(pool[r.IntN(len(pool))])
		}
		in = append(in, b.String())
	}
	sure := make([]string, 0, len(in))
	unsure := 0
	for _, s := range in {
		if strings.ContainsRune(s, 'Σ') && !sigmaSure(s) {
			unsure++ // refused by Parse: no claim, no need to ask python3
			continue
		}
		sure = append(sure, s)
	}
	want := pythonLower(t, sure)
	bad := 0
	for i, s := range sure {
		if got := lower(s); got != want[i] {
			bad++
			if bad <= 20 {
				t.Errorf("lower(%+q) = %+q, python3 %+q", s, got, want[i])
			}
		}
	}
	if bad > 20 {
		t.Errorf("%d strings in all", bad)
	}
	if unsure == 0 || unsure > len(in)/10 {
		t.Errorf("%d of %d strings have an uncertain sigma", unsure, len(in))
	}
}

// TestParseRefusesAnUncertainSigma: a key whose capital sigma stands next
// to a character that Pythons classify differently is refused; the same
// key beside characters every Python agrees on is read.
func TestParseRefusesAnUncertainSigma(t *testing.T) {
	for _, c := range []struct {
		key  string
		read bool
	}{
		{"aΣ", true}, {"ΑΣ_x", true}, {"aΣ'b", true}, {"Σ", true}, {"x_Σ\u0301", true},
		{"a\U0001e046Σ", false}, {"aΣ\U00013439", false}, {"ΣΣ\U00013439\u02c6", false},
	} {
		_, err := Parse([]byte("[p]\n" + c.key + " = v\n"))
		if (err == nil) != c.read {
			t.Errorf("%+q: %v", c.key, err)
		}
	}
}

// TestKeysAsBotocoreLowersThem: a key whose Python lower-casing differs
// from Go's strings.ToLower is the key botocore reads, not the session
// token it resembles, and is no duplicate of it.
func TestKeysAsBotocoreLowersThem(t *testing.T) {
	b := peers.StartBotocore(t)
	var files [][]byte
	for _, key := range []string{"aws_sess\u0130on_token", "AWS_SESS\u0130ON_TOKEN", "aws_session_tokenΣ", "aws_ΣΣ_token", "aws_acceΣs_key_id"} {
		for _, file := range []string{
			"[default]\naws_access_key_id = " + onlyID + "\naws_secret_access_key = " + onlySecret + "\n" + key + " = x\n",
			"[default]\naws_session_token = t\n" + key + " = x\n",
		} {
			if _, err := Parse([]byte(file)); err != nil {
				t.Errorf("%+q: %v", file, err) // botocore reads it: no false refusal
			}
			files = append(files, []byte(file))
		}
	}
	for i, v := range flatViews(t, b, files...) {
		agrees(t, files[i], v)
	}
	data := []byte("[default]\naws_access_key_id = " + onlyID + "\naws_secret_access_key = " + onlySecret + "\naws_sess\u0130on_token = x\n")
	f, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, only := f.OnlyCopy("default"); !only || f.Credentials("default").SessionToken != "" {
		t.Errorf("aws_sess\u0130on_token read as the session token")
	}
	if v := b.Read(t, data, "default"); v.Target == nil || v.Target.Token != "" {
		t.Errorf("botocore reads %+v", v.Target)
	}
}
