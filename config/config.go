// Package config reads aws-mfa's TOML file: defaults and named source →
// target profile pairs. The file's shape (fileTOML) is kept apart from
// the resolved pairs the rest of aws-mfa uses (Pair).
package config

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/readfile"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
	"github.com/aws-mfa/aws-mfa/internal/suggest"
	"github.com/aws-mfa/aws-mfa/keyring"
	"github.com/aws-mfa/aws-mfa/shells"
)

var (
	// ErrInvalid marks a config file that is present but wrong.
	ErrInvalid = inputerr.New("invalid config")
	// ErrMissing marks a config file named explicitly that does not exist.
	ErrMissing = inputerr.New("no config file")
)

// Built-in values, used where neither the file nor a flag says otherwise.
const (
	BuiltinName   = "default"
	BuiltinSource = "aws-mfa"
	BuiltinTarget = "default"
	DefaultDur    = 12 * time.Hour
	DefaultMargin = 10 * time.Minute
	// DefaultTokenTimeout gives a YubiKey waiting for a touch time enough.
	DefaultTokenTimeout = 30 * time.Second
	// DefaultMaxKeyAge is the key age doctor flags, in days, as security
	// teams ask keys to be rotated.
	DefaultMaxKeyAge = 90
)

// Pair is a resolved source → target pair.
type Pair struct {
	Name, Source, Target string
	Serial               string        // overrides the source profile's mfa_serial
	Duration             time.Duration // session length
	Margin               time.Duration // refresh when less than this is left
	MaxMFAAge            time.Duration // renew a session whose code is older (mfa_max_age); 0: no bound
	Region, Endpoint     string
	RoleARN              string // when set, AssumeRole instead of GetSessionToken
	RoleSessionName      string
	// SourcePair, when set, names the pair whose session signs this pair's
	// AssumeRole (role chaining): no long-term keys, no code. Source is empty.
	SourcePair     string
	ExternalID     string
	TokenCommand   []string      // argv whose stdout is the code
	TokenTimeout   time.Duration // bound on TokenCommand
	Write          bool          // write the target profile
	Shell          string        // the defaults' shell dialect for env
	Keyring        string        // keyring item with the long-term keys; "" means the source profile's
	KeyringBackend string        // keyring.Open's name; "" means the OS's own store
}

// Config is the resolved file.
type Config struct {
	Path    string // "" when no file exists
	Default string // the pair used when none is named
	// KeyringBackend is [defaults]' keyring_backend, which a new pair gets.
	KeyringBackend string
	Pairs          []Pair // sorted by name; always includes the built-in unless replaced
	Builtin        bool   // the built-in pair is in Pairs: no pair of the file replaced it
	MaxKeyAge      int    // [defaults]' max_key_age: days before doctor asks for a rotation
}

// fileTOML is the file's shape.
type fileTOML struct {
	Defaults defaultsTOML        `toml:"defaults"`
	Pair     map[string]pairTOML `toml:"pair"`
}

type defaultsTOML struct {
	Pair           string   `toml:"pair"`
	Duration       duration `toml:"duration"`
	RefreshMargin  duration `toml:"refresh_margin"`
	MFAMaxAge      duration `toml:"mfa_max_age"`
	Region         string   `toml:"region"`
	TokenCommand   command  `toml:"token_command"`
	TokenTimeout   duration `toml:"token_timeout"`
	Shell          string   `toml:"shell"`
	KeyringBackend string   `toml:"keyring_backend"`
	EndpointURL    string   `toml:"endpoint_url"`
	MaxKeyAge      int      `toml:"max_key_age"`
}

type pairTOML struct {
	Source          string   `toml:"source"`
	SourcePair      string   `toml:"source_pair"`
	Target          string   `toml:"target"`
	MFASerial       string   `toml:"mfa_serial"`
	Duration        duration `toml:"duration"`
	RefreshMargin   duration `toml:"refresh_margin"`
	MFAMaxAge       duration `toml:"mfa_max_age"`
	Region          string   `toml:"region"`
	EndpointURL     string   `toml:"endpoint_url"`
	RoleARN         string   `toml:"role_arn"`
	RoleSessionName string   `toml:"role_session_name"`
	ExternalID      string   `toml:"external_id"`
	TokenCommand    command  `toml:"token_command"`
	TokenTimeout    duration `toml:"token_timeout"`
	Write           *bool    `toml:"write"`
	Keyring         string   `toml:"keyring"`
	KeyringBackend  string   `toml:"keyring_backend"`
}

// duration reads "12h", "90m" or a number of seconds.
type duration struct {
	time.Duration
	set bool
}

func (d *duration) UnmarshalTOML(v any) (err error) {
	switch x := v.(type) {
	case int64:
		d.Duration, err = stsparam.Seconds(x)
	case string:
		d.Duration, err = stsparam.ParseDuration(x)
	default:
		return errors.New("duration must be a string like \"12h\" or a number of seconds")
	}
	d.set = true
	return err
}

// command reads a string, split on white space, or an array of strings,
// taken as is. Neither goes through a shell.
type command []string

func (c *command) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		*c = strings.Fields(x)
	case []any:
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return errors.New("token_command array must hold strings")
			}
			*c = append(*c, s)
		}
	default:
		return errors.New("token_command must be a string or an array of strings")
	}
	if len(*c) == 0 {
		return errors.New("token_command is empty")
	}
	return nil
}

// Location is the config file to read and how it was named.
type Location struct {
	Path string
	// By names what chose Path: "--config", "AWS_MFA_CONFIG", or "" for
	// the default location, the only one that may be absent.
	By string
}

// Locate says which file to read: --config, else AWS_MFA_CONFIG, else
// aws-mfa/config.toml in the user's config directory (XDG_CONFIG_HOME or
// ~/.config on Linux). userConfigDir is os.UserConfigDir in production.
func Locate(flag string, getenv func(string) string, userConfigDir func() (string, error)) Location {
	if flag != "" {
		return Location{Path: flag, By: "--config"}
	}
	if p := getenv("AWS_MFA_CONFIG"); p != "" {
		return Location{Path: p, By: "AWS_MFA_CONFIG"}
	}
	dir, err := userConfigDir()
	if err != nil {
		return Location{}
	}
	return Location{Path: filepath.Join(dir, "aws-mfa", "config.toml")}
}

// MaxSize bounds the config file: a real one is a few hundred bytes, and
// AWS_MFA_CONFIG=/dev/zero or a huge file must not fill memory.
const MaxSize = 1 << 20

// Load reads the file at loc. A missing file at the default location, or
// none (Path ""), gives the built-in pair; a file named by --config or
// AWS_MFA_CONFIG must exist. A file that is present but broken is
// ErrInvalid, never a fallback; one that cannot be read (permissions,
// I/O) is a plain error.
func Load(loc Location) (*Config, error) {
	data, err := Read(loc.Path)
	switch {
	case err == nil:
		return Parse(loc.Path, data)
	case errors.Is(err, fs.ErrNotExist) && loc.By == "":
		return Parse("", nil) // the built-in pair
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w at %s (named by %s); create it, or name another", ErrMissing, loc.Path, loc.By)
	}
	return nil, err
}

// Read returns the bytes of the config file at path, bounded by MaxSize:
// a missing file is fs.ErrNotExist; one that is not a regular file, or
// too large, is ErrInvalid.
func Read(path string) ([]byte, error) {
	data, err := readfile.Read(path, MaxSize)
	switch {
	case err == nil, errors.Is(err, fs.ErrNotExist):
		return data, err
	case errors.Is(err, readfile.ErrNotRegular), errors.Is(err, readfile.ErrTooLarge):
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	case errors.Is(err, fs.ErrPermission):
		// fs.ErrPermission is kept: the caller's exit code depends on it.
		return nil, fmt.Errorf("cannot read the config file %s: %w; make it readable by this user", path, fs.ErrPermission)
	}
	return nil, fmt.Errorf("cannot read the config file: %w", err)
}

func or(d duration, def time.Duration) time.Duration {
	if d.set {
		return d.Duration
	}
	return def
}

// Parse decodes and validates a config file's bytes; path is for messages.
func Parse(path string, data []byte) (*Config, error) {
	if line := TooDeep(data); line > 0 {
		return nil, fmt.Errorf("%w: %s:%d: tables, arrays or dotted keys nest more than %d deep, a name is longer than %d bytes, or there are more than %d keys; a config needs [pair.NAME] key = value", ErrInvalid, path, line, maxNesting, maxName, maxKeys)
	}
	var f fileTOML
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		err = firstError(string(data), err)
		if pe, ok := errors.AsType[toml.ParseError](err); ok {
			// The parser quotes the text it stumbled on; that may be a
			// secret, so the message keeps only the line and the why.
			msg := quotedRE.ReplaceAllStringFunc(pe.Message, redact)
			if _, size, ok := strings.Cut(msg, " is out of range for "); ok {
				msg = "a number is out of range for " + size // the number unquoted
			}
			return nil, fmt.Errorf("%w: %s:%d: %s", ErrInvalid, path, pe.Position.Line, msg)
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, path, err)
	}
	if keys := md.Undecoded(); len(keys) > 0 {
		return nil, unknownKey(path, string(data), keys[0])
	}
	c := &Config{Path: path, Default: cmp.Or(f.Defaults.Pair, BuiltinName), KeyringBackend: f.Defaults.KeyringBackend, MaxKeyAge: cmp.Or(f.Defaults.MaxKeyAge, DefaultMaxKeyAge)}
	// 0 is refused, not taken as the default: it may be meant as "never".
	if n := f.Defaults.MaxKeyAge; md.IsDefined("defaults", "max_key_age") && (n < 1 || n > 3650) {
		return nil, fmt.Errorf("%w: %s:%d: [defaults] max_key_age %d must be a number of days from 1 to 3650", ErrInvalid, path, lineOf(string(data), toml.Key{"defaults", "max_key_age"}), n)
	}
	// The defaults are checked as the built-in pair they make, whether or
	// not a pair replaces it: a wrong value is an error wherever it sits.
	builtinWithDefaults := resolve(BuiltinName, pairTOML{Source: BuiltinSource, Target: BuiltinTarget}, f.Defaults)
	if err := check(builtinWithDefaults); err != nil {
		return nil, fmt.Errorf("%w: %s:%d: [defaults] %v", ErrInvalid, path, lineOf(string(data), toml.Key{"defaults"}), err)
	}
	for _, name := range slices.Sorted(maps.Keys(f.Pair)) {
		at := func() int { return lineOf(string(data), toml.Key{"pair", name}) }
		if !pairNameRE.MatchString(name) || len(name) > 64 {
			shown := name // at() still looks up the whole name
			if len(name) > 64 {
				shown = name[:64] + "…"
			}
			return nil, fmt.Errorf("%w: %s:%d: pair name %q: use 1 to 64 letters, digits and _.@+=,- starting with a letter or digit", ErrInvalid, path, at(), shown)
		}
		p := resolve(name, f.Pair[name], f.Defaults)
		if err := check(p); err != nil {
			return nil, fmt.Errorf("%w: %s:%d: [pair.%s] %v", ErrInvalid, path, at(), name, err)
		}
		c.Pairs = append(c.Pairs, p)
	}
	// A pair named default, or one that writes [default], replaces the built-in.
	if !slices.ContainsFunc(c.Pairs, func(p Pair) bool { return p.Name == BuiltinName || p.Target == BuiltinTarget }) {
		c.Pairs, c.Builtin = append(c.Pairs, builtinWithDefaults), true
		slices.SortFunc(c.Pairs, func(a, b Pair) int { return strings.Compare(a.Name, b.Name) })
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, path, err)
	}
	// A source_pair that names no pair or closes a cycle is refused at the
	// file:line of that source_pair.
	for _, p := range c.Pairs {
		var broken *chainError
		if _, err := c.Chain(p); errors.As(err, &broken) {
			return nil, fmt.Errorf("%w: %s:%d: %v", ErrInvalid, path, keyLine(string(data), toml.Key{"pair", broken.pair, "source_pair"}), err)
		}
	}
	return c, nil
}

// pairNameRE keeps pair names to what is safe as a word everywhere a
// name goes: a profile name, a shell's completion list, a message. It is
// stricter than a profile name: IAM's name characters, starting with a
// letter or digit (never "-", which would read as an option). The length
// (at most 64) is checked apart: a counted repeat compiles to a program
// that many times larger, at every start.
var pairNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@+=,-]*$`)

// quotedRE finds the quoted text in a TOML parse error.
var quotedRE = regexp.MustCompile(`"[^"]*"|'[^']*'`)

// redact is "…" for quoted text, but for one quoted character, which is
// the syntax the parser expected or got ('=', '.'), not the file's text.
func redact(q string) string {
	if q[0] == '\'' && len(q) <= 3 {
		return q
	}
	return "…"
}

func resolve(name string, t pairTOML, d defaultsTOML) Pair {
	p := Pair{
		Name:            name,
		Source:          t.Source,
		SourcePair:      t.SourcePair,
		Target:          t.Target,
		Serial:          t.MFASerial,
		Duration:        or(t.Duration, or(d.Duration, DefaultDur)),
		Margin:          or(t.RefreshMargin, or(d.RefreshMargin, DefaultMargin)),
		MaxMFAAge:       or(t.MFAMaxAge, d.MFAMaxAge.Duration),
		Region:          cmp.Or(t.Region, d.Region),
		Endpoint:        cmp.Or(t.EndpointURL, d.EndpointURL),
		RoleARN:         t.RoleARN,
		RoleSessionName: t.RoleSessionName,
		ExternalID:      t.ExternalID,
		TokenCommand:    t.TokenCommand,
		TokenTimeout:    or(t.TokenTimeout, or(d.TokenTimeout, DefaultTokenTimeout)),
		Write:           t.Write == nil || *t.Write,
		Shell:           d.Shell,
		Keyring:         t.Keyring,
		KeyringBackend:  cmp.Or(t.KeyringBackend, d.KeyringBackend),
	}
	if p.TokenCommand == nil {
		p.TokenCommand = d.TokenCommand
	}
	if (p.SourcePair != "" || p.RoleARN != "") && !t.Duration.set {
		// [defaults]' duration is for sessions from long-term keys; a role
		// gets at most an hour from it: role chaining's limit, and every
		// role's MaxSessionDuration unless its owner raised it. A role
		// that allows more takes a duration of its own.
		p.Duration = min(p.Duration, stsparam.DefaultRoleDuration)
	}
	return p
}

// MaxTokenTimeout bounds token_timeout: long enough for a hardware key
// waiting for a touch, short of leaving a shell hanging for good.
const MaxTokenTimeout = 10 * time.Minute

// check validates a resolved pair, the built-in one included.
func check(p Pair) error {
	chained := p.SourcePair != "" // its credentials are another pair's session
	switch {
	case chained && p.Source != "":
		return errors.New("has both source and source_pair; a chained pair takes its credentials from source_pair's session, so remove source")
	case chained && p.Target == "":
		return errors.New("needs a target")
	case !chained && (p.Source == "" || p.Target == ""):
		return errors.New("needs both source and target")
	case !chained && credfile.ValidName(p.Source) != nil:
		return fmt.Errorf("source: %v", credfile.ValidName(p.Source))
	case credfile.ValidName(p.Target) != nil:
		return fmt.Errorf("target: %v", credfile.ValidName(p.Target))
	case chained && p.RoleARN == "":
		return errors.New("has source_pair but no role_arn; a chained pair assumes a role with the other pair's session")
	case chained && p.Serial != "":
		return errors.New("has mfa_serial, but a chained pair sends no code; the code goes to the pair at the start of the chain")
	case !keyring.Valid(p.KeyringBackend):
		return fmt.Errorf("keyring_backend %q is not one of os, secret-service, keychain, wincred, pass", p.KeyringBackend)
	case p.Shell != "" && !slices.Contains(shells.Names(), shells.Normalize(p.Shell)):
		return fmt.Errorf("shell %q is not one of %s", p.Shell, strings.Join(shells.Names(), ", "))
	case chained:
		// No long-term keys, so no keyring item to check; role chaining's
		// limit is CheckDuration's below.
	case p.Source == p.Target:
		return fmt.Errorf("target %q is its own source; the session must go to another profile", p.Target)
	case p.RoleARN == "" && (p.RoleSessionName != "" || p.ExternalID != ""):
		return errors.New("role_session_name and external_id need role_arn")
	case p.Keyring != "" && keyring.CheckItem(p.Keyring) != nil:
		return keyring.CheckItem(p.Keyring)
	}
	// The STS parameters, by the same rules the refresh applies.
	switch err := cmp.Or(
		optional(p.Serial, stsparam.CheckSerial),
		optional(p.RoleARN, stsparam.CheckRoleARN),
		optional(p.RoleSessionName, stsparam.CheckRoleSessionName),
		optional(p.ExternalID, stsparam.CheckExternalID),
		optional(p.Endpoint, stsparam.CheckEndpoint),
		optional(p.Region, stsparam.CheckRegion),
		stsparam.CheckDuration(p.Duration, p.Margin, p.RoleARN != "", chained),
	); {
	case err != nil:
		return err
	case p.TokenTimeout <= 0 || p.TokenTimeout > MaxTokenTimeout:
		return fmt.Errorf("token_timeout %s must be more than 0 and at most %s", p.TokenTimeout, MaxTokenTimeout)
	case p.MaxMFAAge < 0:
		return fmt.Errorf("mfa_max_age %s must be at least 0 (0: no bound)", p.MaxMFAAge)
	}
	return nil
}

// optional applies check to a value that is set; unset is fine.
func optional(v string, check func(string) error) error {
	if v == "" {
		return nil
	}
	return check(v)
}

func (c *Config) validate() error {
	targets := map[string]string{}
	for _, p := range c.Pairs {
		if other, dup := targets[p.Target]; dup {
			return fmt.Errorf("pairs %s and %s both write [%s]; give each its own target", other, p.Name, p.Target)
		}
		targets[p.Target] = p.Name
	}
	for _, p := range c.Pairs {
		// A chained pair's source is "", which names no target.
		if p.Write && slices.ContainsFunc(c.Pairs, func(q Pair) bool { return q.Source == p.Target }) {
			return fmt.Errorf("[pair.%s] writes [%s], which another pair uses as its source; that would overwrite long-term keys", p.Name, p.Target)
		}
	}
	if _, err := c.Select(c.Default); err != nil {
		return fmt.Errorf("defaults.pair: %v", err)
	}
	return nil
}

// Select finds a pair by its name or by its target profile; "" means the
// default pair.
func (c *Config) Select(name string) (Pair, error) {
	name = cmp.Or(name, c.Default)
	i := slices.IndexFunc(c.Pairs, func(p Pair) bool { return p.Name == name })
	if i < 0 { // a pair's name beats another pair's target
		i = slices.IndexFunc(c.Pairs, func(p Pair) bool { return p.Target == name })
	}
	if i >= 0 {
		return c.Pairs[i], nil
	}
	return Pair{}, fmt.Errorf("no pair named %q%s", name, pairsHint(name, c.Pairs))
}

// pairsHint follows "NAME names no pair": the pair NAME was probably meant
// to be, and the pairs there are.
func pairsHint(name string, pairs []Pair) string {
	names := names(pairs)
	if s := suggest.Closest(name, names); s != "" {
		return "; did you mean " + s + "? The pairs are " + strings.Join(names, ", ")
	}
	return "; the pairs are " + strings.Join(names, ", ")
}
