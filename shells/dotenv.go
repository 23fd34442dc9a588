package shells

import (
	"fmt"
	"strings"
)

// dotenv writes K='V' lines for .env files. Readers differ on escapes, so
// a value that needs one is refused; there is no way to unset, so unsets
// are left out. A file format has no hook.
type dotenv struct{ noHook }

func (dotenv) Export(vars []Var) (string, error) {
	return lines(vars,
		func(k, v string) (string, error) {
			if strings.ContainsAny(v, "'\\\n\r") {
				return "", fmt.Errorf("%w in a .env file: it contains a quote, backslash or line break", ErrUnrepresentable)
			}
			return k + "='" + v + "'", nil
		},
		nil)
}
