package testproc

import (
	"os"

	"golang.org/x/sys/unix"
)

// tempInMemory points TMPDIR at /dev/shm, Linux's memory file system,
// unless TMPDIR is set or /dev/shm is not like /tmp: open to every user
// with the sticky bit (tests run programs as nobody there), writable,
// running programs (not noexec: the tests run programs they write), with
// 2 GiB free (a container's is often 64 MiB). The tests create and remove
// thousands of files and directories; on a disk's /tmp, allocating their
// inodes took a third of the full tier's system time (CONTRIBUTING.md).
func tempInMemory() {
	st, err := os.Stat("/dev/shm")
	var fs unix.Statfs_t
	if os.Getenv("TMPDIR") == "" && err == nil && st.Mode()&(os.ModeSticky|0o777) == os.ModeSticky|0o777 &&
		unix.Statfs("/dev/shm", &fs) == nil && fs.Flags&(unix.ST_RDONLY|unix.ST_NOEXEC) == 0 && fs.Bavail*uint64(fs.Bsize) >= 2<<30 {
		os.Setenv("TMPDIR", "/dev/shm")
	}
}
