package app

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestRunSetsNoGlobals: urfave/cli keeps its version flag and printer in
// package variables; a Run that assigned them would make two apps in one
// process (tests, __env) print each other's version to each other's
// stdout.
func TestRunSetsNoGlobals(t *testing.T) {
	t.Parallel()
	flag, printer := cli.VersionFlag, reflect.ValueOf(cli.VersionPrinter).Pointer()
	// "aws-mfa dev", and the commit when Go stamped this test binary with
	// it (-buildvcs, on by default in a clone): TestVersionLine checks
	// that line's form.
	bi, _ := debug.ReadBuildInfo()
	want := versionLine(version, bi) + "\n"
	for _, args := range [][]string{{"--version"}, {"--help"}, {"env", "--help"}, {"--version", "env"}} {
		var out bytes.Buffer
		sys := System{Stdout: &out, Stderr: &bytes.Buffer{}, Getenv: noEnv}
		rc := Run(append([]string{"aws-mfa"}, args...), sys)
		if args[0] == "--version" && (rc != ExitOK || out.String() != want) {
			t.Errorf("%q: exit %d, stdout %q", args, rc, out.String())
		}
	}
	if cli.VersionFlag != flag || reflect.ValueOf(cli.VersionPrinter).Pointer() != printer {
		t.Error("Run changed urfave/cli's VersionFlag or VersionPrinter")
	}
}

// TestNoExitInApp: package app returns exit codes; only main exits, so
// that deferred clean-up runs and tests can call every path.
func TestNoExitInApp(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			switch call := pkg.Name + "." + sel.Sel.Name; call {
			case "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "cli.Exit", "cli.HandleExitCoder":
				t.Errorf("%s: %s; return an exit code to main instead", fset.Position(sel.Pos()), call)
			}
			return true
		})
	}
}
