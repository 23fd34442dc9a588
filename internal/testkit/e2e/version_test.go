package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionFromBuild: the built binary's --version names the commit and
// its date from the build information, with or without a release version
// stamped by -ldflags -X (as release builds do). It builds from a clone of
// this checkout's HEAD: Go stamps no commit in a git worktree.
func TestVersionFromBuild(t *testing.T) {
	requireTool(t, "git") // not in -short
	t.Parallel()
	root, err := filepath.Abs(moduleRoot)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "src")
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Env = append(os.Environ(), "TZ=UTC")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %s: %v", strings.Join(args, " "), err)
		}
		return strings.TrimSpace(string(out))
	}
	git("clone", "-q", "--shared", root, src)
	want := git("-C", src, "rev-parse", "--short=7", "HEAD") + ", " +
		git("-C", src, "log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%d")
	for version, ldflags := range map[string]string{"dev": "", "v9.8.7": "-X github.com/aws-mfa/aws-mfa/app.version=v9.8.7"} {
		// Built where the previous run built it: go build relinks it
		// only when HEAD (the commit it stamps) or the code changed.
		// -buildvcs=auto: a go env file may say false (this machine's does).
		name := filepath.Join("version", version, "aws-mfa")
		if err := buildKept(name, src, "-buildvcs=auto", "-ldflags", ldflags); err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(keptDir(root), name)
		out, err := exec.Command(bin, "--version").Output()
		if err != nil {
			t.Fatalf("%s --version: %v", bin, err)
		}
		if want := "aws-mfa " + version + " (" + want + ")\n"; string(out) != want {
			t.Errorf("built with -ldflags %q, --version printed %q, want %q", ldflags, out, want)
		}
	}
}
