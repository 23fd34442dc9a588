package shells

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The hook scripts are real files, so that they can be linted; each holds
// the placeholders below.
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

const (
	exePlaceholder  = "'@AWS_MFA@'" // replaced, quotes and all, by the quoted path
	varsPlaceholder = "@AWS_MFA_VARS@"
	// wrapperPlaceholder is a line in the bash, zsh and sh hooks that
	// becomes hooks/posix_wrapper.sh: one copy of the wrapper's body.
	wrapperPlaceholder = "@AWS_MFA_WRAPPER@\n"
	// completionPlaceholder is a line in the bash, zsh and fish hooks
	// that becomes hooks/complete_FILE: the completion a package also
	// installs on its own (internal/release/completion).
	completionPlaceholder = "@AWS_MFA_COMPLETION@\n"
)

// render fills a hook script: the binary's path quoted for the dialect,
// and the names of the variables the prompt hook removes on expiry.
func render(file, exe string, vars []string, quote func(string) (string, error)) (string, error) {
	if exe == "" {
		return "", errors.New("the path of the aws-mfa binary is unknown")
	}
	q, err := quote(exe)
	if err != nil {
		return "", fmt.Errorf("the path %q %w", exe, err)
	}
	for _, v := range vars {
		if !validName(v) {
			return "", fmt.Errorf("variable name %q %w", v, ErrUnrepresentable)
		}
	}
	// Two passes: the wrapper and the completion hold placeholders too.
	script := strings.NewReplacer(
		wrapperPlaceholder, HookFile("posix_wrapper.sh"),
		completionPlaceholder, HookFile("complete_"+file),
	).Replace(HookFile(file))
	return strings.NewReplacer(exePlaceholder, q, varsPlaceholder, strings.Join(vars, " ")).Replace(script), nil
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
