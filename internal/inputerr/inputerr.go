// Package inputerr is the class of errors the user fixes in what they
// typed or wrote: an argument, an option, the config, a profile in the
// credentials file. The CLI exits 2 for them, and 1 for everything else
// (STS, IAM, the network, the file system). Each package marks its errors
// where they arise, so that no caller has to guess the class from a
// message or re-wrap another package's errors.
package inputerr

import (
	"errors"
	"fmt"
)

// Err is the class: errors.Is(err, Err) holds for every error made here
// and for every error that wraps one.
var Err = errors.New("bad input")

type classed struct{ err error }

func (e classed) Error() string        { return e.err.Error() }
func (e classed) Unwrap() error        { return e.err }
func (e classed) Is(target error) bool { return target == Err }

// Errorf formats an error of the class; %w wraps as in fmt.Errorf.
func Errorf(format string, a ...any) error { return classed{fmt.Errorf(format, a...)} }

// New is errors.New for the class: a sentinel of a package's own, such as
// "invalid config", that is also an input error.
func New(text string) error { return classed{errors.New(text)} }
