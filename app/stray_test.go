package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestStrayArguments gives every command, at every depth, a word it does
// not take: each refuses it with exit 2 and one line, before doing
// anything. A command the table misses fails the test, so that a new
// one is added with its case.
func TestStrayArguments(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{ // command path → a line with one word too many
		"":               {"123456", "stray"},
		"env":            {"env", "123456", "stray"},
		"console":        {"console", "123456", "stray"},
		"status":         {"status", "stray"},
		"doctor":         {"doctor", "-p", "work", "stray"},
		"setup":          {"setup", "--yes", "stray"},
		"hook":           {"hook", "bash", "stray"},
		"keyring export": {"keyring", "export", "stray"},
		"rotate":         {"rotate", "--dry-run", "stray"},
		"help":           {"help", "status", "stray"},
		"status help":    {"status", "help", "stray"},
		"--version":      {"--version", "stray"},
		// exec: every word after the code is the command it runs.
	}
	seen := map[string]bool{"": true, "exec": true, "keyring": true, "--version": true}
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			path := strings.TrimSpace(prefix + " " + c.Name)
			if c.Hidden && c.Name != "help" || c.Name == "help" && prefix != "" && path != "status help" {
				continue // internal to the hooks; one leaf's help stands for all
			}
			seen[path] = true
			walk(path, c.Subcommands)
		}
	}
	sys, _, _ := testSystem(t, t.TempDir())
	walk("", newApp(sys).Commands)
	for path := range seen {
		if _, ok := cases[path]; !ok && path != "exec" && path != "keyring" {
			t.Errorf("no stray-argument case for %q", path)
		}
	}
	for path, args := range cases {
		t.Run(path, func(t *testing.T) {
			home := t.TempDir()
			os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
			os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(configured), 0o600)
			sys, stderr, opened := testSystem(t, home)
			rc := Run(append([]string{"aws-mfa"}, args...), sys)
			if rc != ExitUsage || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), `"stray"`) || *opened > 0 {
				t.Errorf("aws-mfa %s: exit %d, stderr %q", strings.Join(args, " "), rc, stderr)
			}
			if b, _ := os.ReadFile(filepath.Join(home, ".aws", "credentials")); string(b) != configured {
				t.Errorf("the credentials file changed:\n%s", b)
			}
		})
	}
}
