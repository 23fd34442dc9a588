package shells

import (
	"fmt"
	"strings"
)

// csh is tcsh and csh. Users run eval "`aws-mfa env`", which joins the
// output into one line, so each command ends with ";". History expansion
// sees "!" even inside single quotes, so it is escaped; a newline cannot
// survive backquote substitution at all, so it is refused.
type csh struct{}

func (csh) Export(vars []Var) (string, error) {
	return lines(vars,
		func(k, v string) (string, error) {
			if strings.ContainsAny(v, "\n\r") {
				return "", fmt.Errorf("%w in csh: it contains a line break", ErrUnrepresentable)
			}
			return "setenv " + k + " " + cshQuote(v) + ";", nil
		},
		func(k string) string { return "unsetenv " + k + ";" })
}

func cshQuote(v string) string {
	return "'" + strings.NewReplacer(`'`, `'\''`, `!`, `\!`).Replace(v) + "'"
}

// Hook prints the tcsh and csh hook, without its comments: backquote
// evaluation joins the lines, and a comment would swallow the rest.
func (csh) Hook(exe string, vars []string) (string, error) {
	out, err := render("tcsh.csh", exe, vars, func(s string) (string, error) {
		if strings.ContainsAny(s, "\n\r") {
			return "", fmt.Errorf("%w in csh: it contains a line break", ErrUnrepresentable)
		}
		return cshQuote(s), nil
	})
	var b strings.Builder
	for _, line := range strings.SplitAfter(out, "\n") {
		if !strings.HasPrefix(line, "#") {
			b.WriteString(line)
		}
	}
	return b.String(), err
}
