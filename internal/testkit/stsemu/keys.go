package stsemu

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// LostAnswer makes an action happen, then answers HTTP 500 as if it had
// failed: the client never learns what it did (a key IAM created, say).
const LostAnswer Fault = "lost-answer"

// keyActions are the IAM access-key calls the emulator answers, as IAM
// does for a user with at most two keys.
var keyActions = map[string]bool{"ListAccessKeys": true, "CreateAccessKey": true, "UpdateAccessKey": true, "DeleteAccessKey": true}

// MaxKeys is how many access keys IAM lets a user have.
const MaxKeys = 2

// accessKey is one IAM access key's state.
type accessKey struct {
	user    string
	status  string // Active or Inactive
	created time.Time
	usable  time.Time // it signs from then on: IAM is eventually consistent
}

// Key is an access key as IAM lists it.
type Key struct {
	ID, User, Status string
	Created          time.Time
}

// Keys lists the access keys IAM holds for the user named user, oldest
// first.
func (s *Server) Keys(user string) []Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keysOf(user)
}

func (s *Server) keysOf(user string) []Key {
	var out []Key
	for id, k := range s.keys {
		if k.user == user {
			out = append(out, Key{id, k.user, k.status, k.created})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Created.Before(out[j].Created) || out[i].Created.Equal(out[j].Created) && out[i].ID < out[j].ID
	})
	return out
}

// SetKeyDelay makes each access key created from now on sign requests
// only d after it was created, as IAM's changes take seconds to spread.
func (s *Server) SetKeyDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keyDelay = d
}

// SetRevokeOnDelete makes deleting an access key end every session got
// with it: AWS does not say whether it does.
func (s *Server) SetRevokeOnDelete(revoke bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoke = revoke
}

// Works reports whether the emulator accepts id's long-term key now.
func (s *Server) Works(id, secret string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	k := s.keys[id]
	return ok && u.SecretAccessKey == secret && k != nil && k.status == "Active" && !s.now().Before(k.usable)
}

// accessKeys answers IAM ListAccessKeys, CreateAccessKey, UpdateAccessKey
// and DeleteAccessKey for u's user, which the request must name.
func (s *Server) accessKeys(w http.ResponseWriter, call Call, u User, fault Fault) {
	if c, ok := canned[fault]; ok {
		writeError(w, c.status, c.typ, c.code, c.msg)
		return
	}
	form, name := call.Params, u.name()
	if form.Get("UserName") != name {
		writeError(w, http.StatusNotFound, "Sender", "NoSuchEntity", "The user with name "+form.Get("UserName")+" cannot be found.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
	id := form.Get("AccessKeyId")
	k := s.keys[id]
	if call.Action != "ListAccessKeys" && call.Action != "CreateAccessKey" && (k == nil || k.user != name) {
		writeError(w, http.StatusNotFound, "Sender", "NoSuchEntity", "The Access Key with id "+id+" cannot be found.")
		return
	}
	var result string
	switch call.Action {
	case "ListAccessKeys":
		var b strings.Builder
		for _, k := range s.keysOf(name) {
			fmt.Fprintf(&b, "<member><UserName>%s</UserName><AccessKeyId>%s</AccessKeyId><Status>%s</Status><CreateDate>%s</CreateDate></member>", name, k.ID, k.Status, k.Created.Format(time.RFC3339))
		}
		result = "<AccessKeyMetadata>" + b.String() + "</AccessKeyMetadata><IsTruncated>false</IsTruncated>"
	case "CreateAccessKey":
		if len(s.keysOf(name)) >= MaxKeys {
			writeError(w, http.StatusConflict, "Sender", "LimitExceeded", fmt.Sprintf("Cannot exceed quota for AccessKeysPerUser: %d", MaxKeys))
			return
		}
		now := s.now().UTC().Truncate(time.Second)
		id, secret := "AKIA"+strings.ToUpper(random(16)), random(30)+"/"+random(9)
		nu := u
		nu.AccessKeyID, nu.SecretAccessKey = id, secret
		s.users[id] = nu
		s.keys[id] = &accessKey{user: name, status: "Active", created: now, usable: now.Add(s.keyDelay)}
		result = fmt.Sprintf("<AccessKey><UserName>%s</UserName><AccessKeyId>%s</AccessKeyId><Status>Active</Status><SecretAccessKey>%s</SecretAccessKey><CreateDate>%s</CreateDate></AccessKey>", name, id, secret, now.Format(time.RFC3339))
	case "UpdateAccessKey":
		if st := form.Get("Status"); st != "Active" && st != "Inactive" {
			writeError(w, http.StatusBadRequest, "Sender", "ValidationError", "Status must be Active or Inactive")
			return
		}
		k.status = form.Get("Status")
	case "DeleteAccessKey":
		delete(s.keys, id)
		delete(s.users, id)
		for sid, sess := range s.sessions {
			if s.revoke && sess.origin == id {
				delete(s.sessions, sid)
			}
		}
	}
	if fault == LostAnswer {
		writeError(w, http.StatusInternalServerError, "Receiver", "ServiceFailure", "Request processing has failed due to an unknown error.")
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%[1]sResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><%[1]sResult>%[2]s</%[1]sResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></%[1]sResponse>`, call.Action, result)
}
