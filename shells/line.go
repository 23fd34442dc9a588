package shells

import (
	"regexp"
	"strings"
)

// Line joins args into a command for a person to paste: sh, bash, zsh and
// fish all read it back as args, and nothing in it runs. Every command
// aws-mfa prints as a fix or a next step is built here, since a profile
// or pair name can hold anything from $(…) to quotes.
//
// A plain word is left bare. Otherwise each ' and \ is written
// backslashed outside quotes, and every other run of characters goes in
// single quotes: fish reads \' and \\ inside single quotes as escapes,
// POSIX shells read nothing there, and outside quotes all four agree. A
// word starting with = is quoted for zsh, which would expand =cmd.
func Line(args ...string) string {
	words := make([]string, len(args))
	for i, a := range args {
		switch {
		case a == "":
			words[i] = "''"
		case a[0] != '=' && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,") == "":
			words[i] = a
		default:
			words[i] = lineRun.ReplaceAllStringFunc(a, func(run string) string {
				if run == "'" || run == `\` {
					return `\` + run
				}
				return "'" + run + "'"
			})
		}
	}
	return strings.Join(words, " ")
}

// lineRun is a run of characters that single quotes keep as they are, or
// one ' or \, which they cannot hold. It matches bytes that are not UTF-8
// too, as the runes they decode to.
var lineRun = regexp.MustCompile(`[^'\\]+|['\\]`)
