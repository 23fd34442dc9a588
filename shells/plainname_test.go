package shells

import (
	"regexp"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/regexptest"
)

// nameRE is the regexp validName replaces; validName must agree with it.
var nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// edgeAlphabet holds each character class's edges and neighbours, a
// newline (where $ could be lax) and the bytes of a non-ASCII letter.
const edgeAlphabet = "@AZ[`az{/09:_-.+=, \n\t\x00é\xff"

func TestValidNameAgreesWithItsRegexp(t *testing.T) {
	cases := append(regexptest.Exhaustive(edgeAlphabet, 3), "AWS_ACCESS_KEY_ID", "_", "a1", "1a", "AWS-X", "X\n", "\nX", "ÄB")
	regexptest.Agree(t, "validName", validName, nameRE, cases...)
}

func FuzzValidName(f *testing.F) {
	for _, s := range []string{"AWS_REGION", "", "1x", "x-y", "x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { regexptest.Agree(t, "validName", validName, nameRE, s) })
}
