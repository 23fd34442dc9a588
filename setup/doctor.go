package setup

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/readfile"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/rotate"
	"github.com/aws-mfa/aws-mfa/shells"
)

// Finding is one thing doctor checked.
type Finding struct {
	OK   bool
	What string
	Fix  string // what to do, when not OK
}

// findings is what doctor found, in order.
type findings []Finding

func (f *findings) ok(what string)       { f.add(Finding{true, what, ""}) }
func (f *findings) fix(what, fix string) { f.add(Finding{false, what, fix}) }

// add appends x once: pairs that share a keyring item share its findings.
func (f *findings) add(x Finding) {
	if !slices.Contains(*f, x) {
		*f = append(*f, x)
	}
}

// Checkup is what doctor looks at; all of it is local.
type Checkup struct {
	Paths  credfile.Paths
	Config config.Location
	Pair   string // check only this pair ("" for all)
	Getenv func(string) string
	Now    time.Time
	// Executable is aws-mfa's own path, "" when unknown.
	Executable string
	StateDir   string // where refreshes record the keys' ages

	pairs []config.Pair // every pair of the config, whichever are checked
	dflt  string        // the config's default pair, which a command finds without -p
}

// Doctor checks the files, the config and this shell's environment, and
// names the fix for each problem.
func Doctor(c Checkup) []Finding {
	var out findings
	cfg, err := config.Load(c.Config)
	if err != nil {
		out.fix(err.Error(), readFix(err, "the config file", "a TOML file", "fix the config file at the line named"))
		cfg, _ = config.Load(config.Location{})
	} else if cfg.Path != "" {
		out.ok(fmt.Sprintf("config %s is valid (%d pairs)", cfg.Path, len(cfg.Pairs)))
	}

	path := c.Paths.Credentials
	checkFiles(&out, path)
	creds, err := credfile.Read(path)
	switch {
	case errors.Is(err, credfile.ErrNotFound):
		out.fix("no credentials file at "+path, "run `aws configure`, then `aws-mfa setup`")
		return out
	case err != nil:
		out.fix(err.Error(), readFix(err, "the credentials file", "the credentials text file", "fix the line named; the AWS CLI cannot read the file either"))
		return out
	}
	// The AWS config file: a refresh reads it too (a role_arn or an sso_
	// key for a target there would shadow the session written).
	awsConfig, err := credfile.ReadOrEmpty(c.Paths.Config)
	if err != nil {
		out.fix(err.Error(), readFix(err, "the AWS config file", "the AWS config text file", "fix the line named; the AWS CLI cannot read the file either"))
		return out
	}
	checkProcesses(&out, awsConfig, c)
	// The built-in pair ([aws-mfa] → [default]), where the config names
	// another default pair and no [aws-mfa] was set up, is no pair of the
	// user's.
	pairs := slices.DeleteFunc(slices.Clone(cfg.Pairs), func(p config.Pair) bool {
		return cfg.Builtin && p.Name == config.BuiltinName && cfg.Default != p.Name && creds.Section(p.Source) == nil
	})
	c.pairs, c.dflt = cfg.Pairs, cfg.Default
	if c.Pair != "" {
		// A pair that is not there: only in a config that does not load,
		// whose finding above says why (the command refuses a mistyped one).
		p, err := cfg.Select(c.Pair)
		if err != nil {
			return out
		}
		pairs = []config.Pair{p}
	}
	keys := rotate.Load(c.StateDir)
	for _, p := range pairs {
		if created, ok := keys.Created(p, creds); ok && c.Now.Sub(created) > time.Duration(cfg.MaxKeyAge)*24*time.Hour {
			out.fix(fmt.Sprintf("pair %s: the access key in %s is %d days old, older than max_key_age (%d days)", p.Name, rotate.Place(p), int(c.Now.Sub(created).Hours()/24), cfg.MaxKeyAge),
				c.command([]string{"aws-mfa", "rotate", "-p", p.Name})+" (needs "+rotate.Permissions+" on the IAM user)")
		}
		checkPair(&out, creds, p, c)
		if key, where := credfile.Shadowing(creds, awsConfig, p.Target); key != "" && p.Write {
			out.fix(fmt.Sprintf("pair %s: %s sets %s, which the AWS CLI and SDKs use instead of the session in [%s]; a refresh refuses to write there", p.Name, where, key, p.Target),
				"remove "+key+" from "+where+", or give the pair another target")
		}
		// A refresh gives the target the pair's region, else the source's;
		// a chain's, its first base's source's.
		chain, _ := cfg.Chain(p) // config.Parse refuses a broken chain
		if src := chain[0].Source; p.Write && cmp.Or(c.Getenv("AWS_REGION"), c.Getenv("AWS_DEFAULT_REGION"), p.Region, credfile.Region(creds, awsConfig, p.Target), credfile.Region(creds, awsConfig, src)) == "" {
			out.fix(fmt.Sprintf("pair %s: [%s] has no region, nor has [%s] or AWS_REGION: AWS tools that use it fail with \"You must specify a region\"", p.Name, p.Target, src),
				shells.Line("aws", "configure", "set", "region", "REGION", "--profile", p.Target)+" (REGION: yours, such as us-east-1)")
		}
	}
	checkEnv(&out, c, creds, awsConfig)
	return out
}

// checkFiles looks at the modes of the credentials file and of aws-mfa's
// backups of it (beside the file its links lead to), and at the directory
// that holds it: whoever may write that may replace the file, or plant
// the lock and temporary files aws-mfa writes there. It must not be
// writable by others, and must belong to this user (or root).
func checkFiles(out *findings, path string) {
	readable := func(name, what string, st fs.FileInfo) {
		if st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
			out.fix(fmt.Sprintf("%s is readable by others (mode %v)", what, st.Mode().Perm()), shells.Line("chmod", "600", name))
		}
	}
	if st, err := os.Stat(path); err == nil {
		readable(path, path, st)
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		entries, _ := os.ReadDir(filepath.Dir(real))
		for _, e := range entries {
			if st, err := e.Info(); err == nil && strings.HasPrefix(e.Name(), filepath.Base(real)+".aws-mfa-backup-") && backupRE.MatchString(e.Name()) {
				b := filepath.Join(filepath.Dir(real), e.Name())
				readable(b, b+", a backup of aws-mfa's,", st)
			}
		}
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return
	}
	if st.Mode().Perm()&0o002 != 0 {
		out.fix(fmt.Sprintf("%s is writable by every user (mode %v), who could replace the credentials file", dir, st.Mode().Perm()), shells.Line("chmod", "700", dir))
	}
	if uid := credfile.OwnerUID(st); uid != 0 && uid != os.Geteuid() {
		out.fix(fmt.Sprintf("%s belongs to another user (uid %d), who could replace the credentials file", dir, uid),
			shells.Line("sudo", "chown", strconv.Itoa(os.Geteuid()), dir)+", then "+shells.Line("chmod", "700", dir))
	}
}

// checkPair looks at what a pair's source and target profiles hold.
func checkPair(out *findings, creds *credfile.File, p config.Pair, c Checkup) {
	name := "pair " + p.Name + ": "
	sc, item, missing := creds.Credentials(p.Source), awscred.Keys{}, false // the keys in p's keyring item, if read; none there
	switch {
	case p.SourcePair != "":
		// Chained: no source profile; its base pair is checked on its own.
		out.ok(name + "chained from pair " + p.SourcePair + " (source_pair); renewed from its session")
	case p.Keyring != "":
		item, missing = checkKeyring(out, creds, p, c)
	case creds.Section(p.Source) == nil && creds.Closest(p.Source) != "":
		// A typo: setup --source would make a new profile of it.
		s := creds.Closest(p.Source)
		out.fix(name+"no ["+p.Source+"] profile; did you mean ["+s+"]?", fmt.Sprintf("set source = %q in [pair.%s] of %s", s, p.Name, cmp.Or(c.Config.Path, "the aws-mfa config")))
		return
	case creds.Section(p.Source) == nil && !creds.HoldsLongTermKeys(p.Target):
		// Setup would find no keys to copy: they must come from IAM.
		out.fix(name+"no ["+p.Source+"] profile, and no long-term keys in ["+p.Target+"] to copy there", awsConfigure(p.Source)+" (the IAM user's access key), then "+setupCommand(c, p))
		return
	case creds.Section(p.Source) == nil:
		out.fix(name+"no ["+p.Source+"] profile", setupCommand(c, p))
		return
	case sc.AccessKeyID == "" || sc.SecretAccessKey == "":
		fix := awsConfigure(p.Source)
		if i := slices.IndexFunc(c.pairs, func(q config.Pair) bool { return q.Source == p.Source && q.Keyring != "" }); i >= 0 {
			// Another pair of the source moved its keys to a keyring:
			// this one reads them there too.
			q := c.pairs[i]
			fix = fmt.Sprintf("its keys are in keyring item %s (pair %s): add keyring = %q and keyring_backend = %q to [pair.%s] in %s", q.Keyring, q.Name, q.Keyring, cmp.Or(q.KeyringBackend, "os"), p.Name, c.Config.Path)
		}
		out.fix(name+"["+p.Source+"] lacks long-term keys", fix)
	case !creds.HoldsLongTermKeys(p.Source):
		out.fix(name+"["+p.Source+"] holds session credentials", "put the IAM user's long-term keys there: "+awsConfigure(p.Source))
	default:
		out.ok(name + "[" + p.Source + "] holds long-term keys " + exporter.MaskKey(sc.AccessKeyID))
	}
	if serial, _ := creds.Value(p.Source, "mfa_serial"); p.SourcePair == "" && p.Serial == "" && serial == "" {
		out.fix(name+"["+p.Source+"] has no mfa_serial", setupCommand(c, p))
	}

	code := []string{"CODE"}
	if p.SourcePair != "" {
		code = nil // renewed from its base's session; a code only if that has expired too
	}
	tc := creds.Credentials(p.Target)
	_, only := creds.OnlyCopy(p.Target)
	switch {
	case creds.Section(p.Target) == nil || tc.AccessKeyID == "":
		out.ok(name + "[" + p.Target + "] has no session yet")
	case creds.HoldsLongTermKeys(p.Target) && !only:
		out.ok(name + "[" + p.Target + "] still holds long-term keys also kept in another profile; the first refresh replaces them")
	case creds.HoldsLongTermKeys(p.Target) && p.SourcePair != "":
		// A chained pair has no source profile, and its base's target is
		// overwritten too: the keys go to a profile of their own.
		keep := p
		keep.Source, keep.SourcePair = p.Target+"-keys", ""
		out.fix(name+"["+p.Target+"] holds long-term keys, which a refresh would replace", setupCommand(c, keep)+" (copies them to ["+keep.Source+"], which no refresh writes)")
	case creds.HoldsLongTermKeys(p.Target) && tc.Keys != item && (p.Keyring != "" && !missing || creds.HoldsLongTermKeys(p.Source) && tc.Keys != sc.Keys):
		enter := map[bool]string{false: "enter it with `" + awsConfigure(p.Source) + "`", true: "run `" + c.command([]string{"aws-mfa", "keyring", "export", "--delete"}, c.pairArgs(p)...) + "`, enter it with `" + awsConfigure(p.Source) + "`, then run `" + setupCommand(c, p) + "`"}[p.Keyring != "" && !missing]
		out.fix(name+"["+p.Target+"] holds long-term keys, which a refresh would replace", fmt.Sprintf(newKeyFix, enter))
	case creds.HoldsLongTermKeys(p.Target):
		out.fix(name+"["+p.Target+"] holds long-term keys, which a refresh would replace", setupCommand(c, p)+map[bool]string{false: " (copies them to [" + p.Source + "] first)", true: " (moves them to the item, or drops this copy of its keys)"}[p.Keyring != ""])
	default:
		switch s, ok := creds.Session(p.Target); {
		case !ok:
			out.fix(name+"["+p.Target+"] has a session without a readable expiration", refreshCommand(c, p, append([]string{"--force"}, code...)...))
		case !s.Expiration.After(c.Now):
			out.fix(name+"["+p.Target+"] session expired "+s.Expiration.Format(time.RFC3339), refreshCommand(c, p, code...))
		default:
			out.ok(name + "[" + p.Target + "] session valid until " + s.Expiration.Format(time.RFC3339))
		}
	}
}

// checkKeyring looks at a pair whose keys are in a keyring: the item is
// there and unlocked (asked without a prompt), and the keys are not also
// left in the credentials file, nor in any other file under ~/.aws.
func checkKeyring(out *findings, creds *credfile.File, p config.Pair, c Checkup) (item awscred.Keys, missing bool) {
	name := "pair " + p.Name + ": "
	store, err := keyring.Open(p.KeyringBackend, p.TokenTimeout)
	if err != nil {
		out.fix(name+err.Error(), "set keyring_backend in the config to os or pass")
		return
	}
	where := store.Where(p.Keyring)
	switch err := store.Status(context.Background(), p.Keyring); {
	case err == nil:
		out.ok(name + "the long-term keys are in " + where)
		// Readable without a prompt: what else holds the secret key?
		if k, err := store.Peek(context.Background(), p.Keyring); err == nil {
			item = k
			copyFindings(out, c, creds, where, k)
		}
	case errors.Is(err, keyring.ErrNotFound):
		missing = true
		out.fix(name+where+" is missing", setupCommand(c, p)+" (moves the keys there from the credentials file), or aws-mfa keyring export on the machine that has them")
	case errors.Is(err, keyring.ErrLocked):
		out.fix(name+store.Name+" is locked, so "+where+" cannot be read", store.Hint(p.Keyring))
	default:
		// Unavailable: no daemon, no store, no answer. Its message says
		// what is missing, before the hint.
		what, _, _ := strings.Cut(err.Error(), "; ")
		out.fix(name+what, store.Hint(p.Keyring))
	}
	if creds.HoldsLongTermKeys(p.Source) {
		out.fix(name+"["+p.Source+"] still holds long-term keys "+exporter.MaskKey(creds.Credentials(p.Source).AccessKeyID)+" in plaintext, beside "+where,
			setupCommand(c, p)+" (compares them with the keyring's, then removes them from the file)")
	}
	return item, missing
}

// checkProcesses finds the profiles of the AWS config file whose
// credential_process runs a program that is not there: an aws-mfa moved
// or removed since setup wrote its path, which every AWS tool would
// report only as a failed credential process.
func checkProcesses(out *findings, awsConfig *credfile.File, c Checkup) {
	for _, s := range awsConfig.Sections() {
		// A path relative to a directory: the AWS CLI's own, unknown here.
		prog := processProgram(s.Get("credential_process"), runtime.GOOS)
		if _, err := exec.LookPath(prog); prog == "" || err == nil || !filepath.IsAbs(prog) && strings.ContainsAny(prog, `/\`) {
			continue
		}
		fix := "install " + prog + " again (as a program that can run), or correct the line"
		if strings.Contains(filepath.Base(prog), "aws-mfa") && c.Executable != "" {
			fix = "replace " + prog + " in the line with aws-mfa's path now, " + c.Executable
		}
		out.fix(fmt.Sprintf("[%s] in %s runs %s as its credential_process, which is not there or cannot run", s.Name, c.Paths.Config, prog), fix)
	}
}

// processProgram is the program a credential_process line runs, split as
// botocore splits it on goos; "" for none.
func processProgram(line, goos string) string {
	words, ok := credfile.SplitCommand(line)
	if goos == "windows" {
		if rest, quoted := strings.CutPrefix(line, `"`); quoted {
			prog, _, _ := strings.Cut(rest, `"`)
			return prog
		}
		words, ok = strings.Fields(line), true
	}
	if ok && len(words) > 0 {
		return words[0]
	}
	return ""
}

// pairArgs are the arguments that name p on a command line.
func (c Checkup) pairArgs(p config.Pair) []string {
	return map[bool][]string{false: {"-p", p.Name}}[p.Name == c.dflt && c.Getenv("AWS_MFA_PAIR") == ""]
}

// awsConfigure is the AWS CLI command that stores keys in profile.
func awsConfigure(profile string) string {
	return shells.Line("aws", "configure", "--profile", profile)
}

// newKeyFix is what to do when a target holds long-term keys other than
// the source's: a new key entered with plain `aws configure`, or another
// IAM user's. Its %s is how to put a key in the source.
const newKeyFix = "if they are the IAM user's new key, %s (a refresh then replaces the target's copy); if not, give the pair another target"

// command is an aws-mfa command line that reads the config doctor read:
// head, the --config doctor was given (AWS_MFA_CONFIG is still set in the
// shell that ran doctor), then tail.
func (c Checkup) command(head []string, tail ...string) string {
	if c.Config.By == "--config" {
		head = append(head, "--config", c.Config.Path)
	}
	return shells.Line(append(head, tail...)...)
}

// setupCommand is the setup that mends p's source profile: it copies the
// long-term keys from the target if need be and records the device. It
// names the profiles itself (setup's -p adds a pair to the config, which
// p already is) and the pair's serial, so that IAM need not be asked.
func setupCommand(c Checkup, p config.Pair) string {
	if p.Keyring != "" { // the keys are in its item: setup --keyring reads the pair, role and all
		// By its name, unless setup finds it by its profiles, [aws-mfa] → [default].
		return c.command([]string{"aws-mfa", "setup", "--keyring"}, map[bool][]string{false: {"-p", p.Name}}[p.Source == config.BuiltinSource && p.Target == config.BuiltinTarget]...)
	}
	var args []string
	if p.Source != config.BuiltinSource || p.Target != config.BuiltinTarget {
		args = append(args, "--source", p.Source, "--target", p.Target)
	}
	if p.Serial != "" {
		args = append(args, "--serial", p.Serial)
	}
	return c.command([]string{"aws-mfa", "setup"}, args...)
}

// refreshCommand is the refresh of p with args.
func refreshCommand(c Checkup, p config.Pair, args ...string) string {
	return c.command([]string{"aws-mfa"}, append(c.pairArgs(p), args...)...)
}

// checkEnv looks at this shell's environment, which every AWS tool reads
// before the files.
func checkEnv(out *findings, c Checkup, creds, awsConfig *credfile.File) {
	if sh := c.Getenv("AWS_MFA_SHELL"); sh != "" {
		out.ok("the aws-mfa hook is loaded in this shell (" + sh + ")")
	} else {
		out.ok("the aws-mfa hook is not loaded in this shell; see `aws-mfa hook --help` to apply sessions in place")
	}
	if c.Getenv("AWS_WEB_IDENTITY_TOKEN_FILE") != "" && c.Getenv("AWS_ROLE_ARN") != "" {
		// botocore assumes this role before it reads the credentials file.
		out.fix("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set in this shell: AWS tools assume that role instead of using the credentials file",
			"unset both in this shell, or run the tool through aws-mfa exec")
	}
	for _, v := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE"} {
		// AWS tools read the profile named there instead of [default]: one
		// that no file has (and no pair writes) fails them all. botocore
		// lists no [DEFAULT] of the credentials file as a profile.
		if name := c.Getenv(v); name != "" && (name == credfile.DefaultSection || creds.Section(name) == nil) && awsConfig.Profile(name) == nil && !slices.ContainsFunc(c.pairs, func(p config.Pair) bool { return p.Write && p.Target == name }) {
			out.fix(fmt.Sprintf("%s is set in this shell to %q, a profile in neither the credentials file nor the AWS config: every AWS tool fails", v, name), "unset "+v+" in this shell, or set it to a profile that a pair writes")
		}
	}
	if c.Getenv("AWS_ACCESS_KEY_ID") == "" {
		return
	}
	// The command that applies `aws-mfa env ARG` to the shell: with the
	// hook loaded its wrapper does, else eval must (an eval of $(…)
	// applies nothing under the POSIX sh hook).
	apply := func(arg string) string {
		cmd := shells.Line("aws-mfa", "env", arg)
		if c.Getenv("AWS_MFA_SHELL") != "" {
			return cmd
		}
		return `eval "$(` + cmd + `)"`
	}
	switch exp, err := strconv.ParseInt(c.Getenv("AWS_MFA_EXPIRY"), 10, 64); {
	case err != nil:
		out.fix("AWS_ACCESS_KEY_ID is set in this shell and shadows the credentials file for every AWS tool", apply("--unset"))
	case time.Unix(exp, 0).Before(c.Now):
		out.fix("this shell holds an expired aws-mfa session that shadows the credentials file", apply("CODE"))
	}
}

// readFix is the fix for a file that could not be read or parsed: what the
// user does depends on why, not on the message. what names the file in the
// fix, want says what belongs in its place, and parse is the fix for
// content the parser refused.
func readFix(err error, what, want, parse string) string {
	switch {
	case errors.Is(err, config.ErrMissing):
		return "create the file, or name one that exists"
	case errors.Is(err, readfile.ErrNotRegular):
		return "put " + want + " in its place"
	case errors.Is(err, readfile.ErrTooLarge):
		return "put " + want + " in its place; this one is far too large to be it"
	case errors.Is(err, inputerr.Err):
		return parse
	}
	// Permissions, or I/O.
	return "make " + what + " readable by this user"
}
