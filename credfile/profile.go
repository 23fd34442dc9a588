package credfile

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/suggest"
)

// DefaultSection is configparser's defaults section: botocore gives every
// profile of the file the keys of [DEFAULT] that it does not set itself.
const DefaultSection = "DEFAULT"

// Value returns key in section as botocore reads it: the section's own
// value, else [DEFAULT]'s. ok reports whether either sets it; an empty
// value is set. A missing section has no values.
func (f *File) Value(section, key string) (value string, ok bool) {
	s := f.Section(section)
	if o := cmp.Or(s.option(key), f.Section(DefaultSection).option(key)); s != nil && o != nil {
		return o.value, true
	}
	return "", false
}

// Credentials returns what botocore's SharedCredentialProvider reads for
// profile: keys inherited from [DEFAULT], and as the token the first key
// present of aws_security_token and aws_session_token, even when empty.
// The expiration is left zero: Session reads it.
func (f *File) Credentials(profile string) awscred.Session {
	var c awscred.Session
	c.AccessKeyID, _ = f.Value(profile, "aws_access_key_id")
	c.SecretAccessKey, _ = f.Value(profile, "aws_secret_access_key")
	var ok bool
	if c.SessionToken, ok = f.Value(profile, "aws_security_token"); !ok {
		c.SessionToken, _ = f.Value(profile, "aws_session_token")
	}
	return c
}

// HoldsLongTermKeys is the one rule for "does this profile hold long-term
// keys", used to guard a target and to accept a source. It does when
// botocore reads a key id for it that is not a temporary one, unless
// aws-mfa wrote the session there: AWS gives temporary credentials (STS)
// key ids starting ASIA and IAM users' access keys ids starting AKIA, but
// emulators (moto, LocalStack) hand out sessions whose ids start AKIA.
//
// A token beside the key id proves nothing: `aws configure set` rotating
// a key over an old session keeps the stale aws_session_token (or
// aws_security_token) line and the expiration, so a rule that trusted
// them would let a refresh overwrite the only copy of the new key. What
// aws-mfa wrote is known by SessionMarkKey, a digest of the session's key
// id, secret and token that it writes beside a session whose id does not
// start ASIA: a key set over it no longer matches its digest.
func (f *File) HoldsLongTermKeys(profile string) bool {
	s, ok := f.Session(profile)
	return s.AccessKeyID != "" && !strings.HasPrefix(s.AccessKeyID, "ASIA") && !ok
}

// SessionMarkKey is the key aws-mfa writes beside a session whose key id
// does not start ASIA (see HoldsLongTermKeys). botocore ignores it.
const SessionMarkKey = "aws_mfa_session"

// sessionMark is the mark for c: the first 8 bytes of a SHA-256 over its
// three values, in hex. Those values sit in the same section in the
// clear, so the digest tells nothing they do not.
func sessionMark(c awscred.Session) string {
	return fmt.Sprintf("%.8x", sha256.Sum256([]byte(c.AccessKeyID+"\x00"+c.SecretAccessKey+"\x00"+c.SessionToken)))
}

// OnlyCopy reports whether replacing profile's keys would destroy the only
// copy of a long-term key pair: profile holds long-term keys, and no other
// section, [DEFAULT] included, reads the same key id and secret. id is that
// key id, to be shown masked.
func (f *File) OnlyCopy(profile string) (id string, only bool) {
	if !f.HoldsLongTermKeys(profile) {
		return "", false
	}
	c := f.Credentials(profile)
	return c.AccessKeyID, !slices.ContainsFunc(f.sections, func(s *Section) bool {
		return s.Name != profile && f.Credentials(s.Name).Keys == c.Keys
	})
}

// Session reads the session in profile as botocore would use it, with
// its expiration key. ok is false unless key id, secret, token and a
// readable expiration are all there, and the key id is a session's: one
// starting ASIA, or the very one aws-mfa wrote with its mark (see
// HoldsLongTermKeys). Keys set over a session are no session, whatever
// token and expiration they kept.
func (f *File) Session(profile string) (s awscred.Session, ok bool) {
	s = f.Credentials(profile)
	exp, _ := f.Value(profile, "expiration")
	// RFC 3339, or the older Python aws-mfa's "2006-01-02 15:04:05" in UTC.
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, exp); err == nil {
			s.Expiration, ok = t.UTC(), true
			break
		}
	}
	return s, ok && s.AccessKeyID != "" && s.SecretAccessKey != "" && s.SessionToken != "" &&
		(strings.HasPrefix(s.AccessKeyID, "ASIA") || f.Section(profile).Get(SessionMarkKey) == sessionMark(s))
}

// SetSession returns the file with s written into profile so that
// botocore reads exactly s for it: the four keys aws-mfa owns are set
// (with SessionMarkKey for an id that does not start ASIA), and
// aws_security_token, which botocore reads before aws_session_token, is
// removed, or set to the new token where the profile would otherwise
// inherit one from [DEFAULT]. [DEFAULT] itself is never touched. The keys
// in also (a region) are set in the same edit.
func (f *File) SetSession(profile string, s awscred.Session, also ...KV) ([]byte, error) {
	set := append([]KV{
		{Key: "aws_access_key_id", Value: s.AccessKeyID},
		{Key: "aws_secret_access_key", Value: s.SecretAccessKey},
		{Key: "aws_session_token", Value: s.SessionToken},
		{Key: "expiration", Value: s.Expiration.UTC().Format(time.RFC3339)},
	}, also...)
	var remove []string
	if strings.HasPrefix(s.AccessKeyID, "ASIA") {
		remove = append(remove, SessionMarkKey)
	} else {
		set = append(set, KV{Key: SessionMarkKey, Value: sessionMark(s)})
	}
	if f.Section(DefaultSection).Has("aws_security_token") {
		set = append(set, KV{Key: "aws_security_token", Value: s.SessionToken})
	} else {
		remove = append(remove, "aws_security_token")
	}
	// Edit checks that the section then holds exactly these values, so
	// botocore reads s from it, whatever [DEFAULT] holds.
	return f.Edit(profile, set, remove)
}

// shadowKeys are the profile settings with which botocore's credential
// chain returns other credentials before it reads the shared credentials
// file's keys: AssumeRole (role_arn), AssumeRoleWithWebIdentity
// (web_identity_token_file) and SSO (sso_account_id or sso_role_name,
// either of which starts the SSO provider). credential_process comes
// after the shared credentials file in the chain, and source_profile
// does nothing without role_arn, so neither is among them.
var shadowKeys = []string{"role_arn", "web_identity_token_file", "sso_account_id", "sso_role_name"}

// Shadowing returns a key that makes botocore ignore the keys written
// into profile of the credentials file creds: set in that section or
// inherited from its [DEFAULT] (which a new section inherits too), or set
// for the profile in the config file cfg (empty when there is none), which
// botocore merges with it. section names where it is set, as
// "[name] in the config file" or "[name]". key is "" when there is none.
func Shadowing(creds, cfg *File, profile string) (key, section string) {
	s, d := creds.Section(profile), creds.Section(DefaultSection)
	p := cfg.Profile(profile)
	for _, k := range shadowKeys {
		switch {
		case s.Has(k):
			return k, "[" + profile + "]"
		case d.Has(k):
			return k, "[" + DefaultSection + "]"
		case p.Has(k):
			return k, "[" + p.Name + "] in the config file"
		case p != nil && cfg.Section(DefaultSection).Has(k):
			return k, "[" + DefaultSection + "] in the config file"
		}
	}
	return "", ""
}

// ProfileValue is key for profile in f, a config file: the Value of the
// section Profile picks, with [DEFAULT]'s; not ok when no section is
// profile's.
func (f *File) ProfileValue(profile, key string) (value string, ok bool) {
	if p := f.Profile(profile); p != nil {
		return f.Value(p.Name, key)
	}
	return "", false
}

// Region is profile's region as botocore reads it from creds, the
// credentials file, and cfg, the config file: creds' unless empty, else
// cfg's (each with its file's [DEFAULT]); "" for none.
func Region(creds, cfg *File, profile string) string {
	own, _ := creds.Value(profile, "region")
	configured, _ := cfg.ProfileValue(profile, "region")
	return cmp.Or(own, configured)
}

// Closest is the profile of the file a mistyped name was probably meant
// to be (internal/suggest's rule), [DEFAULT] aside; "" for none.
func (f *File) Closest(name string) string {
	var names []string
	for _, s := range f.sections {
		if s.Name != DefaultSection {
			names = append(names, s.Name)
		}
	}
	return suggest.Closest(name, names)
}
