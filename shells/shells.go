// Package shells turns environment variables into code for each shell
// dialect. It does no I/O: every dialect is one file behind the Shell
// interface, listed in one registry.
//
// Quoting here is a security boundary: the output goes straight into
// eval, and values come from files and from the network. A value that a
// dialect cannot represent exactly is an error, never approximate output.
package shells

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Var is one variable to set, or to remove when Unset is true.
type Var struct {
	Name, Value string
	Unset       bool
}

// Shell is one dialect.
type Shell interface {
	// Export returns code that applies vars in order.
	Export(vars []Var) (string, error)
	// Hook returns the code for the shell's rc file: functions that wrap
	// the binary at exe, and a prompt hook that removes vars on expiry.
	Hook(exe string, vars []string) (string, error)
	// Print returns code that writes text to stdout unchanged: how a
	// hook's wrapper, which evaluates what env prints, passes on output
	// that is not code for its shell (env --format json).
	Print(text string) (string, error)
}

// ErrUnrepresentable marks a value a dialect cannot express exactly.
var ErrUnrepresentable = errors.New("cannot be written safely")

// registry lists the dialects by every name they answer to.
var registry = map[string]Shell{
	"bash":       posix("bash.sh"),
	"zsh":        posix("zsh.zsh"),
	"sh":         posix("sh.sh"),
	"dash":       posix("sh.sh"),
	"ash":        posix("sh.sh"),
	"ksh":        posix("sh.sh"),
	"ksh93":      posix("sh.sh"),
	"mksh":       posix("sh.sh"),
	"yash":       posix("sh.sh"),
	"busybox":    posix("sh.sh"),
	"fish":       fish,
	"tcsh":       csh{name: "tcsh"},
	"csh":        csh{name: "csh", maxWord: cshMaxWord},
	"bsd-csh":    csh{name: "csh", maxWord: cshMaxWord}, // Debian's csh, by its own name
	"elvish":     elvish,
	"xonsh":      xonsh,
	"nu":         nushell{},
	"nushell":    nushell{},
	"pwsh":       powershell{pwsh},
	"powershell": powershell{pwsh},
	"cmd":        cmd{"cmd.exe has no functions; use the for /f line from the README"},
	"dotenv":     dotenv{"dotenv is a file format"},
}

// Lookup finds a dialect by name, as given to --shell or seen as the
// parent process: "-zsh", "/bin/bash" and "pwsh.exe" all work.
func Lookup(name string) (Shell, bool) {
	s, ok := registry[Normalize(name)]
	return s, ok
}

// Normalize reduces a process or path name to a registry key.
func Normalize(name string) string {
	name = strings.ToLower(strings.TrimLeft(name, "-"))
	name = name[strings.LastIndexAny(name, `/\`)+1:] // the last element of a path
	return strings.TrimSuffix(name, ".exe")
}

// Names lists every name Lookup accepts, sorted.
func Names() []string { return slices.Sorted(maps.Keys(registry)) }

// HookNames lists the names whose dialect has an rc-file hook, sorted:
// what `aws-mfa hook` accepts. Asked with no path, a dialect with a hook
// fails before it renders anything.
func HookNames() []string {
	return slices.DeleteFunc(Names(), func(n string) bool {
		_, err := registry[n].Hook("", nil)
		return errors.Is(err, ErrNoHook)
	})
}

// validName reports whether s is a name every shell can set.
var validName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`).MatchString

// check rejects names no shell can set and values no environment can hold.
func check(v Var) error {
	if !validName(v.Name) {
		return fmt.Errorf("variable name %q %w: it must match [A-Za-z_][A-Za-z0-9_]*", v.Name, ErrUnrepresentable)
	}
	if strings.ContainsRune(v.Value, 0) || !utf8.ValidString(v.Value) {
		return fmt.Errorf("value of %s %w: it contains a NUL byte or is not UTF-8", v.Name, ErrUnrepresentable)
	}
	return nil
}

// lines renders vars one line each with set and unset, after checking them.
// A dialect that cannot unset (unset nil) leaves the variables to unset out.
func lines(vars []Var, set func(name, value string) (string, error), unset func(name string) string) (string, error) {
	var b strings.Builder
	for _, v := range vars {
		if v.Unset && unset == nil {
			continue
		}
		if err := check(v); err != nil {
			return "", err
		}
		if v.Unset {
			b.WriteString(unset(v.Name))
		} else {
			line, err := set(v.Name, v.Value)
			if err != nil {
				return "", fmt.Errorf("value of %s %w", v.Name, err)
			}
			b.WriteString(line)
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// quoted is a dialect that writes every value as one quoted word, which
// never fails: each line is a format, given the name and then the quoted
// value, and Print's line is given the quoted text (none for no text).
type quoted struct {
	quote             func(string) string
	set, unset, print string
	hook              string // the rc-file hook
}

func (d quoted) Export(vars []Var) (string, error) {
	return lines(vars,
		func(k, v string) (string, error) { return fmt.Sprintf(d.set, k, d.quote(v)), nil },
		func(k string) string { return fmt.Sprintf(d.unset, k) })
}

func (d quoted) Print(text string) (string, error) {
	if text == "" {
		return "", nil
	}
	return fmt.Sprintf(d.print, d.quote(text)), nil
}

func (d quoted) Hook(exe string, vars []string) (string, error) {
	return render(d.hook, exe, vars, func(s string) (string, error) { return d.quote(s), nil })
}

// Format is one of env's output formats: code for a shell, or a format a
// program reads.
type Format struct{ Name, Desc string }

// Formats are env's --format values, the default first: the one list
// that help, completion and env's checks read.
var Formats = []Format{
	{"shell", "code for your shell"},
	{"json", "credential_process JSON"},
	{"dotenv", "K='V' lines for a .env file"},
}

// FormatNames is Formats' names as a person reads a list: "a, b or c".
func FormatNames() string {
	var names []string
	for _, f := range Formats {
		names = append(names, f.Name)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
