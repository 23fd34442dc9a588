package keyring

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
)

// liar is a backend whose writes report success and keep what change
// makes of them: nothing, a cut secret, another item's keys.
type liar struct {
	v      string
	change func(string) string
}

func (l *liar) get(context.Context, string) (string, error) { return l.v, nil }
func (l *liar) set(_ context.Context, _, v string) error    { l.v = l.change(v); return nil }
func (l *liar) remove(context.Context, string) error        { return nil }
func (l *liar) status(context.Context, string) error        { return nil }

// TestPutReadsBack: Put, after which rotate deletes the only other copy
// of a key, fails unless the backend gives back exactly what it wrote.
func TestPutReadsBack(t *testing.T) {
	old := `{"aws_access_key_id":"AKIAOLD","aws_secret_access_key":"old"}`
	k := awscred.Keys{AccessKeyID: "AKIANEW", SecretAccessKey: "new/secret+x"}
	for name, change := range map[string]func(string) string{
		"kept nothing": func(string) string { return old },
		"cut secret":   func(v string) string { return strings.Replace(v, "+x", "", 1) },
		"other id":     func(v string) string { return strings.Replace(v, "AKIANEW", "AKIAOLD", 1) },
		"not JSON":     func(string) string { return "" },
		"kept it (ok)": func(v string) string { return v },
	} {
		s := &Store{Name: "test", b: &liar{v: old, change: change}, timeout: time.Second}
		err := s.Put(context.Background(), "item", k)
		if ok := strings.HasSuffix(name, "(ok)"); ok != (err == nil) {
			t.Errorf("%s: %v", name, err)
		}
		if err != nil && strings.Contains(err.Error(), k.SecretAccessKey) {
			t.Errorf("%s: the error carries the secret: %v", name, err)
		}
	}
}
