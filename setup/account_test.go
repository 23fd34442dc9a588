package setup

import (
	"testing"

	"github.com/BurntSushi/toml"
)

// TestSetKeysKeepsComments: a key setKeys sets in place keeps the comment
// after its value, and a key it removes leaves that comment on a line of
// its own; a # inside the value, quoted either way or escaped, is no
// comment. The result still decodes, with the value set.
func TestSetKeysKeepsComments(t *testing.T) {
	for _, tc := range []struct{ line, value, want string }{
		{`source = "a"   # keep me`, "b", `source = "b"   # keep me`},
		{`source = 'a'	# literal`, "b", `source = "b"	# literal`},
		{`source = "a#b" # c`, "b", `source = "b" # c`},
		{`source = 'a#b'#c`, "b", `source = "b"#c`},
		{`source = "a\"#\\" # c`, "b", `source = "b" # c`},
		{`source = "a"`, "b", `source = "b"`},
		{`"source" = "a" # quoted key`, "b", `source = "b" # quoted key`},
		{`source = "a#b"`, "b", `source = "b"`},
		{`source = "a" # moved`, "", `# moved`},
		{`source = "a"`, "", ``},
	} {
		data := "[pair.x]\n" + tc.line + "\ntarget = \"t\"\n"
		want := "[pair.x]\n" + tc.want + "\ntarget = \"t\"\n"
		if tc.want == "" {
			want = "[pair.x]\ntarget = \"t\"\n"
		}
		got := string(setKeys([]byte(data), toml.Key{"pair", "x"}, nil, []pairKey{{"source", tc.value}}))
		if got != want {
			t.Errorf("%s = %q:\ngot  %q\nwant %q", tc.line, tc.value, got, want)
		}
		var m struct{ Pair map[string]map[string]string }
		if _, err := toml.Decode(got, &m); err != nil || m.Pair["x"]["source"] != tc.value {
			t.Errorf("%s = %q: %v %v", tc.line, tc.value, m, err)
		}
	}
}
