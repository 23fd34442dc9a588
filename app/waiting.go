package app

import (
	"fmt"
	"sync"
	"time"
)

// waitDelay is how long STS may take before a terminal shows that aws-mfa
// is waiting: an answer within it needs no message.
const waitDelay = 500 * time.Millisecond

// waiting shows "waiting for STS…" on a terminal's stderr while a request
// that carries the code is out, once it has taken longer than the delay,
// and erases it when done. On a pipe it does nothing.
type waiting struct {
	mu    sync.Mutex
	sys   System
	timer *time.Timer
	shown bool
	done  bool
}

func startWaiting(sys System) *waiting {
	if !sys.IsTerminal(sys.Stderr) {
		return nil
	}
	w := &waiting{sys: sys}
	delay := sys.WaitDelay
	if delay == 0 {
		delay = waitDelay
	}
	w.timer = time.AfterFunc(delay, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if !w.done {
			fmt.Fprint(w.sys.Stderr, "\raws-mfa: waiting for STS…")
			w.shown = true
		}
	})
	return w
}

// stop cancels the message, or erases it if it is shown: the line is
// left as it was, for the next message or the prompt.
func (w *waiting) stop() {
	if w == nil {
		return
	}
	w.timer.Stop()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	if w.shown {
		fmt.Fprint(w.sys.Stderr, "\r\x1b[K")
	}
}
