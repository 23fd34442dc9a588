package testproc

import (
	"os"

	"golang.org/x/sys/unix"
)

// tempInMemory points TMPDIR at /dev/shm, Linux's memory file system,
// unless TMPDIR is set, or /dev/shm has less than 2 GiB free (a
// container's is often 64 MiB) or runs no programs (noexec): the tests
// run programs they write there. They create and remove thousands of
// files and directories; on a disk's /tmp, allocating their inodes took
// a third of the full tier's system time (see CONTRIBUTING.md).
func tempInMemory() {
	var fs unix.Statfs_t
	if os.Getenv("TMPDIR") == "" && unix.Statfs("/dev/shm", &fs) == nil && fs.Flags&unix.ST_NOEXEC == 0 && fs.Bavail*uint64(fs.Bsize) >= 2<<30 {
		os.Setenv("TMPDIR", "/dev/shm")
	}
}
