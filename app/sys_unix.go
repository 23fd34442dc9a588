//go:build !windows

package app

import (
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// execve replaces aws-mfa with the command, so its exit status and
// signals are the command's own.
func execve(path string, argv, env []string) error { return syscall.Exec(path, argv, env) }

// foreground says whether aws-mfa is in its terminal's foreground process
// group, which the terminal's Ctrl-C and Ctrl-\ reach as a whole.
func foreground() bool {
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	defer tty.Close()
	pgrp, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
	return err == nil && pgrp == syscall.Getpgrp()
}

// parentProcess names the process that ran aws-mfa, where the system
// says so without running anything (Linux /proc).
func parentProcess() string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(os.Getppid()) + "/comm") // nil, and "", where unreadable
	return commName(string(b))
}

// commName is the program's name in a /proc comm line. A process may set
// its own name with its arguments in it (xonsh, through setproctitle,
// shows "xonsh -l /tmp/x"), so only the first word names the program.
func commName(comm string) string {
	name, _, _ := strings.Cut(strings.TrimSpace(comm), " ")
	return name
}

// openTTY opens the controlling terminal.
func openTTY() (io.ReadWriteCloser, error) { return os.OpenFile("/dev/tty", os.O_RDWR, 0) }
