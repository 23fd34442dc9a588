// Package testproc makes a test binary answer for the processes it starts.
// Run tags them through the environment, and when the tests are done it
// fails the run if any of them is still running, after stopping it: a
// leaked moto_server, tmux server or shell is a test bug, not noise.
package testproc

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Env is the variable that tags every process a test binary starts with
// the binary's pid. Processes started with an environment built from
// scratch drop it; those are the test's own business to stop.
const Env = "AWS_MFA_TEST_OWNER"

// M is *testing.M.
type M interface{ Run() int }

// Wrap returns m with a Run that also tags every process the tests start,
// keeps their temporary files in memory where it can (tempInMemory), and
// afterwards runs the stop functions (shared servers), reports on stderr
// every tagged process still running, and stops it. Use it in
// TestMain: os.Exit(testproc.Wrap(m).Run()), or hand it to testscript.
func Wrap(m M, stop ...func()) M { return wrapped{m, stop, os.Stderr, 5 * time.Second} }

type wrapped struct {
	m     M
	stop  []func()
	w     io.Writer
	grace time.Duration // for processes on their way out
}

// Run returns m.Run's exit code, or 1 when a process was left behind.
func (r wrapped) Run() int {
	id := strconv.Itoa(os.Getpid())
	os.Setenv(Env, id)
	tempInMemory()
	code := r.m.Run()
	for _, f := range r.stop {
		f()
	}
	left := Survivors(id, r.grace)
	for _, p := range left {
		fmt.Fprintf(r.w, "testproc: a test left process %d running: %s\n", p.PID, p.Cmd)
		if proc, err := os.FindProcess(p.PID); err == nil {
			_ = proc.Kill()
		}
	}
	if len(left) > 0 && code == 0 {
		code = 1
	}
	return code
}

// Proc is a process that is still running.
type Proc struct {
	PID int
	Cmd string
}

// Survivors lists the processes tagged with id, giving them grace to exit
// (a tmux server and its shells exit some milliseconds after kill-server).
// It lists nothing where /proc is missing.
func Survivors(id string, grace time.Duration) []Proc {
	deadline := time.Now().Add(grace)
	for {
		left := tagged(id)
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func tagged(id string) []Proc {
	want := []byte(Env + "=" + id + "\x00")
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var left []Proc
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile(d + "/environ")
		if err != nil || !bytes.Contains(append([]byte{0}, env...), append([]byte{0}, want...)) {
			continue
		}
		cmd, _ := os.ReadFile(d + "/cmdline")
		if len(cmd) == 0 {
			continue // a zombie its parent has not reaped yet: it has exited
		}
		left = append(left, Proc{PID: pid, Cmd: string(bytes.TrimSpace(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '})))})
	}
	return left
}
