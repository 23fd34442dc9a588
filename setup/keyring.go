package setup

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/shells"
)

// KeyStore is the keyring the keys move to and from; *keyring.Store in
// production.
type KeyStore interface {
	Get(ctx context.Context, item string) (awscred.Keys, error)
	Put(ctx context.Context, item string, k awscred.Keys) error
	Delete(ctx context.Context, item string) error
	Where(item string) string
}

// OpenKeyring fills in req what setup --keyring needs: the pair that
// will name the item (req.Pair, else the config's pair for req.Source
// and req.Target, else the built-in name), the item (the pair's, else the
// source profile's name), and the backend to store it in (req's, else the
// pair's), which it opens, bounded by timeout, or by the pair's
// token_timeout when timeout is 0. sourceSet and targetSet say whether
// req's profiles were given or are the defaults.
func OpenKeyring(req *Request, sourceSet, targetSet bool, timeout time.Duration) (KeyStore, error) {
	cfg, err := config.Load(config.Location{Path: req.ConfigPath})
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(cfg.Pairs, func(p config.Pair) bool {
		return req.Pair != "" && p.Name == req.Pair || req.Pair == "" && p.Source == req.Source && p.Target == req.Target
	})
	pair := config.Pair{Name: config.BuiltinName, TokenTimeout: config.DefaultTokenTimeout, KeyringBackend: cfg.KeyringBackend}
	if i >= 0 {
		pair = cfg.Pairs[i]
	}
	switch {
	case pair.SourcePair != "":
		chain, _ := cfg.Chain(pair) // config.Parse refuses a broken chain
		return nil, inputerr.Errorf("pair %s has no long-term keys to move: it is chained from pair %s (source_pair), and its sessions are made from pair %s's keys; run %s", pair.Name, pair.SourcePair, chain[0].Name, shells.Line("aws-mfa", "setup", "--keyring", "-p", chain[0].Name))
	case i >= 0 && req.Pair != "" && !(sourceSet || targetSet):
		req.Source, req.Target, req.RoleARN, req.ExternalID = pair.Source, pair.Target, pair.RoleARN, pair.ExternalID // the pair as it is
	case i < 0 && req.Pair != "" && !(sourceSet && targetSet):
		return nil, inputerr.Errorf("pair %s is not in the config (%s); give --source and --target to add it", req.Pair, cmp.Or(cfg.Path, "none"))
	}
	req.Pair, req.Keyring = cmp.Or(req.Pair, pair.Name), cmp.Or(pair.Keyring, req.Source)
	req.KeyringBackend = cmp.Or(req.KeyringBackend, pair.KeyringBackend)
	if err := keyring.CheckItem(req.Keyring); err != nil {
		return nil, inputerr.Errorf("%v; name the item in the pair's keyring key", err)
	}
	return keyring.Open(req.KeyringBackend, cmp.Or(timeout, pair.TokenTimeout))
}

var longTermKeyNames = []string{"aws_access_key_id", "aws_secret_access_key"}

// runKeyring is Run with req.Keyring: the keys go to the keyring, are read
// back and compared; every pair that read them from the file names the
// item; and only then, under the file's lock and after reading the item
// back once more, are the keys removed from the credentials file. At every
// moment one of the two holds them, and the file is replaced atomically,
// so no backup with the keys is written at all.
func runKeyring(ctx context.Context, req Request, d Deps, creds *credfile.File, cfg []byte, profile plan) (*Result, error) {
	keys, copied, err := sourceKeys(creds, req)
	inFile := err == nil
	if !inFile && creds.HoldsLongTermKeys(req.Source) {
		return nil, err // keys setup refuses to take (sourceKeys says why)
	}
	if !inFile {
		// Run again after the move: the keys are only in the keyring.
		var kerr error
		if keys, kerr = d.Store.Get(ctx, req.Keyring); kerr != nil {
			return nil, fmt.Errorf("%w; and %v", err, kerr)
		}
	}
	if creds.Section(credfile.DefaultSection).Get("aws_secret_access_key") == keys.SecretAccessKey {
		// Clearing [DEFAULT] would take the keys from every profile that
		// inherits them: that is the user's call, made before anything moves.
		return nil, inputerr.Errorf("[%s] in %s holds the secret key of %s, which every profile inherits; move the keys from [%[1]s] into the profiles that use them, then run setup --keyring again", credfile.DefaultSection, req.Paths.Credentials, exporter.MaskKey(keys.AccessKeyID))
	}
	res := &Result{}
	serial, _ := creds.Value(req.Source, "mfa_serial")
	if res.Serial, err = device(ctx, d, keys, cmp.Or(req.Serial, serial)); err != nil {
		return nil, err
	}
	where, path := d.Store.Where(req.Keyring), req.Paths.Credentials

	// The file: mfa_serial in the source, and the keys out of every
	// profile that holds exactly them (refused above when [DEFAULT] does):
	// after the move no profile may keep a plaintext copy.
	cleared := holding(creds, keys)
	edit := func(f *credfile.File) ([]byte, error) {
		if now := holding(f, keys); !slices.Equal(now, cleared) {
			return nil, fmt.Errorf("%s changed meanwhile (the keys are now in %s, not %s); nothing was removed, run setup --keyring again", path, profiles(now), profiles(cleared))
		}
		out, err := clearKeys(f, req, res.Serial, copied, keys, cleared)
		if err != nil || len(cleared) == 0 {
			return out, err
		}
		// Under the lock, before the file loses its copy: the keyring
		// still holds these keys (a keyring export --delete may have
		// taken them since they were stored).
		if have, err := d.Store.Get(ctx, req.Keyring); err != nil || have != keys {
			return nil, fmt.Errorf("%s no longer holds the keys %s (%v); they stay in %s", where, exporter.MaskKey(keys.AccessKeyID), cmp.Or[error](err, errors.New("other keys")), path)
		}
		return out, nil
	}
	newCreds, err := clearKeys(creds, req, res.Serial, copied, keys, cleared)
	if err != nil {
		return nil, err
	}
	// The config first: every pair that read the keys from a profile
	// that loses them reads the item instead, so that none is left
	// without keys.
	var p plan
	sources := append([]string{req.Source}, cleared...)
	if _, err := p.add(req.ConfigPath, cfg, func(old []byte) ([]byte, error) { return keyringPairs(req, sources, old) }); err != nil {
		return nil, err
	}
	if !bytes.Equal(newCreds, creds.Bytes()) {
		c := change{path: path, old: creds.Bytes(), new: newCreds, edit: credfile.Parsed(path, edit), failed: fmt.Sprintf("remove the keys from %s (they are safe in %s)", path, where)}
		if len(cleared) > 0 {
			c.done = fmt.Sprintf("removed the keys from %s in %s, replaced in one step; no backup with the keys was written", profiles(cleared), path)
		}
		p = append(p, c)
	}
	p = append(p, profile...) // last, once the keys have moved

	if req.DryRun {
		if inFile {
			fmt.Fprintf(d.Out, "aws-mfa: would store the keys %s in %s, read them back and compare\n", exporter.MaskKey(keys.AccessKeyID), where)
		}
		_ = p.run(d, true) // a dry run only prints
		if len(cleared) > 0 {
			fmt.Fprintf(d.Out, "aws-mfa: would remove the keys from %s in %s\n", profiles(cleared), path)
		}
		copies(d, req, keys, newCreds)
		return res, nil
	}

	// 1. The keyring gets a verified copy, unless it has these keys already.
	switch have, err := d.Store.Get(ctx, req.Keyring); {
	case err == nil && have == keys:
	case err == nil:
		return nil, inputerr.Errorf("%s already holds other keys (%s): if they still work, run %s to keep them, or name another item; if not (a key rotated by hand), delete %[1]s with the keyring's own tool (pass rm, seahorse, Keychain Access) and run setup --keyring again", where, exporter.MaskKey(have.AccessKeyID), shells.Line("aws-mfa", "keyring", "export", "-p", req.Pair))
	case !errors.Is(err, keyring.ErrNotFound):
		return nil, err
	default:
		if err := d.Store.Put(ctx, req.Keyring, keys); err != nil {
			return nil, err
		}
		fmt.Fprintf(d.Out, "aws-mfa: stored the keys %s in %s and read them back\n", exporter.MaskKey(keys.AccessKeyID), where)
	}
	// 2. The pairs name the item, so that refreshes read it; 3. only now
	// the file loses its copy.
	if err := p.run(d, false); err != nil {
		return nil, err
	}
	copies(d, req, keys, nil)
	return res, nil
}

// holding names the sections of f that hold exactly keys as their own.
func holding(f *credfile.File, keys awscred.Keys) []string {
	var names []string
	for _, s := range f.Sections() {
		if s.Name != credfile.DefaultSection && f.Credentials(s.Name).Keys == keys && slices.ContainsFunc(longTermKeyNames, s.Has) {
			names = append(names, s.Name)
		}
	}
	return names
}

// clearKeys returns f with mfa_serial (and the region plain setup gives
// keys copied from the target) in the source and the long-term keys out
// of the sections named, checked: no section may still read the secret
// key.
func clearKeys(f *credfile.File, req Request, serial string, copied bool, keys awscred.Keys, sections []string) ([]byte, error) {
	out := f
	apply := func(name string, set []credfile.KV, remove []string) error {
		b, err := out.Edit(name, set, remove)
		if err != nil {
			return err
		}
		out, err = credfile.Parse(b)
		return err
	}
	var set []credfile.KV
	if v, _ := out.Value(req.Source, "mfa_serial"); v != serial {
		set = append(set, credfile.KV{Key: "mfa_serial", Value: serial})
	}
	region, err := keysRegion(out, req, copied) // the files as they are now
	if err != nil {
		return nil, err
	}
	set = append(set, region...)
	if len(set) > 0 {
		if err := apply(req.Source, set, nil); err != nil {
			return nil, err
		}
	}
	for _, name := range sections {
		if err := apply(name, nil, longTermKeyNames); err != nil {
			return nil, err
		}
	}
	for _, s := range out.Sections() {
		if c := out.Credentials(s.Name); c.SecretAccessKey == keys.SecretAccessKey {
			return nil, fmt.Errorf("refusing to write %s: [%s] would still read the secret key of %s", req.Paths.Credentials, s.Name, exporter.MaskKey(keys.AccessKeyID))
		}
	}
	return out.Bytes(), nil
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

// keyringPairs returns the config old in which every unchained pair
// whose source is one of sources reads the keys from req.Keyring through
// req.KeyringBackend: req.Pair itself (added if new) and every other pair
// that would otherwise lose its keys with the file's copy. A pair that
// names another item keeps it.
func keyringPairs(req Request, sources []string, old []byte) ([]byte, error) {
	cur, err := addPair(req, old)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Parse(req.ConfigPath, cur)
	if err != nil {
		return nil, inputerr.Errorf("fix the config first: %v", err)
	}
	p, _ := cfg.Select(req.Pair) // addPair made sure it is there
	if p.Keyring != "" && p.Keyring != req.Keyring {
		return nil, inputerr.Errorf("[pair.%s] in %s already names keyring item %s", req.Pair, req.ConfigPath, p.Keyring)
	}
	edits := map[string][]pairKey{}
	for _, q := range cfg.Pairs {
		// Only a pair that reads the file gets the item; of those that
		// name one already, only req.Pair, whose item this is, may get
		// the backend it was stored in.
		if q.SourcePair != "" || !slices.Contains(sources, q.Source) || q.Keyring != "" && q.Name != req.Pair {
			continue
		}
		if q.Keyring == "" {
			edits[q.Name] = append(edits[q.Name], pairKey{"keyring", req.Keyring})
		}
		if cmp.Or(q.KeyringBackend, keyring.OS) != cmp.Or(req.KeyringBackend, keyring.OS) {
			edits[q.Name] = append(edits[q.Name], pairKey{"keyring_backend", cmp.Or(req.KeyringBackend, keyring.OS)})
		}
	}
	return editPairs(req.ConfigPath, cur, cfg, edits)
}

// editPairs sets or removes keys in [pair.NAME] tables of the config
// data, which reads as before, keeping every other byte; a pair without a
// table of its own (the built-in) gets one. The result must parse to the
// same pairs but for the keys edited, else nothing is written and the user
// is asked to edit by hand. With no edits it returns data as it is.
func editPairs(path string, data []byte, before *config.Config, edits map[string][]pairKey) ([]byte, error) {
	var want []string
	for _, name := range slices.Sorted(maps.Keys(edits)) {
		p, _ := before.Select(name)
		data = setKeys(data, toml.Key{"pair", name}, []pairKey{{"source", p.Source}, {"target", p.Target}}, edits[name])
		for _, kv := range edits[name] {
			if kv.value == "" {
				want = append(want, fmt.Sprintf("remove %s from [pair.%s]", kv.key, name))
			} else {
				want = append(want, fmt.Sprintf("set %s = %q in [pair.%s]", kv.key, kv.value, name))
			}
		}
	}
	after, err := config.Parse(path, data)
	if err == nil {
		err = samePairs(before, after, edits)
	}
	if err != nil {
		return nil, inputerr.Errorf("could not edit %s (%v); %s by hand, then run the command again", path, err, strings.Join(want, ", "))
	}
	return data, nil
}

// samePairs checks that after holds before's pairs with only edits applied.
func samePairs(before, after *config.Config, edits map[string][]pairKey) error {
	if len(before.Pairs) != len(after.Pairs) || before.Default != after.Default {
		return errors.New("the pairs would change")
	}
	for i, p := range before.Pairs {
		field := map[string]*string{"keyring": &p.Keyring, "keyring_backend": &p.KeyringBackend, "source": &p.Source}
		for _, kv := range edits[p.Name] {
			*field[kv.key] = kv.value
		}
		if !reflect.DeepEqual(p, after.Pairs[i]) {
			return fmt.Errorf("[pair.%s] would not read as intended", p.Name)
		}
	}
	return nil
}

// ExportRequest says which pair's keyring item goes back into which
// profile of the credentials file.
type ExportRequest struct {
	Paths      credfile.Paths
	ConfigPath string      // the config file that names the item ("" for none: no item then)
	Pair       config.Pair // with a keyring item
	Profile    string      // "" is the pair's source
	Delete     bool        // delete the item once the file holds the keys
}

// Export is keyring export, setup --keyring's way back: the keys go into
// the profile and are read back; every pair that names the item reads the
// profile instead; and only then, if asked, under the file's lock and
// after reading the keys back from the file once more, is the item
// deleted. At every moment one of the two holds them.
func Export(ctx context.Context, req ExportRequest, d Deps) error {
	pair, path := req.Pair, req.Paths.Credentials
	if pair.Keyring == "" {
		return inputerr.Errorf("pair %s keeps its keys in [%s], not in a keyring (config: %s)", pair.Name, pair.Source, cmp.Or(req.ConfigPath, "none"))
	}
	profile := cmp.Or(req.Profile, pair.Source)
	if err := credfile.ValidName(profile); err != nil {
		return fmt.Errorf("--profile: %w", err)
	}
	if profile == pair.Target {
		return inputerr.Errorf("[%s] is the pair's target, which a refresh overwrites; choose another --profile", profile)
	}
	// Both files are locked before the keyring's wait, as a refresh locks
	// before the code's: a file another program empties meanwhile is not
	// written. (Nothing locks the config first, then the credentials.)
	l, err := d.Writer.Lock(path)
	if err != nil {
		return err
	}
	defer l.Unlock()
	lc, err := d.Writer.Lock(req.ConfigPath)
	if err != nil {
		return err
	}
	defer lc.Unlock()
	k, err := d.Store.Get(ctx, pair.Keyring)
	if err != nil {
		return err
	}
	where := d.Store.Where(pair.Keyring)
	// holds reports whether botocore reads exactly the keys, with no
	// token, from the profile in f.
	holds := func(f *credfile.File) bool {
		c := f.Credentials(profile)
		return c.Keys == k && c.SessionToken == ""
	}
	err = l.EditBytes(credfile.Parsed(path, func(f *credfile.File) ([]byte, error) {
		if s := f.Section(profile); s.Get("aws_access_key_id") != "" && s.Get("aws_access_key_id") != k.AccessKeyID {
			return nil, inputerr.Errorf("[%s] in %s already holds other keys (%s); choose another --profile", profile, path, exporter.MaskKey(s.Get("aws_access_key_id")))
		}
		set := []credfile.KV{{Key: "aws_access_key_id", Value: k.AccessKeyID}, {Key: "aws_secret_access_key", Value: k.SecretAccessKey}}
		for _, key := range []string{"mfa_serial", "region"} {
			// The pairs will read the profile: what the source gave a
			// refresh goes with the keys, unless the profile has its own.
			if v, _ := f.Value(pair.Source, key); v != "" && !f.Section(profile).Has(key) && profile != pair.Source {
				set = append(set, credfile.KV{Key: key, Value: v})
			}
		}
		out, err := f.Edit(profile, set, sessionKeys)
		if err != nil {
			return nil, err
		}
		// A token that [DEFAULT] still hands to every profile would break
		// the keys, and an empty one to shadow it cannot be written.
		if g, err := credfile.Parse(out); err != nil || !holds(g) {
			return nil, inputerr.Errorf("[%s] in %s sets a session token that [%s] would inherit with the keys; remove aws_security_token and aws_session_token from [%[1]s] first (nothing was written)", credfile.DefaultSection, path, profile)
		}
		return out, nil
	}))
	if err != nil {
		return fmt.Errorf("write the keys to [%s] in %s: %w", profile, path, err)
	}
	if f, err := credfile.Read(path); err != nil || !holds(f) {
		return fmt.Errorf("[%s] in %s does not read back the keys written (%v); %s is kept", profile, path, err, where)
	}
	fmt.Fprintf(d.Out, "aws-mfa: wrote the keys %s from %s to [%s] in %s\n", exporter.MaskKey(k.AccessKeyID), where, profile, path)

	// The pairs that name the item read the profile instead.
	if err := exportPairs(req, profile, d, lc); err != nil {
		return err
	}
	if !req.Delete {
		return nil
	}
	// Under the lock, before the keyring loses its copy: the file still
	// holds the keys (a setup --keyring may have removed them since).
	err = l.EditBytes(credfile.Parsed(path, func(f *credfile.File) ([]byte, error) {
		if !holds(f) {
			return nil, fmt.Errorf("[%s] in %s no longer holds the keys %s; %s is kept", profile, path, exporter.MaskKey(k.AccessKeyID), where)
		}
		return nil, d.Store.Delete(ctx, pair.Keyring) // nil: the file stays as it is
	}))
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Out, "aws-mfa: deleted %s\n", where)
	return nil
}

// exportPairs removes keyring = ITEM from every pair that names the item
// in the same backend, and points their source at profile. There is a
// config file, locked as file: without one no pair names an item, and
// Export refuses.
func exportPairs(req ExportRequest, profile string, d Deps, file *credfile.Locked) error {
	var names []string
	edit := func(data []byte) ([]byte, error) {
		cfg, err := config.Parse(req.ConfigPath, data)
		if err != nil {
			return nil, err
		}
		edits := map[string][]pairKey{}
		names = nil
		for _, p := range cfg.Pairs {
			if p.Keyring != req.Pair.Keyring || cmp.Or(p.KeyringBackend, keyring.OS) != cmp.Or(req.Pair.KeyringBackend, keyring.OS) || p.SourcePair != "" {
				continue
			}
			edits[p.Name] = []pairKey{{"keyring", ""}}
			if p.Source != profile {
				edits[p.Name] = append(edits[p.Name], pairKey{"source", profile})
			}
			names = append(names, "[pair."+p.Name+"]")
		}
		if len(edits) == 0 {
			return nil, nil
		}
		return editPairs(req.ConfigPath, data, cfg, edits)
	}
	if err := file.EditBytes(edit); err != nil {
		return fmt.Errorf("%w; remove keyring = %q from [pair.%s] in %s by hand", err, req.Pair.Keyring, req.Pair.Name, req.ConfigPath)
	}
	if len(names) > 0 {
		fmt.Fprintf(d.Out, "aws-mfa: updated %s: %s read the keys from [%s]\n", req.ConfigPath, strings.Join(names, ", "), profile)
	}
	return nil
}
