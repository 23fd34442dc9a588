//go:build !unix

package e2e

// privateDir has nothing to check on Windows, where the temp directory is
// the user's own.
func privateDir(string) error { return nil }
