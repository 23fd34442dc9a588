package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// execve runs the command and returns its status as the exit code:
// Windows cannot replace a process. main exits with it.
func execve(path string, argv, env []string) error {
	cmd := exec.Command(path, argv[1:]...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exitCode(exit.ExitCode())
	}
	if err != nil {
		return fmt.Errorf("run %s: %w", argv[0], err)
	}
	return exitCode(ExitOK)
}

// parentProcess is unknown on Windows; $SHELL or --shell decide.
func parentProcess() string { return "" }

// openTTY opens the console.
func openTTY() (io.ReadWriteCloser, error) { return os.OpenFile("CONIN$", os.O_RDWR, 0) }
