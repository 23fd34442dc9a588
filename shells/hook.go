package shells

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The hook scripts are real files, so that they can be linted; each holds
// the placeholders that render fills.
//
//go:embed hooks
var hookFiles embed.FS

// ErrNoHook marks a dialect that has no rc-file hook.
var ErrNoHook = errors.New("no hook for this shell")

// noHook is what a dialect without a hook embeds: it says why there is no
// hook, nor a Print for a hook's wrapper.
type noHook string

func (why noHook) Hook(string, []string) (string, error) {
	return "", fmt.Errorf("%w: %s", ErrNoHook, why)
}

func (why noHook) Print(string) (string, error) { return why.Hook("", nil) }

// render fills a hook script: the binary's path quoted for the dialect
// in place of '@AWS_MFA@', quotes and all, and the names of the variables
// the prompt hook removes on expiry in place of @AWS_MFA_VARS@.
func render(file, exe string, vars []string, quote func(string) (string, error)) (string, error) {
	if exe == "" {
		return "", errors.New("the path of the aws-mfa binary is unknown")
	}
	q, err := quote(exe)
	if err != nil {
		return "", fmt.Errorf("the path %q %w", exe, err)
	}
	// Two passes: the wrapper and the completion hold placeholders too.
	// The bash, zsh and sh hooks hold a line @AWS_MFA_WRAPPER@, which
	// becomes hooks/posix_wrapper.sh: one copy of the wrapper's body. The
	// bash, zsh and fish hooks hold a line @AWS_MFA_COMPLETION@, which
	// becomes hooks/complete_FILE: the completion a package also installs
	// on its own (internal/release/completion).
	script := strings.NewReplacer(
		"@AWS_MFA_WRAPPER@\n", HookFile("posix_wrapper.sh"),
		"@AWS_MFA_COMPLETION@\n", HookFile("complete_"+file),
	).Replace(HookFile(file))
	return strings.NewReplacer("'@AWS_MFA@'", q, "@AWS_MFA_VARS@", strings.Join(vars, " ")).Replace(script), nil
}

// HookFile is one of the hook files, or "" for a name that is not one (a
// hook with no completion). TestHookGolden renders every hook whole; the
// release packages the completions (internal/release/completion).
func HookFile(name string) string {
	b, _ := hookFiles.ReadFile("hooks/" + name)
	return string(b)
}

func jsonQuote(s string) (string, error) {
	b, err := json.Marshal(s)
	return string(b), err
}
