package shells

import (
	"fmt"
	"strings"
)

// cmd is cmd.exe. `set "K=V"` keeps & | < > literal, but nothing protects
// " % ! ^ or a line break, so values with them are refused. It has no
// functions to wrap the binary with: no hook.
type cmd struct{ noHook }

func (cmd) Export(vars []Var) (string, error) {
	return lines(vars,
		func(k, v string) (string, error) {
			if i := strings.IndexAny(v, "\"%!^\r\n"); i >= 0 {
				return "", fmt.Errorf("%w in cmd.exe: it contains %q", ErrUnrepresentable, v[i])
			}
			return `set "` + k + "=" + v + `"`, nil
		},
		func(k string) string { return `set "` + k + `="` })
}
