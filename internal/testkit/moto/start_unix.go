//go:build unix

package moto

import (
	"os/exec"
	"syscall"
	"time"
)

// start starts cmd in a process group of its own, so that stopping it
// also stops whatever its launcher (a pyenv shim, a wrapper script) forked,
// and returns a function that kills the group and waits for cmd to exit.
func start(cmd *exec.Cmd) (stop func(), err error) {
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	return func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
	}, nil
}
