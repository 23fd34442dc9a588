// Package awscred holds the two shapes of AWS credentials aws-mfa passes
// around: an access key pair, and a session. It is a leaf that imports
// nothing of this module, because its users have no lower package in
// common: keyring stores keys without reading files, credfile reads and
// writes them without knowing STS or keyrings, and exporter, setup and app
// use both. Wire formats (a keyring item's JSON, credential_process's)
// keep their own structs where they are encoded.
package awscred

import "time"

// Keys are an access key pair: an IAM user's long-term keys, or the key
// id and secret of a session.
type Keys struct{ AccessKeyID, SecretAccessKey string }

// Session is temporary credentials and their expiry. Where it is read
// from a profile that holds long-term keys, SessionToken is empty.
type Session struct {
	Keys
	SessionToken string
	Expiration   time.Time
}
