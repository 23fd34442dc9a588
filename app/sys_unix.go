//go:build !windows

package app

import (
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// execve replaces aws-mfa with the command, so its exit status and
// signals are the command's own.
func execve(path string, argv, env []string) error {
	return syscall.Exec(path, argv, env)
}

// parentProcess names the process that ran aws-mfa, where the system
// says so without running anything (Linux /proc).
func parentProcess() string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(os.Getppid()) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// openTTY opens the controlling terminal.
func openTTY() (io.ReadWriteCloser, error) { return os.OpenFile("/dev/tty", os.O_RDWR, 0) }
