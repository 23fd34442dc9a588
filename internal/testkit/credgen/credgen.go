// Package credgen writes random credentials files in the spellings
// botocore accepts and users produce: [DEFAULT], key case, "=" or ":",
// odd spacing, empty and blank values, continuation lines, comments,
// CRLF, aws_security_token, quotes and values ini.v1 reads its own way.
// Property tests feed them to aws-mfa and check the result with botocore.
package credgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Options shape a file.
type Options struct {
	Target  string    // the profile a refresh writes; sometimes absent
	Source  string    // a profile with long-term keys ("" for none)
	Keys    [3]string // the source's key id, secret and mfa_serial
	Default bool      // may add a [DEFAULT] section
	Canary  string    // when set, planted in values, comments and continuation lines
}

// Keys a profile may hold, with the ones a refresh owns most often.
var keys = []string{
	"aws_access_key_id", "aws_secret_access_key", "aws_session_token",
	"aws_security_token", "expiration", "region", "mfa_serial", "output",
	"aws_session_token", "aws_security_token", "aws_access_key_id",
}

var seps = []string{"=", " = ", ":", " : ", "\t=\t", "   = ", ": ", "=  "}

// values includes what ini.v1 reads its own way and what configparser
// keeps literally.
var values = []string{
	"", " ", "\t", "v", "AKIAEXAMPLEEXAMPLE01", "ASIAEXAMPLEEXAMPLE01", "x # not a comment", "a ; b",
	`"""x`, "`raw`", `"quoted"`, "'single'", `ends\`, "é ü", "x = y", "x: y", "2026-11-27T15:00:00Z",
	"[x]", "-",
}

// odd keys botocore reads and ini.v1 may not.
var oddKeys = []string{"[x", "-", `"q"`, "`k`", "Mixed_Case", "k.dotted"}

// File returns one random credentials file.
func File(r *rand.Rand, o Options) []byte {
	g := gen{r: r, o: o, eol: "\n"}
	if r.IntN(4) == 0 {
		g.eol = "\r\n"
	}
	if r.IntN(3) == 0 {
		g.line("# " + g.word())
	}
	var names []string
	if o.Source != "" {
		names = append(names, o.Source)
	}
	if r.IntN(5) != 0 {
		names = append(names, o.Target)
	}
	for i := range r.IntN(3) {
		names = append(names, fmt.Sprintf("p%d", i))
	}
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	if o.Default && r.IntN(2) == 0 {
		g.section("DEFAULT", false)
	}
	for _, n := range names {
		g.section(n, n == o.Source)
	}
	return []byte(g.b.String())
}

type gen struct {
	r   *rand.Rand
	o   Options
	b   strings.Builder
	eol string
}

func (g *gen) line(s string) { g.b.WriteString(s + g.eol) }

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) word() string {
	if g.o.Canary != "" && g.r.IntN(3) == 0 {
		return g.o.Canary
	}
	return g.pick([]string{"note", "x", "kept"})
}

func (g *gen) spell(key string) string {
	switch g.r.IntN(4) {
	case 0:
		return strings.ToUpper(key)
	case 1:
		return strings.ToUpper(key[:1]) + key[1:]
	}
	return key
}

func (g *gen) value() string {
	if g.o.Canary != "" && g.r.IntN(3) == 0 {
		return g.pick([]string{g.o.Canary, "x" + g.o.Canary + "#", `"""` + g.o.Canary})
	}
	return g.pick(values)
}

// section writes [name] with random keys; the source gets its long-term
// keys and serial, spelt oddly but with exact values.
func (g *gen) section(name string, source bool) {
	r := g.r
	g.line("[" + name + "]")
	seen := map[string]bool{}
	if source {
		for i, k := range []string{"aws_access_key_id", "aws_secret_access_key", "mfa_serial"} {
			g.line(g.spell(k) + g.pick(seps) + g.o.Keys[i])
			seen[k] = true
			if r.IntN(4) == 0 {
				g.line(g.pick([]string{"# " + g.word(), "", "; c"}))
			}
		}
	}
	for range r.IntN(6) {
		switch r.IntN(8) {
		case 0:
			g.line(g.pick([]string{"# " + g.word(), "; " + g.word(), "  # indented", ""}))
			continue
		case 1:
			if source {
				continue // a continuation would change the source's values
			}
			g.line(g.pick([]string{"  ", "\t"}) + g.pick([]string{"more", "k = v", g.word()}))
			continue
		}
		key := g.pick(keys)
		if r.IntN(6) == 0 {
			key = g.pick(oddKeys)
		}
		lk := strings.ToLower(key)
		if seen[lk] {
			continue
		}
		seen[lk] = true
		g.line(g.spell(key) + g.pick(seps) + g.value())
	}
	if r.IntN(4) == 0 {
		g.line("")
	}
}
