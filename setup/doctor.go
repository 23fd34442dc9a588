package setup

import (
	"cmp"
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
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/readfile"
	"github.com/aws-mfa/aws-mfa/rotate"
	"github.com/aws-mfa/aws-mfa/shells"
)

// Finding is one thing doctor checked.
type Finding struct {
	OK   bool
	What string
	Fix  string // what to do, when not OK
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
}

// Doctor checks the files, the config and this shell's environment, and
// names the fix for each problem.
func Doctor(c Checkup) []Finding {
	var out []Finding
	add := func(ok bool, what, fix string) { out = append(out, Finding{ok, what, fix}) }

	cfg, err := config.Load(c.Config)
	if err != nil {
		fix := readFix(err, "the config file", "a TOML file", "fix the config file at the line named")
		if errors.Is(err, config.ErrMissing) {
			fix = "create the file, or name one that exists"
		}
		add(false, err.Error(), fix)
		cfg, _ = config.Load(config.Location{})
	} else if cfg.Path != "" {
		add(true, fmt.Sprintf("config %s is valid (%d pairs)", cfg.Path, len(cfg.Pairs)), "")
	}

	path := c.Paths.Credentials
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
		add(false, fmt.Sprintf("%s is readable by others (mode %v)", path, st.Mode().Perm()), shells.Line("chmod", "600", path))
	}
	out = append(out, checkBackups(path)...)
	out = append(out, checkDir(filepath.Dir(path))...)
	creds, err := credfile.Read(path)
	switch {
	case errors.Is(err, credfile.ErrNotFound):
		add(false, "no credentials file at "+path, "run `aws configure`, then `aws-mfa setup`")
		return out
	case err != nil:
		add(false, err.Error(), readFix(err, "the credentials file", "the credentials text file", "fix the line named; the AWS CLI cannot read the file either"))
		return out
	}
	// The AWS config file: a refresh reads it too (a role_arn or an sso_
	// key for a target there would shadow the session written).
	awsConfig, err := credfile.Read(c.Paths.Config)
	switch {
	case errors.Is(err, credfile.ErrNotFound):
		awsConfig = nil
	case err != nil:
		add(false, err.Error(), readFix(err, "the AWS config file", "the AWS config text file", "fix the line named; the AWS CLI cannot read the file either"))
		return out
	}
	out = append(out, checkProcesses(awsConfig, c)...)
	pairs := cfg.Pairs
	c.pairs = cfg.Pairs
	if c.Pair != "" {
		p, err := cfg.Select(c.Pair)
		if err != nil {
			add(false, err.Error(), "name a pair from the config")
			return out
		}
		pairs = []config.Pair{p}
	}
	keys := rotate.Load(c.StateDir)
	for _, p := range pairs {
		if created, ok := keys.Created(p, creds); ok && c.Now.Sub(created) > time.Duration(cfg.MaxKeyAge)*24*time.Hour {
			add(false, fmt.Sprintf("pair %s: the access key in %s is %d days old, older than max_key_age (%d days)", p.Name, rotate.Place(p), int(c.Now.Sub(created).Hours()/24), cfg.MaxKeyAge),
				rotateCommand(c, p)+" (needs "+rotate.Permissions+" on the IAM user)")
		}
		for _, f := range checkPair(creds, p, c) {
			// Pairs that share a keyring item share its findings.
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
		if key, where := credfile.Shadowing(creds, awsConfig, p.Target); key != "" && p.Write {
			add(false, fmt.Sprintf("pair %s: %s sets %s, which the AWS CLI and SDKs use instead of the session in [%s]; a refresh refuses to write there", p.Name, where, key, p.Target),
				"remove "+key+" from "+where+", or give the pair another target")
		}
	}
	return append(out, checkEnv(c)...)
}

// checkBackups names each of aws-mfa's backups of the credentials file
// (beside the file its links lead to) that others can read.
func checkBackups(path string) []Finding {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil
	}
	entries, _ := os.ReadDir(filepath.Dir(real))
	var out []Finding
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), filepath.Base(real)+".aws-mfa-backup-") || !backupRE().MatchString(e.Name()) {
			continue
		}
		b := filepath.Join(filepath.Dir(real), e.Name())
		if st, err := e.Info(); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
			out = append(out, Finding{false, fmt.Sprintf("%s, a backup of aws-mfa's, is readable by others (mode %v)", b, st.Mode().Perm()), shells.Line("chmod", "600", b)})
		}
	}
	return out
}

// checkDir looks at the directory that holds the credentials file:
// whoever may write it may replace the file, or plant the lock and
// temporary files aws-mfa writes there. It must not be writable by
// others, and must belong to this user (or root).
func checkDir(dir string) []Finding {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil
	}
	var out []Finding
	if st.Mode().Perm()&0o002 != 0 {
		out = append(out, Finding{false, fmt.Sprintf("%s is writable by every user (mode %v), who could replace the credentials file", dir, st.Mode().Perm()), shells.Line("chmod", "700", dir)})
	}
	if uid, ok := ownerUID(st); ok && uid != 0 && uid != os.Geteuid() {
		out = append(out, Finding{false, fmt.Sprintf("%s belongs to another user (uid %d), who could replace the credentials file", dir, uid),
			shells.Line("sudo", "chown", strconv.Itoa(os.Geteuid()), dir) + ", then " + shells.Line("chmod", "700", dir)})
	}
	return out
}

func checkPair(creds *credfile.File, p config.Pair, c Checkup) []Finding {
	var out []Finding
	add := func(ok bool, what, fix string) { out = append(out, Finding{ok, what, fix}) }
	name := fmt.Sprintf("pair %s: ", p.Name)
	if p.SourcePair != "" {
		// Chained: no source profile; its base pair is checked on its own.
		add(true, name+"chained from pair "+p.SourcePair+" (source_pair); renewed from its session", "")
		return append(out, checkTarget(creds, p, c)...)
	}
	sc := creds.Credentials(p.Source)
	switch {
	case p.Keyring != "":
		out = append(out, checkKeyring(creds, p, c)...)
	case creds.Section(p.Source) == nil && creds.Closest(p.Source) != "":
		// A typo: setup --source would make a new profile of it.
		s := creds.Closest(p.Source)
		add(false, name+"no ["+p.Source+"] profile; did you mean ["+s+"]?", fmt.Sprintf("set source = %q in [pair.%s] of %s", s, p.Name, cmp.Or(c.Config.Path, "the aws-mfa config")))
		return out
	case creds.Section(p.Source) == nil && !creds.HoldsLongTermKeys(p.Target):
		// Setup would find no keys to copy: they must come from IAM.
		add(false, name+"no ["+p.Source+"] profile, and no long-term keys in ["+p.Target+"] to copy there", awsConfigure(p.Source)+" (the IAM user's access key), then "+setupCommand(c, p))
		return out
	case creds.Section(p.Source) == nil:
		add(false, name+"no ["+p.Source+"] profile", setupCommand(c, p))
		return out
	case sc.AccessKeyID == "" || sc.SecretAccessKey == "":
		fix := awsConfigure(p.Source)
		for _, q := range c.pairs {
			if q.Source == p.Source && q.Keyring != "" {
				// Another pair of the source moved its keys to a keyring:
				// this one reads them there too.
				fix = fmt.Sprintf("its keys are in keyring item %s (pair %s): add keyring = %q and keyring_backend = %q to [pair.%s] in %s", q.Keyring, q.Name, q.Keyring, cmp.Or(q.KeyringBackend, "os"), p.Name, c.Config.Path)
				break
			}
		}
		add(false, name+"["+p.Source+"] lacks long-term keys", fix)
	case !creds.HoldsLongTermKeys(p.Source):
		add(false, name+"["+p.Source+"] holds session credentials", "put the IAM user's long-term keys there: "+awsConfigure(p.Source))
	default:
		add(true, name+"["+p.Source+"] holds long-term keys "+exporter.MaskKey(sc.AccessKeyID), "")
	}
	if serial, _ := creds.Value(p.Source, "mfa_serial"); p.Serial == "" && serial == "" {
		add(false, name+"["+p.Source+"] has no mfa_serial", setupCommand(c, p))
	}
	return append(out, checkTarget(creds, p, c)...)
}

// checkTarget looks at what a pair's target profile holds.
func checkTarget(creds *credfile.File, p config.Pair, c Checkup) []Finding {
	now := c.Now
	var out []Finding
	add := func(ok bool, what, fix string) { out = append(out, Finding{ok, what, fix}) }
	name := fmt.Sprintf("pair %s: ", p.Name)
	code := []string{"CODE"}
	if p.SourcePair != "" {
		code = nil // renewed from its base's session; a code only if that has expired too
	}
	tc := creds.Credentials(p.Target)
	_, only := creds.OnlyCopy(p.Target)
	switch {
	case creds.Section(p.Target) == nil || tc.AccessKeyID == "":
		add(true, name+"["+p.Target+"] has no session yet", "")
	case creds.HoldsLongTermKeys(p.Target) && !only:
		add(true, name+"["+p.Target+"] still holds long-term keys also kept in another profile; the first refresh replaces them", "")
	case creds.HoldsLongTermKeys(p.Target) && p.SourcePair != "":
		// A chained pair has no source profile, and its base's target is
		// overwritten too: the keys go to a profile of their own.
		keep := p
		keep.Source, keep.SourcePair = p.Target+"-keys", ""
		add(false, name+"["+p.Target+"] holds long-term keys, which a refresh would replace", setupCommand(c, keep)+" (copies them to ["+keep.Source+"], which no refresh writes)")
	case creds.HoldsLongTermKeys(p.Target):
		add(false, name+"["+p.Target+"] holds long-term keys, which a refresh would replace", setupCommand(c, p)+" (copies them to ["+p.Source+"] first)")
	default:
		s, ok := creds.Session(p.Target)
		switch {
		case !ok:
			add(false, name+"["+p.Target+"] has a session without a readable expiration", refreshCommand(c, p, append([]string{"--force"}, code...)...))
		case !s.Expiration.After(now):
			add(false, name+"["+p.Target+"] session expired "+s.Expiration.Format(time.RFC3339), refreshCommand(c, p, code...))
		default:
			add(true, name+"["+p.Target+"] session valid until "+s.Expiration.Format(time.RFC3339), "")
		}
	}
	return out
}

// checkProcesses finds the profiles of the AWS config file whose
// credential_process runs a program that is not there: an aws-mfa moved
// or removed since setup wrote its path, which every AWS tool would
// report only as a failed credential process.
func checkProcesses(awsConfig *credfile.File, c Checkup) []Finding {
	if awsConfig == nil {
		return nil
	}
	var out []Finding
	for _, s := range awsConfig.Sections() {
		line := s.Get("credential_process")
		prog := processProgram(line, runtime.GOOS)
		if prog == "" {
			continue
		}
		var err error
		if filepath.IsAbs(prog) {
			_, err = os.Stat(prog)
		} else if !strings.ContainsAny(prog, `/\`) {
			_, err = exec.LookPath(prog)
		}
		if err == nil {
			continue
		}
		fix := "install " + prog + " again, or correct the line"
		if strings.Contains(filepath.Base(prog), "aws-mfa") && c.Executable != "" {
			fix = "replace " + prog + " in the line with aws-mfa's path now, " + c.Executable
		}
		out = append(out, Finding{false, fmt.Sprintf("[%s] in %s runs %s as its credential_process, which is not there", s.Name, c.Paths.Config, prog), fix})
	}
	return out
}

// processProgram is the program a credential_process line runs, split as
// botocore splits it on goos; "" for none.
func processProgram(line, goos string) string {
	if goos == "windows" {
		if rest, ok := strings.CutPrefix(line, `"`); ok {
			prog, _, _ := strings.Cut(rest, `"`)
			return prog
		}
		if f := strings.Fields(line); len(f) > 0 {
			return f[0]
		}
		return ""
	}
	if words, ok := credfile.SplitCommand(line); ok && len(words) > 0 {
		return words[0]
	}
	return ""
}

// pairArgs are the arguments that name p on a command line.
func pairArgs(p config.Pair) []string {
	if p.Name == config.BuiltinName {
		return nil
	}
	return []string{"-p", p.Name}
}

// awsConfigure is the AWS CLI command that stores keys in profile.
func awsConfigure(profile string) string {
	return shells.Line("aws", "configure", "--profile", profile)
}

// setupCommand is the setup that mends p's source profile: it copies the
// long-term keys from the target if need be and records the device. It
// names the profiles itself (setup's -p adds a pair to the config, which
// p already is) and the pair's serial, so that IAM need not be asked.
func setupCommand(c Checkup, p config.Pair) string {
	args := []string{"aws-mfa", "setup"}
	if c.Config.By == "--config" {
		args = append(args, "--config", c.Config.Path)
	}
	if p.Source != config.BuiltinSource || p.Target != config.BuiltinTarget {
		args = append(args, "--source", p.Source, "--target", p.Target)
	}
	if p.Serial != "" {
		args = append(args, "--serial", p.Serial)
	}
	return shells.Line(args...)
}

// rotateCommand is the rotation of p's keys, reading the same config
// doctor read.
func rotateCommand(c Checkup, p config.Pair) string {
	args := []string{"aws-mfa", "rotate", "-p", p.Name}
	if c.Config.By == "--config" {
		args = append(args, "--config", c.Config.Path)
	}
	return shells.Line(args...)
}

// refreshCommand is the refresh of p with args, reading the same config
// doctor read: a --config flag is repeated (AWS_MFA_CONFIG is still set
// in the shell that ran doctor).
func refreshCommand(c Checkup, p config.Pair, args ...string) string {
	cmd := []string{"aws-mfa"}
	if c.Config.By == "--config" {
		cmd = append(cmd, "--config", c.Config.Path)
	}
	if p.Name != config.BuiltinName {
		cmd = append(cmd, "-p", p.Name)
	}
	return shells.Line(append(cmd, args...)...)
}

// applyEnv is the command that applies `aws-mfa env ARGS` to the shell:
// with the hook loaded its wrapper does, else eval must (and inside the
// hook's wrapper an eval of $(…) would apply nothing).
func applyEnv(c Checkup, args ...string) string {
	cmd := append([]string{"aws-mfa", "env"}, args...)
	if c.Getenv("AWS_MFA_SHELL") != "" {
		return shells.Line(cmd...)
	}
	return `eval "$(` + shells.Line(cmd...) + `)"`
}

func checkEnv(c Checkup) []Finding {
	var out []Finding
	if sh := c.Getenv("AWS_MFA_SHELL"); sh != "" {
		out = append(out, Finding{true, "the aws-mfa hook is loaded in this shell (" + sh + ")", ""})
	} else {
		out = append(out, Finding{true, "the aws-mfa hook is not loaded in this shell; see `aws-mfa hook --help` to apply sessions in place", ""})
	}
	if c.Getenv("AWS_WEB_IDENTITY_TOKEN_FILE") != "" && c.Getenv("AWS_ROLE_ARN") != "" {
		// botocore assumes this role before it reads the credentials file.
		out = append(out, Finding{false, "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set in this shell: AWS tools assume that role instead of using the credentials file",
			"unset both in this shell, or run the tool through aws-mfa exec"})
	}
	if c.Getenv("AWS_ACCESS_KEY_ID") == "" {
		return out
	}
	exp, err := strconv.ParseInt(c.Getenv("AWS_MFA_EXPIRY"), 10, 64)
	switch {
	case err != nil:
		out = append(out, Finding{false, "AWS_ACCESS_KEY_ID is set in this shell and shadows the credentials file for every AWS tool", applyEnv(c, "--unset")})
	case time.Unix(exp, 0).Before(c.Now):
		out = append(out, Finding{false, "this shell holds an expired aws-mfa session that shadows the credentials file", applyEnv(c, "CODE")})
	}
	return out
}

// readFix is the fix for a file that could not be read or parsed: what the
// user does depends on why, not on the message. what names the file in the
// fix, want says what belongs in its place, and parse is the fix for
// content the parser refused.
func readFix(err error, what, want, parse string) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "make " + what + " readable by this user"
	case errors.Is(err, readfile.ErrNotRegular):
		return "put " + want + " in its place"
	case errors.Is(err, readfile.ErrTooLarge):
		return "put " + want + " in its place; this one is far too large to be it"
	case errors.Is(err, inputerr.Err):
		return parse
	}
	return "make " + what + " readable by this user"
}
