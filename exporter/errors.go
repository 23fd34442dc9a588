package exporter

import (
	"errors"
	"strings"
)

// ErrCodeRejected is STS refusing the code as wrong or already used; a
// prompt may ask for the next one.
var ErrCodeRejected = errors.New("MFA code rejected: wrong or already used; wait for the next code and run again")

// MaskKey shows enough of an access key id to recognise it and no more:
// AKIA…WXYZ. Only a value shaped like one (AKIA or ASIA, then 16
// upper-case letters or digits) shows its ends; anything else, such as a
// secret key pasted into the wrong line or a line running into the next,
// shows nothing.
func MaskKey(id string) string {
	if len(id) != 20 || !strings.HasPrefix(id, "AKIA") && !strings.HasPrefix(id, "ASIA") || strings.ContainsFunc(id, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		return "…"
	}
	return id[:4] + "…" + id[len(id)-4:]
}
