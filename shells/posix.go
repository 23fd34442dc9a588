package shells

import "strings"

// posix is bash, zsh and every POSIX sh: dash, ksh93, mksh, yash, busybox,
// with hook, its rc-file hook (bash and zsh have their own). Single quotes
// keep everything literal, newlines included, so printf prints any text;
// a quote is written as '\”. No $'…', which POSIX sh lacks.
func posix(hook string) quoted {
	return quoted{posixQuote, "export %s=%s", "unset %s", "printf '%%s' %s\n", hook}
}

func posixQuote(v string) string { return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'" }
