package keyring

import (
	"errors"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// TestErrorsCarryTheirClass: an unknown backend, a missing item and a
// locked keyring are the user's to fix (exit 2); a backend that fails or
// hangs is a failure (exit 1). Each error says so as it leaves the package.
func TestErrorsCarryTheirClass(t *testing.T) {
	_, unknown := Open("bogus", 0)
	for what, err := range map[string]error{
		"unknown backend": unknown,
		"not found":       kindError{ErrNotFound, "x not found"},
		"locked":          kindError{ErrLocked, "x is locked"},
	} {
		if err == nil || !errors.Is(err, inputerr.Err) {
			t.Errorf("%s: %v is not an input error", what, err)
		}
	}
	failed := kindError{ErrUnavailable, "the bus did not answer"}
	if errors.Is(failed, inputerr.Err) || !errors.Is(failed, ErrUnavailable) || errors.Is(failed, ErrLocked) {
		t.Errorf("an unavailable backend is classed wrongly")
	}
}
