package shells

import "strings"

// elvish: inside single quotes a quote is doubled and nothing else is special.
type elvish struct{}

func (elvish) Export(vars []Var) (string, error) {
	return lines(vars,
		func(k, v string) (string, error) {
			return "set-env " + k + " '" + strings.ReplaceAll(v, "'", "''") + "'", nil
		},
		func(k string) string { return "unset-env " + k })
}
