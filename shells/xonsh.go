package shells

import (
	"fmt"
	"strings"
)

// xonsh takes Python: each value is a Python string literal with every
// backslash, quote and control character escaped.
var xonsh = quoted{pyQuote, "$%s = %s", "${...}.pop('%s', None)", "print(%s, end='', flush=True)\n", "xonsh.xsh"}

func pyQuote(v string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range v {
		switch {
		case r == '\\' || r == '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
