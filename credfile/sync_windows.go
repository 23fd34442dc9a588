package credfile

// syncDir is a no-op on Windows, where directories cannot be synced.
func syncDir(string) {}
