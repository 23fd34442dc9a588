package shells

import "strings"

// posix is bash, zsh and every POSIX sh: dash, ksh93, mksh, yash, busybox.
// Single quotes keep everything literal, newlines included; a quote is
// written as '\”. No $'…', which POSIX sh lacks.
type posix struct {
	hook string // its rc-file hook: bash and zsh have their own
}

func (posix) Export(vars []Var) (string, error) {
	return lines(vars,
		func(k, v string) (string, error) { return "export " + k + "=" + posixQuote(v), nil },
		func(k string) string { return "unset " + k })
}

func posixQuote(v string) string {
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

func (posix) Print(text string) (string, error) {
	return printf(text, posixQuote), nil
}

// printf is code that prints text with printf, for the shells whose
// single quotes hold any text, newlines included (POSIX sh and fish).
func printf(text string, quote func(string) string) string {
	if text == "" {
		return ""
	}
	return "printf '%s' " + quote(text) + "\n"
}

// Hook prints the bash, zsh or POSIX sh hook (ksh93, mksh, yash, dash,
// busybox).
func (p posix) Hook(exe string, vars []string) (string, error) {
	return render(p.hook, exe, vars, noQuoteErr(posixQuote))
}
