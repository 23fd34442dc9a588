// Package stsparam is the one home of the rules for values aws-mfa sends
// to STS: session durations, MFA serials and codes, role ARNs, session
// names and external ids, regions and endpoint URLs. The config, the
// command line and the STS caller all check values here, so a value one
// of them accepts is never refused by another.
//
// The rules are STS's and IAM's documented ones, checked by hand so that
// an error can say which character is wrong and where. Errors never quote
// the value: it may come from a file that holds secrets, so they say what
// is wrong with it instead.
package stsparam

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// Duration limits of the two STS calls aws-mfa makes.
const (
	MinDuration        = 15 * time.Minute // both calls
	MaxSessionDuration = 36 * time.Hour   // GetSessionToken for an IAM user
	MaxRoleDuration    = 12 * time.Hour   // AssumeRole; a role's MaxSessionDuration may be lower
	// MaxChainedDuration caps AssumeRole signed with session credentials
	// (role chaining, which includes a GetSessionToken session).
	MaxChainedDuration = time.Hour
	// DefaultRoleDuration is what a role pair asks for when it names no
	// duration: a role's MaxSessionDuration is 1h unless its owner raised
	// it, and AssumeRole refuses more than that.
	DefaultRoleDuration = time.Hour
)

// DefaultRegion is where STS is called when neither the pair, the source
// profile nor the environment names a region, as the AWS CLI does.
const DefaultRegion = "us-east-1"

// maxSeconds is the largest whole number of seconds a time.Duration holds.
const maxSeconds = math.MaxInt64 / int64(time.Second)

// Seconds converts a whole number of seconds, as TOML integers give it,
// refusing what a time.Duration cannot hold instead of wrapping around.
func Seconds(n int64) (time.Duration, error) {
	if n > maxSeconds || n < -maxSeconds {
		return 0, inputerr.New("duration is too large; give it like 12h, 90m or 3600 (seconds)")
	}
	return time.Duration(n) * time.Second, nil
}

// ParseDuration reads a duration as a person writes it: "12h", "90m",
// "1h30m", or a whole number of seconds ("3600").
func ParseDuration(s string) (time.Duration, error) {
	// Out of int64's range, n is its bound, which Seconds refuses.
	if n, err := strconv.ParseInt(s, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		return Seconds(n)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, inputerr.New("duration is not like 12h, 90m or 3600 (seconds)")
	}
	return d, nil
}

// CheckDuration applies STS's limits: 15m to 36h for GetSessionToken,
// 15m to 12h for AssumeRole (role is true), and role chaining's hour at
// most for a role assumed with another session (chained is true); and
// the refresh margin must be less.
func CheckDuration(d, margin time.Duration, role, chained bool) error {
	switch {
	case chained && d > MaxChainedDuration:
		return inputerr.Errorf("duration %s is more than AWS allows a role assumed with another session's credentials (role chaining: at most 1h); use 1h or less", d)
	case role && (d < MinDuration || d > MaxRoleDuration):
		return inputerr.Errorf("duration %s is outside what AssumeRole allows (15m to 12h); the role's MaxSessionDuration may be lower still", d)
	case d < MinDuration || d > MaxSessionDuration:
		return inputerr.Errorf("duration %s is outside what STS allows (15m to 36h)", d)
	case margin < 0 || margin >= d:
		// Else every session would be refreshed as soon as it is made.
		return inputerr.Errorf("refresh_margin %s must be at least 0 and less than the duration %s; %s", margin, d, map[bool]string{false: "ask for a longer duration, or set a shorter refresh_margin", true: "set a shorter refresh_margin (a chained role's sessions last 1h at most)"}[chained && margin >= MaxChainedDuration])
	}
	return nil
}

// Code is the one check of a one-time code's shape. It reads the code as
// a person types it or a command prints it: six digits, or three and
// three with a space or hyphen between, as authenticators show them, with
// white space around; and returns the six digits STS takes.
func Code(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) == 7 && (s[3] == ' ' || s[3] == '-') {
		s = s[:3] + s[4:]
	}
	if len(s) != 6 || strings.Trim(s, "0123456789") != "" {
		return "", inputerr.New("MFA code must be exactly six digits, as your authenticator shows it")
	}
	return s, nil
}

// nameChars are the characters IAM allows in user, role and path names.
const nameChars = "+=,.@_-"

func isWord(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' }

// badRune returns a description of the first character of s that is
// neither a letter, a digit nor one of extra, or ""; positions count from
// offset+1 (s may be the end of a longer value).
func badRune(s, extra string, offset int) string {
	for i, r := range s {
		if isWord(r) || strings.ContainsRune(extra, r) {
			continue
		}
		switch {
		case r == ' ':
			return fmt.Sprintf("a space at character %d", offset+i+1)
		case r < ' ' || r == 0x7f:
			return fmt.Sprintf("a control character at character %d", offset+i+1)
		case r > 0x7f:
			return fmt.Sprintf("a non-ASCII character at character %d", offset+i+1)
		}
		return fmt.Sprintf("%q at character %d", r, offset+i+1)
	}
	return ""
}

// iamARN checks arn:PARTITION:iam::ACCOUNT:KIND/NAME; what names the
// value in messages, like "mfa_serial".
func iamARN(s, what string, kinds ...string) error {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return inputerr.Errorf("%s is not an ARN of the form arn:aws:iam::ACCOUNT_ID:%s/NAME", what, kinds[0])
	}
	partition, service, region, account, resource := parts[1], parts[2], parts[3], parts[4], parts[5]
	switch {
	case partition != "aws" && (!strings.HasPrefix(partition, "aws-") || strings.Trim(partition, "abcdefghijklmnopqrstuvwxyz-") != ""):
		return inputerr.Errorf("%s names a partition other than aws, aws-cn, aws-us-gov, …", what)
	case service != "iam" || region != "":
		return inputerr.Errorf("%s is not an IAM ARN; it starts arn:aws:iam:: with no region", what)
	case len(account) != 12 || strings.Trim(account, "0123456789") != "":
		return inputerr.Errorf("%s has an account id of %d characters; an AWS account id is 12 digits", what, len(account))
	}
	for _, kind := range kinds {
		if rest, ok := strings.CutPrefix(resource, kind+"/"); ok {
			if rest == "" || strings.HasSuffix(rest, "/") {
				return inputerr.Errorf("%s has no name after %s/", what, kind)
			}
			if bad := badRune(rest, nameChars+"/", len(s)-len(rest)); bad != "" {
				return inputerr.Errorf("%s has %s; names hold letters, digits and +=,.@_-", what, bad)
			}
			return nil
		}
	}
	return inputerr.Errorf("%s is not a %s ARN: after the account id comes %s/NAME", what, kinds[0], kinds[0])
}

// CheckSerial checks an MFA device's serial number as STS takes it: the
// ARN of a virtual or security-key device (arn:aws:iam::ACCOUNT_ID:mfa/NAME,
// or u2f/…), or a hardware token's serial like GAHT12345678, 9 to 256
// characters.
func CheckSerial(s string) error {
	const hint = "; it looks like arn:aws:iam::ACCOUNT_ID:mfa/DEVICE (IAM console > Security credentials)"
	switch {
	case s == "":
		return inputerr.New("mfa_serial is empty" + hint)
	case len(s) < 9 || len(s) > 256:
		return inputerr.Errorf("mfa_serial is %d characters long; STS takes 9 to 256%s", len(s), hint)
	case strings.HasPrefix(s, "arn:"):
		return iamARN(s, "mfa_serial", "mfa", "u2f")
	case badRune(s, nameChars+"/", 0) != "":
		return inputerr.Errorf("mfa_serial has %s%s", badRune(s, nameChars+"/", 0), hint)
	}
	return nil
}

// CheckRoleARN checks a role's ARN: arn:aws:iam::ACCOUNT_ID:role/NAME,
// with an optional path, at most 2048 characters.
func CheckRoleARN(s string) error {
	if len(s) > 2048 {
		return inputerr.Errorf("role_arn is %d characters long; at most 2048", len(s))
	}
	return iamARN(s, "role_arn", "role")
}

// CheckRoleSessionName checks AssumeRole's RoleSessionName.
func CheckRoleSessionName(s string) error {
	if len(s) < 2 || len(s) > 64 || badRune(s, nameChars, 0) != "" {
		return inputerr.New("role_session_name must be 2 to 64 of letters, digits and +=,.@_-")
	}
	return nil
}

// RoleSessionName is the session name aws-mfa gives a role when the pair
// names none: the MFA device's name, which is the IAM user's by AWS's
// console convention (arn:aws:iam::ACCOUNT:mfa/alice gives alice@aws-mfa),
// so that CloudTrail tells one engineer from another, with a mark that
// says aws-mfa made it. Characters STS refuses become '-', and the name
// is cut to fit 64; a serial with no device name gives aws-mfa alone.
func RoleSessionName(serial string) string {
	const mark = "@aws-mfa"
	_, device, ok := strings.Cut(serial, ":mfa/")
	device = device[strings.LastIndexByte(device, '/')+1:] // the name after any path
	if !ok || device == "" {
		return "aws-mfa"
	}
	name := []byte(device)
	for i, c := range name {
		if !isWord(rune(c)) && strings.IndexByte(nameChars, c) < 0 {
			name[i] = '-'
		}
	}
	return string(name[:min(len(name), 64-len(mark))]) + mark
}

// CheckExternalID checks AssumeRole's ExternalId.
func CheckExternalID(s string) error {
	if len(s) < 2 || len(s) > 1224 || badRune(s, nameChars+":/", 0) != "" {
		return inputerr.New("external_id must be 2 to 1224 of letters, digits and +=,.@:/_-")
	}
	return nil
}

// CheckRegion checks that a region name can be a host name's label, as
// the SDK requires before it builds the endpoint and signs: letters,
// digits and hyphens, like eu-west-1. Checking it here means a bad region
// is reported as such, before anything is sent.
func CheckRegion(s string) error {
	const hint = "; a region is like eu-west-1"
	switch {
	case s == "":
		return inputerr.New("region is empty" + hint)
	case len(s) > 63:
		return inputerr.Errorf("region is %d characters long%s", len(s), hint)
	case s[0] == '-' || s[len(s)-1] == '-':
		return inputerr.New("region starts or ends with a hyphen" + hint)
	case badRune(s, "-", 0) != "":
		return inputerr.Errorf("region has %s%s", badRune(s, "-", 0), hint)
	}
	return nil
}

// CheckEndpoint checks an endpoint URL override: http or https, with a
// host. A user:password@ part is allowed (the SDK signs the request and
// never sends it) but never printed: see Redact.
func CheckEndpoint(s string) error {
	const hint = "; give a URL like https://sts.eu-west-1.amazonaws.com"
	switch u, err := url.Parse(s); {
	case err != nil:
		// url's error quotes the whole URL, userinfo included.
		return inputerr.New("endpoint URL does not parse" + hint)
	case u.Scheme != "http" && u.Scheme != "https":
		return inputerr.New("endpoint URL is not http or https" + hint)
	case u.Hostname() == "":
		return inputerr.New("endpoint URL has no host" + hint)
	}
	return nil
}

// Redact returns an endpoint URL fit to print: its scheme, host and port
// only. A user:password@ part, a path, a query (a presigned
// X-Amz-Security-Token=…) or a fragment may carry a secret, and none of
// them says where the request went. A URL that does not parse is not shown
// at all (what is secret in it could not be found to cut out).
func Redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(an endpoint URL that does not parse)"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
}

// Endpoint is the URL STS is called at: the override, else the regional
// endpoint the SDK resolves for region. It is for messages; the SDK does
// its own resolution.
func Endpoint(override, region string) string {
	suffix := ".amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		suffix = ".amazonaws.com.cn"
	}
	return cmp.Or(override, "https://sts."+region+suffix)
}
