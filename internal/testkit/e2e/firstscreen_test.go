package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/moto"
)

// firstScreen is what README.md's first screen tells a newcomer to type,
// taken from the README itself so that the test follows its text.
type firstScreen struct {
	build, path, fishPath string
	steps                 []string          // aws configure, aws-mfa setup, aws-mfa CODE
	hooks                 map[string]string // shell: its rc line
}

func readFirstScreen(t *testing.T) firstScreen {
	b, err := os.ReadFile(filepath.Join(moduleRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	one := func(what string, re *regexp.Regexp) string {
		t.Helper()
		m := re.FindStringSubmatch(readme)
		if m == nil {
			t.Fatalf("README.md has no %s (%s)", what, re)
		}
		return m[1]
	}
	fs := firstScreen{
		build:    one("build line", regexp.MustCompile(`(?m)^(CGO_ENABLED=0 go install.*?)\s+#.*$`)),
		path:     one("PATH line", regexp.MustCompile(`(?m)^(export PATH=.*)$`)),
		fishPath: one("fish PATH line", regexp.MustCompile("`(fish_add_path [^`]+)`")),
		hooks:    map[string]string{},
	}
	steps := one("three steps", regexp.MustCompile("(?s)## Three steps\n\n```sh\n(.*?)```"))
	for _, l := range strings.Split(strings.TrimSpace(steps), "\n") {
		fs.steps = append(fs.steps, strings.TrimSpace(strings.SplitN(l, "#", 2)[0]))
	}
	if strings.Join(fs.steps, "; ") != "aws configure; aws-mfa setup; aws-mfa 123456" {
		t.Fatalf("the three steps are %q; update this test with the README", fs.steps)
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		line := one(sh+"'s hook line", regexp.MustCompile("(?m)^\\| "+sh+" \\| [^|]+ \\| `(.+)` \\|$"))
		fs.hooks[sh] = strings.ReplaceAll(line, `\|`, "|")
	}
	return fs
}

// TestFirstScreen follows README.md's first screen in a fresh HOME, in
// the order a newcomer types it, against moto in auth mode (which checks
// every signature): the build line, the PATH line, `aws configure` (the
// real AWS CLI, its questions answered on stdin), `aws-mfa setup`,
// `aws-mfa 123456`, then the hook line in bash, zsh and fish, where
// `aws-mfa env 123456` exports the session just written (issue 19).
func TestFirstScreen(t *testing.T) {
	requireTool(t, "aws") // and moto and real shells: none in -short
	moto.Prestart(true)
	t.Parallel()
	fs := readFirstScreen(t)
	url := moto.URL(t, true)
	acct := moto.Provision(t, url)
	// One line for each name, in order (empty for one unset).
	goenv, err := exec.Command("go", "env", "GOENV", "GOCACHE", "GOMODCACHE").Output()
	gos := strings.Split(strings.TrimSuffix(string(goenv), "\n"), "\n")
	if err != nil || len(gos) != 3 {
		t.Fatalf("go env: %v %q", err, goenv)
	}
	home := t.TempDir()
	root, err := filepath.Abs(moduleRoot)
	if err != nil {
		t.Fatal(err)
	}
	// A fresh HOME with the machine's Go: its settings, build and module
	// caches (no download). GOPATH is kept between runs, where go install
	// finds the binary up to date and skips the link (a second of CPU).
	gopath := filepath.Join(keptDir(root), "gopath")
	if err := os.MkdirAll(gopath, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{keptDir(root), gopath} {
		if err := privateDir(d); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{
		"HOME=" + home, unrecorded(home), "PATH=" + os.Getenv("PATH"), "TERM=dumb", "TZ=UTC",
		"GOPATH=" + gopath, "GOENV=" + gos[0], "GOCACHE=" + gos[1],
		"GOMODCACHE=" + gos[2], "GOPROXY=off", "GOTOOLCHAIN=local",
		// moto stands in for AWS: every AWS client here sends its calls there.
		"AWS_ENDPOINT_URL=" + url, "AWS_EC2_METADATA_DISABLED=true",
	}
	sh := func(stdin, line string) string {
		t.Helper()
		cmd := exec.Command("bash", "-c", line)
		cmd.Dir, cmd.Env, cmd.Stdin = root, env, strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		return string(out)
	}

	if out := sh("", fs.build); !strings.Contains(out, "USAGE:") {
		t.Fatalf("the build line printed no help:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(gopath, "bin", "aws-mfa")); err != nil {
		t.Fatalf("the binary is not where the README says: %v", err)
	}
	// Each step runs in a new shell that has read the PATH line, as in a
	// new terminal.
	step := func(stdin, line string) string { return sh(stdin, fs.path+"\n"+line) }
	step(acct.AccessKeyID+"\n"+acct.SecretAccessKey+"\nus-east-1\njson\n", fs.steps[0])
	out := step("", fs.steps[1])
	creds := filepath.Join(home, ".aws", "credentials")
	f, err := credfile.Read(creds)
	if err != nil || f.Section("aws-mfa").Get("mfa_serial") != acct.Serial {
		t.Fatalf("aws-mfa setup did not record the MFA device: %v\n%s", err, out)
	}
	out = step("", fs.steps[2])
	f, err = credfile.Read(creds)
	if err != nil {
		t.Fatal(err)
	}
	token := f.Section("default").Get("aws_session_token")
	if token == "" {
		t.Fatalf("no session in [default] after %s:\n%s", fs.steps[2], out)
	}

	// The hook line in each shell's rc file; a new interactive shell then
	// takes the session into its environment with aws-mfa env 123456 (from
	// the file: it is still valid).
	rcs := map[string]struct{ file, pathLine, check string }{
		"bash": {".bashrc", fs.path, `aws-mfa env 123456 && printf '%s\n' "$AWS_MFA_TARGET" "$AWS_SESSION_TOKEN"`},
		"zsh":  {".zshrc", fs.path, `aws-mfa env 123456 && printf '%s\n' "$AWS_MFA_TARGET" "$AWS_SESSION_TOKEN"`},
		"fish": {".config/fish/config.fish", fs.fishPath, `aws-mfa env 123456; and printf '%s\n' $AWS_MFA_TARGET $AWS_SESSION_TOKEN`},
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			bin := requireTool(t, shell)
			rc := rcs[shell]
			p := filepath.Join(home, rc.file)
			os.MkdirAll(filepath.Dir(p), 0o700)
			if err := os.WriteFile(p, []byte(rc.pathLine+"\n"+fs.hooks[shell]+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			args := []string{"-i", "-c", rc.check}
			if shell == "fish" {
				args = []string{"-c", rc.check} // fish reads config.fish either way
			}
			cmd := exec.Command(bin, args...)
			cmd.Dir, cmd.Env = home, env
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%s: %v\n%s%s", rc.check, err, stdout.String(), stderr.String())
			}
			if got := stdout.String(); got != "default\n"+token+"\n" {
				t.Errorf("after %q in %s: stdout %q, want the target and the session's token\nstderr: %s", fs.hooks[shell], shell, got, stderr.String())
			}
		})
	}
}
