package config

import (
	"regexp"
	"testing"
)

// pairNameRE is the regexp pairNameChars replaces (compiled at every
// start, it cost start-up time); pairNameChars must agree with it.
var pairNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@+=,-]*$`)

// edgeAlphabet holds each character class's edges and neighbours, every
// punctuation the name allows, a newline (where $ could be lax) and the
// bytes of a non-ASCII letter.
const edgeAlphabet = "@AZ[`az{/09:_-.+=,*\\ \n\x00é\xff"

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

func TestPairNameCharsAgreesWithItsRegexp(t *testing.T) {
	cases := append(allStrings(edgeAlphabet, 3), "work", "dev.eu-1", "a@b+c=d,e", "-x", "_x", "x\n", "ÄB")
	for _, s := range cases {
		if got, want := pairNameChars(s), pairNameRE.MatchString(s); got != want {
			t.Errorf("pairNameChars(%q) = %v, the regexp says %v", s, got, want)
		}
	}
}

func FuzzPairNameChars(f *testing.F) {
	for _, s := range []string{"work", "", "-x", "a.b", "x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := pairNameChars(s), pairNameRE.MatchString(s); got != want {
			t.Errorf("pairNameChars(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}
