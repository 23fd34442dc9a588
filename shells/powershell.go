package shells

import "strings"

// powershell: single-quoted strings expand nothing; a quote, including the
// typographic ones PowerShell also accepts (U+2018 to U+201B), is doubled.
// Never double quotes, which expand $(…).
//
// Assigning $null removes a variable and never fails; Remove-Item of an
// unset one fails, and -ErrorAction SilentlyContinue hides the message but
// still leaves $? false (as fish's set -e leaves 4).
type powershell struct{ quoted }

var pwsh = quoted{psQuote, "$Env:%s = %s", "$Env:%s = $null", "", "pwsh.ps1"}

var psQuotes = strings.NewReplacer("'", "''", "\u2018", "\u2018\u2018", "\u2019", "\u2019\u2019", "\u201a", "\u201a\u201a", "\u201b", "\u201b\u201b")

func psQuote(v string) string { return "'" + psQuotes.Replace(v) + "'" }

// Print writes text as PowerShell shows a native command's output: one
// string a line, into the pipeline.
func (powershell) Print(text string) (string, error) {
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		if line = strings.TrimSuffix(line, "\n"); line != "" || b.Len() > 0 {
			b.WriteString(psQuote(strings.TrimSuffix(line, "\r")) + "\n")
		}
	}
	return b.String(), nil
}
