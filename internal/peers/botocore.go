package peers

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Botocore answers how the AWS CLI's own code reads a credentials file:
// one long-lived python3 process running testdata/peers/botocore_session.py,
// so that a test can ask about thousands of files.
type Botocore struct {
	mu  sync.Mutex
	in  io.Writer
	out *bufio.Reader
}

// BotocoreView is botocore's reading of one file.
type BotocoreView struct {
	// Sections is every profile with its keys, [DEFAULT]'s inherited, as
	// the shared-credentials provider parses them (values may be nested).
	Sections map[string]map[string]any
	// Error is the parser's exception class when the file does not parse.
	Error string
	// Target is what botocore's credential resolver returns for the
	// asked profile, nil when it finds none.
	Target *struct{ Key, Secret, Token string }
	// TargetError is the resolver's exception class, if it failed.
	TargetError string `json:"target_error"`
}

var (
	botocoreOnce sync.Once
	botocorePeer *Botocore
	botocoreErr  string
)

// StartBotocore returns the shared botocore process, started on first
// use and stopped by StopAll (call it from TestMain). Without python3 and botocore the test is
// skipped, or fails in CI.
func StartBotocore(t testing.TB) *Botocore {
	botocoreOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		script := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "peers", "botocore_session.py")
		if out, err := exec.Command("python3", "-c", "import botocore").CombinedOutput(); err != nil {
			botocoreErr = "python3 with botocore is not available: " + string(out)
			return
		}
		cmd := exec.Command("python3", script)
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			botocoreErr = err.Error()
			return
		}
		ownServerMu.Lock()
		// It exits at the end of its input.
		ownStops = append(ownStops, func() { in.Close(); _ = cmd.Wait() })
		ownServerMu.Unlock()
		botocorePeer = &Botocore{in: in, out: bufio.NewReaderSize(out, 1<<20)}
	})
	if botocorePeer == nil {
		if inCI() {
			t.Fatal(botocoreErr)
		}
		t.Skip(botocoreErr)
	}
	return botocorePeer
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
	b.mu.Lock()
	defer b.mu.Unlock()
	r := map[string]string{"data": base64.StdEncoding.EncodeToString(data), "target": target}
	if config != nil {
		r["config"] = base64.StdEncoding.EncodeToString(config)
	}
	req, _ := json.Marshal(r)
	if _, err := b.in.Write(append(req, '\n')); err != nil {
		t.Fatalf("botocore: %v", err)
	}
	line, err := b.out.ReadBytes('\n')
	if err != nil {
		t.Fatalf("botocore: %v", err)
	}
	var v BotocoreView
	if err := json.Unmarshal(line, &v); err != nil {
		t.Fatalf("botocore: %v", err)
	}
	return v
}
