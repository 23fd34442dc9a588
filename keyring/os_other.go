//go:build !linux

package keyring

import (
	"context"
	"runtime"
)

// native, nativeName and nativeHint name this system's own store and how
// to unlock it, as os_linux.go does for Linux.
var native, nativeName, nativeHint = func() (string, string, string) {
	switch runtime.GOOS {
	case "darwin":
		return Keychain, "macOS Keychain", "unlock the login keychain (Keychain Access, or `security unlock-keychain`)"
	case "windows":
		return WinCred, "Windows Credential Manager", "sign in to Windows as the user who stored the keys"
	}
	return SecretService, "Secret Service", "unlock the login keyring (your desktop's prompt, `gnome-keyring-daemon --unlock`, or seahorse), or set keyring_backend = \"pass\" on a server without a desktop"
}()

func reachable() error { return nil }

// status reads the item: the Keychain and Credential Manager have no
// separate lock to look at without reading.
func (b osBackend) status(ctx context.Context, item string) error {
	_, err := b.get(ctx, item)
	return err
}
