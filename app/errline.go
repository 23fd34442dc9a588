package app

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// printError is the one place an error reaches the user: "aws-mfa: " and
// the message on one line. A path, profile or pair name in the message
// may hold anything, so every character that is not printable (a newline,
// a carriage return, an escape sequence, a tab, invalid UTF-8) is written
// escaped, Go-style: the error stays one line and cannot drive the
// terminal.
func printError(w io.Writer, err error) {
	fmt.Fprintf(w, "aws-mfa: %s\n", oneLine(err.Error()))
}

// oneLine escapes what is not printable in s: \n, \t, \x1b, \u2028, and
// each byte of invalid UTF-8 as \xNN. Printable text is left as it is.
func oneLine(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unicode.IsPrint(r): // what strconv.Quote escapes
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}
