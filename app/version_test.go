package app

import (
	"runtime/debug"
	"testing"
)

// TestVersionLine: --version names the version and the commit it was built
// from, so that a bug report says which code it is about.
func TestVersionLine(t *testing.T) {
	t.Parallel()
	vcs := func(main string, kv ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/aws-mfa/aws-mfa", Version: main}}
		for i := 0; i < len(kv); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return bi
	}
	commit := []string{"vcs", "git", "vcs.revision", "5c7fe1f0123456789abcdef0123456789abcdef0", "vcs.time", "2026-12-05T14:30:00Z", "vcs.modified", "false"}
	dirty := append(commit[:len(commit)-1:len(commit)-1], "true")
	for _, c := range []struct {
		version string
		bi      *debug.BuildInfo
		want    string
	}{
		{"dev", nil, "aws-mfa dev"},
		{"dev", vcs("(devel)"), "aws-mfa dev"},
		{"dev", vcs("(devel)", commit...), "aws-mfa dev (5c7fe1f, 2026-12-05)"},
		{"dev", vcs("(devel)", dirty...), "aws-mfa dev (5c7fe1f+dirty, 2026-12-05)"},
		// -ldflags -X sets the version; the build info adds the commit.
		{"v0.3.0", vcs("(devel)", commit...), "aws-mfa v0.3.0 (5c7fe1f, 2026-12-05)"},
		// A checkout's pseudo-version is a commit, not a release.
		{"dev", vcs("v0.0.0-20261205143000-5c7fe1f01234+dirty", dirty...), "aws-mfa dev (5c7fe1f+dirty, 2026-12-05)"},
		{"dev", vcs("v0.3.1-0.20261205143000-5c7fe1f01234", commit...), "aws-mfa dev (5c7fe1f, 2026-12-05)"},
		// go install module@v0.3.0: the module's version, no VCS.
		{"dev", vcs("v0.3.0"), "aws-mfa v0.3.0"},
		{"v0.3.0", vcs("v0.2.9"), "aws-mfa v0.3.0"},
		{"dev", vcs("", "vcs.revision", "abc"), "aws-mfa dev (abc)"},
	} {
		if got := versionLine(c.version, c.bi); got != c.want {
			t.Errorf("versionLine(%q, %v) = %q, want %q", c.version, c.bi, got, c.want)
		}
	}
}
