//go:build !windows

package app

import "testing"

func TestCommName(t *testing.T) {
	t.Parallel()
	for comm, want := range map[string]string{
		"bash\n":            "bash",
		"zsh":               "zsh",
		"xonsh -l /tmp/x\n": "xonsh",
		"xonsh --no-rc -\n": "xonsh",
		"  fish  \n":        "fish",
		"":                  "",
		"\n":                "",
		"tmux: server (/tm": "tmux:",
		"python3 script.py": "python3",
	} {
		if got := commName(comm); got != want {
			t.Errorf("commName(%q) = %q, want %q", comm, got, want)
		}
	}
}
