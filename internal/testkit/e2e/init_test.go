package e2e

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestOwnPackagesInitCheaply keeps start-up work out of package
// initialisation: a regexp such as `[\w]{1,512}` compiles to a program of
// hundreds of kilobytes at every start, and a dependency can grow the same
// way. Bytes allocated are counted by the runtime (GODEBUG=inittrace=1),
// so this measures no time.
func TestOwnPackagesInitCheaply(t *testing.T) {
	t.Parallel()
	bin := toolBinary(t)
	_, stderr, err := run(t, append(peerEnv(t.TempDir()), "GODEBUG=inittrace=1"), bin, "status")
	if err != nil {
		t.Fatal(err)
	}
	seen, total := 0, 0
	for _, line := range strings.Split(stderr, "\n") {
		// init github.com/aws-mfa/aws-mfa/config @1.2 ms, 0.08 ms clock, 29632 bytes, 120 allocs
		f := strings.Fields(line)
		if len(f) < 8 || f[0] != "init" {
			continue
		}
		n, _ := strconv.Atoi(f[7])
		total += n
		if !strings.HasPrefix(f[1], "github.com/aws-mfa/") {
			continue
		}
		seen++
		if n > 64<<10 {
			t.Errorf("%s allocates %d bytes at init; move the work out of package variables", f[1], n)
		}
	}
	if seen == 0 {
		t.Fatalf("no init trace for aws-mfa's packages:\n%s", stderr)
	}
	// All packages together, dependencies included: service/iam v1.65's
	// schema tables alone allocate 637 KB (0.7 ms) at every start.
	if total > 640<<10 {
		t.Errorf("package initialisation allocates %d bytes in all; a dependency grew (see Performance in the README)", total)
	}
}

// TestNoRegexpCompiledAtInit finds package variables of aws-mfa's own
// linked packages whose value compiles a regexp: such a variable is
// compiled at every start, on the cached env path too, whether or not the
// command uses it. Use plain code, or compile where the path needs it.
func TestNoRegexpCompiledAtInit(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f",
		`{{if .Module}}{{if eq .Module.Path "github.com/aws-mfa/aws-mfa"}}{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{"\n"}}{{end}}{{end}}`, moduleRoot).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	files := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		for _, name := range f[1:] {
			path := filepath.Join(f[0], name)
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files++
			for _, d := range file.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				ast.Inspect(g, func(n ast.Node) bool {
					if _, ok := n.(*ast.FuncLit); ok {
						return false // runs only when called
					}
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
						if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "regexp" {
							t.Errorf("%s: package variable calls regexp.%s, compiled at every start", fset.Position(call.Pos()), sel.Sel.Name)
						}
					}
					return true
				})
			}
		}
	}
	if files == 0 {
		t.Fatalf("no source files listed:\n%s", out)
	}
}

// TestCachedEnvTouchesOnlyItsFiles traces, with strace, the files a cached
// `aws-mfa env` opens or stats: past what the runtime, the dynamic loader
// and the system read, only the config and the credentials file (the
// source and target profiles have their region, so the AWS config is
// not needed). Every
// other file is start-up time on every prompt that loads a session
// (urfave/cli, for one, stats its own binary to fill a field it never
// shows).
func TestCachedEnvTouchesOnlyItsFiles(t *testing.T) {
	t.Parallel()
	strace := requireTool(t, "strace")
	bin := toolBinary(t)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	exp := time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339)
	os.WriteFile(creds, []byte("[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/long+term/secret\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n\n[default]\naws_access_key_id = ASIAALICESESSION0001\naws_secret_access_key = session/secret\naws_session_token = token\nregion = eu-west-1\nexpiration = "+exp+"\n"), 0o600)
	log := filepath.Join(dir, "strace.log")
	cmd := exec.Command(strace, "-f", "-qq", "-e", "trace=%file", "-o", log, bin, "env", "--shell", "bash")
	cmd.Env = peerEnv(dir, "AWS_ENDPOINT_URL_STS=http://127.0.0.1:1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{creds: true, filepath.Join(dir, ".config", "aws-mfa", "config.toml"): true}
	seen := 0
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.Contains(l, "execve(") {
			continue // the exec of the binary itself
		}
		_, rest, ok := strings.Cut(l, `"`)
		if !ok {
			continue
		}
		path, _, _ := strings.Cut(rest, `"`)
		switch {
		case path == "":
			// fstat of an open file (AT_EMPTY_PATH)
		case want[path]:
			seen++
		case strings.HasPrefix(path, "/proc/"), strings.HasPrefix(path, "/sys/"), strings.HasPrefix(path, "/etc/"),
			strings.HasPrefix(path, "/lib"), strings.HasPrefix(path, "/usr/lib"):
			// the runtime, the dynamic loader and the system
		default:
			t.Errorf("a cached env touches %s:\n%s", path, l)
		}
	}
	if seen == 0 {
		t.Fatalf("the trace shows neither the config nor the credentials file:\n%s", data)
	}
}
