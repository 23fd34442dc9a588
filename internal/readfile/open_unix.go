//go:build unix

package readfile

import (
	"os"
	"syscall"
)

// open opens path for reading without blocking, so that a FIFO with no
// writer returns at once instead of hanging the command.
func open(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
