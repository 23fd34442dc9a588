package credfile

import "io/fs"

// syncDir is a no-op on Windows, where directories cannot be synced.
func syncDir(string) {}

// owner is the same for every file on Windows, whose files inherit their
// directory's ACL.
type owner struct{ uid, gid int }

func ownerOf(fs.FileInfo) owner { return owner{} }

func isRoot() bool { return false }

// lockOpenFlags is empty on Windows, which has no O_NOFOLLOW; the lock
// path is refused when Lstat finds a link there.
const lockOpenFlags = 0
