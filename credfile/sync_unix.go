//go:build !windows

package credfile

import (
	"io/fs"
	"os"
	"syscall"
)

// lockOpenFlags are added when the lock file is opened: O_NOFOLLOW fails
// on a symbolic link (ELOOP) instead of following it, O_NONBLOCK keeps a
// FIFO from hanging the open.
const lockOpenFlags = syscall.O_NOFOLLOW | syscall.O_NONBLOCK

// syncDir makes the rename durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// owner is who owns a file: the new copy of a file, and what aws-mfa
// creates in a directory, must belong to the same user and group, or a
// refresh run as root locks the user out of their own keys.
type owner struct{ uid, gid int }

// ownerOf returns the owner in st, which os.Stat and os.Lstat made.
func ownerOf(st fs.FileInfo) owner {
	s := st.Sys().(*syscall.Stat_t)
	return owner{int(s.Uid), int(s.Gid)}
}

// isRoot reports whether this process may give files away.
func isRoot() bool { return os.Geteuid() == 0 }
