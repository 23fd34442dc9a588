package app

import (
	"io"
	"os"
)

// execve runs the command and returns its status as the exit code:
// Windows cannot replace a process. main exits with it.
func execve(path string, argv, env []string) error { return runChild(path, argv, env, "") }

// foreground: a console's Ctrl-C reaches every process attached to it.
func foreground() bool { return true }

// parentProcess is unknown on Windows; $SHELL or --shell decide.
func parentProcess() string { return "" }

// openTTY opens the console.
func openTTY() (io.ReadWriteCloser, error) { return os.OpenFile("CONIN$", os.O_RDWR, 0) }
