package shells

import (
	"regexp"
	"testing"
)

// nameRE is the regexp validName replaces (compiled at every start, it
// cost start-up time); validName must agree with it.
var nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// edgeAlphabet holds each character class's edges and neighbours, a
// newline (where $ could be lax) and the bytes of a non-ASCII letter.
const edgeAlphabet = "@AZ[`az{/09:_-.+=, \n\t\x00é\xff"

// allStrings returns every string of up to n bytes over alphabet.
func allStrings(alphabet string, n int) []string {
	out, layer := []string{""}, []string{""}
	for range n {
		var next []string
		for _, s := range layer {
			for i := 0; i < len(alphabet); i++ {
				next = append(next, s+alphabet[i:i+1])
			}
		}
		out, layer = append(out, next...), next
	}
	return out
}

func TestValidNameAgreesWithItsRegexp(t *testing.T) {
	cases := append(allStrings(edgeAlphabet, 3), "AWS_ACCESS_KEY_ID", "_", "a1", "1a", "AWS-X", "X\n", "\nX", "ÄB")
	for _, s := range cases {
		if got, want := validName(s), nameRE.MatchString(s); got != want {
			t.Errorf("validName(%q) = %v, the regexp says %v", s, got, want)
		}
	}
}

func FuzzValidName(f *testing.F) {
	for _, s := range []string{"AWS_REGION", "", "1x", "x-y", "x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validName(s), nameRE.MatchString(s); got != want {
			t.Errorf("validName(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}
