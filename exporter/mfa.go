package exporter

import (
	"github.com/aws-mfa/aws-mfa/internal/awscred"
)

// mfaTooOld reports whether the code behind s was entered longer ago
// than one of links allows (mfa_max_age): s's link, and the links after
// it, whose sessions would inherit its MFA time. A policy with
// aws:MultiFactorAuthAge would deny them although they are valid, so s
// is renewed like one about to expire. A session of unknown age
// (obtained elsewhere, or before aws-mfa kept records) counts as too old.
func mfaTooOld(d Deps, links []Request, s awscred.Session) bool {
	for _, l := range links {
		if l.MaxMFAAge <= 0 {
			continue
		}
		if at, ok := d.State.MFA(s.AccessKeyID); !ok || d.Now().Sub(at) > l.MaxMFAAge {
			return true
		}
	}
	return false
}
