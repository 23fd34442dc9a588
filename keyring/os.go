package keyring

import (
	"context"
	"errors"
	"strings"

	gokeyring "github.com/zalando/go-keyring"
)

// osBackend is the platform's own store through github.com/zalando/go-keyring,
// which is pure Go on all three: D-Bus, /usr/bin/security, and the
// Credential Manager API.
type osBackend struct{}

func (osBackend) get(ctx context.Context, item string) (string, error) {
	v, err := gokeyring.Get(Service, item)
	return v, osError(err)
}

func (osBackend) set(ctx context.Context, item, secret string) error {
	return osError(gokeyring.Set(Service, item, secret))
}

func (osBackend) remove(ctx context.Context, item string) error {
	return osError(gokeyring.Delete(Service, item))
}

// osError maps the library's and D-Bus's errors to this package's.
func osError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gokeyring.ErrNotFound):
		return ErrNotFound
	case strings.Contains(err.Error(), "failed to unlock"), strings.Contains(err.Error(), "IsLocked"):
		return kindError{ErrLocked, "the unlock prompt was dismissed or could not be shown"}
	case strings.Contains(err.Error(), "ServiceUnknown"), strings.Contains(err.Error(), "NameHasNoOwner"):
		return unavailable("no Secret Service on the D-Bus session (is gnome-keyring or KeePassXC running?)")
	}
	return err
}
