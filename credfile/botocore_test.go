package credfile

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
)

// botocore parses files with the AWS CLI's own parser, in one long-lived
// Python process.
type botocore struct {
	mu  sync.Mutex
	in  io.WriteCloser
	out *bufio.Reader
	cmd *exec.Cmd
}

var (
	botocoreOnce sync.Once
	botocorePeer *botocore
	botocoreErr  string
)

func startBotocore(t testing.TB) *botocore {
	botocoreOnce.Do(func() {
		script, _ := filepath.Abs("../testdata/peers/botocore_parse.py")
		cmd := exec.Command("python3", script)
		if out, err := exec.Command("python3", "-c", "import botocore").CombinedOutput(); err != nil {
			botocoreErr = "python3 with botocore is not available: " + string(out)
			return
		}
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			botocoreErr = err.Error()
			return
		}
		botocorePeer = &botocore{in: in, out: bufio.NewReaderSize(out, 1<<20), cmd: cmd}
	})
	if botocorePeer == nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(botocoreErr)
		}
		t.Skip(botocoreErr)
	}
	return botocorePeer
}

// stopBotocore ends the Python process, if one was started: it exits at
// the end of its input.
func stopBotocore() {
	if b := botocorePeer; b != nil {
		b.in.Close()
		_ = b.cmd.Wait()
	}
}

// parse returns botocore's sections, or ok=false where it fails to parse.
func (b *botocore) parse(t testing.TB, data []byte) (map[string]map[string]string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	req, _ := json.Marshal(map[string]string{"data": base64.StdEncoding.EncodeToString(data)})
	if _, err := b.in.Write(append(req, '\n')); err != nil {
		t.Fatal(err)
	}
	line, err := b.out.ReadBytes('\n')
	if err != nil {
		t.Fatal(err)
	}
	var ans struct {
		Sections map[string]map[string]string
		Error    string
	}
	if err := json.Unmarshal(line, &ans); err != nil {
		t.Fatal(err)
	}
	return ans.Sections, ans.Error == ""
}

// ours is what Parse sees, in botocore's shape.
func ours(f *File) map[string]map[string]string {
	m := map[string]map[string]string{}
	for _, s := range f.sections {
		m[s.Name] = map[string]string{}
		for _, o := range s.options {
			m[s.Name][o.key] = o.value
		}
	}
	return m
}

// agreeWithBotocore asserts that where Parse accepts data, botocore does
// too and sees the same sections, keys and values.
func agreeWithBotocore(t testing.TB, b *botocore, data []byte) {
	t.Helper()
	f, err := Parse(data)
	if err != nil {
		return // refusing is always safe
	}
	if f.Section("DEFAULT") != nil {
		return // configparser copies [DEFAULT] into every section; aws-mfa never writes it
	}
	theirs, ok := b.parse(t, data)
	if !ok {
		t.Fatalf("botocore cannot parse what aws-mfa accepts:\n%q", data)
	}
	if got := ours(f); !reflect.DeepEqual(got, theirs) {
		t.Fatalf("parsers disagree on %q:\naws-mfa:  %v\nbotocore: %v", data, got, theirs)
	}
}

// TestBotocoreReadsEveryGoldenFile runs the AWS CLI's parser over every
// golden input and output: it must parse them, and see what we see.
func TestBotocoreReadsEveryGoldenFile(t *testing.T) {
	t.Parallel()
	b := startBotocore(t)
	files, _ := filepath.Glob("testdata/edit/*/*")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		if _, err := Parse(data); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if filepath.Base(file) == "want" {
			if _, ok := b.parse(t, data); !ok {
				t.Errorf("botocore cannot parse %s", file)
			}
		}
		agreeWithBotocore(t, b, data)
	}
}

// FuzzEdit edits arbitrary files. Either the file is refused, or the
// result keeps every line outside the edited keys, sets them, and is read
// by botocore with every other section and key unchanged.
func FuzzEdit(f *testing.F) {
	files, _ := filepath.Glob("testdata/edit/*/in")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		f.Add(data)
	}
	b := startBotocore(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		agreeWithBotocore(t, b, data)
		file, err := Parse(data)
		if err != nil {
			return
		}
		out, err := file.Edit("default", sessionKeys, []string{"aws_security_token"})
		if err != nil {
			return // refused by verify: nothing written
		}
		checkPreserved(t, data, out)
		agreeWithBotocore(t, b, out)
		theirs, ok := b.parse(t, out)
		if !ok {
			t.Fatalf("botocore cannot parse the result:\n%q", out)
		}
		before := ours(file)
		for name, keys := range theirs {
			if name == "default" {
				for _, kv := range sessionKeys {
					if keys[kv.Key] != kv.Value {
						t.Fatalf("%s not set: %v", kv.Key, keys)
					}
				}
				continue
			}
			if !reflect.DeepEqual(keys, before[name]) {
				t.Fatalf("[%s] changed: %v -> %v", name, before[name], keys)
			}
		}
	})
}
