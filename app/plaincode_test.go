package app

import (
	"regexp"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/regexptest"
)

// The regexps that codeLike and undefinedFlag replace (compiling them at
// every start cost time); each function must agree with its regexp.
var (
	codeLikeRE      = regexp.MustCompile(`^\s*(\d+|\d{3}[ -]\d{3})\s*$`)
	undefinedFlagRE = regexp.MustCompile(`^flag provided but not defined: -+(.+)$`)
)

func TestCodeLikeAgreesWithItsRegexp(t *testing.T) {
	t.Parallel()
	cases := append(regexptest.Random("0123456789 -\t\v\f\r\na", 200000),
		"", " ", "123456", " 123 456 ", "123-456", "123--456", "12 3456", "1", "\u00a0123456", "１２３")
	regexptest.Agree(t, "codeLike", codeLike, codeLikeRE, cases...)
}

func FuzzCodeLike(f *testing.F) {
	for _, s := range []string{"123456", " 123 456 ", "123-456", "-", "12a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { regexptest.Agree(t, "codeLike", codeLike, codeLikeRE, s) })
}

func TestUndefinedFlagAgreesWithItsRegexp(t *testing.T) {
	t.Parallel()
	var cases []string
	for _, w := range regexptest.Random("-ab\n =", 50000) {
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
