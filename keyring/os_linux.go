package keyring

import (
	"context"
	"os"
	"path/filepath"

	dbus "github.com/godbus/dbus/v5"
)

// Linux's own store is the Secret Service.
const (
	native     = SecretService
	nativeName = "Secret Service"
	nativeHint = "unlock the login keyring (your desktop's prompt, `gnome-keyring-daemon --unlock`, or seahorse), or set keyring_backend = \"pass\" on a server without a desktop"
)

// reachable, checked before every call to the OS store (bounded),
// refuses before godbus would autolaunch a D-Bus daemon of its own
// (dbus-launch) where there is no session bus, as on a server.
func reachable() error {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return nil
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
			return nil
		}
	}
	return unavailable("no D-Bus session (DBUS_SESSION_BUS_ADDRESS is unset), as on a server; run aws-mfa in a desktop session, or keep the keys in pass (docs/keyring.md says how)")
}

// status asks the Secret Service for the item without unlocking
// anything: SearchItems lists locked items apart, and shows no prompt.
func (osBackend) status(ctx context.Context, item string) error {
	// The session connection go-keyring's own calls share.
	conn, err := dbus.SessionBus()
	if err != nil {
		return unavailable("D-Bus: %v", err)
	}
	var unlocked, locked []dbus.ObjectPath
	attrs := map[string]string{"service": Service, "username": item}
	err = conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		CallWithContext(ctx, "org.freedesktop.Secret.Service.SearchItems", 0, attrs).Store(&unlocked, &locked)
	switch {
	case err != nil:
		return osError(err)
	case len(unlocked) > 0:
		return nil
	case len(locked) > 0:
		return kindError{ErrLocked, "the login keyring is locked"}
	}
	return ErrNotFound
}
