package setup

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/shells"
)

// checkKeyring looks at a pair whose keys are in a keyring: the item is
// there and unlocked (asked without a prompt), and the keys are not also
// left in the credentials file, nor in any other file under ~/.aws.
func checkKeyring(creds *credfile.File, p config.Pair, c Checkup) []Finding {
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
		// Readable without a prompt: what else holds the secret key?
		if k, err := store.Peek(context.Background(), p.Keyring); err == nil {
			out = append(out, copyFindings(c, creds, where, k)...)
		}
	case errors.Is(err, keyring.ErrNotFound):
		add(false, name+where+" is missing", setupFix+" (moves the keys there from the credentials file), or aws-mfa keyring export on the machine that has them")
	case errors.Is(err, keyring.ErrLocked):
		add(false, name+store.Name+" is locked, so "+where+" cannot be read", store.Hint(p.Keyring))
	default:
		// Unavailable: no daemon, no store, no answer. Its message says
		// what is missing, before the hint.
		what, _, _ := strings.Cut(err.Error(), "; ")
		add(false, name+what, store.Hint(p.Keyring))
	}
	if creds.HoldsLongTermKeys(p.Source) {
		add(false, name+"["+p.Source+"] still holds long-term keys "+exporter.MaskKey(creds.Credentials(p.Source).AccessKeyID)+" in plaintext, beside "+where,
			setupFix+" (compares them with the keyring's, then removes them from the file)")
	}
	return out
}

// copyFindings names each file under ~/.aws that holds k's secret key,
// and each that could not be searched.
func copyFindings(c Checkup, creds *credfile.File, where string, k awscred.Keys) []Finding {
	var out []Finding
	home, _ := credfile.Home(c.Getenv)
	found, skipped := findCopies(awsDirs(c.Paths, home), k.SecretAccessKey, time.Now().Add(copiesTime))
	real, _ := filepath.EvalSymlinks(c.Paths.Credentials)
	for _, f := range found {
		if f.path == real && len(holding(creds, k)) > 0 {
			continue // a profile's keys: the finding above says how setup --keyring removes them
		}
		fix := "delete the keys from it by hand; " + mayStay
		if f.backup {
			fix = "delete this backup of aws-mfa's: " + shells.Line("rm", f.path) + "; " + mayStay
		}
		out = append(out, Finding{false, fmt.Sprintf("%s holds the secret key of %s, kept in %s, in plaintext", f, exporter.MaskKey(k.AccessKeyID), where), fix})
	}
	for _, s := range skipped {
		out = append(out, Finding{true, "did not search " + s + " for copies of the keys in " + where, ""})
	}
	return out
}
