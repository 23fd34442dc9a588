// Package regexptest checks a hand-written matcher against the regexp it
// replaced. aws-mfa keeps regexps out of its start-up path (each one
// compiled in a package variable costs every run, and aws-mfa runs in every
// prompt); the regexp stays in the tests as the specification.
package regexptest

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// Exhaustive returns every string of up to n bytes over alphabet: an
// alphabet of each character class's edges and neighbours covers the
// places where a hand-written matcher and a regexp part.
func Exhaustive(alphabet string, n int) []string {
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

// Random returns count strings of 0 to 9 bytes over alphabet, from a fixed
// seed, for alphabets too large or matchers too long for Exhaustive.
func Random(alphabet string, count int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]string, count)
	for i := range out {
		b := make([]byte, r.IntN(10))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		out[i] = string(b)
	}
	return out
}

// Agree reports each case where match and re disagree; name is match's.
func Agree(t testing.TB, name string, match func(string) bool, re *regexp.Regexp, cases ...string) {
	t.Helper()
	for _, s := range cases {
		if got, want := match(s), re.MatchString(s); got != want {
			t.Errorf("%s(%q) = %v, the regexp %s says %v", name, s, got, re, want)
		}
	}
}
