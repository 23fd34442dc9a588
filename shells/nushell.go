package shells

import (
	"bytes"
	"encoding/json"
)

// nushell reads a JSON record: aws-mfa env | from json | load-env.
// load-env cannot remove a variable, so one to remove is set empty, which
// every AWS SDK treats as unset.
type nushell struct{}

func (nushell) Export(vars []Var) (string, error) {
	var b bytes.Buffer
	b.WriteString("{")
	for i, v := range vars {
		if err := check(v); err != nil {
			return "", err
		}
		if i > 0 {
			b.WriteString(", ")
		}
		k, _ := json.Marshal(v.Name)
		val, _ := json.Marshal(v.Value) // "" for an unset
		b.Write(k)
		b.WriteString(": ")
		b.Write(val)
	}
	b.WriteString("}\n")
	return b.String(), nil
}

// Print is a JSON string, where Export is a JSON record: the hook loads
// a record and returns a string as its value, for a pipeline or the
// terminal.
func (nushell) Print(text string) (string, error) {
	b, err := json.Marshal(text)
	return string(b) + "\n", err
}

// Hook prints the nushell hook.
func (nushell) Hook(exe string, vars []string) (string, error) {
	return render("nu.nu", exe, vars, jsonQuote)
}
