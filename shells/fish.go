package shells

import "strings"

// fish: inside single quotes only \ and ' are special.
type fish struct{}

func (fish) Export(vars []Var) (string, error) {
	return lines(vars,
		func(k, v string) (string, error) { return "set -gx " + k + " " + fishQuote(v), nil },
		// set -e of an unset variable fails with status 4, which a later
		// set -gx keeps: `aws-mfa env | source; and CMD` would never run CMD.
		func(k string) string { return "if set -q " + k + "; set -e " + k + "; end" })
}

func fishQuote(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

func (fish) Print(text string) (string, error) {
	return printf(text, fishQuote), nil
}

// Hook prints the fish hook.
func (fish) Hook(exe string, vars []string) (string, error) {
	return render("fish.fish", exe, vars, noQuoteErr(fishQuote))
}
