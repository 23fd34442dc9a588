package shells

import "strings"

// elvish: inside single quotes a quote is doubled and nothing else is special.
var elvish = quoted{elvishQuote, "set-env %s %s", "unset-env %s", "print %s\n", "elvish.elv"}

func elvishQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
