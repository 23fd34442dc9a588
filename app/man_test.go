package app

import (
	"strings"
	"testing"
)

// TestMan: the man page a release packages is the same from one run to
// the next, names every command aws-mfa --help lists, and shows no hidden
// one.
func TestMan(t *testing.T) {
	t.Parallel()
	man, err := Man()
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := Man(); again != man {
		t.Error("the man page differs from one run to the next")
	}
	for _, want := range []string{".TH aws-mfa 1", "\n.SH env\n", "\n.SH exec\n", "\n.SH console\n", "\n.SH status\n", "\n.SH hook\n", "\n.SH setup\n", "\n.SH doctor\n", "\n.SH keyring\n"} {
		if !strings.Contains(man, want) {
			t.Errorf("the man page has no %q", want)
		}
	}
	if strings.Contains(man, "__complete") {
		t.Error("the man page shows a hidden command")
	}
}
