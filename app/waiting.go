package app

import (
	"cmp"
	"fmt"
	"io"
	"time"
)

// waitDelay is how long STS may take before a terminal shows that aws-mfa
// is waiting: an answer within it needs no message.
const waitDelay = 500 * time.Millisecond

// waiting shows "waiting for STS…" on a terminal's stderr while a request
// that carries the code is out, once it has taken longer than the delay,
// and erases it when done. On a pipe it does nothing.
type waiting struct {
	timer  *time.Timer
	shown  chan struct{} // closed once the message is on the terminal
	stderr io.Writer
}

func startWaiting(sys System) *waiting {
	if !sys.IsTerminal(sys.Stderr) {
		return nil
	}
	w := &waiting{shown: make(chan struct{}), stderr: sys.Stderr}
	w.timer = time.AfterFunc(cmp.Or(sys.WaitDelay, waitDelay), func() {
		fmt.Fprint(sys.Stderr, "\raws-mfa: waiting for STS…")
		close(w.shown)
	})
	return w
}

// stop cancels the message, or erases it once it is shown: the line is
// left as it was, for the next message or the prompt. It is called once.
func (w *waiting) stop() {
	if w != nil && !w.timer.Stop() {
		<-w.shown
		fmt.Fprint(w.stderr, "\r\x1b[K")
	}
}
