package credfile

import (
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
)

// TestIndentedNextHeaderIsNamed: a section header indented by white space
// Python strips (a tab, a no-break space, an ideographic space) still
// starts a section while the section above holds no key; keys written
// there would take it in as a continuation line. The edit is refused, the
// file is left alone, and the error says which header to fix.
func TestIndentedNextHeaderIsNamed(t *testing.T) {
	s := awscred.Session{Keys: awscred.Keys{AccessKeyID: "ASIANEW", SecretAccessKey: "s"}, SessionToken: "t", Expiration: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	refused := 0
	for _, indent := range []string{"\t", " ", "\u00a0", "\u3000", " \t"} {
		for _, eol := range []string{"\n", "\r\n"} {
			data := "[default]" + eol + indent + "[other]" + eol + "k = v" + eol
			f, err := Parse([]byte(data))
			if err != nil {
				continue // a spelling the parser refuses never gets this far
			}
			if f.Section("other") == nil {
				continue // not a header here: nothing to protect
			}
			out, err := f.SetSession("default", s)
			if err == nil {
				g, perr := Parse(out)
				if perr != nil || g.Section("other") == nil {
					t.Errorf("%q: the edit lost [other]:\n%s", data, out)
				}
				continue
			}
			refused++
			if !strings.Contains(err.Error(), "the header of [other], after [default], is indented") {
				t.Errorf("%q: %v; want the indented header named", data, err)
			}
		}
	}
	if refused == 0 {
		t.Error("no spelling reached the refusal: the test proves nothing")
	}
}
