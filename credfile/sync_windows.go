package credfile

import "io/fs"

// syncDir is a no-op on Windows, where directories cannot be synced.
func syncDir(string) {}

// owner is unused on Windows, whose files inherit their directory's ACL.
type owner struct{ uid, gid int }

func ownerOf(fs.FileInfo) (owner, bool) { return owner{}, false }

func isRoot() bool { return false }

// lockOpenFlags is empty on Windows, which has no O_NOFOLLOW; the lock
// path is refused when Lstat finds a link there.
const lockOpenFlags = 0
