package regexptest

import (
	"regexp"
	"strings"
	"testing"
)

func TestExhaustive(t *testing.T) {
	got := Exhaustive("ab", 2)
	if strings.Join(got, ",") != ",a,b,aa,ab,ba,bb" {
		t.Errorf("Exhaustive(ab, 2) = %q", got)
	}
}

func TestRandom(t *testing.T) {
	a, b := Random("xyz", 100), Random("xyz", 100)
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Error("Random is not repeatable")
	}
	for _, s := range a {
		if len(s) > 9 || strings.Trim(s, "xyz") != "" {
			t.Errorf("Random gave %q", s)
		}
	}
}

// TestAgreeFails: a matcher that differs from its regexp on one case is
// reported, once.
func TestAgreeFails(t *testing.T) {
	rec := &recorder{TB: t}
	re := regexp.MustCompile(`^a+$`)
	Agree(rec, "lax", func(s string) bool { return strings.Trim(s, "a") == "" }, re, "a", "aa", "", "b")
	if rec.errors != 1 {
		t.Errorf("%d disagreements reported, want 1 (the empty string)", rec.errors)
	}
}

type recorder struct {
	testing.TB
	errors int
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.errors++ }
