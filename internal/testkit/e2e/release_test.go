//go:build linux

package e2e

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/release/completion"
)

// releaseDistEnv names the dist directory of a snapshot release, which
// .ci/run makes with GoReleaser before it runs TestRelease.
const releaseDistEnv = "AWS_MFA_RELEASE_DIST"

// packaged is every file a release ships beside the binary, by its path
// in an archive and where the .deb and .rpm install it, with the content
// the source generates.
var packaged = []struct {
	archived, installed, shell string // shell "" is the man page
}{
	{"aws-mfa.1.gz", "/usr/share/man/man1/aws-mfa.1.gz", ""},
	{"completions/aws-mfa.bash", "/usr/share/bash-completion/completions/aws-mfa", "bash"},
	{"completions/_aws-mfa", "/usr/share/zsh/vendor-completions/_aws-mfa", "zsh"},
	{"completions/aws-mfa.fish", "/usr/share/fish/vendor_completions.d/aws-mfa.fish", "fish"},
}

// generated is what the source generates for one of packaged: a
// completion, or the man page gunzipped.
func generated(t *testing.T, shell string) string {
	t.Helper()
	if shell != "" {
		s, err := completion.Script(shell)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// The man page comes from the app's own definitions, written by
	// the program GoReleaser runs; this package links no app.
	manOnce.Do(func() {
		dir, err := os.MkdirTemp("", "aws-mfa-man-")
		if err != nil {
			manErr = err
			return
		}
		defer os.RemoveAll(dir)
		out, err := exec.Command("go", "run", filepath.Join(moduleRoot, "internal", "release"), dir).CombinedOutput()
		if err != nil {
			manErr = fmt.Errorf("go run ./internal/release: %v\n%s", err, out)
			return
		}
		manGz, manErr = os.ReadFile(filepath.Join(dir, "aws-mfa.1.gz"))
	})
	if manErr != nil {
		t.Fatal(manErr)
	}
	return gunzipped(t, manGz)
}

var (
	manOnce sync.Once
	manGz   []byte
	manErr  error
)

// gunzipped is a man page as man reads it.
func gunzipped(t *testing.T, b []byte) string {
	t.Helper()
	z, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// artifact is one entry of GoReleaser's dist/artifacts.json.
type artifact struct {
	Name, Path, Goos, Goarch, Type string
}

// TestRelease checks the snapshot release in $AWS_MFA_RELEASE_DIST as a
// user meets it: the six archives hold the binary, README, man page and
// completions as the source generates them; checksums.txt covers every
// download; the .rpm lists the packaged paths; and the README's "From a
// release" lines run: the checksums verify, the linux archive unpacks
// and runs, and the .deb installs with dpkg. Installed, aws-mfa --version
// names the release, man aws-mfa renders, the installed completion and
// man page are the generated ones, and Tab completes aws-mfa sta in a
// bash that never loaded the hook; then dpkg -r removes every file.
func TestRelease(t *testing.T) {
	dist := os.Getenv(releaseDistEnv)
	if dist == "" {
		t.Skipf("%s names no snapshot release; .ci/run makes one", releaseDistEnv)
	}
	var meta struct{ Version string }
	var arts []artifact
	for name, v := range map[string]any{"metadata.json": &meta, "artifacts.json": &arts} {
		b, err := os.ReadFile(filepath.Join(dist, name))
		if err == nil {
			err = json.Unmarshal(b, v)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	sums, err := os.ReadFile(filepath.Join(dist, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("archives", func(t *testing.T) {
		var seen []string
		for _, a := range arts {
			if a.Type != "Archive" {
				continue
			}
			seen = append(seen, a.Goos+"/"+a.Goarch)
			ext, bin := ".tar.gz", "aws-mfa"
			if a.Goos == "windows" {
				ext, bin = ".zip", "aws-mfa.exe"
			}
			if want := "aws-mfa_" + meta.Version + "_" + a.Goos + "_" + a.Goarch + ext; a.Name != want {
				t.Errorf("archive %s, want %s", a.Name, want)
			}
			files := archived(t, filepath.Join(dist, a.Name))
			var names []string
			for n := range files {
				names = append(names, n)
			}
			slices.Sort(names)
			want := []string{"README.md", "aws-mfa.1.gz", bin, "completions/_aws-mfa", "completions/aws-mfa.bash", "completions/aws-mfa.fish"}
			slices.Sort(want)
			if !slices.Equal(names, want) {
				t.Errorf("%s holds %q, want %q", a.Name, names, want)
			}
			for _, p := range packaged {
				got := string(files[p.archived])
				if p.shell == "" {
					got = gunzipped(t, files[p.archived])
				}
				if got != generated(t, p.shell) {
					t.Errorf("%s: %s is not what the source generates", a.Name, p.archived)
				}
			}
			if readme, _ := os.ReadFile(filepath.Join(moduleRoot, "README.md")); string(files["README.md"]) != string(readme) {
				t.Errorf("%s: README.md is not the repository's", a.Name)
			}
		}
		slices.Sort(seen)
		if want := []string{"darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64", "windows/amd64", "windows/arm64"}; !slices.Equal(seen, want) {
			t.Errorf("archives for %q, want %q", seen, want)
		}
	})

	t.Run("checksums", func(t *testing.T) {
		n := 0
		for _, a := range arts {
			if a.Type != "Archive" && a.Type != "Linux Package" {
				continue
			}
			n++
			if !regexp.MustCompile(`(?m)^[0-9a-f]{64}  ` + regexp.QuoteMeta(a.Name) + `$`).Match(sums) {
				t.Errorf("checksums.txt has no line for %s", a.Name)
			}
		}
		if n != 6+2*2 {
			t.Errorf("%d archives and packages, want 6 archives, a .deb and an .rpm for each linux arch", n)
		}
	})

	t.Run("rpm", func(t *testing.T) {
		rpmTool := requireTool(t, "rpm")
		for _, a := range arts {
			if a.Type != "Linux Package" || !strings.HasSuffix(a.Name, ".rpm") {
				continue
			}
			out, err := exec.Command(rpmTool, "-qlp", filepath.Join(dist, a.Name)).Output()
			if err != nil {
				t.Fatalf("rpm -qlp %s: %v", a.Name, err)
			}
			list := strings.Fields(string(out))
			for _, p := range append([]string{"/usr/bin/aws-mfa", "/usr/share/zsh/site-functions/_aws-mfa"}, installedPaths()...) {
				if !slices.Contains(list, p) {
					t.Errorf("%s does not install %s: %q", a.Name, p, list)
				}
			}
		}
	})

	t.Run("readme", func(t *testing.T) {
		if runtime.GOARCH != "amd64" || os.Geteuid() != 0 {
			t.Skip("the README's lines name amd64 files, and dpkg -i needs root")
		}
		dpkg := requireTool(t, "dpkg")
		if _, err := os.Stat("/usr/bin/aws-mfa"); err == nil {
			t.Fatal("/usr/bin/aws-mfa exists before the .deb is installed: the test will not replace it")
		}
		dir := t.TempDir()
		for _, name := range append(names(arts), "checksums.txt") {
			b, err := os.ReadFile(filepath.Join(dist, name))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, name), b, 0o600)
		}
		t.Cleanup(func() {
			if out, err := exec.Command(dpkg, "-r", "aws-mfa").CombinedOutput(); err != nil {
				t.Errorf("dpkg -r aws-mfa: %v %s", err, out)
			}
			for _, p := range append([]string{"/usr/bin/aws-mfa"}, installedPaths()...) {
				if _, err := os.Stat(p); err == nil {
					t.Errorf("%s is still there after dpkg -r", p)
				}
			}
		})
		ran := 0
		for _, line := range releaseLines(t) {
			line = withFiles(t, line, dir) // each file it names is the release's
			if strings.Contains(line, "rpm ") {
				continue // Debian's rpm would install beside dpkg: listed above instead
			}
			ran++
			// sudo, where root has none, is the command itself.
			out, stderr, err := run(t, peerEnv(dir, "PATH=/usr/sbin:/usr/bin:/sbin:/bin"), "bash", "-c", "command -v sudo >/dev/null || sudo() { \"$@\"; }\ncd "+dir+" && "+line)
			if err != nil {
				t.Fatalf("%s: %v\n%s%s", line, err, out, stderr)
			}
			if strings.Contains(line, "--version") && !strings.HasPrefix(out, "aws-mfa v"+meta.Version+" (") {
				t.Errorf("%s printed %q, want the release's version v%s", line, out, meta.Version)
			}
		}
		if ran != 3 {
			t.Fatalf("ran %d of the README's lines, want the checksums, the archive and the .deb", ran)
		}
		installed(t, dir, meta.Version)
	})
}

// installed checks the installed .deb: the version, the man page, the
// files as the source generates them, and Tab without the hook.
func installed(t *testing.T, dir, version string) {
	env := peerEnv(dir, "PATH=/usr/bin:/bin", "TERM=xterm", "MANWIDTH=80")
	out, stderr, err := run(t, env, "/usr/bin/aws-mfa", "--version")
	if err != nil || !strings.HasPrefix(out, "aws-mfa v"+version+" (") {
		t.Errorf("the installed aws-mfa --version: %v %q %s", err, out, stderr)
	}
	out, stderr, err = run(t, env, requireTool(t, "man"), "-P", "cat", "aws-mfa")
	if err != nil || !strings.Contains(out, "aws-mfa - get an MFA session") || !strings.Contains(out, "COMMANDS") {
		t.Errorf("man aws-mfa: %v %q %s", err, out, stderr)
	}
	for _, p := range packaged {
		b, err := os.ReadFile(p.installed)
		if err != nil {
			t.Errorf("the .deb did not install %s: %v", p.installed, err)
			continue
		}
		got := string(b)
		if p.shell == "" {
			got = gunzipped(t, b)
		}
		if got != generated(t, p.shell) {
			t.Errorf("%s is not what the source generates", p.installed)
		}
	}
	// A bash with bash-completion and no hook: its loader finds the
	// packaged file at the first Tab.
	os.WriteFile(filepath.Join(dir, "rc"), []byte(". "+bashCompletion+"\nPS1='$ '\n"), 0o600)
	sh := startTmux(t, dir, env, "bash", "--noprofile", "--rcfile", filepath.Join(dir, "rc"), "-i")
	if got := sh.result("", "tab", text("aws-mfa sta"), press("Tab", "C-a"), text("echo "), press("C-e")); got != "aws-mfa status" {
		t.Errorf("aws-mfa sta + Tab gave %q, want aws-mfa status", got)
	}
	if got := sh.result(`type -t _aws_mfa_hook aws-mfa`, "types"); got != "file" {
		t.Errorf("the shell has the hook loaded, or no aws-mfa: %q", got)
	}
}

// installedPaths are the paths the packages install beside the binary.
func installedPaths() []string {
	var out []string
	for _, p := range packaged {
		out = append(out, p.installed)
	}
	return out
}

// names are the archives' and packages' file names.
func names(arts []artifact) []string {
	var out []string
	for _, a := range arts {
		if a.Type == "Archive" || a.Type == "Linux Package" {
			out = append(out, a.Name)
		}
	}
	return out
}

// archived reads every regular file of a .tar.gz or .zip.
func archived(t *testing.T, path string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	if strings.HasSuffix(path, ".zip") {
		z, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer z.Close()
		for _, f := range z.File {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			files[f.Name], err = io.ReadAll(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
		return files
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(z)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			files[h.Name], _ = io.ReadAll(tr)
		}
	}
}

// withFiles puts the real file name, found in dir, for each word of line
// that names a release file with VERSION in it.
func withFiles(t *testing.T, line, dir string) string {
	t.Helper()
	words := strings.Fields(line)
	for i, w := range words {
		if !strings.Contains(w, "VERSION") {
			continue
		}
		matches, _ := filepath.Glob(filepath.Join(dir, strings.ReplaceAll(w, "VERSION", "*")))
		if len(matches) != 1 {
			t.Fatalf("%s names %d files of the release: %q", w, len(matches), matches)
		}
		words[i] = filepath.Base(matches[0])
	}
	return strings.Join(words, " ")
}
