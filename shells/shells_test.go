package shells

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// session is what `aws-mfa env` exports, in its order.
var session = []Var{
	{Name: "AWS_PROFILE", Unset: true},
	{Name: "AWS_DEFAULT_PROFILE", Unset: true},
	{Name: "AWS_SECURITY_TOKEN", Unset: true},
	{Name: "AWS_ACCESS_KEY_ID", Value: "ASIAEXAMPLESESSION01"},
	{Name: "AWS_SECRET_ACCESS_KEY", Value: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
	{Name: "AWS_SESSION_TOKEN", Value: "FwoGZXIvYXdzEJr//////////wEaDExampleToken=="},
	{Name: "AWS_CREDENTIAL_EXPIRATION", Value: "2026-11-28T02:00:00Z"},
	{Name: "AWS_REGION", Value: "eu-west-1"},
}

// dialects names one registry entry per dialect, for golden files.
var dialects = []string{"sh", "fish", "tcsh", "elvish", "xonsh", "nu", "pwsh", "cmd", "dotenv"}

func TestGolden(t *testing.T) {
	hostileVar := Var{Name: "HOSTILE", Value: `it's "all" $(id) ` + "`id` !x %P% ^ {a,b} * ~ é \u2019"}
	for _, name := range dialects {
		t.Run(name, func(t *testing.T) {
			d, ok := Lookup(name)
			if !ok {
				t.Fatal("not registered")
			}
			out, err := d.Export(session)
			if err != nil {
				t.Fatal(err)
			}
			if h, err := d.Export([]Var{hostileVar}); err == nil {
				out += h
			} else if !errors.Is(err, ErrUnrepresentable) {
				t.Fatal(err)
			} else {
				out += "# refused: " + err.Error() + "\n"
			}
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				os.WriteFile(golden, []byte(out), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("differs from %s:\n%s", golden, out)
			}
		})
	}
}

func TestLookupNormalizes(t *testing.T) {
	for _, name := range []string{"-zsh", "/bin/bash", "PWSH.EXE", `C:\Windows\System32\cmd.exe`, "ksh93", "busybox"} {
		if _, ok := Lookup(name); !ok {
			t.Errorf("%q not found", name)
		}
	}
	if _, ok := Lookup("python3"); ok {
		t.Error("python3 is not a shell")
	}
}

func TestNamesAreChecked(t *testing.T) {
	for _, name := range []string{"", "1A", "A-B", "A B", "A;rm", "$(x)", "é"} {
		for _, d := range dialects {
			sh, _ := Lookup(d)
			if _, err := sh.Export([]Var{{Name: name, Value: "v"}}); !errors.Is(err, ErrUnrepresentable) {
				t.Errorf("%s accepted name %q: %v", d, name, err)
			}
		}
	}
	for _, d := range dialects {
		sh, _ := Lookup(d)
		for _, v := range []string{"a\x00b", "\xff"} {
			if _, err := sh.Export([]Var{{Name: "X", Value: v}}); !errors.Is(err, ErrUnrepresentable) {
				t.Errorf("%s accepted %q", d, v)
			}
		}
	}
}

// unquotePS reads back one PowerShell single-quoted string: the rules of
// the language spec, in which any of ' ‘ ’ ‚ ‛ opens, closes, and doubles.
func unquotePS(t testing.TB, s string) string {
	isQ := func(r rune) bool { return strings.ContainsRune("'\u2018\u2019\u201a\u201b", r) }
	rs := []rune(s)
	if len(rs) < 2 || !isQ(rs[0]) || !isQ(rs[len(rs)-1]) {
		t.Fatalf("not single-quoted: %q", s)
	}
	var b strings.Builder
	for i := 1; i < len(rs)-1; i++ {
		if isQ(rs[i]) {
			if i+1 >= len(rs)-1 || !isQ(rs[i+1]) {
				t.Fatalf("string ends early at %d: %q", i, s)
			}
			i++
		}
		b.WriteRune(rs[i])
	}
	return b.String()
}

func TestPowerShellQuotingRoundTrips(t *testing.T) {
	for _, v := range append(hostile, "\u2018\u2018", "'\u201b'") {
		if got := unquotePS(t, psQuote(v)); got != v {
			t.Errorf("%q read back as %q", v, got)
		}
	}
}

func TestNushellIsJSON(t *testing.T) {
	vars := []Var{{Name: "AWS_PROFILE", Unset: true}}
	for _, v := range hostile {
		vars = append(vars, Var{Name: "V", Value: v})
		out, err := nushell{}.Export(vars)
		if err != nil {
			t.Fatal(err)
		}
		var rec map[string]string
		if err := json.Unmarshal([]byte(out), &rec); err != nil || rec["V"] != v || rec["AWS_PROFILE"] != "" {
			t.Errorf("%q: %v %v", v, rec, err)
		}
		vars = vars[:1]
	}
}

func TestCmdRefusesWhatItCannotQuote(t *testing.T) {
	for _, v := range []string{`"`, "%PATH%", "!x!", "^", "a\rb", "a\nb"} {
		if _, err := (cmd{}).Export([]Var{{Name: "X", Value: v}}); !errors.Is(err, ErrUnrepresentable) {
			t.Errorf("%q accepted", v)
		}
	}
	out, err := cmd{}.Export([]Var{{Name: "X", Value: "a&b|c<d>e (f) é"}})
	if err != nil || out != "set \"X=a&b|c<d>e (f) é\"\n" {
		t.Errorf("%q %v", out, err)
	}
}
