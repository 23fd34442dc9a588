package exporter

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/shells"
)

// The lists below are functions, not package variables: each call
// returns a new slice, so no caller can change what another sees.

// Stale lists variables that would shadow or confuse an exported
// session, so they are removed before it is set.
func Stale() []string {
	return []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN", "AWS_SESSION_EXPIRATION"}
}

// SessionVars lists the variables that hold the session itself; a prompt
// hook removes them when it expires.
func SessionVars() []string {
	return []string{
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_CREDENTIAL_EXPIRATION", "AWS_MFA_EXPIRY", "AWS_MFA_TARGET",
	}
}

// Vars turns a session into the variables to export, in a fixed order:
// the stale ones removed, then the credentials, their expiry as RFC 3339
// (AWS_CREDENTIAL_EXPIRATION, read by the AWS CLI and starship) and as
// epoch seconds (AWS_MFA_EXPIRY, for prompt hooks that cannot parse
// dates), the target profile's name, and the region when one is known.
func Vars(s awscred.Session, target, region string) []shells.Var {
	vars := unset(Stale())
	values := []string{s.AccessKeyID, s.SecretAccessKey, s.SessionToken, s.Expiration.UTC().Format(time.RFC3339), strconv.FormatInt(s.Expiration.Unix(), 10), target}
	for i, name := range SessionVars() { // in its order
		vars = append(vars, shells.Var{Name: name, Value: values[i]})
	}
	if region != "" {
		vars = append(vars, shells.Var{Name: "AWS_REGION", Value: region}, shells.Var{Name: "AWS_DEFAULT_REGION", Value: region})
	}
	return vars
}

// UnsetVars removes the session Vars set, and the stale session
// variables. It leaves AWS_PROFILE and AWS_DEFAULT_PROFILE, which Vars
// removed, so that any set now is the user's; and AWS_REGION and
// AWS_DEFAULT_REGION, since one Vars set cannot be told from the user's,
// and a region left behind grants nothing.
func UnsetVars() []shells.Var {
	return unset(append([]string{"AWS_SECURITY_TOKEN", "AWS_SESSION_EXPIRATION"}, SessionVars()...))
}

func unset(names []string) []shells.Var {
	var vars []shells.Var
	for _, name := range names {
		vars = append(vars, shells.Var{Name: name, Unset: true})
	}
	return vars
}

// CredentialProcess is the JSON a credential_process must print for s.
func CredentialProcess(s awscred.Session) ([]byte, error) {
	return json.Marshal(struct {
		Version         int
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}{1, s.AccessKeyID, s.SecretAccessKey, s.SessionToken, s.Expiration.UTC().Format(time.RFC3339)})
}
