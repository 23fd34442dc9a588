package shells

import (
	"fmt"
	"slices"
	"strings"
)

// csh is tcsh and csh. Users run eval "`aws-mfa env`", which joins the
// output into one line, so each command ends with ";". History expansion
// sees "!" even inside single quotes, so it is escaped; a newline cannot
// survive backquote substitution at all, so it is refused.
//
// eval re-reads each quoted value as one word, and csh (BSD csh, Debian's
// bsd-csh 20110502) stops at "Word too long." for a word over 4080 bytes
// and applies nothing while aws-mfa exits 0; so for csh a longer value is
// refused here. tcsh 6.24 takes a 100,000-byte word in the same test
// (TestCshWordLimit), so it gets no limit of ours: the kernel's 128 KiB
// per environment string comes first.
type csh struct {
	name    string // the --shell the hook passes back: tcsh or csh
	maxWord int    // longest quoted value eval takes; 0 for no limit
}

// cshMaxWord is the longest word BSD csh's eval reads (measured).
const cshMaxWord = 4080

func (c csh) Export(vars []Var) (string, error) {
	return lines(vars,
		func(k, v string) (string, error) {
			q, err := c.word(v)
			return "setenv " + k + " " + q + ";", err
		},
		func(k string) string { return "unsetenv " + k + ";" })
}

// word quotes v as one word eval takes whole: no line break, and within
// csh's limit.
func (c csh) word(v string) (string, error) {
	if strings.ContainsAny(v, "\n\r") {
		return "", fmt.Errorf("%w in %s: it contains a line break", ErrUnrepresentable, c.name)
	}
	q := cshQuote(v)
	if c.maxWord > 0 && len(q) > c.maxWord {
		return "", fmt.Errorf("%w in %s: quoted it is %d bytes, and csh's eval stops at %d (\"Word too long\"); use tcsh, or aws-mfa exec", ErrUnrepresentable, c.name, len(q), c.maxWord)
	}
	return q, nil
}

func cshQuote(v string) string {
	return "'" + strings.NewReplacer(`'`, `'\''`, `!`, `\!`).Replace(v) + "'"
}

// Print is one printf whose format has a %s a line, with each line a
// quoted word, on one line, since eval "`…`" joins lines; a carriage
// return is refused, as in Export.
func (c csh) Print(text string) (string, error) {
	lines := strings.Split(text, "\n")
	words := append([]string{strings.Repeat(`%s\n`, len(lines)-1) + "%s"}, lines...)
	code := "printf"
	for _, w := range words { // the format too is a word within csh's limit
		q, err := c.word(w)
		if err != nil {
			return "", err
		}
		code += " " + q
	}
	return code + ";", nil
}

// Hook prints the tcsh and csh hook, without its comments: backquote
// evaluation joins the lines, and a comment would swallow the rest.
func (c csh) Hook(exe string, vars []string) (string, error) {
	out, err := render("tcsh.csh", exe, vars, c.word)
	out = strings.ReplaceAll(out, "@AWS_MFA_DIALECT@", c.name)
	lines := slices.DeleteFunc(strings.SplitAfter(out, "\n"), func(line string) bool { return strings.HasPrefix(line, "#") })
	return strings.Join(lines, ""), err
}
