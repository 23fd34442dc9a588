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
		{`source = '''a''' # keep me`, "b", `source = "b" # keep me`},
		{`source = """a""" # keep me`, "b", `source = "b" # keep me`},
		{`source = """a\"""" # keep me`, "b", `source = "b" # keep me`},
		{`source = '''a''''' # keep me`, "b", `source = "b" # keep me`},
		{`source = "" # keep me`, "b", `source = "b" # keep me`},
		{`source = '''''' # later`, "", `# later`},
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

// TestAddPairLeavesHeaderlessDefaults: with DefaultPair, the new pair
// becomes the default under a [defaults] header, or a new one; where the
// config writes [defaults] as dotted keys or an inline table, a second
// [defaults] would make the file invalid TOML (BurntSushi alone accepts
// the dotted form), so the pair is added as a named one and the rest of
// the file is left as it was.
func TestAddPairLeavesHeaderlessDefaults(t *testing.T) {
	const pair = "\n[pair.work]\nsource = \"s2\"\ntarget = \"work\"\n"
	for cfg, want := range map[string]string{
		"":                                   "[pair.work]\nsource = \"s2\"\ntarget = \"work\"\n\n[defaults]\npair = \"work\"\n",
		"[defaults]\nduration = \"1h\"\n":    "[defaults]\npair = \"work\"\nduration = \"1h\"\n" + pair,
		"defaults.duration = \"1h\"\n":       "defaults.duration = \"1h\"\n" + pair,
		"defaults = { duration = \"1h\" }\n": "defaults = { duration = \"1h\" }\n" + pair,
		"defaults.keyring_backend = \"pass\"\n# c\n": "defaults.keyring_backend = \"pass\"\n# c\n" + pair,
	} {
		req := Request{Pair: "work", Source: "s2", Target: "work", ConfigPath: "config.toml", DefaultPair: true}
		if out, err := addPair(req, []byte(cfg)); err != nil || string(out) != want {
			t.Errorf("%q: %v\n%s\nwant:\n%s", cfg, err, out, want)
		}
	}
}
