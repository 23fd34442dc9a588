package app

import "time"

// ANSI foreground colours. Each is five bytes, as is plain, so that cells
// in a tabwriter column stay aligned whatever their colour.
const (
	red    = "\x1b[31m"
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	plain  = "\x1b[39m"
	reset  = "\x1b[0m"
)

// soon is how close to expiry a session shows in yellow.
const soon = time.Hour

// colours returns a painter for stdout: colour on a terminal, none when
// stdout is a pipe or a file, when NO_COLOR is set (no-color.org) or
// when TERM is dumb.
func colours(sys System) func(colour, text string) string {
	if !sys.IsTerminal(sys.Stdout) || sys.Getenv("NO_COLOR") != "" || sys.Getenv("TERM") == "dumb" {
		return func(_, text string) string { return text }
	}
	return func(colour, text string) string { return colour + text + reset }
}
