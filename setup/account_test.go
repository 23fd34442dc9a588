package setup

import (
	"strings"
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

// TestAddPairFindsPairsOfEveryForm: a pair the config defines as an inline
// table or with dotted keys is found as one in a [pair.NAME] table is:
// the same pair again changes nothing, and another mapping for it is
// refused; never a second definition that makes the file invalid.
func TestAddPairFindsPairsOfEveryForm(t *testing.T) {
	for _, cfg := range []string{
		"[pair.work]\nsource = \"work-keys\"\ntarget = \"work\"\n",
		"[pair]\nwork = { source = \"work-keys\", target = \"work\" }\n",
		"pair.work.source = \"work-keys\"\npair.work.target = \"work\"\n",
		"pair = { work = { source = \"work-keys\", target = \"work\" } }\n",
	} {
		req := Request{Pair: "work", Source: "work-keys", Target: "work", ConfigPath: "config.toml"}
		if out, err := addPair(req, []byte(cfg)); err != nil || string(out) != cfg {
			t.Errorf("%q: the same pair again: %v\n%s", cfg, err, out)
		}
		req.Target = "other"
		if _, err := addPair(req, []byte(cfg)); err == nil || !strings.Contains(err.Error(), "pair work already maps [work-keys] to [work] in config.toml; edit it there") {
			t.Errorf("%q: another mapping: %v", cfg, err)
		}
	}
}
