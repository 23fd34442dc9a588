//go:build !unix

package readfile

import "os"

// open opens path for reading. Windows has no FIFOs in the file system.
func open(path string) (*os.File, error) { return os.Open(path) }
