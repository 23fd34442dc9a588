package app

import (
	"fmt"
	"io"
	"strconv"
	"strings"
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
// each byte of invalid UTF-8 as \xNN. Printable text is left as it is:
// strconv.Quote escapes exactly what is not printable, and the escapes it
// adds to printable text (the quotes and backslashes) are taken back.
func oneLine(s string) string {
	q := strconv.Quote(s)
	return strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(q[1 : len(q)-1])
}
