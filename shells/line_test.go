package shells

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLinePastes pastes commands built by Line into sh, bash, zsh and
// fish: each reads back every hostile word as it was, and nothing in them
// runs.
func TestLinePastes(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	words := append([]string{"", "=ls", "plain-word", "team$(touch " + marker + ")", "`touch " + marker + "`", "(touch " + marker + ")",
		`a\'b`, `\\`, `'\'`, "x\xffy", "-p"}, hostile...)
	words = append(words, fuzzCorpus(t)...)
	for _, sh := range []struct {
		bin  string
		args []string
	}{{"dash", nil}, {"bash", []string{"--norc", "--noprofile"}}, {bash32, []string{"--norc", "--noprofile"}}, {"zsh", []string{"-f"}}, {"fish", []string{"--no-config"}}} {
		t.Run(label(sh.bin), func(t *testing.T) {
			path := requireShell(t, sh.bin)
			// One printf per word, so that a failure names it.
			var script strings.Builder
			for _, w := range words {
				script.WriteString(Line("printf", `%s\0`, w) + "\n")
			}
			cmd := exec.Command(path, append(sh.args, "-c", script.String())...)
			cmd.Dir = dir
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8"}
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
			if !slices.Equal(got, words) {
				for i := range min(len(got), len(words)) {
					if got[i] != words[i] {
						t.Errorf("%q was read back as %q from %s", words[i], got[i], Line(words[i]))
					}
				}
				t.Fatalf("%d words read back, want %d", len(got), len(words))
			}
			if _, err := os.Stat(marker); err == nil {
				t.Error("a pasted word ran a command")
			}
		})
	}
}
