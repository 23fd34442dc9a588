package testproc

import (
	"os"
	"syscall"
)

// WriteExecutable is os.WriteFile for a program a test runs next. A
// process forked by another test while the file is open for writing
// inherits the open file until it execs, and running the file meanwhile
// fails with "text file busy" (ETXTBSY). Holding syscall.ForkLock for
// reading keeps this process from forking while the file is open.
func WriteExecutable(name string, data []byte, perm os.FileMode) error {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	return os.WriteFile(name, data, perm)
}
