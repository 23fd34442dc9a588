package config

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestExampleDecodesCompletely(t *testing.T) {
	data, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	var f fileTOML
	md, err := toml.Decode(string(data), &f)
	if err != nil || len(md.Undecoded()) > 0 {
		t.Fatalf("err %v, undecoded %v", err, md.Undecoded())
	}
	c, err := Parse("config.example.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	if c.Default != "work" || len(c.Pairs) != 5 {
		t.Fatalf("%+v", c)
	}
	admin, _ := c.Select("prod-admin")
	want := Pair{
		Name: "prod-admin", Source: "work-long-term", Target: "prod-admin",
		Duration: time.Hour, Margin: 10 * time.Minute, Region: "eu-west-1",
		RoleARN: "arn:aws:iam::210987654321:role/admin", RoleSessionName: "alice", ExternalID: "prod-3f9a",
		TokenCommand: []string{"oathtool", "--totp", "-b", "JBSWY3DPEHPK3PXP"}, TokenTimeout: 30 * time.Second, Write: true, Shell: "zsh",
		Keyring: "work-long-term", KeyringBackend: "os",
	}
	if !equal(admin, want) {
		t.Errorf("prod-admin:\n got %+v\nwant %+v", admin, want)
	}
	work, _ := c.Select("work")
	if work.Duration != 8*time.Hour || work.Region != "eu-central-1" || strings.Join(work.TokenCommand, " ") != "ykman oath accounts code -s aws" {
		t.Errorf("work: %+v", work)
	}
	if p, _ := c.Select("prod-readonly"); p.SourcePair != "work" || p.Source != "" || p.Duration != time.Hour {
		t.Errorf("prod-readonly: %+v", p)
	}
	if p, _ := c.Select("ci-shell"); p.Write {
		t.Error("write = false ignored")
	}
	if p, err := c.Select("default"); err != nil || p.Source != "aws-mfa" || p.Duration != 12*time.Hour {
		t.Errorf("built-in pair: %+v %v", p, err)
	}
}

func equal(a, b Pair) bool { return reflect.DeepEqual(a, b) }

func TestMissingFileIsTheBuiltinPair(t *testing.T) {
	c, err := Load(Location{Path: t.TempDir() + "/none.toml"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Select("")
	if err != nil || p.Source != "aws-mfa" || p.Target != "default" || !p.Write || p.Duration != 12*time.Hour {
		t.Fatalf("%+v %v", p, err)
	}
}

func TestSelectByNameOrTarget(t *testing.T) {
	c, err := Parse("c.toml", []byte("[pair.w]\nsource = \"a\"\ntarget = \"work-session\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := c.Select("work-session"); err != nil || p.Name != "w" {
		t.Errorf("%+v %v", p, err)
	}
	if _, err := c.Select("nope"); err == nil || !strings.Contains(err.Error(), "the pairs are default, w") {
		t.Errorf("%v", err)
	}
}

func TestLocate(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	dir := func() (string, error) { return "/home/u/.config", nil }
	if got := Locate("", getenv, dir); got != (Location{Path: "/home/u/.config/aws-mfa/config.toml"}) {
		t.Error(got)
	}
	env["AWS_MFA_CONFIG"] = "/etc/mfa.toml"
	if got := Locate("", getenv, dir); got != (Location{Path: "/etc/mfa.toml", By: "AWS_MFA_CONFIG"}) {
		t.Error(got)
	}
	if got := Locate("/x.toml", getenv, dir); got != (Location{Path: "/x.toml", By: "--config"}) {
		t.Error(got)
	}
}

// TestUnknownKeyLine: a misplaced or misspelt key is reported at the line
// that holds it, wherever it stands and however it is written (a table
// made by a deeper header, a dotted key, a quoted key, an inline table);
// [pairs.x] was reported at line 1 whatever its line.
func TestUnknownKeyLine(t *testing.T) {
	for _, c := range []struct{ toml, key string }{
		{"[defaults]\nregion = \"x\"\n\n# pairs\n[pairs.w]\nsource = \"a\"\n", "pairs:5"},
		{"# a comment\n\nregion = \"x\"\n[defaults]\n", "region:3"},
		{"[defaults]\n\n\nshel = \"zsh\"\n", "shel:4"},
		{"[pair.a]\nsource = \"duraton\"\ntarget = \"b\"\nduraton = \"1h\"\n", "duraton:4"},
		{"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nrole.arn = \"x\"\n", "role:4"},
		{"[pair.\"my pair\"]\nsource = \"a\"\ntarget = \"b\"\n\n\"duraton\" = \"1h\"\n", "duraton:5"},
		{"[defaults]\nregion = \"x\"\n[pair.w]\nsource = \"a\"\ntarget = \"b\"\n\n[pair.w.extra]\nx = 1\n", "extra:7"},
		{"[defaults]\nregion = \"x\"\n\n[[pairs]]\nname = \"w\"\n", "pairs:4"},
		{"\n\npair = { w = { source = \"a\", target = \"b\", sorce = \"c\" } }\n", "sorce:3"},
		{"[defaults]\nregion = \"x\"\n[pair.w]\nsource = \"a\"\ntarget = \"b\"\n[pair.v]\nsource = \"c\"\ntarget = \"d\"\n[defaults.x]\n", "x:9"},
	} {
		_, err := Parse("c.toml", []byte(c.toml))
		key, line, _ := strings.Cut(c.key, ":")
		if want := "unknown key " + key + " at c.toml:" + line; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %s", c.toml, err, want)
		}
	}
}

func TestValidation(t *testing.T) {
	cases := map[string]struct{ toml, want string }{
		"unknown key":       {"[defaults]\nregion = \"x\"\n\n[pair.w]\nsource = \"a\"\ntarget = \"b\"\nduraton = \"1h\"\n", "unknown key duraton at c.toml:7; did you mean duration?"},
		"unknown default":   {"[defaults]\nshel = \"zsh\"\n", "unknown key shel at c.toml:2; did you mean shell?"},
		"unknown shell":     {"[defaults]\nshell = \"fsh\"\n", `shell "fsh" is not one of `},
		"unknown table":     {"[pairs.w]\nsource = \"a\"\n", "unknown key pairs at c.toml:1; did you mean pair?"},
		"syntax":            {"[defaults]\nduration = \n", "c.toml:2:"},
		"bad duration":      {"[defaults]\nduration = \"forever\"\n", "c.toml:2: duration is not like 12h"},
		"huge duration":     {"[defaults]\nduration = 18446744074\n", "c.toml:2: duration is too large"},
		"huge seconds":      {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nduration = \"18446744074\"\n", "duration is too large"},
		"short account":     {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nmfa_serial = \"arn:aws:iam::12345:mfa/alice\"\n", "an AWS account id is 12 digits"},
		"bad region":        {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nregion = \"eu west 1\"\n", "region has a space"},
		"bad endpoint":      {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nendpoint_url = \"http://u:secret@h:port\"\n", "endpoint URL does not parse"},
		"bad external id":   {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nrole_arn = \"arn:aws:iam::123456789012:role/x\"\nexternal_id = \"a b\"\n", "external_id must be"},
		"short duration":    {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nduration = \"5m\"\n", "duration 5m0s is outside what STS allows (15m to 36h)"},
		"long role":         {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nduration = \"13h\"\nrole_arn = \"arn:aws:iam::123456789012:role/x\"\n", "the role's MaxSessionDuration may be lower still"},
		"self target":       {"[pair.w]\nsource = \"a\"\ntarget = \"a\"\n", `target "a" is its own source`},
		"same target":       {"[pair.v]\nsource = \"a\"\ntarget = \"t\"\n[pair.w]\nsource = \"b\"\ntarget = \"t\"\n", "pairs v and w both write [t]"},
		"target is source":  {"[pair.v]\nsource = \"a\"\ntarget = \"aws-mfa\"\n", "which another pair uses as its source"},
		"role arn":          {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nrole_arn = \"admin\"\n", "role_arn is not an ARN"},
		"serial arn":        {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nmfa_serial = \"my phone\"\n", "c.toml:1: [pair.w] mfa_serial is 8 characters long; STS takes 9 to 256"},
		"missing target":    {"[pair.w]\nsource = \"a\"\n", "needs both source and target"},
		"default pair":      {"[defaults]\npair = \"nope\"\n", `defaults.pair: no pair named "nope"`},
		"empty command":     {"[defaults]\ntoken_command = \"\"\n", "token_command is empty"},
		"external id alone": {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nexternal_id = \"x\"\n", "need role_arn"},
		// [defaults] are checked even when only the built-in pair uses them.
		"defaults negative timeout": {"[defaults]\ntoken_timeout = \"-1s\"\n", "c.toml:1: [defaults] token_timeout -1s must be more than 0"},
		"defaults zero timeout":     {"[defaults]\ntoken_timeout = 0\n", "[defaults] token_timeout 0s must be more than 0"},
		"defaults huge timeout":     {"[defaults]\ntoken_timeout = \"1h\"\n", "[defaults] token_timeout 1h0m0s must be more than 0 and at most 10m0s"},
		"defaults margin":           {"[defaults]\nrefresh_margin = \"40h\"\n", "[defaults] refresh_margin 40h0m0s must be at least 0 and less than the duration 12h0m0s"},
		"defaults negative margin":  {"[defaults]\nrefresh_margin = \"-1m\"\n", "[defaults] refresh_margin -1m0s must be at least 0"},
		"max key age zero":          {"[defaults]\nmax_key_age = 0\n", "c.toml:2: [defaults] max_key_age 0 must be a number of days from 1 to 3650"},
		"max key age negative":      {"[defaults]\nmax_key_age = -1\n", "max_key_age -1 must be"},
		"max key age long":          {"[defaults]\nmax_key_age = 3651\n", "max_key_age 3651 must be"},
		"max key age huge":          {"[defaults]\nmax_key_age = 9223372036854775807\n", "max_key_age 9223372036854775807 must be"},
		"defaults mfa_max_age":      {"[defaults]\nmfa_max_age = \"-1h\"\n", "c.toml:1: [defaults] mfa_max_age -1h0m0s must be at least 0 (0: no bound)"},
		"pair mfa_max_age":          {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nmfa_max_age = \"x\"\n", "duration is not like 12h"},
		"mfa_max_age typo":          {"[defaults]\nmfa_maxage = \"1h\"\n", "did you mean mfa_max_age?"},
		"defaults duration":         {"[defaults]\nduration = \"40h\"\n", "[defaults] duration 40h0m0s is outside what STS allows"},
		"defaults short":            {"[defaults]\nduration = 60\n", "[defaults] duration 1m0s is outside what STS allows"},
		"defaults unused":           {"[defaults]\ntoken_timeout = \"-1s\"\n[pair.w]\nsource = \"a\"\ntarget = \"default\"\ntoken_timeout = \"5s\"\n", "[defaults] token_timeout -1s"},
		"pair timeout":              {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\ntoken_timeout = \"-2s\"\n", "c.toml:1: [pair.w] token_timeout -2s must be more than 0"},
		// Profile names are checked where they are written, with the line.
		"bad target": {"# x\n[pair.w]\nsource = \"a\"\ntarget = \"[x]\"\n", "c.toml:2: [pair.w] target: invalid profile name"},
		"bad source": {"[pair.w]\nsource = \"DEFAULT\"\ntarget = \"b\"\n", "c.toml:1: [pair.w] source: invalid profile name"},

		// Keyring items and backends.
		"keyring item":    {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nkeyring = \"a/b\"\n", `keyring item "a/b" may hold only`},
		"keyring backend": {"[defaults]\nkeyring_backend = \"kwallet\"\n", `keyring_backend "kwallet" is not one of`},
		"pair backend":    {"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nkeyring_backend = \"file\"\n", `keyring_backend "file" is not one of`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("c.toml", []byte(tc.toml))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant %q", err, tc.want)
			}
		})
	}
}

// TestMFAMaxAge: mfa_max_age comes from the pair, else [defaults], else
// none (0); a pair's 0 lifts the defaults' bound.
func TestMFAMaxAge(t *testing.T) {
	for data, want := range map[string]time.Duration{
		"":                                   0,
		"[defaults]\nmfa_max_age = \"1h\"\n": time.Hour,
		"[defaults]\nmfa_max_age = 3600\n":   time.Hour,
		"[defaults]\nmfa_max_age = \"1h\"\n[pair.w]\nsource = \"a\"\ntarget = \"b\"\nmfa_max_age = \"15m\"\n": 15 * time.Minute,
		"[defaults]\nmfa_max_age = \"1h\"\n[pair.w]\nsource = \"a\"\ntarget = \"b\"\nmfa_max_age = 0\n":       0,
		"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nmfa_max_age = \"2h\"\n":                                    2 * time.Hour,
	} {
		c, err := Parse("c.toml", []byte(data))
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		p, _ := c.Select("w")
		if !strings.Contains(data, "pair.w") {
			p, _ = c.Select("default")
		}
		if p.MaxMFAAge != want {
			t.Errorf("%q: %s, want %s", data, p.MaxMFAAge, want)
		}
	}
}

// TestPairNames: a pair name reaches shell completion, messages and
// profile lookups, so only plain words are accepted, with the file:line.
func TestPairNames(t *testing.T) {
	for _, name := range []string{"work", "prod-admin", "a", "x.y_z@1+2=3,4", "0day", strings.Repeat("n", 64)} {
		data := "[pair.'" + name + "']\nsource = \"s\"\ntarget = \"t\"\n"
		if _, err := Parse("c.toml", []byte(data)); err != nil {
			t.Errorf("%q refused: %v", name, err)
		}
	}
	for _, name := range []string{
		"$(touch /tmp/x)", "`id`", "a b", "a;b", "a|b", "a&b", "-p", "--force", "a'b", "a\\b", "a*", "a?", "~a", "a$b",
		"a\u00e9", "a/b", "a:b", "a\u200bb", "", ".", "_x", strings.Repeat("n", 65), "a\u0007b", "a\tb", "a\\nb", "{a,b}", "a[1]", "a>b", "a<b", "!a", "#a", "a%b",
	} {
		data := "# comment\n\n[pair.\"" + name + "\"]\nsource = \"s\"\ntarget = \"t\"\n"
		_, err := Parse("c.toml", []byte(data))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "c.toml:3: ") {
			t.Errorf("%q: err = %v", name, err)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\x07\t\n") {
			t.Errorf("%q: the message carries a control character: %q", name, err)
		}
	}
}

// TestMessagesCarryNoValues: a value in the config may be a secret (an
// endpoint's password, an external id); messages name the key and line.
func TestMessagesCarryNoValues(t *testing.T) {
	const canary = "CANARY9f3e"
	for _, data := range []string{
		"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nendpoint_url = \"https://u:" + canary + "@\"\n",
		"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nendpoint_url = \"ftp://u:" + canary + "@host/\"\n",
		"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nendpoint_url = \"%zz" + canary + "\"\n",
		"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nmfa_serial = \"" + canary + " x\"\n",
		"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nrole_arn = \"" + canary + "\"\n",
		"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nrole_arn = \"arn:aws:iam::123456789012:role/x\"\nrole_session_name = \"" + canary + " \"\n",
		"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nexternal_id = " + canary + "\n",
		"[pair.w]\nsource = \"a\"\ntarget = \"b\"\nexternal_id = \"" + canary + "\n",
		"[defaults]\nregion = [" + canary + "]\n",
		"[defaults]\nregion = 12" + canary + "\n",
		"[defaults]\nregion = t" + canary + "\n",
	} {
		_, err := Parse("c.toml", []byte(data))
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%q accepted: %v", data, err)
		} else if strings.Contains(err.Error(), canary) || strings.Contains(err.Error(), canary[1:]) {
			t.Errorf("the message shows the value: %v", err)
		}
	}
}

func TestKeyringKeys(t *testing.T) {
	c, err := Parse("c.toml", []byte("[defaults]\nkeyring_backend = \"pass\"\n\n[pair.w]\nsource = \"a\"\ntarget = \"b\"\nkeyring = \"a\"\n\n[pair.v]\nsource = \"a\"\ntarget = \"c\"\nkeyring_backend = \"os\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][2]string{"w": {"a", "pass"}, "v": {"", "os"}, "default": {"", "pass"}} {
		p, err := c.Select(name)
		if err != nil || p.Keyring != want[0] || p.KeyringBackend != want[1] {
			t.Errorf("pair %s: keyring %q backend %q (%v), want %q", name, p.Keyring, p.KeyringBackend, err, want)
		}
	}
}

// TestFirstWrongValueIsReported: of several values that do not decode,
// the first in the file is reported, on every run. (The library decodes
// a table's keys in Go's map order, so the error changed from run to run.)
func TestFirstWrongValueIsReported(t *testing.T) {
	const typeA = `line 2 (last key "pair.a.source"): incompatible types`
	for _, tc := range []struct{ toml, want string }{
		{"[pair.a]\nsource = 1\ntarget = \"t\"\n[pair.b]\nsource = \"s\"\nduration = true\n", typeA},
		{"[pair.b]\nduration = true\nsource = \"s\"\n[pair.a]\nsource = 1\n", "c.toml:2: duration must be a string"},
		{"[pair.a]\nsource = 1\n[pair.b]\nduration = \"bogus\"\n", typeA},
		{"[pair.z]\nduration = \"bogus\"\n[pair.a]\nsource = 1\n", "c.toml:2: duration is not like 12h"},
		{"[pair.a]\nsource = 1\n[defaults]\nregion = 2\nduration = \"x\"\n", typeA},
		{"[defaults]\nmfa_max_age = \"x\"\nregion = 2\n[pair.a]\nsource = 1\n", "c.toml:2: duration is not like 12h"},
		{"[pair.a]\nsource = \"s\"\ntarget = \"t\"\nwrite = 1\nregion = 2\ntoken_command = 3\nduration = true\n", `line 4 (last key "pair.a.write")`},
		{"[pair]\nb.duration = true\na = { source = 1 }\ndefaults = { region = 2 }\n", "c.toml:2: duration must be a string"},
		{"defaults.shell = 1\npair.a.source = 2\n", `line 1 (last key "defaults.shell")`},
		// Keys name fields in any case, as the library reads them.
		{"[pair.a]\nsource = \"s\"\ntarget = \"t\"\nSource = 5\nregion = 5\n", `line 4 (last key "pair.a.Source")`},
		{"[pair.a]\nSOURCE = 5\nTarget = 6\n", `line 2 (last key "pair.a.SOURCE")`},
		{"[Defaults]\nREGION = 5\n[PAIR.a]\nSource = 5\n", `line 2 (last key "Defaults.REGION")`},
		// A table where a value belongs keeps the library's message.
		{"[[pair.a]]\nsource = \"s\"\n", `line 1 (last key "pair.a"): type mismatch`},
		{"[[defaults]]\nregion = \"x\"\n", `line 1 (last key "defaults"): type mismatch`},
		{"[pair]\na = [{source = \"s\"}]\n", `(last key "pair.a"): type mismatch`},
		{"[[pair.a]]\n[[pair.a]]\nregion = 5\n", `(last key "pair.a"): type mismatch`},
	} {
		for range 50 {
			if _, err := Parse("c.toml", []byte(tc.toml)); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%q: %v, want %s", tc.toml, err, tc.want)
				break
			}
		}
	}
}

// TestKeyringBackendCheckedForEveryPair: an unknown keyring_backend is
// refused whatever the pair's kind. (A chained pair's was accepted.)
func TestKeyringBackendCheckedForEveryPair(t *testing.T) {
	const base = "[pair.base]\nsource = \"s\"\ntarget = \"b\"\n"
	const role = "role_arn = \"arn:aws:iam::123456789012:role/x\"\n"
	for kind, pair := range map[string]string{
		"plain":      "source = \"a\"\ntarget = \"t\"\n",
		"built-in":   "source = \"a\"\ntarget = \"default\"\n",
		"role":       "source = \"a\"\ntarget = \"t\"\n" + role,
		"chained":    "source_pair = \"base\"\ntarget = \"t\"\n" + role,
		"chained to": "source_pair = \"mid\"\ntarget = \"t\"\n" + role + "[pair.mid]\nsource_pair = \"base\"\ntarget = \"m\"\n" + role,
	} {
		data := base + "[pair.w]\nkeyring_backend = \"bogus\"\n" + pair
		if _, err := Parse("c.toml", []byte(data)); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `c.toml:4: [pair.w] keyring_backend "bogus" is not one of`) {
			t.Errorf("%s: %v", kind, err)
		}
		if _, err := Parse("c.toml", []byte(strings.Replace(data, "bogus", "pass", 1))); err != nil {
			t.Errorf("%s with pass: %v", kind, err)
		}
	}
}

// TestParseErrorsKeepTheirSyntax: the parser's own syntax in its message
// ('.', '=') stays readable; only quoted text of the file goes.
func TestParseErrorsKeepTheirSyntax(t *testing.T) {
	for data, want := range map[string]string{
		"this is [not toml\n":      "c.toml:1: expected '.' or '=', but got 'i' instead",
		"[pair.w\n":                "c.toml:2: expected '.' or ']' to end table name, but got … instead",
		"a = \"CANARY\" zCANARY\n": "but got 'z' instead",
		"region = 1\nregion = 2\n": "c.toml:2: Key … has already been defined.",
		// The parser writes an out-of-range number unquoted.
		"[pair.w]\nexternal_id = 83920174650192837465019\n": "c.toml:2: a number is out of range for int64",
		"[pair.w]\nexternal_id = 0x7F3A9C2E5B8D1F4A6C0E\n":  "c.toml:2: a number is out of range for int64",
		"[pair.w]\nexternal_id = 9e99999\n":                 "c.toml:2: a number is out of range for float64",
	} {
		if _, err := Parse("c.toml", []byte(data)); err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "CANARY") || strings.Contains(err.Error(), "9e9") || strings.Contains(err.Error(), "7F3A") || strings.Contains(err.Error(), "8392") {
			t.Errorf("%q: %v, want %q", data, err, want)
		}
	}
}
