package shells

import (
	"fmt"
	"strings"
)

// dotenv writes K='V' lines for .env files. Readers differ on escapes, so
// a value that needs one is refused; there is no way to unset, so unsets
// are left out.
type dotenv struct{}

func (dotenv) Export(vars []Var) (string, error) {
	var set []Var
	for _, v := range vars {
		if !v.Unset {
			set = append(set, v)
		}
	}
	return lines(set,
		func(k, v string) (string, error) {
			if strings.ContainsAny(v, "'\\\n\r") {
				return "", fmt.Errorf("%w in a .env file: it contains a quote, backslash or line break", ErrUnrepresentable)
			}
			return k + "='" + v + "'", nil
		},
		nil)
}

// Hook: a .env file is not a shell.
func (dotenv) Hook(string, []string) (string, error) {
	return "", fmt.Errorf("%w: dotenv is a file format", ErrNoHook)
}

// Print: a .env file has no hook to print for.
func (dotenv) Print(string) (string, error) {
	return "", fmt.Errorf("%w: dotenv is a file format", ErrNoHook)
}
