package inputerr

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestClass(t *testing.T) {
	sentinel := New("invalid config")
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{Errorf("duration %s is too long", "99h"), true},
		{Errorf("source: %w", fs.ErrNotExist), true},
		{sentinel, true},
		{fmt.Errorf("%w: line 3", sentinel), true},
		{fmt.Errorf("setup: %w", Errorf("no MFA device")), true},
		{errors.New("connection refused"), false},
		{fmt.Errorf("cannot read: %w", fs.ErrPermission), false},
	} {
		if got := errors.Is(tc.err, Err); got != tc.want {
			t.Errorf("errors.Is(%q, Err) = %v, want %v", tc.err, got, tc.want)
		}
	}
	// The class adds nothing to the message, and keeps what it wraps.
	err := Errorf("source: %w", fs.ErrNotExist)
	if err.Error() != "source: file does not exist" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Errorf lost its message or its cause: %q", err)
	}
	if !errors.Is(fmt.Errorf("x: %w", sentinel), sentinel) {
		t.Error("a wrapped sentinel is not itself")
	}
}
