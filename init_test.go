package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
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
		`{{if .Module}}{{if eq .Module.Path "github.com/aws-mfa/aws-mfa"}}{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{"\n"}}{{end}}{{end}}`, ".").Output()
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
