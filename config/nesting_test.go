package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/rogpeppe/go-internal/txtar"
)

// TestDeepNestingRefused: a config nested deeper than maxNesting is
// refused with its file:line before the TOML library reads it. Unbounded,
// the library takes time and memory quadratic in a key's depth: the
// inputs 100,000 deep, but for the arrays, would run for minutes to hours
// (inline tables 16,000 deep: 44 s and 28 GB), so the test finishing at
// all shows the check runs first.
func TestDeepNestingRefused(t *testing.T) {
	const n = 100_000 // some files near MaxSize
	rep := strings.Repeat
	for name, tc := range map[string]struct {
		toml string
		line int
	}{
		"inline tables":        {"x = " + rep("{a=", n) + "1" + rep("}", n) + "\n", 1},
		"arrays":               {"# arrays\nx = " + rep("[", n) + rep("]", n) + "\n", 2},
		"dotted key":           {"[defaults]\nregion = \"x\"\n" + rep("a.", n) + "a = 1\n", 3},
		"table header":         {"[defaults]\n\n[" + rep("a.", n) + "a]\n", 3},
		"array of tables":      {"[[" + rep("a.", n) + "a]]\n", 1},
		"quoted header parts":  {"[" + rep(`"a".'b'.`, n) + "c]\n", 1},
		"dotted inline tables": {"x = " + rep("{a.a.a = ", n) + "1" + rep("}", n) + "\n", 1},
		"dotted under header":  {"[" + rep("a.", 10) + "a]\n" + rep("b.", 10) + "b = 1\n", 2},
		"header then inline":   {"[pair.w]\nsource = \"a\"\n" + "x = " + rep("{a=", 30) + "1" + rep("}", 30) + "\n", 3},
		"arrays of tables":     {"[[a]]\n[[a.b]]\n[[" + rep("a.b.", 8) + "c]]\n", 3},
		"multi-line inline": {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nx = {\n" +
			rep("  a = {\n", n/2) + rep("  },\n", n/2) + "}\n", 4 + 28},
		"multi-line array": {"x = [\n  \"a\", # [\n" + rep("  [\n", n) + rep("  ],\n", n) + "]\n", 2 + 31},
		"after strings": {"a = \"\\\"{[\" # \"\nb = '\\' # '\nc = \"\"\"\n\"\\\"\"\"\"\nd = '''\n\\'''''\n" +
			"e = \"#\"\nf = " + rep("[", n) + "\n", 8},
		"after CRLF": {"[pair.w]\r\nsource = \"a\"\r\n\r\n" + rep("a.", n) + "a = 1\r\n", 4},
	} {
		t.Run(name, func(t *testing.T) {
			if len(tc.toml) > MaxSize {
				t.Fatalf("%d bytes, more than a config may have", len(tc.toml))
			}
			_, err := Parse("c.toml", []byte(tc.toml))
			want := "c.toml:" + strconv.Itoa(tc.line) + ": " + tooMuch
			if !errors.Is(err, ErrInvalid) || !strings.HasSuffix(err.Error(), want) {
				t.Errorf("err = %v\nwant %q", err, want)
			}
		})
	}
}

const tooMuch = "tables, arrays or dotted keys nest more than 32 deep, a name is longer than 128 bytes, or there are more than 2048 keys; a config needs [pair.NAME] key = value"

// TestLongNamesAndManyKeysRefused: the library also keeps every key's
// whole path and a table for each dotted part, so a long name over many
// short keys, or very many keys, cost gigabytes at a depth of 2 (a name
// of 100,000 bytes over 50,000 keys: 7 GB). A name, bare or quoted, may
// have 128 bytes, and a file 2048 keys; a long string value is no name.
func TestLongNamesAndManyKeysRefused(t *testing.T) {
	rep := strings.Repeat
	var many strings.Builder
	for i := range 50_000 {
		fmt.Fprintf(&many, "k%d=1\n", i)
	}
	for name, tc := range map[string]struct {
		toml string
		line int // 0: accepted
	}{
		"long bare header":        {"[" + rep("a", 100_000) + "]\n" + many.String(), 1},
		"long bare part":          {"[pair." + rep("a", 129) + "]\n", 1},
		"long quoted header":      {"[pair.\"" + rep("a", 200) + "\"]\nx = 1\n", 1},
		"long quoted last part":   {"['" + rep("a", 200) + "']\n", 1},
		"long quoted key":         {"[pair.w]\nsource = \"a\"\n\"" + rep("b", 200) + "\" = 1\n", 3},
		"long dotted quoted part": {"a.'" + rep("b", 200) + "'.c = 1\n", 1},
		"long key in inline":      {"x = {" + rep("k", 129) + " = 1}\n", 1},
		"many keys":               {many.String(), 2049},
		"names of 128 bytes":      {"[pair." + rep("a", 122) + "]\n" + rep("b", 128) + " = 1\n\"" + rep("c", 126) + "\" = 2\n", 0},
		"2048 keys":               {strings.Join(strings.SplitAfter(many.String(), "\n")[:2048], ""), 0},
		"long string values": {"[pair.w]\nsource = \"" + rep("s", 100_000) + "\"\ntoken_command = ['''\n" +
			rep("x.y = {z} ", 10_000) + "\n''', '" + rep("t", 1000) + "']\n", 0},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("c.toml", []byte(tc.toml))
			if tc.line == 0 {
				if err != nil && strings.Contains(err.Error(), "nest more than") {
					t.Errorf("refused: %v", err)
				}
				return
			}
			want := "c.toml:" + strconv.Itoa(tc.line) + ": " + tooMuch
			if !errors.Is(err, ErrInvalid) || !strings.HasSuffix(err.Error(), want) {
				t.Errorf("err = %v\nwant %q", err, want)
			}
		})
	}
}

// TestRealConfigsNestShallow: the configs people write, the example's,
// the end-to-end scripts' and long token_command scripts with brackets,
// braces, dots and quotes in their strings, are far from the bound.
func TestRealConfigsNestShallow(t *testing.T) {
	configs := map[string]string{
		"scripts": "[defaults]\ntoken_command = [\"sh\", \"-c\", '''\n" +
			"for f in ~/.config/{a,b}.d/*.conf; do [ -f \"$f\" ] && . \"$f\"; done # ''\n" +
			"awk '{ print $1 }' <<< \"${x[0]}.${y[@]}\" | jq '.a.b.c[0] | {x: .y}'\n'''," +
			" \"\"\"{ \"[[x]]\" } \\\"\"\"\" ] # {[\n" +
			"[pair.'x.y_z@1+2=3,4']\nsource = \"a.b\"\ntarget = \"c.d\"\n" +
			"token_command = \"ykman oath accounts code -s aws.{prod}\" # [a.b.c]\n" +
			"role_arn = \"arn:aws:iam::123456789012:role/a.b\"\n" +
			"[pair.\"w.x\"]\nsource = 'e'\ntarget = 'f'\ntoken_command = [\n  \"sh\",\n  \"-c\",\n  \"echo {{[[1.2.3]]}}\",\n]\n",
		"dotted": "pair.w.source = \"a\"\npair.w.target = \"b\"\npair.w.token_command = [\"x\"]\n",
		"inline": "[pair]\nw = { source = \"a\", target = \"b\", token_command = [\"x\", \"y\"] }\n" +
			"v = {\n  source = \"a\",\n  target = \"c\",\n}\n",
	}
	example, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	configs["config.example.toml"] = string(example)
	scripts, _ := filepath.Glob("../testdata/script/*.txtar")
	for _, path := range scripts {
		a, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, ".toml") && f.Name != "deep.toml" { // config.txtar's, deep on purpose
				configs[filepath.Base(path)+":"+f.Name] = string(f.Data)
			}
		}
	}
	if len(configs) < 20 {
		t.Fatalf("only %d configs", len(configs))
	}
	// As docs/configuration.md counts them.
	for data, depth := range map[string]int{"[pair.w]\nk = 1\n": 4, "[pair.w]\nk = [\"a\"]\n": 5} {
		if nesting([]byte(data), depth-1, func(int) {}) == 0 || nesting([]byte(data), depth, func(int) {}) != 0 {
			t.Errorf("%q does not nest %d deep", data, depth)
		}
	}
	for name, data := range configs {
		if line := nesting([]byte(data), 6, func(int) {}); line > 0 {
			t.Errorf("%s nests more than 6 deep at line %d", name, line)
		}
		if _, err := Parse("c.toml", []byte(data)); err != nil && strings.Contains(err.Error(), "nest more than") {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, data := range map[string]string{"scripts": configs["scripts"], "dotted": configs["dotted"], "inline": configs["inline"]} {
		if _, err := Parse("c.toml", []byte(data)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestTopLines: a line begins at the top unless a multi-line string, array
// or inline table is open where it begins; a comment's quote opens none.
func TestTopLines(t *testing.T) {
	data := "# it's \"quoted\n[defaults]\r\nx = \"\"\"\n[pair.a]\n\"\"\"\ny = '''\nk = 1\n'''\nz = [\n  \"[pair.b]\",\n]\nw = {\n  v = 1,\n}\n[pair.c] # [\n"
	want := []bool{true, true, true, false, false, true, false, false, true, false, false, true, false, false, true, true}
	if got := TopLines([]byte(data)); !slices.Equal(got, want) {
		t.Errorf("TopLines = %v\nwant      %v", got, want)
	}
	if got := TopLines([]byte("x = " + strings.Repeat("[", 40) + "\n[a]\n")); slices.Contains(got[1:], true) {
		t.Errorf("past the bound, lines read as at the top: %v", got)
	}
}

// FuzzNestingBound: whatever the TOML library reads, nesting counts at
// least as deep as the value it decodes, so that no way of writing a
// deep config gets past the bound. The seeds try to hide brackets and
// dots from it in each kind of string and comment.
func FuzzNestingBound(f *testing.F) {
	for _, s := range []string{
		"", "x = 1", "[a]", "[[a]]", "[a.b.c]\nd.e = {f = [[1]]}",
		"[[a]]\n[[a.b]]\n[[a.b.c]]\nx = 1\n[a.b.c.d]\ny = [{z = 1}]",
		"[[a]]\n[a.b]\n[a.b.c]\nx.y = 1", "[a]\n[[a.b]]\n[[a.b]]\nc.d = {e.f = [[{}]]}",
		"x = {a.b = {c.d = [{e.f = 1}]}}", "x = [{a = [{b = 1}]}]", "x = [[[[[1]]]]]",
		"x = {\n a.b = {\n c = [\n {d.e = 1},\n ],\n },\n}\n", "x = [\n [ # ]\n 1 ], [ ] ]",
		`"a.b" = 1`, `a."b.c".d = {'e.f' = [1]}`, `[a."b.c"]` + "\nx = {}", `["a"."b".'c']`,
		"x = \"a\\\\\"\ny = {a = {a = {}}}", "x = 'a\\'\ny = {a = {a = {}}}",
		"x = \"\"\"a\\\"\"\"\"\ny = {a = {}}", "x = \"\"\"a\"\"\"\"\ny = [[1]]", "x = \"\"\"a\"\"\"\"\"\ny = [[1]]",
		"x = \"\"\"\\\\\"\"\"\ny = [[1]]", "x = \"\"\"\\\\\"\"\"\"\"\"\ny = [[1]]", "x = \"\"\"\\\"\"\"\"\"\"\ny = [[1]]",
		"x = '''a''''\ny = [[1]]", "x = '''a'''''\ny = [[1]]", "x = ''''''\ny = [[1]]", "x = \"\"\"\"\"\"\ny = [[1]]",
		"x = \"\"\n[a.b]\nc = [[1]]", "x = ''\n[a.b]\nc = [[1]]", "x = '\"'\ny = {a = {}}", "x = \"'\"\ny = {a = {}}",
		"x = \"\"\" ' \"\"\"\ny = {a = {}}", "x = ''' \" '''\ny = {a = {}}", "x = \"\"\"\n[a.b]\n\"\"\"\ny = [1]",
		"# \"\n[a.b]\nc = [[1]]", "# '''\n[a.b]\nc = [[1]]", "# \"\"\"\r\n[a.b]\r\nc = [[1]]",
		"x = \"#\"\ny = {a = {}}", "x = \"a\" # \"\ny = {a.b = [{}]}", "x = 1 # [[{{\ny = [[{}]]",
		"x = 1\r\n[a.b.c]\r\ny = {a = {}}\r\n", "\ufeff[a.b]\nc = {d = 1}", " \t[ a . b ] \n c = [ [ ] ]",
		"x = 1.5", "x = [1.5, 2.5]", "x = 1979-05-27T07:32:00.999Z", "x = 07:32:00.5",
		"x = \"\\u0022{\"\ny = [[1]]", "x = \"\"\"a\\\n  \"\"\"\ny = [[1]]", "x = \"\\e\\x41\"\ny = [[1]]",
		"a.b.c = 1\na.b.d = {e = 1}", "[x]\ny.z = 1\n[x.y.w]\nv = [[{}]]",
		"a = {b = 1,}\nc = [{d = 1,},]", "[[a.b]]\n[a]\nc = 1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var m map[string]any
		if _, err := toml.Decode(data, &m); err != nil {
			return
		}
		// The root table is 1 deep, as nesting counts it from the start.
		if want := depthOf(reflect.ValueOf(m)); want > 1 && nesting([]byte(data), want-1, func(int) {}) == 0 {
			t.Fatalf("nesting counts less than %d, how deep the value nests: %q", want, data)
		}
	})
}

// depthOf is how deep v nests maps and slices: 0 for any other value.
func depthOf(v reflect.Value) int {
	if v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	d := 0
	switch v.Kind() {
	case reflect.Map:
		for _, k := range v.MapKeys() {
			d = max(d, depthOf(v.MapIndex(k)))
		}
	case reflect.Slice:
		for i := range v.Len() {
			d = max(d, depthOf(v.Index(i)))
		}
	default:
		return 0
	}
	return d + 1
}

// BenchmarkTooDeep: the check's cost on the example config, beside what
// Parse spends on it.
func BenchmarkTooDeep(b *testing.B) {
	data, err := os.ReadFile("../config.example.toml")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("TooDeep", func(b *testing.B) {
		for b.Loop() {
			TooDeep(data)
		}
	})
	b.Run("Parse", func(b *testing.B) {
		for b.Loop() {
			Parse("c.toml", data)
		}
	})
}
