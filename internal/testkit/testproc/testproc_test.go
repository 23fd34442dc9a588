//go:build linux

package testproc

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

type fakeM func() int

func (f fakeM) Run() int { return f() }

// A process started by a test and not stopped fails the run and is killed;
// one that is stopped does not.
func TestRunReportsLeftovers(t *testing.T) {
	t.Setenv(Env, "") // restored after Run sets it
	var leaked *exec.Cmd
	var out bytes.Buffer
	code := wrapped{m: fakeM(func() int {
		leaked = exec.Command("sleep", "300")
		if err := leaked.Start(); err != nil {
			t.Fatal(err)
		}
		stopped := exec.Command("sleep", "300")
		if err := stopped.Start(); err != nil {
			t.Fatal(err)
		}
		stopped.Process.Kill()
		stopped.Wait()
		return 0
	}), w: &out, grace: 100 * time.Millisecond}.Run()
	done := make(chan error, 1)
	go func() { done <- leaked.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		leaked.Process.Kill()
		t.Fatal("the leaked process was not stopped")
	}
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	want := "left process " + strconv.Itoa(leaked.Process.Pid) + " running: sleep 300"
	if !strings.Contains(out.String(), want) || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("report %q, want one line with %q", out.String(), want)
	}
	if os.Getenv(Env) == "" {
		t.Error("Run did not tag the environment")
	}
}
