// Package keyring keeps a source's long-term AWS keys out of the plaintext
// credentials file: in the operating system's own store (Secret Service
// on Linux, the Keychain on macOS, Credential Manager on Windows) or in
// pass(1), which works on a headless server. Every call is bounded in
// time, and errors name the backend and the item, never a secret.
package keyring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// Backend names, as the config's keyring_backend spells them.
const (
	OS            = "os" // the platform's own store; the default
	SecretService = "secret-service"
	Keychain      = "keychain"
	WinCred       = "wincred"
	Pass          = "pass"
)

// Service is what every item is filed under: the Secret Service and
// Keychain "service", the pass folder, the Credential Manager prefix.
const Service = "aws-mfa"

// Errors callers branch on. Each is wrapped with the backend and item.
var (
	ErrNotFound    = inputerr.New("no such item")
	ErrLocked      = inputerr.New("locked")
	ErrUnavailable = errors.New("unavailable")
)

// kindError is a one-line message that matches one of the errors above.
type kindError struct {
	kind error
	msg  string
}

func (e kindError) Error() string        { return e.msg }
func (e kindError) Is(target error) bool { return target == e.kind || errors.Is(e.kind, target) }

func unavailable(format string, a ...any) error {
	return kindError{ErrUnavailable, fmt.Sprintf(format, a...)}
}

// wire is what an item holds: awscred.Keys as JSON.
type wire struct {
	AccessKeyID     string `json:"aws_access_key_id"`
	SecretAccessKey string `json:"aws_secret_access_key"`
}

// backend stores one secret string per item name.
type backend interface {
	get(ctx context.Context, item string) (string, error)
	set(ctx context.Context, item, secret string) error
	remove(ctx context.Context, item string) error
	// status says whether item is there, without asking to unlock.
	status(ctx context.Context, item string) error
}

// where names the item as every backend's own tools show it.
func where(item string) string { return Service + "/" + item }

// Store is one backend, with a bound on each call.
type Store struct {
	Name    string // as shown to people: "Secret Service", "pass"
	b       backend
	timeout time.Duration
}

// Open returns the named backend; "" means OS. Nothing is contacted yet.
func Open(name string, timeout time.Duration) (*Store, error) {
	switch {
	case !Valid(name):
		return nil, inputerr.Errorf("keyring_backend %q is unknown; use %q (this system's own store) or %q", name, OS, Pass)
	case name == Pass:
		return &Store{Name: "pass", b: passBackend{}, timeout: timeout}, nil
	case name != "" && name != OS && name != native:
		// Another system's own store, which a config shared between
		// machines may name.
		return nil, inputerr.Errorf("keyring_backend %q is not available on %s; use %q or %q", name, runtime.GOOS, OS, Pass)
	}
	return &Store{Name: nativeName, b: osBackend{}, timeout: timeout}, nil
}

// Valid reports whether name is a backend the config may name.
func Valid(name string) bool {
	return slices.Contains([]string{"", OS, SecretService, Keychain, WinCred, Pass}, name)
}

// CheckItem accepts item names that every backend files the same way:
// letters, digits and ._+=@- (no slash: pass would make it a folder).
func CheckItem(item string) error {
	if item == "" || len(item) > 128 {
		return fmt.Errorf("keyring item %q must be 1 to 128 characters", item)
	}
	if !itemRE.MatchString(item) {
		return fmt.Errorf("keyring item %q may hold only letters, digits and ._+=@-", item)
	}
	return nil
}

var itemRE = regexp.MustCompile(`^[A-Za-z0-9._+=@-]+$`)

// Where names the item for people: "Secret Service item aws-mfa/work".
func (s *Store) Where(item string) string { return s.Name + " item " + where(item) }

// Get reads the keys kept in item.
func (s *Store) Get(ctx context.Context, item string) (awscred.Keys, error) {
	var k wire
	var v string
	err := bounded(ctx, s, item, "read", func(ctx context.Context, item string) (err error) {
		v, err = s.b.get(ctx, item)
		return err
	})
	if err != nil {
		return awscred.Keys{}, err
	}
	if json.Unmarshal([]byte(v), &k) != nil || k.AccessKeyID == "" || k.SecretAccessKey == "" {
		return awscred.Keys{}, fmt.Errorf("%s does not hold aws-mfa's keys (JSON with aws_access_key_id and aws_secret_access_key); something else wrote it: name another item in the pair's keyring key, or remove this one with the backend's own tool, then run aws-mfa setup --keyring", s.Where(item))
	}
	return awscred.Keys(k), nil
}

// Peek is Get where that needs no prompt: the item is there and
// unlocked (Status), and pass's gpg fails rather than ask for the
// passphrase. It is for looking, as doctor does.
func (s *Store) Peek(ctx context.Context, item string) (awscred.Keys, error) {
	if err := s.Status(ctx, item); err != nil {
		return awscred.Keys{}, err
	}
	quiet := *s
	if _, ok := s.b.(passBackend); ok {
		quiet.b = passBackend{noPrompt: true}
	}
	return quiet.Get(ctx, item)
}

// Put stores k in item, then reads it back and compares, so that a caller
// may delete the only other copy once Put returns nil.
func (s *Store) Put(ctx context.Context, item string, k awscred.Keys) error {
	b, _ := json.Marshal(wire(k)) // two strings: it cannot fail
	if err := bounded(ctx, s, item, "write", func(ctx context.Context, item string) error { return s.b.set(ctx, item, string(b)) }); err != nil {
		return err
	}
	switch got, err := s.Get(ctx, item); {
	case err != nil:
		return fmt.Errorf("read back what was written: %w", err)
	case got != k:
		return fmt.Errorf("%s reads back other keys than were written; nothing else was changed", s.Where(item))
	}
	return nil
}

// Delete removes item.
func (s *Store) Delete(ctx context.Context, item string) error {
	return bounded(ctx, s, item, "delete", s.b.remove)
}

// Status reports whether item is there and readable without a prompt:
// nil, or an error wrapping ErrNotFound, ErrLocked or ErrUnavailable.
func (s *Store) Status(ctx context.Context, item string) error {
	return bounded(ctx, s, item, "check", s.b.status)
}

// bounded runs fn with the store's timeout, after checking that the OS
// store can be reached at all (reachable). A backend call that ignores
// its context (a D-Bus call to a daemon that never answers) is left
// behind in its goroutine; aws-mfa exits soon after anyway.
func bounded(ctx context.Context, s *Store, item, verb string, fn func(context.Context, string) error) error {
	if _, ok := s.b.(osBackend); ok {
		if err := reachable(); err != nil {
			return s.explain(verb, item, err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(ctx, item) }()
	select {
	case err := <-done:
		return s.explain(verb, item, err)
	case <-ctx.Done():
		return unavailable("%s: no answer within %s to %s %s; %s", s.Name, s.timeout, verb, where(item), s.Hint(item))
	}
}

// explain names the backend, the item and what was being done in err;
// nil stays nil.
func (s *Store) explain(verb, item string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNotFound):
		return kindError{ErrNotFound, fmt.Sprintf("%s not found; run aws-mfa setup --keyring to store the keys there", s.Where(item))}
	case errors.Is(err, ErrLocked):
		return kindError{ErrLocked, fmt.Sprintf("%s is locked (%s %s: %v); %s", s.Name, verb, where(item), err, s.Hint(item))}
	case errors.Is(err, ErrUnavailable):
		return unavailable("%s %s: %v", verb, s.Where(item), err)
	}
	return fmt.Errorf("%s %s: %v", verb, s.Where(item), err)
}

// Hint says how to unlock or reach the backend by its own means. gpg-agent
// asks for a passphrase on the terminal GPG_TTY names, and without it
// fails with "No secret key", which names no cause.
func (s *Store) Hint(item string) string {
	if _, ok := s.b.(passBackend); ok {
		return "gpg-agent asks for the passphrase only where GPG_TTY names the terminal: run `export GPG_TTY=$(tty)` (add it to your shell's rc file), or unlock the key with `pass show " + where(item) + "`, then run again"
	}
	return nativeHint
}
