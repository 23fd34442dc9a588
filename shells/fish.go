package shells

import "strings"

// fish: inside single quotes only \ and ' are special, so printf prints
// any text, as in POSIX sh. set -e of an unset variable fails with status
// 4, which a later set -gx keeps: `aws-mfa env | source; and CMD` would
// never run CMD.
var fish = quoted{fishQuote, "set -gx %s %s", "if set -q %[1]s; set -e %[1]s; end", "printf '%%s' %s\n", "fish.fish"}

func fishQuote(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}
