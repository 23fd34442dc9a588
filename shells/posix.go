package shells

import "strings"

// posix is bash, zsh and every POSIX sh: dash, ksh93, mksh, yash, busybox.
// Single quotes keep everything literal, newlines included; a quote is
// written as '\”. No $'…', which POSIX sh lacks.
type posix struct{}

func (posix) Export(vars []Var) (string, error) {
	return lines(vars,
		func(k, v string) (string, error) { return "export " + k + "=" + posixQuote(v), nil },
		func(k string) string { return "unset " + k })
}

func posixQuote(v string) string {
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
