package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const role = "role_arn = \"arn:aws:iam::123456789012:role/r\"\n"

// TestChainErrors covers every way a chain can be wrong, each reported at
// the file:line of the source_pair that breaks it, whatever the order of
// the tables, the quoting of names or the length of the chain.
func TestChainErrors(t *testing.T) {
	cases := map[string]struct{ toml, want string }{
		"source and source_pair": {"[pair.p]\nsource = \"a\"\nsource_pair = \"default\"\ntarget = \"p\"\n" + role, "[pair.p] has both source and source_pair"},
		"no role":                {"[pair.p]\nsource_pair = \"default\"\ntarget = \"p\"\n", "has source_pair but no role_arn"},
		"no target":              {"[pair.p]\nsource_pair = \"default\"\n" + role, "[pair.p] needs a target"},
		"serial":                 {"[pair.p]\nsource_pair = \"default\"\ntarget = \"p\"\nmfa_serial = \"arn:aws:iam::123456789012:mfa/a\"\n" + role, "a chained pair sends no code"},
		"two hours":              {"[pair.p]\nsource_pair = \"default\"\ntarget = \"p\"\nduration = \"2h\"\n" + role, "duration 2h0m0s is more than AWS allows a role assumed with another session's credentials (role chaining: at most 1h)"},
		"seconds":                {"[pair.p]\nsource_pair = \"default\"\ntarget = \"p\"\nduration = 3601\n" + role, "duration 1h0m1s is more than AWS allows"},
		"missing":                {"# c\n[pair.p]\ntarget = \"p\"\n" + role + "source_pair = \"nope\"\n", `c.toml:5: [pair.p] source_pair "nope" names no pair; the pairs are default, p`},
		"mistyped":               {"[pair.p]\ntarget = \"p\"\n" + role + "source_pair = \"defualt\"\n", `[pair.p] source_pair "defualt" names no pair; did you mean default? The pairs are default, p`},
		"missing later in chain": {"[pair.a]\nsource_pair = \"b\"\ntarget = \"a\"\n" + role + "[pair.b]\ntarget = \"b\"\n" + role + "source_pair = \"gone\"\n", `c.toml:8: [pair.b] source_pair "gone" names no pair`},
		"self":                   {"[pair.p]\ntarget = \"p\"\nsource_pair = \"p\"\n" + role, `c.toml:3: [pair.p] source_pair "p" makes a cycle (p → p)`},
		"two":                    {"[pair.a]\nsource_pair = \"b\"\ntarget = \"a\"\n" + role + "\n[pair.b]\ntarget = \"b\"\nsource_pair = \"a\"\n" + role, `c.toml:8: [pair.b] source_pair "a" makes a cycle (a → b → a)`},
		"three, quoted":          {"[pair.\"x\"]\n'source_pair' = \"y\"\ntarget = \"x\"\n" + role + "[pair.y]\nsource_pair = \"z\"\ntarget = \"y\"\n" + role + "[pair.z]\ntarget = \"z\"\n  source_pair = \"x\"\n" + role, `c.toml:11: [pair.z] source_pair "x" makes a cycle (x → y → z → x)`},
		"tail into cycle":        {"[pair.t]\nsource_pair = \"a\"\ntarget = \"t\"\n" + role + "[pair.a]\nsource_pair = \"b\"\ntarget = \"a\"\n" + role + "[pair.b]\nsource_pair = \"a\"\ntarget = \"b\"\n" + role, `makes a cycle (a → b → a)`},
		"comma in a name":        {"[pair.'a,b']\ntarget = \"ab\"\n" + role + "\n  source_pair = \"nope\"\n", `c.toml:5: [pair.a,b] source_pair "nope" names no pair`},
		"overwrites long-term":   {"[pair.p]\nsource_pair = \"default\"\ntarget = \"aws-mfa\"\n" + role, "which another pair uses as its source"},
		"shares a target":        {"[pair.w]\nsource = \"a\"\ntarget = \"x\"\n[pair.p]\nsource_pair = \"w\"\ntarget = \"x\"\n" + role, "pairs p and w both write [x]"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("c.toml", []byte(tc.toml))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant %q", err, tc.want)
			}
			if strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("not one line: %q", err)
			}
		})
	}
}

func TestChain(t *testing.T) {
	c, err := Parse("c.toml", []byte(`[defaults]
duration = "8h"

[pair.prod]
source_pair = "default"
target = "prod"
`+role+`
[pair.deep]
source_pair = "prod"
target = "deep"
duration = "30m"
`+role+`
[pair.short]
source_pair = "default"
target = "short"
duration = 3600
`+role))
	if err != nil {
		t.Fatal(err)
	}
	deep, err := c.Select("deep")
	if err != nil {
		t.Fatal(err)
	}
	chain, err := c.Chain(deep)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range chain {
		got = append(got, p.Name)
	}
	if strings.Join(got, " ") != "default prod deep" {
		t.Fatalf("chain %v", got)
	}
	if chain[0].Duration != 8*time.Hour || chain[1].Duration != time.Hour || chain[2].Duration != 30*time.Minute {
		t.Errorf("durations %v %v %v: a chained pair gets at most 1h from [defaults]", chain[0].Duration, chain[1].Duration, chain[2].Duration)
	}
	if chain[1].Source != "" || chain[1].SourcePair != "default" {
		t.Errorf("prod: %+v", chain[1])
	}
	if d, _ := c.Chain(chain[0]); len(d) != 1 {
		t.Errorf("an unchained pair's chain is itself: %v", d)
	}
}
