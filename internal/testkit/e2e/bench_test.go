package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// buildFlags are the release build's: a static binary without urfave/cli's
// man-page generator, which costs start-up time and is never used.
var buildFlags = []string{"build", "-trimpath", "-tags", "urfave_cli_no_docs", "-o"}

func build(b *testing.B, dir, out string) string {
	return buildAs(b, dir, ".", out, true, nil)
}

// buildAs builds the main package pkg of the module in dir, the README's way or, unless
// release, with a plain `go build`. overlay maps files that exist only
// for the build (go build -overlay).
func buildAs(b *testing.B, dir, pkg, out string, release bool, overlay map[string]string) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), out)
	args := append(slices.Clone(buildFlags), bin)
	env := append(os.Environ(), "CGO_ENABLED=0")
	if !release {
		args, env = []string{"build", "-o", bin}, os.Environ()
	}
	if overlay != nil {
		o, err := json.Marshal(map[string]any{"Replace": overlay})
		if err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(b.TempDir(), "overlay.json")
		os.WriteFile(path, o, 0o644)
		args = append(args, "-overlay", path)
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = dir
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build %s: %v\n%s", dir, err, out)
	}
	return bin
}

// linkedOnly builds a program that links aws-mfa's packages, so that
// every package initialises, and does nothing: package initialisation
// alone. Its main.go exists only in the build's overlay.
func linkedOnly(b *testing.B, release bool) string {
	dir, err := filepath.Abs("linkedonly")
	if err != nil {
		b.Fatal(err)
	}
	src := filepath.Join(b.TempDir(), "main.go")
	os.WriteFile(src, []byte("package main\n\nimport _ \"github.com/aws-mfa/aws-mfa/app\"\n\nfunc main() {}\n"), 0o644)
	return buildAs(b, ".", "./linkedonly", "linked", release, map[string]string{filepath.Join(dir, "main.go"): src})
}

// idle builds aws-mfa with a main that returns at once: the same code
// and start-up as aws-mfa's binary, nothing run, so the floor for what a
// run does. linkedOnly starts faster than that: its linker drops the code
// no one calls and the package-level maps only that code reads, which
// aws-mfa's binary keeps, and a larger binary has more to set up at start
// (interface tables, the function table). The call idle never makes (no one passes a
// million arguments) keeps the whole of aws-mfa in its binary.
func idle(b *testing.B, release bool) string {
	main, err := filepath.Abs(filepath.Join(moduleRoot, "main.go"))
	if err != nil {
		b.Fatal(err)
	}
	src := filepath.Join(b.TempDir(), "main.go")
	os.WriteFile(src, []byte(`package main

import (
	"os"

	"github.com/aws-mfa/aws-mfa/app"
)

func main() {
	if len(os.Args) > 1<<20 {
		os.Exit(app.Run(os.Args, app.OS()))
	}
}
`), 0o644)
	return buildAs(b, moduleRoot, ".", "idle", release, map[string]string{main: src})
}

// rewrite writes the binary at path again with a plain write, so that
// every program of the ladder sits alike in the page cache. How a file got
// there moves its start by up to half an empty program on the CI machine:
// the linker's own output starts slower than a written copy, and, unlike
// the copy, by an amount that differs from build to build, which swapped
// rows of the ladder between runs.
func rewrite(b *testing.B, path string) {
	data, err := os.ReadFile(path)
	if err == nil {
		err = os.Remove(path)
	}
	if err == nil {
		err = os.WriteFile(path, data, 0o755)
	}
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkStartup runs the cached paths (a session still valid in the
// file: no code, no network), an empty Go program, a program that only
// links aws-mfa's packages and aws-mfa's binary returning at once (idle),
// each built the README's way and with a plain `go build`, interleaved,
// and reports each median as a ratio to the empty program's (README
// build): x-empty-env is the README's aws-mfa env, x-empty-env-plain the
// same built plainly, and so on.
func BenchmarkStartup(b *testing.B) {
	empty := b.TempDir()
	os.WriteFile(filepath.Join(empty, "go.mod"), []byte("module empty\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(empty, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	emptyBin := build(b, empty, "empty")
	tool := build(b, moduleRoot, "aws-mfa")
	emptyPlain := buildAs(b, empty, ".", "empty", false, nil)
	toolPlain := buildAs(b, moduleRoot, ".", "aws-mfa", false, nil)
	linked := linkedOnly(b, true)
	linkedPlain := linkedOnly(b, false)
	idleBin := idle(b, true)
	idlePlain := idle(b, false)

	for _, bin := range []string{emptyBin, tool, emptyPlain, toolPlain, linked, linkedPlain, idleBin, idlePlain} {
		rewrite(b, bin)
	}

	home := b.TempDir()
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	exp := time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(`[aws-mfa]
aws_access_key_id = AKIAALICEEXAMPLE0001
aws_secret_access_key = alice/long+term/secret
mfa_serial = arn:aws:iam::123456789012:mfa/alice
region = eu-west-1

[default]
aws_access_key_id = ASIAALICESESSION0001
aws_secret_access_key = session/secret
aws_session_token = FwoGZXIvYXdzEJr//////////wEaDExampleToken==
expiration = `+exp+"\n"), 0o600)
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_ENDPOINT_URL_STS=http://127.0.0.1:1"}

	runs := map[string][]string{
		"empty":        {emptyBin},
		"env":          {tool, "env", "--shell", "bash"},
		"refresh":      {tool},
		"linked":       {linked},
		"empty-plain":  {emptyPlain},
		"env-plain":    {toolPlain, "env", "--shell", "bash"},
		"linked-plain": {linkedPlain},
		"idle":         {idleBin},
		"idle-plain":   {idlePlain},
	}
	times := map[string][]time.Duration{}
	b.ResetTimer()
	for range b.N {
		for name, argv := range runs {
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Env = env
			start := time.Now()
			if err := cmd.Run(); err != nil {
				b.Fatalf("%s: %v", name, err)
			}
			times[name] = append(times[name], time.Since(start))
		}
	}
	b.StopTimer()
	base := median(times["empty"])
	b.ReportMetric(float64(base.Microseconds()), "µs-empty")
	for name := range runs {
		if name != "empty" {
			b.ReportMetric(float64(median(times[name]))/float64(base), "x-empty-"+name)
		}
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
