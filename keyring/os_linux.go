package keyring

import (
	"context"
	"os"
	"path/filepath"

	dbus "github.com/godbus/dbus/v5"
)

// reachable refuses before godbus would autolaunch a D-Bus daemon of its
// own (dbus-launch) where there is no session bus, as on a server.
func reachable() error {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return nil
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
			return nil
		}
	}
	return unavailable("no D-Bus session (DBUS_SESSION_BUS_ADDRESS is unset)")
}

// status asks the Secret Service for the item without unlocking
// anything: SearchItems lists locked items apart, and shows no prompt.
func (osBackend) status(ctx context.Context, item string) error {
	if err := reachable(); err != nil {
		return err
	}
	conn, err := dbus.SessionBusPrivate(dbus.WithContext(ctx))
	if err != nil {
		return unavailable("D-Bus: %v", err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return unavailable("D-Bus: %v", err)
	}
	if err := conn.Hello(); err != nil {
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
