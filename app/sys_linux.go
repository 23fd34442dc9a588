package app

import "golang.org/x/sys/unix"

// undumpable gives aws-mfa's /proc files (its environment, its memory)
// to root: the command exec --renew runs as the same user can no longer
// read there the variables taken out of its own environment, nor any key
// aws-mfa has read. A non-Linux system has no such files.
func undumpable() { _ = unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0) }
