package exporter

import (
	"errors"
	"strings"
)

// ErrCodeRejected is STS refusing the code as wrong or already used; a
// prompt may ask for the next one.
var ErrCodeRejected = errors.New("MFA code rejected: wrong or already used; wait for the next code and run again")

// MaskKey shows enough of an access key id to recognise it and no more:
// AKIA…WXYZ. A value that is not shaped like a key id (letters and digits
// only), such as a broken line running into the next ones, shows nothing.
func MaskKey(id string) string {
	if len(id) <= 8 || strings.ContainsFunc(id, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		return "…"
	}
	return id[:4] + "…" + id[len(id)-4:]
}
