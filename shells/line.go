package shells

import "strings"

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
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if a != "" && a[0] != '=' && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,") == "" {
			b.WriteString(a)
			continue
		}
		quoted := false
		for j := 0; j < len(a); j++ { // bytes: the word need not be UTF-8
			if c := a[j]; c == '\'' || c == '\\' {
				if quoted {
					b.WriteByte('\'')
					quoted = false
				}
				b.WriteByte('\\')
			} else if !quoted {
				b.WriteByte('\'')
				quoted = true
			}
			b.WriteByte(a[j])
		}
		if quoted {
			b.WriteByte('\'')
		} else if a == "" {
			b.WriteString("''")
		}
	}
	return b.String()
}
