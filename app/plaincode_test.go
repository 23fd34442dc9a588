package app

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// The regexps that codeLike and undefinedFlag replace (compiling them at
// every start cost time); each function must agree with its regexp.
var (
	codeLikeRE      = regexp.MustCompile(`^\s*(\d+|\d{3}[ -]\d{3})\s*$`)
	undefinedFlagRE = regexp.MustCompile(`^flag provided but not defined: -+(.+)$`)
)

// words returns n strings over alphabet, 0 to 9 characters long, with a
// fixed seed: the family the regexps' edges live in.
func words(alphabet string, n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]string, n)
	for i := range out {
		b := make([]byte, r.IntN(10))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		out[i] = string(b)
	}
	return out
}

func TestCodeLikeAgreesWithItsRegexp(t *testing.T) {
	cases := append(words("0123456789 -\t\v\f\r\na", 200000),
		"", " ", "123456", " 123 456 ", "123-456", "123--456", "12 3456", "1", "\u00a0123456", "１２３")
	for _, s := range cases {
		if got, want := codeLike(s), codeLikeRE.MatchString(s); got != want {
			t.Errorf("codeLike(%q) = %v, the regexp says %v", s, got, want)
		}
	}
}

func FuzzCodeLike(f *testing.F) {
	for _, s := range []string{"123456", " 123 456 ", "123-456", "-", "12a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := codeLike(s), codeLikeRE.MatchString(s); got != want {
			t.Errorf("codeLike(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}

func TestUndefinedFlagAgreesWithItsRegexp(t *testing.T) {
	var cases []string
	for _, w := range words("-ab\n =", 50000) {
		cases = append(cases, "flag provided but not defined: "+w, w)
	}
	cases = append(cases, "flag provided but not defined: -", "flag provided but not defined: --", "flag provided but not defined: ---x", "flag provided but not defined: -shell\n")
	for _, s := range cases {
		got, ok := undefinedFlag(s)
		m := undefinedFlagRE.FindStringSubmatch(s)
		if ok != (m != nil) || ok && got != m[1] {
			t.Errorf("undefinedFlag(%q) = %q, %v; the regexp says %q", s, got, ok, m)
		}
	}
}
