package shells

import (
	"fmt"
	"time"
)

// Left says how long a session has left, for a person: "11h59m", "9m",
// "under a minute", "expired". status, the notes and every hook's prompt
// and warning show it this way; the hooks compute it in their own
// language, since a prompt starts no process, and a test holds each of
// them to this function.
func Left(d time.Duration) string {
	switch {
	case d <= 0:
		return "expired"
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
