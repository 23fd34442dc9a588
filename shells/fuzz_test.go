package shells

import (
	"encoding/json"
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzRealShell round-trips fuzzed values through a real shell: either
// the dialect refuses the value, or the shell ends up holding it exactly.
// Outside -fuzz it does nothing: its seeds, the hostile values, start one
// shell each, and TestRealShellsEvaluateHostileValuesExactly already sends
// them all through every shell in one process.
func fuzzRealShell(f *testing.F, bin string) {
	i := slices.IndexFunc(realShells, func(sh realShell) bool { return sh.bin == bin })
	sh := realShells[i]
	if fl := flag.Lookup("test.fuzz"); fl == nil || fl.Value.String() == "" {
		f.Skip("only when fuzzing: the seeds are TestRealShellsEvaluateHostileValuesExactly's values")
	}
	for _, v := range hostile {
		f.Add(v)
	}
	requireShell(f, sh.bin)
	d, _ := Lookup(sh.dialect)
	f.Fuzz(func(t *testing.T, v string) {
		code, err := d.Export([]Var{{Name: "FUZZED", Value: v}})
		if err != nil {
			if !errors.Is(err, ErrUnrepresentable) {
				t.Fatal(err)
			}
			if utf8.ValidString(v) && !strings.ContainsRune(v, 0) && !(strings.HasSuffix(sh.dialect, "csh") && strings.ContainsAny(v, "\r\n")) {
				t.Fatalf("refused %q: %v", v, err)
			}
			return
		}
		if got := evalIn(t, sh, code)["FUZZED"]; got != v {
			t.Fatalf("%s holds %q, want %q", sh.bin, got, v)
		}
	})
}

func FuzzPOSIX(f *testing.F)  { fuzzRealShell(f, "bash") }
func FuzzDash(f *testing.F)   { fuzzRealShell(f, "dash") }
func FuzzFish(f *testing.F)   { fuzzRealShell(f, "fish") }
func FuzzCsh(f *testing.F)    { fuzzRealShell(f, "tcsh") }
func FuzzElvish(f *testing.F) { fuzzRealShell(f, "elvish") }
func FuzzXonsh(f *testing.F)  { fuzzRealShell(f, "xonsh") }
func FuzzNu(f *testing.F)     { fuzzRealShell(f, "nu") } // nushell's nu

// FuzzNushell: the record nushell loads is JSON that decodes to the value;
// quick enough for many runs, where FuzzNu starts the real nu each time.
func FuzzNushell(f *testing.F) {
	for _, v := range hostile {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		out, err := nushell{}.Export([]Var{{Name: "V", Value: v}})
		if err != nil {
			if utf8.ValidString(v) && !strings.ContainsRune(v, 0) {
				t.Fatalf("refused %q", v)
			}
			return
		}
		var rec map[string]string
		if err := json.Unmarshal([]byte(out), &rec); err != nil || len(rec) != 1 || rec["V"] != v {
			t.Fatalf("%q decodes to %v (%v)", v, rec, err)
		}
	})
}

// FuzzCmd: cmd.exe output is refused, or is set "V=value" with the value
// verbatim and nothing cmd.exe would expand in it.
func FuzzCmd(f *testing.F) {
	for _, v := range hostile {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		out, err := cmd{}.Export([]Var{{Name: "V", Value: v}})
		if err != nil {
			return
		}
		if out != "set \"V="+v+"\"\n" || strings.ContainsAny(v, "\"%!^\r\n\x00") {
			t.Fatalf("%q gave %q", v, out)
		}
	})
}

func FuzzPowerShell(f *testing.F) {
	for _, v := range hostile {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if !utf8.ValidString(v) {
			return
		}
		if got := unquotePS(t, psQuote(v)); got != v {
			t.Fatalf("%q read back as %q", v, got)
		}
	})
}
