package app

import (
	"cmp"
	"fmt"
	"time"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/shells"
)

// credentialProcessNoTTY explains the missing code for `env --format json`, the AWS
// tools' credential_process. They capture stdout and stderr and may pass
// their own stdin on, so the only ways to a code are token_command (tried
// before this) and the controlling terminal; stdin is never read. It
// names the refresh that renews the same target: the pair, and the
// --config, --source and --target given to this run.
func credentialProcessNoTTY(sys System, in SessionInput, pair config.Pair) func(error) error {
	loc, refresh := configPath(sys, in.Config), []string{"aws-mfa"}
	if loc.By == "--config" {
		refresh = append(refresh, "--config", loc.Path)
	}
	if pair.Name != config.BuiltinName || in.Pair != "" || sys.Getenv("AWS_MFA_PAIR") != "" {
		refresh = append(refresh, "-p", pair.Name)
	}
	if in.Source != "" {
		refresh = append(refresh, "--source", in.Source)
	}
	if in.Target != "" {
		refresh = append(refresh, "--target", in.Target)
	}
	return func(error) error {
		return usage("[%s] needs a new session and there is no terminal to ask for the MFA code; set token_command in %s, or run `%s` in a terminal first",
			pair.Target, cmp.Or(loc.Path, "the config file"), shells.Line(refresh...))
	}
}

// waitDelay is how long STS may take before a terminal shows that aws-mfa
// is waiting: an answer within it needs no message.
const waitDelay = 500 * time.Millisecond

// waiting shows "waiting for STS…" on a terminal's stderr while a request
// that carries the code is out, once it has taken longer than the delay,
// and erases it when done. On a pipe it does nothing.
type waiting struct {
	sys   System
	timer *time.Timer
	shown chan struct{} // closed once the message is on the terminal
}

func startWaiting(sys System) *waiting {
	if !sys.IsTerminal(sys.Stderr) {
		return nil
	}
	w := &waiting{sys: sys, shown: make(chan struct{})}
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
		fmt.Fprint(w.sys.Stderr, "\r\x1b[K")
	}
}
