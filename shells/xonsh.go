package shells

import (
	"fmt"
	"strings"
)

// xonsh takes Python: each value is a Python string literal with every
// backslash, quote and control character escaped.
type xonsh struct{}

func (xonsh) Export(vars []Var) (string, error) {
	return lines(vars,
		func(k, v string) (string, error) { return "$" + k + " = " + pyQuote(v), nil },
		func(k string) string { return "${...}.pop('" + k + "', None)" })
}

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

func (xonsh) Print(text string) (string, error) {
	if text == "" {
		return "", nil
	}
	return "print(" + pyQuote(text) + ", end='', flush=True)\n", nil
}

// Hook prints the xonsh hook.
func (xonsh) Hook(exe string, vars []string) (string, error) {
	return render("xonsh.xsh", exe, vars, noQuoteErr(pyQuote))
}
