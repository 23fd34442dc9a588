// Package readfile reads the small text files aws-mfa trusts no more than
// any other input: it opens them without blocking (a FIFO or a device in
// their place must not hang the command), refuses anything but a regular
// file, and never reads more than a caller's limit.
package readfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

var (
	// ErrNotRegular marks a path that is a FIFO, a device, a directory or
	// anything else but a regular file.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge marks a file over the caller's limit.
	ErrTooLarge = errors.New("file too large")
)

// Read returns the contents of the regular file at path, at most limit
// bytes. A missing file is reported with an error that wraps
// fs.ErrNotExist; a permission problem wraps fs.ErrPermission. Errors name
// the path, never the file's content.
func Read(path string, limit int64) ([]byte, error) {
	// Without blocking: a FIFO with no writer returns at once instead of
	// hanging the command. Windows, which has no FIFOs, ignores the flag.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err // *fs.PathError: "open PATH: reason"
	}
	defer f.Close()
	switch st, err := f.Stat(); {
	case err != nil:
		return nil, err
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("%s: %w (a %s)", path, ErrNotRegular, Kind(st.Mode()))
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w (over %s)", path, ErrTooLarge, size(limit))
	}
	return data, nil
}

// Kind names the type of a file that is not a regular one ("directory",
// "FIFO", "symbolic link"), for messages that say why it is refused.
func Kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m.IsDir():
		return "directory"
	case m&fs.ModeNamedPipe != 0:
		return "FIFO"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Capped keeps the first Max bytes a command prints; past that its Write
// fails, which makes os/exec close the pipe (the command gets SIGPIPE),
// and sets Over. It has no ReadFrom, which io.Copy would call instead of
// Write.
type Capped struct {
	Max  int
	Over bool
	buf  bytes.Buffer
}

func (w *Capped) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.Max {
		w.Over = true
		return 0, errors.New("too much output")
	}
	return w.buf.Write(p)
}

// String is what was kept.
func (w *Capped) String() string { return w.buf.String() }
