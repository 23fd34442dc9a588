package credfile

// GiveToDirOwner gives a file the caller has just created beside the
// user's files (setup's backups) the owner and group of its directory
// when aws-mfa runs as root, as the lock and new files get: root setting
// up a user's files must leave nothing the user cannot read or delete.
func GiveToDirOwner(path string) error { return giveToDirOwner(path) }
