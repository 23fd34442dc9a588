package shells

import "strings"

// elvish: inside single quotes a quote is doubled and nothing else is special.
type elvish struct{}

func (elvish) Export(vars []Var) (string, error) {
	return lines(vars,
		func(k, v string) (string, error) {
			return "set-env " + k + " " + elvishQuote(v), nil
		},
		func(k string) string { return "unset-env " + k })
}

func (elvish) Print(text string) (string, error) {
	if text == "" {
		return "", nil
	}
	return "print " + elvishQuote(text) + "\n", nil
}

// Hook prints the elvish hook.
func (elvish) Hook(exe string, vars []string) (string, error) {
	return render("elvish.elv", exe, vars, noQuoteErr(elvishQuote))
}

func elvishQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
