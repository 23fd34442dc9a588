package shells

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// hostile holds every value the quoting must survive.
var hostile = []string{
	`'`, `"`, `\`, `$`, `$(id)`, "`id`", `!`, "a\nb", "\t", "a\rb", `~`, `*`, `{a,b}`, `%`, `^`,
	"é", "\u2019", "''", `\'`, `\\'`, "!!", "!$", `$HOME`, "${HOME}", "a;b", "a&b|c>d<e", "#x", " lead", "trail ",
	"FwoGZXIvYXdzEJr//////////wEaDK" + strings.Repeat("Ab+/9=", 160),
	`it's "all" $(rm -rf ~) ` + "`x` !x %PATH% ^ {a,b} * ~ é \u2018\u2019\u201a\u201b",
}

// realShell says how to evaluate a file of our output the way users do.
type realShell struct {
	dialect string
	bin     string
	args    []string                 // before the script
	eval    func(file string) string // a command that evaluates the file
	ext     string                   // before a program run by path: nu's ^
}

// script evaluates each file in turn, each followed by the command cmd
// (a program by path, as /usr/bin/env -0 to dump the environment).
func (sh realShell) script(cmd string, files ...string) []string {
	var steps []string
	for _, f := range files {
		steps = append(steps, sh.eval(f), sh.ext+cmd)
	}
	return append(sh.args[:len(sh.args):len(sh.args)], strings.Join(steps, "; "))
}

func posixShell(bin string, pre ...string) realShell {
	return realShell{"sh", bin, append(pre, "-c"), func(file string) string { return `eval "$(cat '` + file + `')"` }, ""}
}

func cshShell(bin string) realShell {
	return realShell{bin, bin, []string{"-f", "-c"}, func(file string) string { return "eval \"`cat '" + file + "'`\"" }, ""}
}

var realShells = []realShell{
	posixShell("bash", "--norc", "--noprofile"),
	posixShell(bash32, "--norc", "--noprofile"),
	posixShell("dash"),
	posixShell("zsh", "-f"),
	posixShell("ksh93"),
	posixShell("mksh"),
	posixShell("yash"),
	posixShell("busybox", "sh"),
	{"fish", "fish", []string{"--no-config", "-c"}, func(file string) string { return "cat '" + file + "' | source" }, ""},
	cshShell("tcsh"),
	cshShell("csh"),
	{"elvish", "elvish", []string{"-norc", "-c"}, func(file string) string { return "eval (cat '" + file + "' | slurp)" }, ""},
	// xonsh's $(…) capture of a short-lived process's output is racy under
	// load (it sometimes returns nothing), so the test reads the file in Python.
	{"xonsh", "xonsh", []string{"--no-rc", "-c"}, func(file string) string { return "execx(open('" + file + "').read())" }, ""},
	// nushell's nu, from the npm package nushell that .ci/run installs.
	{"nu", "nu", []string{"-n", "-c"}, func(file string) string { return "open --raw '" + file + "' | from json | load-env" }, "^"},
}

// bash32 is bash 3.2, macOS's /bin/bash, which .ci/run builds and names in
// AWS_MFA_BASH32; elsewhere a bash3.2 on PATH, or the tests skip it. The
// bash tests of env, the hook, its prompt and completion run in it too.
var bash32 = cmp.Or(os.Getenv("AWS_MFA_BASH32"), "bash3.2")

// label names a shell's subtest: bash3.2 rather than its path.
func label(bin string) string {
	if bin == bash32 {
		return "bash3.2"
	}
	return bin
}

// requireShell is testproc.Require: the test starts the shell bin.
func requireShell(t testing.TB, bin string) string {
	t.Helper()
	return testproc.Require(t, bin)
}

// evalIn evaluates code in the real shell and returns its environment.
func evalIn(t testing.TB, sh realShell, code string) map[string]string {
	t.Helper()
	path := requireShell(t, sh.bin)
	file := filepath.Join(t.TempDir(), "exports")
	if err := os.WriteFile(file, []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, sh.script("/usr/bin/env -0", file)...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "AWS_PROFILE=stale", "LANG=C.UTF-8", "XONSH_HISTORY_BACKEND=dummy"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", sh.bin, err, stderr.String())
	}
	env := map[string]string{}
	for _, kv := range strings.Split(string(out), "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}

// fuzzCorpus reads every value the fuzzers saved in testdata/fuzz: the
// real-shell fuzzers run only under -fuzz, so their regressions run here,
// through every shell.
func fuzzCorpus(t *testing.T) []string {
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "Fuzz*", "*"))
	var out []string
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if q, ok := strings.CutPrefix(line, "string("); ok {
				v, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
				if err != nil {
					t.Fatalf("%s: %v", file, err)
				}
				out = append(out, v)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no fuzz corpus found")
	}
	return out
}

func TestRealShellsEvaluateHostileValuesExactly(t *testing.T) {
	for _, sh := range realShells {
		t.Run(label(sh.bin), func(t *testing.T) {
			t.Parallel() // its own files and environment
			d, _ := Lookup(sh.dialect)
			vars := []Var{{Name: "AWS_PROFILE", Unset: true}}
			want := map[string]string{}
			for i, v := range append(hostile, fuzzCorpus(t)...) {
				if strings.HasSuffix(sh.dialect, "csh") && strings.ContainsAny(v, "\r\n") {
					continue // refused, see TestCshRefusesLineBreaks
				}
				name := fmt.Sprintf("HOSTILE_%d", i)
				vars = append(vars, Var{Name: name, Value: v})
				want[name] = v
			}
			code, err := d.Export(vars)
			if err != nil {
				t.Fatal(err)
			}
			env := evalIn(t, sh, code)
			for name, v := range want {
				if got, ok := env[name]; !ok || got != v {
					t.Errorf("%s = %q, want %q", name, got, v)
				}
			}
			if got, ok := env["AWS_PROFILE"]; sh.dialect == "nu" && got != "" || sh.dialect != "nu" && ok {
				t.Errorf("AWS_PROFILE = %q was not removed (nushell: set empty)", got)
			}
		})
	}
}

func TestCshRefusesLineBreaks(t *testing.T) {
	d, _ := Lookup("tcsh")
	for _, v := range []string{"a\nb", "a\rb"} {
		if _, err := d.Export([]Var{{Name: "X", Value: v}}); !errors.Is(err, ErrUnrepresentable) {
			t.Errorf("%q: %v", v, err)
		}
	}
}

// statusShell evaluates files of our output the way users do, each then
// printing the status it left, as `aws-mfa env | source; and CMD` would
// see it: args, then a script of one step per file. elvish and xonsh have
// exceptions instead: reaching the print is success.
type statusShell struct {
	args []string
	step func(file string) string
}

func posixStatus(args ...string) statusShell {
	return statusShell{append(args, "-c"), func(f string) string { return `eval "$(cat '` + f + `')"; echo "status=$?"` }}
}

var statusShells = map[string]statusShell{
	"bash":    posixStatus("--norc", "--noprofile"),
	"bash3.2": posixStatus("--norc", "--noprofile"),
	"dash":    posixStatus(),
	"zsh":     posixStatus("-f"),
	"ksh93":   posixStatus(),
	"mksh":    posixStatus(),
	"yash":    posixStatus(),
	"busybox": posixStatus("sh"),
	"fish": {[]string{"--no-config", "-c"}, func(f string) string {
		return "cat '" + f + "' | source; echo status=$status"
	}},
	"tcsh": {[]string{"-f", "-c"}, func(f string) string {
		return "eval \"`cat '" + f + "'`\"; echo status=$status"
	}},
	"csh": {[]string{"-f", "-c"}, func(f string) string {
		return "eval \"`cat '" + f + "'`\"; echo status=$status"
	}},
	"elvish": {[]string{"-norc", "-c"}, func(f string) string {
		return "eval (cat '" + f + "' | slurp); echo status=0"
	}},
	"xonsh": {[]string{"--no-rc", "-c"}, func(f string) string {
		return "execx(open('" + f + "').read()); print('status=0')"
	}},
	"nu": {[]string{"-n", "-c"}, func(f string) string {
		return "open --raw '" + f + "' | from json | load-env; print status=0"
	}},
}

// TestExportStatus: the code every dialect prints ends with status 0 when
// it applied everything, whether or not the variables it sets and removes
// were set before (fish's set -e of an unset variable fails with 4). One
// shell per dialect evaluates the four cases in turn, each on names of its
// own, set in the shell's environment or not, so that no case sees what
// another did.
func TestExportStatus(t *testing.T) {
	type exportCase struct{ unset, before bool }
	cases := []exportCase{{false, false}, {false, true}, {true, false}, {true, true}}
	for _, sh := range realShells {
		st, ok := statusShells[label(sh.bin)]
		if !ok {
			t.Fatalf("no status script for %s", sh.bin)
		}
		d, _ := Lookup(sh.dialect)
		t.Run(label(sh.bin), func(t *testing.T) {
			t.Parallel() // its own files and environment
			path := requireShell(t, sh.bin)
			dir := t.TempDir()
			env := []string{"PATH=/usr/bin:/bin", "HOME=/nonexistent", "LANG=C.UTF-8", "XONSH_HISTORY_BACKEND=dummy"}
			var steps []string
			for i, c := range cases {
				name := func(n string) string { return fmt.Sprintf("%s_%d", n, i) }
				vs := []Var{{Name: name("GONE_A"), Unset: true}, {Name: name("SET_B"), Value: "b"}, {Name: name("GONE_C"), Unset: true}}
				if c.unset {
					vs = []Var{{Name: name("GONE_A"), Unset: true}, {Name: name("SET_B"), Unset: true}}
				}
				if c.before {
					env = append(env, name("GONE_A")+"=a", name("SET_B")+"=old", name("GONE_C")+"=c")
				}
				code, err := d.Export(vs)
				if err != nil {
					t.Fatal(err)
				}
				file := filepath.Join(dir, fmt.Sprint(i))
				os.WriteFile(file, []byte(code), 0o600)
				steps = append(steps, st.step(file))
			}
			cmd := exec.Command(path, append(st.args, strings.Join(steps, "\n"))...)
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			lines := strings.Split(string(out), "\n")
			for i, c := range cases {
				if err != nil || i >= len(lines) || lines[i] != "status=0" {
					t.Errorf("unset=%v/before=%v: %v: %q", c.unset, c.before, err, out)
				}
			}
			if string(out) != strings.Repeat("status=0\n", len(cases)) {
				t.Errorf("output %q", out)
			}
		})
	}
}

// TestCshWordLimit measures what eval "`…`" takes in the real csh and
// tcsh, around the limit the csh dialect enforces: for each kind of
// value (plain, with quotes, with bangs, which quoting lengthens), the
// longest one csh may print applies exactly, and one byte more is
// refused by the dialect and, written anyway, is "Word too long." to
// csh, which applies nothing. tcsh takes far longer words. One csh
// applies the longest values in turn; each longer one has a csh of its
// own, as the error ends the script.
func TestCshWordLimit(t *testing.T) {
	cshDialect, _ := Lookup("csh")
	tcshDialect, _ := Lookup("tcsh")
	// evalIn evaluates each code in turn in the shell bin, each followed
	// by printing X, and returns what each printed, and the stderr.
	evalIn := func(t *testing.T, bin string, codes ...string) ([]string, string) {
		path := requireShell(t, bin)
		dir := t.TempDir()
		var steps []string
		for i, code := range codes {
			file := filepath.Join(dir, fmt.Sprint(i))
			os.WriteFile(file, []byte(code), 0o600)
			steps = append(steps, "eval \"`cat '"+file+"'`\"; if ($?X) printenv X")
		}
		cmd := exec.Command(path, "-f", "-c", strings.Join(steps, "; unsetenv X; echo --; "))
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/nonexistent", "LANG=C.UTF-8"}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, _ := cmd.Output()
		return strings.Split(string(out), "--\n"), stderr.String()
	}
	var longest, over, codes []string
	for _, unit := range []string{"a", "a'", "a!", "'!"} {
		// The longest value of repeated units whose quoted form fits.
		n := sort.Search(cshMaxWord, func(n int) bool { return len(cshQuote(strings.Repeat(unit, n+1))) > cshMaxWord })
		v := strings.Repeat(unit, n)
		o := v + strings.Repeat("a", cshMaxWord+1-len(cshQuote(v)))
		if len(cshQuote(o)) != cshMaxWord+1 {
			t.Fatalf("over is %d bytes quoted", len(cshQuote(o)))
		}
		code, err := cshDialect.Export([]Var{{Name: "X", Value: v}})
		if err != nil {
			t.Fatal(err)
		}
		longest, over, codes = append(longest, v), append(over, o), append(codes, code)
	}
	applied, stderr := evalIn(t, "csh", codes...) // no "!" in TempDir's name: csh -c would expand it
	for i, v := range longest {
		t.Run(fmt.Sprintf("csh/%d", i), func(t *testing.T) {
			t.Parallel()
			if i >= len(applied) || applied[i] != v+"\n" {
				t.Errorf("a %d-byte word did not apply: %q", len(cshQuote(v)), stderr)
			}
			if _, err := cshDialect.Export([]Var{{Name: "X", Value: over[i]}}); !errors.Is(err, ErrUnrepresentable) {
				t.Errorf("a %d-byte word was not refused: %v", cshMaxWord+1, err)
			}
			if out, stderr := evalIn(t, "csh", "setenv X "+cshQuote(over[i])+";\n"); out[0] != "" || !strings.Contains(stderr, "Word too long") {
				t.Errorf("csh took a %d-byte word: %q %q", cshMaxWord+1, out[0], stderr)
			}
		})
	}
	t.Run("tcsh", func(t *testing.T) {
		t.Parallel()
		v := strings.Repeat("a'!", 33_000) // 99,000 bytes, 231,002 quoted
		code, err := tcshDialect.Export([]Var{{Name: "X", Value: v}})
		if err != nil {
			t.Fatal(err)
		}
		if out, stderr := evalIn(t, "tcsh", code); out[0] != v+"\n" {
			t.Errorf("tcsh did not apply a %d-byte word: %q", len(cshQuote(v)), stderr)
		}
	})
}

// TestCshRefusalIsClear: the refusal names the variable and the limit and
// says what to do, without the value.
func TestCshRefusalIsClear(t *testing.T) {
	d, _ := Lookup("csh")
	secret := strings.Repeat("S3cr3t", 1000)
	_, err := d.Export([]Var{{Name: "AWS_SESSION_TOKEN", Value: secret}})
	if err == nil || strings.Contains(err.Error(), "S3cr3t") || !strings.Contains(err.Error(), "AWS_SESSION_TOKEN") || !strings.Contains(err.Error(), "tcsh") {
		t.Errorf("%v", err)
	}
}

// TestRealShellsPrintHostileTextExactly: what Print returns, evaluated as
// a hook's wrapper evaluates env's output, writes the text unchanged, in
// every shell with a hook: every hostile value a line, with and without
// a last newline. tcsh and csh refuse a carriage return. One shell per
// dialect evaluates the texts in turn, a NUL after each.
func TestRealShellsPrintHostileTextExactly(t *testing.T) {
	all := strings.Join(hostile, "\n")
	for _, sh := range realShells {
		t.Run(label(sh.bin), func(t *testing.T) {
			t.Parallel() // its own files and environment
			path := requireShell(t, sh.bin)
			d, _ := Lookup(sh.dialect)
			if sh.bin == "nu" {
				sh.eval = func(file string) string { return "open --raw '" + file + "' | from json | print -n" }
			}
			dir := t.TempDir()
			var texts, files []string
			for i, text := range []string{all + "\n", all, "{\"json\": \"one line\"}\n", "\n\n"} {
				if _, isCsh := d.(csh); isCsh && strings.Contains(text, "\r") {
					if _, err := d.Print(text); !errors.Is(err, ErrUnrepresentable) {
						t.Errorf("a carriage return: %v", err)
					}
					text = strings.ReplaceAll(text, "\r", "")
				}
				code, err := d.Print(text)
				if err != nil {
					t.Fatal(err)
				}
				file := filepath.Join(dir, fmt.Sprint(i))
				os.WriteFile(file, []byte(code), 0o600)
				texts, files = append(texts, text), append(files, file)
			}
			cmd := exec.Command(path, sh.script("/usr/bin/head -c1 /dev/zero", files...)...)
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8", "XONSH_HISTORY_BACKEND=dummy", "END=here"}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			got := strings.Split(string(out), "\x00")
			if err != nil || len(got) != len(texts)+1 || got[len(texts)] != "" {
				t.Fatalf("%v %s\ngot %q", err, &stderr, out)
			}
			for i, text := range texts {
				if got[i] != text {
					t.Errorf("got  %q\nwant %q", got[i], text)
				}
			}
		})
	}
}
