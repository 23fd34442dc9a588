package config

import (
	"regexp"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/regexptest"
)

// pairNameRE is the regexp pairNameChars replaces; pairNameChars must
// agree with it.
var pairNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@+=,-]*$`)

// edgeAlphabet holds each character class's edges and neighbours, every
// punctuation the name allows, a newline (where $ could be lax) and the
// bytes of a non-ASCII letter.
const edgeAlphabet = "@AZ[`az{/09:_-.+=,*\\ \n\x00é\xff"

func TestPairNameCharsAgreesWithItsRegexp(t *testing.T) {
	cases := append(regexptest.Exhaustive(edgeAlphabet, 3), "work", "dev.eu-1", "a@b+c=d,e", "-x", "_x", "x\n", "ÄB")
	regexptest.Agree(t, "pairNameChars", pairNameChars, pairNameRE, cases...)
}

func FuzzPairNameChars(f *testing.F) {
	for _, s := range []string{"work", "", "-x", "a.b", "x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { regexptest.Agree(t, "pairNameChars", pairNameChars, pairNameRE, s) })
}
