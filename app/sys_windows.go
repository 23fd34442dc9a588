package app

import (
	"errors"
	"io"
	"os"
	"os/exec"
)

// execve runs the command and exits with its status: Windows cannot
// replace a process.
func execve(path string, argv, env []string) error {
	cmd := exec.Command(path, argv[1:]...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		os.Exit(exit.ExitCode())
	}
	if err != nil {
		return err
	}
	os.Exit(0)
	return nil
}

// parentProcess is unknown on Windows; $SHELL or --shell decide.
func parentProcess() string { return "" }

// openTTY opens the console.
func openTTY() (io.ReadWriteCloser, error) { return os.OpenFile("CONIN$", os.O_RDWR, 0) }
