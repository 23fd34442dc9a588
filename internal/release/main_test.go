package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/release/completion"
)

// TestWrite writes the release's files twice, byte for byte the same: the
// completions as the hook holds them, and a man page that gunzips and
// names every command aws-mfa --help lists.
func TestWrite(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := write(a); err != nil {
		t.Fatal(err)
	}
	if err := write(b); err != nil {
		t.Fatal(err)
	}
	for name, shell := range Files {
		got, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := os.ReadFile(filepath.Join(b, name)); !bytes.Equal(got, again) {
			t.Errorf("%s differs from one run to the next", name)
		}
		if shell != "" {
			if want, _ := completion.Script(shell); string(got) != want {
				t.Errorf("%s is not the %s completion", name, shell)
			}
			continue
		}
		z, err := gzip.NewReader(bytes.NewReader(got))
		if err != nil {
			t.Fatal(err)
		}
		man, err := io.ReadAll(z)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{".TH aws-mfa 1", "\n.SH env\n", "\n.SH exec\n", "\n.SH console\n", "\n.SH status\n", "\n.SH hook\n", "\n.SH setup\n", "\n.SH doctor\n", "\n.SH keyring\n"} {
			if !strings.Contains(string(man), want) {
				t.Errorf("the man page has no %q", want)
			}
		}
		if strings.Contains(string(man), "__complete") {
			t.Error("the man page shows a hidden command")
		}
	}
}
