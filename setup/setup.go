// Package setup automates the manual first steps: long-term keys moved
// from the target profile to the source profile, the MFA device's serial
// found through IAM and written beside them, and a pair added to the TOML
// config. Every change goes through credfile, after a private backup, and
// can be shown first as a masked diff.
package setup

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/rogpeppe/go-internal/diff"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/rotate"
	"github.com/aws-mfa/aws-mfa/shells"
)

// Request says what to set up.
type Request struct {
	Paths          credfile.Paths
	Source, Target string
	Serial         string // skips the IAM lookup
	Pair           string // a pair to add to the config ("" for none)
	ConfigPath     string
	DryRun         bool

	Keyring        string // with --keyring: the item the keys move to
	KeyringBackend string // the backend it is in, as the config names it ("" for the default)
	Home           string // the user's home: its .aws is searched for copies of the keys

	// A role pair: RoleARN assumed with the source's keys and a code, or,
	// with SourcePair, with that pair's session (Source is then "").
	RoleARN, ExternalID, SourcePair string
	// DefaultPair makes Pair the config's default pair, unless the config
	// names another (setup given a source or target without -p).
	DefaultPair bool
	// Process, when not "", is the credential_process line written to
	// [profile Pair] in the AWS config file.
	Process string
	Force   bool // replace an AWS profile of that name that is already there
}

// Devices is what setup asks AWS: who the keys belong to, and their MFA
// devices. The real one calls STS GetCallerIdentity and IAM ListMFADevices.
type Devices interface {
	List(ctx context.Context, keys awscred.Keys) ([]string, error)
}

// Deps are setup's side effects.
type Deps struct {
	Devices Devices
	// Choose asks which of several devices to use; nil means take the first.
	Choose func(serials []string) (int, error)
	// Confirm asks a yes-or-no question whose default is no; nil means no.
	Confirm func(question string) (bool, error)
	Out     io.Writer // what changed, and the dry run's diff
	Now     func() time.Time
	Writer  credfile.Writer
	Store   KeyStore // the keyring, for Request.Keyring
}

// Result is what Run found, for the next step it names (the files it
// changed and their backups it prints).
type Result struct {
	Serial string
	// Unchanged says the files held all of it already: nothing was written.
	Unchanged bool
}

// Run sets up the source profile (and the pair), or with DryRun prints
// what it would change. Running it again changes nothing.
func Run(ctx context.Context, req Request, d Deps) (*Result, error) {
	if req.Source == req.Target {
		return nil, inputerr.Errorf("source and target are both [%s]", req.Source)
	}
	// Checked before anything is read or written, by the rule a refresh
	// applies: setup must never write a serial STS refuses.
	if err := stsparam.CheckSerial(req.Serial); req.Serial != "" && err != nil {
		return nil, fmt.Errorf("--serial: %w", err)
	}
	var p plan
	res := &Result{Serial: req.Serial}
	var after *credfile.File
	// The config and the AWS config file are read before any wait, as the
	// credentials file is: one that another program empties meanwhile is
	// then not written (Since).
	// A config every refresh would refuse is refused before anything is
	// written, whichever setup this is: its next step would fail.
	cfg, err := config.Read(req.ConfigPath)
	if err == nil {
		_, err = config.Parse(req.ConfigPath, cfg)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var profile plan // a role pair's [profile NAME], applied last
	if req.Process != "" {
		if err := awsProfile(req, &profile); err != nil {
			return nil, err
		}
	}
	if req.SourcePair == "" {
		// A chained pair has no source profile: its keys are its base's
		// session, and its code goes to the base's source.
		creds, err := credfile.Read(req.Paths.Credentials)
		if errors.Is(err, credfile.ErrNotFound) {
			return nil, inputerr.Errorf("no credentials file at %s; run `aws configure` first to store your IAM user's access key", req.Paths.Credentials)
		}
		if err != nil {
			return nil, err
		}
		if req.Keyring != "" {
			res, err := runKeyring(ctx, req, d, creds, cfg, profile)
			// A keyring that cannot be reached: pass needs no desktop.
			if errors.Is(err, keyring.ErrUnavailable) && req.KeyringBackend != keyring.Pass {
				err = fmt.Errorf("%w; to keep them in pass: aws-mfa setup --keyring --keyring-backend pass (pass needs a gpg key and a store, made once: gpg --quick-generate-key you@example.com, then pass init you@example.com)", err)
			}
			return res, err
		}
		edit, err := sourceEdit(ctx, req, d, creds, res)
		if err != nil {
			return nil, err
		}
		out, err := p.add(req.Paths.Credentials, creds.Bytes(), credfile.Parsed(req.Paths.Credentials, edit))
		if err != nil {
			return nil, err
		}
		after, _ = credfile.Parse(out) // the file read, or the edit's checked result
	}
	if req.Pair != "" {
		if _, err := p.add(req.ConfigPath, cfg, func(old []byte) ([]byte, error) { return addPair(req, old) }); err != nil {
			return nil, err
		}
	}
	p = append(p, profile...)

	if after != nil && after.Credentials(req.Source).SessionToken != "" {
		// Only [DEFAULT] can hand the source a token now, and an empty one
		// to shadow it cannot be written: aws-mfa signs with the keys alone,
		// but say so for the other tools that use the source profile.
		fmt.Fprintf(d.Out, "aws-mfa: [%s] in %s sets a session token that botocore also sends with [%s]'s keys; remove it from [%[1]s]\n", credfile.DefaultSection, req.Paths.Credentials, req.Source)
	}
	if err := p.run(d, req.DryRun); err != nil {
		return nil, err
	}
	res.Unchanged = len(p) == 0
	return res, nil
}

// sourceEdit finds the long-term keys and the MFA device, and returns the
// edit of the credentials file that records them in the source profile,
// one that changes nothing when it holds both already.
func sourceEdit(ctx context.Context, req Request, d Deps, creds *credfile.File, res *Result) (func(*credfile.File) ([]byte, error), error) {
	var set []credfile.KV
	keys, copied, err := sourceKeys(creds, req)
	if err != nil {
		return nil, err
	}
	if copied {
		set = append(set, credfile.KV{Key: "aws_access_key_id", Value: keys.AccessKeyID}, credfile.KV{Key: "aws_secret_access_key", Value: keys.SecretAccessKey})
	}
	// The session keys to remove from the source, so that botocore reads
	// it as the long-term keys setup leaves there: all of them when setup
	// copies keys over an old session, else any token botocore would send
	// with the keys (a stale aws_security_token, which it reads first).
	// An empty token stays: botocore sends none for it, and it may be
	// what shadows a token in [DEFAULT].
	src := creds.Section(req.Source) // nil holds no key
	var remove []string
	for _, k := range sessionKeys {
		if src.Has(k) && src.Get(k) != "" && (copied || k == "aws_session_token" || k == "aws_security_token") {
			remove = append(remove, k)
		}
	}
	if res.Serial, err = device(ctx, d, keys, cmp.Or(res.Serial, src.Get("mfa_serial"))); err != nil {
		return nil, err
	}
	if err := stsparam.CheckSerial(res.Serial); err != nil {
		return nil, fmt.Errorf("[%s]: %w; pass --serial with the device's ARN", req.Source, err)
	}
	if src.Get("mfa_serial") != res.Serial {
		set = append(set, credfile.KV{Key: "mfa_serial", Value: res.Serial})
	}
	return func(f *credfile.File) ([]byte, error) {
		// The file as it is now must still hold the keys IAM was asked
		// about: another program may have rotated them meanwhile.
		if now, _, err := sourceKeys(f, req); err != nil || now != keys {
			return nil, inputerr.Errorf("the long-term keys in %s changed while setup ran (another program wrote it); nothing was changed, run setup again", req.Paths.Credentials)
		}
		// Read now: a region given meanwhile, in either file, is kept.
		region, err := keysRegion(f, req, copied)
		if err != nil {
			return nil, err
		}
		set := append(slices.Clip(set), region...)
		if len(set) == 0 && len(remove) == 0 {
			return nil, nil
		}
		out, err := f.Edit(req.Source, set, remove)
		if err != nil {
			return nil, err
		}
		// Refused before anything is written: a result in which the source
		// would not hold keys as botocore and a refresh read long-term keys.
		if g, err := credfile.Parse(out); err != nil {
			return nil, fmt.Errorf("refusing to write %s: %w", req.Paths.Credentials, err)
		} else if !g.HoldsLongTermKeys(req.Source) || g.Credentials(req.Source).Keys != keys {
			return nil, fmt.Errorf("refusing to write %s: [%s] would not hold the long-term keys %s; nothing was changed", req.Paths.Credentials, req.Source, exporter.MaskKey(keys.AccessKeyID))
		}
		return out, nil
	}, nil
}

// keysRegion is the region to record in the source when setup copies the
// keys there from the target (copied): the target's, as botocore reads it
// (its section of the credentials file, else its profile in the config
// file, where `aws configure` puts it), when the source has none of its
// own in either file. A refresh writes the source's region into every
// target without one, and botocore never gives another profile
// [default]'s: so `aws --profile prod-session` has the region the user
// configured.
func keysRegion(creds *credfile.File, req Request, copied bool) ([]credfile.KV, error) {
	if _, ok := creds.Value(req.Source, "region"); ok || !copied {
		return nil, nil
	}
	cfg, err := credfile.ReadOrEmpty(req.Paths.Config)
	if err != nil {
		return nil, err
	}
	region := credfile.Region(creds, cfg, req.Target)
	if _, ok := cfg.ProfileValue(req.Source, "region"); ok || stsparam.CheckRegion(region) != nil {
		return nil, nil // the source's own, or none, or one no tool could use
	}
	return []credfile.KV{{Key: "region", Value: region}}, nil
}

// change is one file setup rewrites: old and new are for the dry run's
// diff; edit makes the change again on the file as it is when applied.
type change struct {
	path     string
	old, new []byte
	edit     func(old []byte) ([]byte, error)
	backup   bool   // keep the file beside it first (never when keys move to a keyring)
	done     string // what to say once applied; "updated PATH" when ""
	failed   string // what an error applying it is wrapped in, if anything
}

// plan is setup's changes in the order they are applied.
type plan []change

// add plans edit of the file at path, which holds old now (nil for none),
// after a backup, and returns what the file would hold.
func (p *plan) add(path string, old []byte, edit func(old []byte) ([]byte, error)) ([]byte, error) {
	out, err := edit(old)
	if err != nil || out == nil || bytes.Equal(out, old) {
		return old, err
	}
	*p = append(*p, change{path: path, old: old, new: out, edit: edit, backup: true})
	return out, nil
}

// run shows each change as a masked diff (dryRun), or applies them in
// order.
func (p plan) run(d Deps, dryRun bool) error {
	if dryRun && len(p) == 0 {
		fmt.Fprintln(d.Out, "aws-mfa: nothing to change")
	}
	for _, c := range p {
		if dryRun {
			d.Out.Write(diff.Diff(c.path, mask(c.old), c.path+" (after setup)", mask(c.new)))
			continue
		}
		if err := c.apply(d); err != nil {
			return err
		}
		fmt.Fprintf(d.Out, "aws-mfa: %s\n", cmp.Or(c.done, "updated "+c.path))
	}
	return nil
}

// apply makes c under its file's lock, after a backup of the file as it
// is then if c asks for one.
func (c change) apply(d Deps) error {
	l, err := d.Writer.Lock(c.path)
	if err != nil {
		return err
	}
	defer l.Unlock()
	l.Since(c.old) // read before setup's waits
	if c.backup {
		backup, err := l.Backup(d.Now())
		if err != nil {
			return err
		}
		if backup != "" {
			fmt.Fprintf(d.Out, "aws-mfa: backed up %s to %s\n", c.path, backup)
		}
	}
	err = l.EditBytes(c.edit)
	if err != nil && c.failed != "" {
		err = fmt.Errorf("%s: %w", c.failed, err)
	}
	return err
}

// sourceKeys returns the long-term keys: the source profile's, or the
// target's when the source has none (the README's manual copy step).
// Others in the target, found in no other profile, are refused: `aws
// configure` run again with a new key writes it there, but they may as
// well be another IAM user's, and which keys the pair uses is the user's
// call.
func sourceKeys(f *credfile.File, req Request) (awscred.Keys, bool, error) {
	get := func(name string) (awscred.Keys, bool) {
		c := f.Credentials(name)
		return c.Keys, f.HoldsLongTermKeys(name) && c.SecretAccessKey != ""
	}
	if k, ok := get(req.Source); ok {
		if id, only := f.OnlyCopy(req.Target); only {
			return k, false, inputerr.Errorf("[%s] holds long-term keys (%s) found in no other profile, and [%s] holds others (%s): "+newKeyFix, req.Target, exporter.MaskKey(id), req.Source, exporter.MaskKey(k.AccessKeyID), "enter it with `"+awsConfigure(req.Source)+"`")
		}
		return k, false, nil
	}
	if k, ok := get(req.Target); ok {
		return k, true, nil
	}
	for _, s := range f.Sections() {
		// Another profile that does, as the older Python aws-mfa's
		// [default-long-term]: the fix is to name it.
		if req.Pair == "" && s.Name != credfile.DefaultSection && f.HoldsLongTermKeys(s.Name) {
			return awscred.Keys{}, false, inputerr.Errorf("neither [%s] nor [%s] in %s holds long-term keys, but [%s] does; if they are this IAM user's, run `%s`",
				req.Source, req.Target, req.Paths.Credentials, s.Name, shells.Line("aws-mfa", "setup", "--source", s.Name, "--target", req.Target))
		}
	}
	return awscred.Keys{}, false, inputerr.Errorf("neither [%s] nor [%s] in %s holds long-term keys; run `aws configure` (or `%s`) with your IAM user's access key first",
		req.Source, req.Target, req.Paths.Credentials, awsConfigure(req.Source))
}

// sessionKeys are what a session leaves in a profile besides its keys.
var sessionKeys = []string{"aws_session_token", "aws_security_token", "expiration", credfile.SessionMarkKey}

// device is the MFA device's serial: known, else the one IAM lists (the
// user's choice of several).
func device(ctx context.Context, d Deps, keys awscred.Keys, known string) (string, error) {
	if known != "" {
		return known, nil
	}
	serials, err := d.Devices.List(ctx, keys)
	switch {
	case err != nil:
		return "", err
	case len(serials) == 0:
		return "", inputerr.Errorf("this IAM user has no MFA device; assign one (IAM console > Users > you > Security credentials > Assign MFA device), then run setup again, or pass --serial ARN")
	case len(serials) == 1 || d.Choose == nil:
		return serials[0], nil
	}
	i, err := d.Choose(serials)
	if err != nil {
		return "", err
	}
	return serials[i], nil
}

// secretKeys are the keys whose values the dry run never shows.
var secretKeys = []string{"aws_secret_access_key", "aws_session_token", "aws_security_token"}

// The dry run's masks.
var (
	keyIDRE = regexp.MustCompile(`\b(AKIA|ASIA)[A-Z0-9]{12,}\b`)
	// In a comment (or a file that does not parse) a secret key's value
	// runs to the end of its line, and only there: [ \t], never \s, which
	// would cross into the next line.
	secretAssignRE = regexp.MustCompile(`(?i)((?:aws_secret_access_key|aws_session_token|aws_security_token)[ \t]*[=:][ \t]*)\S.*`)
	// What secrets and tokens look like, for comments: a long base64 run.
	secretLookingRE = regexp.MustCompile(`[A-Za-z0-9/+=]{20,}`)
)

// mask hides secrets and shortens key ids, for the dry run's diff. The
// parser says which lines hold a secret key's value, continuation lines
// included; comments lose anything that looks secret; any known secret
// value is hidden wherever else it appears; section headers are never
// touched.
func mask(b []byte) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	header := map[int]bool{}
	var known []string
	hide := func(i, at int) {
		body := strings.TrimRight(lines[i], "\r\n")
		if at < len(body) {
			lines[i] = body[:at] + "****" + lines[i][len(body):]
		}
	}
	f, err := credfile.Parse(b)
	parsed := err == nil
	if !parsed {
		f = &credfile.File{}
	}
	for _, s := range f.Sections() {
		header[s.HeaderLine()] = true
		for _, k := range secretKeys {
			first, last, at, ok := s.ValueLines(k)
			if !ok {
				continue
			}
			for _, v := range strings.Split(s.Get(k), "\n") {
				if len(v) >= 8 {
					known = append(known, v)
				}
			}
			hide(first, at)
			for i := first + 1; i <= last; i++ {
				hide(i, len(lines[i])-len(strings.TrimLeft(lines[i], " \t")))
			}
		}
	}
	for i, line := range lines {
		stripped := strings.TrimSpace(line)
		if stripped == "" || header[i] || !parsed && stripped[0] == '[' {
			continue
		}
		comment := stripped[0] == '#' || stripped[0] == ';'
		if comment || !parsed {
			line = secretAssignRE.ReplaceAllString(line, "${1}****")
		}
		line = keyIDRE.ReplaceAllStringFunc(line, exporter.MaskKey)
		if comment {
			line = secretLookingRE.ReplaceAllString(line, "****")
		}
		for _, v := range known {
			line = strings.ReplaceAll(line, v, "****")
		}
		lines[i] = line
	}
	return []byte(strings.Join(lines, ""))
}

// AWS finds devices with the real IAM and STS, called with the keys.
type AWS rotate.AWS

// List returns the user's MFA devices' serials. The user is named
// explicitly, from GetCallerIdentity, as not every IAM (moto among them)
// infers it from the caller. Each error names the service and the call
// that failed.
func (a AWS) List(ctx context.Context, keys awscred.Keys) ([]string, error) {
	if err := stsparam.CheckRegion(a.Region); err != nil {
		return nil, fmt.Errorf("AWS_REGION or AWS_DEFAULT_REGION: %w", err)
	}
	for _, u := range []string{a.STSURL, a.IAMURL} {
		if err := stsparam.CheckEndpoint(u); u != "" && err != nil {
			return nil, fmt.Errorf("%w (from --endpoint-url, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_IAM or AWS_ENDPOINT_URL)", err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, a.Timeout)
	defer cancel()
	ra := rotate.AWS(a)
	c, s := ra.Clients(awscred.Session{Keys: keys})
	user, err := rotate.Who(ctx, s, ra)
	if err != nil {
		return nil, fmt.Errorf("identify the keys: %w", err)
	}
	call := exporter.Call{Service: "IAM", Operation: "ListMFADevices", Source: a.Source, Endpoint: cmp.Or(a.IAMURL, "https://iam.amazonaws.com"), Timeout: a.Timeout}
	out, err := c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String(user)})
	if err != nil {
		return nil, fmt.Errorf("list MFA devices: %w; or pass --serial ARN", exporter.ExplainError(err, call))
	}
	serials := make([]string, 0, len(out.MFADevices))
	for _, dev := range out.MFADevices {
		// The serial goes into the credentials file: take only what STS would.
		if err := stsparam.CheckSerial(aws.ToString(dev.SerialNumber)); err != nil {
			return nil, fmt.Errorf("IAM at %s listed a device whose %v; pass --serial ARN", stsparam.Redact(call.Endpoint), err)
		}
		serials = append(serials, aws.ToString(dev.SerialNumber))
	}
	return serials, nil
}
