package setup

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/shells"
)

// checkKeyring looks at a pair whose keys are in a keyring: the item is
// there and unlocked (asked without a prompt), and the keys are not also
// left in the credentials file.
func checkKeyring(creds *credfile.File, p config.Pair) []Finding {
	var out []Finding
	add := func(ok bool, what, fix string) { out = append(out, Finding{ok, what, fix}) }
	name := fmt.Sprintf("pair %s: ", p.Name)
	setupFix := shells.Line(append([]string{"aws-mfa", "setup", "--keyring"}, pairArgs(p)...)...)
	store, err := keyring.Open(p.KeyringBackend, p.TokenTimeout)
	if err != nil {
		add(false, name+err.Error(), "set keyring_backend in the config to os or pass")
		return out
	}
	where := store.Where(p.Keyring)
	err = store.Status(context.Background(), p.Keyring)
	switch {
	case err == nil:
		add(true, name+"the long-term keys are in "+where, "")
	case errors.Is(err, keyring.ErrNotFound):
		add(false, name+where+" is missing", setupFix+" (moves the keys there from the credentials file), or aws-mfa keyring export on the machine that has them")
	case errors.Is(err, keyring.ErrLocked):
		add(false, name+store.Name+" is locked, so "+where+" cannot be read", store.Hint())
	default:
		// Unavailable: no daemon, no store, no answer. Its message says
		// what is missing, before the hint.
		what, _, _ := strings.Cut(err.Error(), "; ")
		add(false, name+what, store.Hint())
	}
	if creds.HoldsLongTermKeys(p.Source) {
		add(false, name+"["+p.Source+"] still holds long-term keys "+exporter.MaskKey(creds.Credentials(p.Source).AccessKeyID)+" in plaintext, beside "+where,
			setupFix+" (compares them with the keyring's, then removes them from the file)")
	}
	return out
}
