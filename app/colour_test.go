package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestColour: status and doctor colour their states on a terminal only,
// and never with NO_COLOR set or TERM=dumb; columns stay aligned.
func TestColour(t *testing.T) {
	t.Parallel()
	exp := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339) }
	creds := aliceProfile + fmt.Sprintf("[long]\naws_access_key_id = ASIAX\naws_secret_access_key = s\naws_session_token = t\nexpiration = %s\n", exp(5*time.Hour)) +
		fmt.Sprintf("[short]\naws_access_key_id = ASIAX\naws_secret_access_key = s\naws_session_token = t\nexpiration = %s\n", exp(30*time.Minute)) +
		"[old]\naws_access_key_id = ASIAX\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2020-01-01T00:00:00Z\n"
	r := newRig(t, creds)
	cfg := filepath.Join(t.TempDir(), "c.toml")
	var toml strings.Builder
	for _, p := range []string{"long", "short", "old", "never"} {
		fmt.Fprintf(&toml, "[pair.%s]\nsource = \"aws-mfa\"\ntarget = %q\n", p, p)
	}
	os.WriteFile(cfg, []byte(toml.String()), 0o600)
	r.env["AWS_MFA_CONFIG"] = cfg

	for _, tc := range []struct {
		terminal bool
		env      map[string]string
		colour   bool
	}{
		{true, nil, true},
		{false, nil, false},
		{true, map[string]string{"NO_COLOR": "1"}, false},
		{true, map[string]string{"TERM": "dumb"}, false},
	} {
		r.terminal["stdout"] = tc.terminal
		for k, v := range tc.env {
			r.env[k] = v
		}
		stdout, stderr, code := r.run("", "status")
		if code != 0 {
			t.Fatalf("status: exit %d: %s", code, stderr)
		}
		want := map[string]string{"long ": green + "valid until", "short ": yellow + "valid until", "old ": red + "expired" + reset, "never ": plain + "never obtained" + reset}
		for prefix, w := range want {
			line := lineStarting(stdout, prefix)
			if got := strings.Contains(line, w); got != tc.colour {
				t.Errorf("terminal=%v env=%v: %q coloured %v, want %v", tc.terminal, tc.env, line, got, tc.colour)
			}
			if !tc.colour && strings.Contains(line, "\x1b") {
				t.Errorf("escape in %q", line)
			}
		}
		// The LEFT column starts at one offset on every row, the header's too.
		cols := map[int]bool{}
		for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
			l = strings.NewReplacer(red, "", green, "", yellow, "", plain, "", reset, "").Replace(l)
			cols[strings.LastIndex(l, "  ")] = true
		}
		if len(cols) != 1 {
			t.Errorf("columns misaligned:\n%s", stdout)
		}

		stdout, _, _ = r.run("", "doctor")
		if got := strings.Contains(stdout, green+"ok"+reset) && strings.Contains(stdout, red+"FIX"+reset); got != tc.colour {
			t.Errorf("terminal=%v env=%v: doctor coloured %v:\n%s", tc.terminal, tc.env, got, stdout)
		}
		if !tc.colour && strings.Contains(stdout, "\x1b") {
			t.Errorf("escape in doctor output:\n%s", stdout)
		}
		for k := range tc.env {
			delete(r.env, k)
		}
	}
}

func lineStarting(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
