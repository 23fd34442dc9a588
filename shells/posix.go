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

// Hook prints the POSIX sh hook (ksh93, mksh, yash, dash, busybox).
func (posix) Hook(exe string, vars []string) (string, error) {
	return render("sh.sh", exe, vars, noQuoteErr(posixQuote))
}

// bash and zsh export like POSIX sh, and have hooks of their own.
type (
	bash struct{ posix }
	zsh  struct{ posix }
)

// Hook prints the bash hook.
func (bash) Hook(exe string, vars []string) (string, error) {
	return render("bash.sh", exe, vars, noQuoteErr(posixQuote))
}

// Hook prints the zsh hook.
func (zsh) Hook(exe string, vars []string) (string, error) {
	return render("zsh.zsh", exe, vars, noQuoteErr(posixQuote))
}
