package shells

import "strings"

// nushell reads a JSON record: aws-mfa env | from json | load-env.
// load-env cannot remove a variable, so one to remove is set empty, which
// every AWS SDK treats as unset.
type nushell struct{}

func (nushell) Export(vars []Var) (string, error) {
	var fields []string
	for _, v := range vars {
		if err := check(v); err != nil {
			return "", err
		}
		k, _ := jsonQuote(v.Name)
		val, _ := jsonQuote(v.Value) // "" for an unset
		fields = append(fields, k+": "+val)
	}
	return "{" + strings.Join(fields, ", ") + "}\n", nil
}

// Print is a JSON string, where Export is a JSON record: the hook loads
// a record and returns a string as its value, for a pipeline or the
// terminal.
func (nushell) Print(text string) (string, error) {
	q, err := jsonQuote(text)
	return q + "\n", err
}

// Hook prints the nushell hook.
func (nushell) Hook(exe string, vars []string) (string, error) {
	return render("nu.nu", exe, vars, jsonQuote)
}
