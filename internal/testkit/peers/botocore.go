// Package peers runs the AWS CLI's own code, botocore, for tests, as the
// oracle of how credentials and config files read, and keeps pyenv's
// shims out of the way of the peers tests start (moto has its own
// package).
package peers

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// Botocore answers how the AWS CLI's own code reads credentials and
// config files: one long-lived python3 process running
// testdata/peers/botocore_session.py, which takes many files per round
// trip, so that a test can ask about thousands of them.
type Botocore struct {
	mu  sync.Mutex
	in  io.Writer
	out *bufio.Reader
}

// BotocoreQuery is one file for botocore to read.
type BotocoreQuery struct {
	// Data is the credentials file, or the config file with As "config".
	Data []byte `json:"data"`
	// Config is the config file beside Data, nil for none (null, not
	// omitted, so that an empty file is still a file).
	Config []byte `json:"config"`
	// Target is the profile to resolve credentials for, "" for none.
	Target string `json:"target,omitempty"`
	// As is how to read Data: "" as the shared-credentials provider does,
	// "flat" the same without parsing nested values, "config" as a config
	// file, whose profiles (by profile name) are the view's Sections;
	// "region" answers only the view's Region, for Target.
	As string `json:"as,omitempty"`
}

// BotocoreView is botocore's reading of one file.
type BotocoreView struct {
	// Sections is every profile with its keys, [DEFAULT]'s inherited, as
	// the shared-credentials provider parses them (values may be nested).
	Sections map[string]map[string]any
	// Error is the parser's exception, class and message, when the file
	// does not parse.
	Error string
	// Target is what botocore's credential resolver returns for the
	// asked profile, nil when it finds none.
	Target *struct{ Key, Secret, Token string }
	// TargetError is the resolver's exception class, if it failed.
	TargetError string `json:"target_error"`
	// Region is the region botocore's session for Target finds in the
	// two files, "" for none (As "region" only).
	Region string
}

var (
	botocoreOnce sync.Once
	botocorePeer *Botocore
	botocoreErr  string
	stopMu       sync.Mutex
	stops        []func()
)

// StopAll stops the peers this process started and waits for them to
// exit. Call it from TestMain (testproc.Wrap(m, peers.StopAll)).
func StopAll() {
	stopMu.Lock()
	defer stopMu.Unlock()
	for _, stop := range stops {
		stop()
	}
	stops = nil
}

// StartBotocore returns the shared botocore process, started on first
// use and stopped by StopAll (call it from TestMain). Without python3 and
// botocore the test is skipped, or fails in CI.
func StartBotocore(t testing.TB) *Botocore {
	testproc.Require(t, "python3")
	botocoreOnce.Do(func() { botocorePeer, botocoreErr = startBotocore() })
	if botocorePeer == nil {
		testproc.Missing(t, botocoreErr)
	}
	return botocorePeer
}

// startBotocore starts the script and waits for its first line, which
// says whether botocore imports: no separate python3 just to ask.
func startBotocore() (*Botocore, string) {
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", "peers", "botocore_session.py")
	cmd := exec.Command("python3", script)
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, "python3 with botocore is not available: " + err.Error()
	}
	stopMu.Lock()
	// It exits at the end of its input.
	stops = append(stops, func() { in.Close(); _ = cmd.Wait() })
	stopMu.Unlock()
	b := &Botocore{in: in, out: bufio.NewReaderSize(out, 1<<20)}
	var hello struct{ Botocore, Unavailable string }
	if line, err := b.out.ReadBytes('\n'); err != nil || json.Unmarshal(line, &hello) != nil || hello.Botocore == "" {
		return nil, "python3 with botocore is not available: " + hello.Unavailable
	}
	return b, ""
}

// Read asks botocore to read data as a credentials file, and what it
// resolves for target ("" for no target).
func (b *Botocore) Read(t testing.TB, data []byte, target string) BotocoreView {
	t.Helper()
	return b.ReadWithConfig(t, data, nil, target)
}

// ReadWithConfig is Read with config as the config file (nil for none).
func (b *Botocore) ReadWithConfig(t testing.TB, data, config []byte, target string) BotocoreView {
	t.Helper()
	return b.ReadAll(t, []BotocoreQuery{{Data: data, Config: config, Target: target}})[0]
}

// ReadAll answers every query, in order, in one round trip.
func (b *Botocore) ReadAll(t testing.TB, qs []BotocoreQuery) []BotocoreView {
	t.Helper()
	var views []BotocoreView
	b.ask(t, qs, &views)
	if len(views) != len(qs) {
		t.Fatalf("botocore answered %d of %d queries", len(views), len(qs))
	}
	return views
}

// Shlex splits every string with Python's shlex.split, as botocore
// splits a config file's section names; nil where it raises ValueError.
func (b *Botocore) Shlex(t testing.TB, in []string) [][]string {
	t.Helper()
	var ans []struct{ Shlex [][]string }
	b.ask(t, []map[string][]string{{"shlex": in}}, &ans)
	if len(ans) != 1 || len(ans[0].Shlex) != len(in) {
		t.Fatalf("shlex did not answer each of the %d strings", len(in))
	}
	return ans[0].Shlex
}

// Run runs code, a Python program, in the shared process as `python3 -c
// code args...` would with env (NAME=value entries, the last of a name
// counting) as its whole environment and dir as its directory, and
// returns what it printed and the traceback if it raised (sys.exit
// too): many programs that use botocore, each without a Python of its
// own to start. err is a failure to ask.
func (b *Botocore) Run(env []string, dir, code string, args ...string) (stdout, traceback string, err error) {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	var ans []struct{ Stdout, Error string }
	if err := b.call([]map[string]any{{"run": code, "args": append([]string{}, args...), "env": vars, "cwd": dir}}, &ans); err != nil {
		return "", "", err
	}
	if len(ans) != 1 {
		return "", "", fmt.Errorf("botocore answered %d runs of 1", len(ans))
	}
	return ans[0].Stdout, ans[0].Error, nil
}

// ask sends one request line and decodes the answer line.
func (b *Botocore) ask(t testing.TB, req, ans any) {
	t.Helper()
	if err := b.call(req, ans); err != nil {
		t.Fatal(err)
	}
}

func (b *Botocore) call(req, ans any) error {
	line, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("botocore: %v", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, err := b.in.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("botocore: %v", err)
	}
	line, err = b.out.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("botocore: %v", err)
	}
	if err := json.Unmarshal(line, ans); err != nil {
		return fmt.Errorf("botocore: %v", err)
	}
	return nil
}
