package setup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/shells"
)

// KeyStore is the keyring setup --keyring moves the keys to; *keyring.Store
// in production.
type KeyStore interface {
	Get(ctx context.Context, item string) (keyring.Keys, error)
	Put(ctx context.Context, item string, k keyring.Keys) error
	Where(item string) string
}

var longTermKeyNames = []string{"aws_access_key_id", "aws_secret_access_key"}

// runKeyring is Run with req.Keyring: the keys go to the keyring, are read
// back and compared, the pair names the item, and only then are the keys
// removed from the credentials file. The keyring holds a verified copy
// before the file loses its copy, and the file is replaced atomically, so
// no backup with the keys is written at all.
func runKeyring(ctx context.Context, req Request, d Deps, creds *credfile.File) (*Result, error) {
	if req.Pair == "" {
		return nil, inputerr.Errorf("setup --keyring needs a pair to name the keyring item in")
	}
	if d.Store == nil {
		return nil, errors.New("setup --keyring: no keyring store")
	}
	keys, _, err := sourceKeys(creds, req)
	inFile := err == nil
	if !inFile {
		// Run again after the move: the keys are only in the keyring.
		k, kerr := d.Store.Get(ctx, req.Keyring)
		if kerr != nil {
			return nil, fmt.Errorf("%w; and %v", err, kerr)
		}
		keys = exporter.Keys{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}
	}
	if s := creds.Section(credfile.DefaultSection); s != nil && s.Get("aws_secret_access_key") == keys.SecretAccessKey {
		// Clearing [DEFAULT] would take the keys from every profile that
		// inherits them: that is the user's call, made before anything moves.
		return nil, inputerr.Errorf("[%s] in %s holds the secret key of %s, which every profile inherits; move the keys from [%[1]s] into the profiles that use them, then run setup --keyring again", credfile.DefaultSection, req.Paths.Credentials, exporter.MaskKey(keys.AccessKeyID))
	}
	res := &Result{Serial: req.Serial}
	if v, _ := creds.Value(req.Source, "mfa_serial"); res.Serial == "" {
		res.Serial = v
	}
	if res.Serial == "" {
		if res.Serial, err = findDevice(ctx, keys, d); err != nil {
			return nil, err
		}
	}

	// The file: mfa_serial in the source; the keys out of every profile
	// that holds exactly them (refused above when [DEFAULT] does): after
	// the move no profile may keep a plaintext copy. Which sections those are is
	// decided on the file as read under the lock, and cleared names them.
	old := creds.Bytes()
	var cleared []string
	edit := func(f *credfile.File) ([]byte, error) {
		cleared = nil
		type drop struct {
			name string
			keys []string
		}
		var drops []drop
		for _, s := range f.Sections() {
			c := f.Credentials(s.Name)
			if c.AccessKeyID != keys.AccessKeyID || c.SecretAccessKey != keys.SecretAccessKey {
				continue
			}
			var own []string
			for _, k := range longTermKeyNames {
				if s.Has(k) {
					own = append(own, k)
				}
			}
			if len(own) > 0 {
				drops = append(drops, drop{s.Name, own})
			}
		}
		out := f
		apply := func(name string, set []credfile.KV, remove []string) error {
			b, err := out.Edit(name, set, remove)
			if err != nil {
				return err
			}
			out, err = credfile.Parse(b)
			return err
		}
		if v, _ := out.Value(req.Source, "mfa_serial"); v != res.Serial {
			if err := apply(req.Source, []credfile.KV{{Key: "mfa_serial", Value: res.Serial}}, nil); err != nil {
				return nil, err
			}
		}
		for _, d := range drops {
			if err := apply(d.name, nil, d.keys); err != nil {
				return nil, err
			}
			cleared = append(cleared, d.name)
		}
		for _, s := range out.Sections() {
			if c := out.Credentials(s.Name); c.SecretAccessKey == keys.SecretAccessKey {
				return nil, fmt.Errorf("refusing to write %s: [%s] would still read the secret key of %s", req.Paths.Credentials, s.Name, exporter.MaskKey(keys.AccessKeyID))
			}
		}
		return out.Bytes(), nil
	}
	newCreds, err := edit(creds)
	if err != nil {
		return nil, err
	}
	oldCfg, err := readConfig(req.ConfigPath)
	if err != nil {
		return nil, err
	}
	newCfg, err := keyringPair(req, oldCfg)
	if err != nil {
		return nil, err
	}

	where := d.Store.Where(req.Keyring)
	if req.DryRun {
		changed := false
		if inFile {
			fmt.Fprintf(d.Out, "aws-mfa: would store the keys %s in %s, read them back and compare\n", exporter.MaskKey(keys.AccessKeyID), where)
			changed = true
		}
		for _, c := range []struct {
			path     string
			old, new []byte
		}{{req.Paths.Credentials, old, newCreds}, {req.ConfigPath, oldCfg, newCfg}} {
			if c.new != nil && string(c.new) != string(c.old) {
				d.Out.Write(diff.Diff(c.path, mask(c.old), c.path+" (after setup)", mask(c.new)))
				changed = true
			}
		}
		if len(cleared) > 0 {
			fmt.Fprintf(d.Out, "aws-mfa: would remove the keys from %s in %s\n", profiles(cleared), req.Paths.Credentials)
		}
		leftovers(d.Out, req.Paths.Credentials, newCreds, keys)
		if !changed {
			fmt.Fprintln(d.Out, "aws-mfa: nothing to change")
		}
		return res, nil
	}

	// 1. The keyring gets a verified copy, unless it has these keys already.
	k := keyring.Keys{AccessKeyID: keys.AccessKeyID, SecretAccessKey: keys.SecretAccessKey}
	have, err := d.Store.Get(ctx, req.Keyring)
	switch {
	case err == nil && have == k:
	case err == nil:
		return nil, inputerr.Errorf("%s already holds other keys (%s); run %s to keep them, or name another item", where, exporter.MaskKey(have.AccessKeyID), shells.Line("aws-mfa", "keyring", "export", "-p", req.Pair))
	case !errors.Is(err, keyring.ErrNotFound):
		return nil, err
	default:
		if err := d.Store.Put(ctx, req.Keyring, k); err != nil {
			return nil, err
		}
		fmt.Fprintf(d.Out, "aws-mfa: stored the keys %s in %s and read them back\n", exporter.MaskKey(keys.AccessKeyID), where)
	}
	// 2. The pair names the item, so that refreshes read it.
	if newCfg != nil {
		// Made again on the config as it is now: another setup --keyring
		// or a hand edit meanwhile keeps what it wrote.
		err := d.Writer.EditBytes(req.ConfigPath, func(old []byte) ([]byte, error) { return keyringPair(req, old) })
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", req.ConfigPath, err)
		}
		res.Changed = append(res.Changed, req.ConfigPath)
		fmt.Fprintf(d.Out, "aws-mfa: updated %s: [pair.%s] keyring = %q\n", req.ConfigPath, req.Pair, req.Keyring)
	}
	// 3. Only now the file loses its copy, under the lock, and only if it
	// still holds the keys the keyring holds.
	if string(newCreds) != string(old) {
		// edit removes only keys equal to the keyring's, so a file changed
		// meanwhile loses nothing the keyring does not hold.
		err := d.Writer.Update(req.Paths.Credentials, edit)
		if err != nil {
			return nil, fmt.Errorf("remove the keys from %s (they are safe in %s): %w", req.Paths.Credentials, where, err)
		}
		res.Changed = append(res.Changed, req.Paths.Credentials)
		fmt.Fprintf(d.Out, "aws-mfa: removed the keys from %s in %s, replaced in one step; no backup with the keys was written\n", profiles(cleared), req.Paths.Credentials)
		if after, err := credfile.Read(req.Paths.Credentials); err == nil {
			leftovers(d.Out, req.Paths.Credentials, after.Bytes(), keys)
		}
	}
	return res, nil
}

// profiles names sections as "[a], [b] and [c]".
func profiles(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "[" + n + "]"
	}
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " and " + quoted[len(quoted)-1]
}

// leftovers tells the user where the secret key still appears in data
// outside any key botocore reads (a comment, another key's value), by
// line number only: setup removes keys, never the user's comments.
func leftovers(w io.Writer, path string, data []byte, keys exporter.Keys) {
	if len(keys.SecretAccessKey) < 8 {
		return // too short to tell from other text; AWS's are 40 characters
	}
	var at []string
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, keys.SecretAccessKey) {
			at = append(at, strconv.Itoa(i+1))
		}
	}
	if len(at) > 0 {
		fmt.Fprintf(w, "aws-mfa: the secret key of %s still appears in %s on line %s; delete it there by hand\n", exporter.MaskKey(keys.AccessKeyID), path, strings.Join(at, ", "))
	}
}

// keyringPair returns the config old with [pair.NAME] naming the keyring
// item (and backend): appended if the pair is new, lines inserted under
// its header if it has none; nil when nothing changes.
func keyringPair(req Request, old []byte) ([]byte, error) {
	cur, err := addPair(req, old)
	if err != nil {
		return nil, err
	}
	if cur == nil {
		cur = old
	}
	cfg, err := config.Parse(req.ConfigPath, cur)
	if err != nil {
		return nil, inputerr.Errorf("fix the config first: %v", err)
	}
	p, err := cfg.Select(req.Pair)
	if err != nil {
		return nil, err
	}
	var lines []string
	switch p.Keyring {
	case req.Keyring:
	case "":
		lines = append(lines, fmt.Sprintf("keyring = %q\n", req.Keyring))
	default:
		return nil, inputerr.Errorf("[pair.%s] in %s already names keyring item %s", req.Pair, req.ConfigPath, p.Keyring)
	}
	if req.KeyringBackend != "" && req.KeyringBackend != p.KeyringBackend {
		lines = append(lines, fmt.Sprintf("keyring_backend = %q\n", req.KeyringBackend))
	}
	if len(lines) == 0 {
		if string(cur) == string(old) {
			return nil, nil
		}
		return cur, nil
	}
	at := -1
	for _, m := range pairHeaderRE().FindAllSubmatchIndex(cur, -1) {
		if string(cur[m[2]:m[3]]) == req.Pair {
			at = m[1]
		}
	}
	if at < 0 {
		return nil, inputerr.Errorf("cannot find [pair.%s] in %s; add keyring = %q to it by hand", req.Pair, req.ConfigPath, req.Keyring)
	}
	if nl := strings.IndexByte(string(cur[at:]), '\n'); nl >= 0 {
		at += nl + 1
	} else {
		at = len(cur)
		lines[0] = "\n" + lines[0]
	}
	out := []byte(string(cur[:at]) + strings.Join(lines, "") + string(cur[at:]))
	check, err := config.Parse(req.ConfigPath, out)
	if err == nil {
		p, err = check.Select(req.Pair)
	}
	if err != nil || p.Keyring != req.Keyring || req.KeyringBackend != "" && p.KeyringBackend != req.KeyringBackend {
		return nil, inputerr.Errorf("could not add keyring = %q to [pair.%s] in %s (%v); add it by hand", req.Keyring, req.Pair, req.ConfigPath, err)
	}
	return out, nil
}
