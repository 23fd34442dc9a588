package credfile

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

// TestShlexSplitIsPythons compares SplitCommand with Python's shlex.split
// over random strings of the characters that steer it.
func TestShlexSplitIsPythons(t *testing.T) {
	b := peers.StartBotocore(t)
	alphabet := []rune{'a', 'b', ' ', ' ', '\t', '\'', '"', '\\', 'é', '-', '#', '"', '\''}
	r := rand.New(rand.NewPCG(3, 4))
	in := []string{"", " ", "''", `""`, `a\`, `"a`, `'a\'`, `"a\"b"`, `"a\b"`, `a\ b`, `'a\b'`, "profile  x", "profile\tx"}
	for range 50000 {
		var s strings.Builder
		for range r.IntN(10) {
			s.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		in = append(in, s.String())
	}
	split := b.Shlex(t, in)
	for i, s := range in {
		got, ok := SplitCommand(s)
		want := split[i]
		if ok != (want != nil) || (ok && !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0)) {
			t.Errorf("SplitCommand(%q) = %q, %v; python %q", s, got, ok, want)
		}
	}
}

// configHeaders are section headers that botocore may or may not read as
// a profile: spacing, quotes, escapes, other prefixes, three words.
func configHeaders() []string {
	var hs []string
	for _, prefix := range []string{"profile", "profiles", "profile-x", "Profile", "prof"} {
		for _, sep := range []string{" ", "  ", "\t", " \t ", ""} {
			for _, name := range []string{"aws-mfa", `"aws-mfa"`, "'aws-mfa'", `aws\-mfa`, `"aws"-mfa`, "aws-mfa x", `"aws mfa"`, "aws mfa", "''", `"aws-mfa`, `aws-mfa\`, "default", `"default"`, "dev"} {
				hs = append(hs, prefix+sep+name)
			}
		}
	}
	return append(hs, "default", "DEFAULT", " default", "profile", `profile "aws-mfa" `)
}

// TestConfigProfilesAsBotocoreSeesThem builds config files from random
// headers, each section with its own mfa_serial, and checks that Profile
// picks, for every profile name botocore's build_profile_map knows, and
// for names it does not, the same section as botocore (later wins).
func TestConfigProfilesAsBotocoreSeesThem(t *testing.T) {
	b := peers.StartBotocore(t)
	hs := configHeaders()
	r := rand.New(rand.NewPCG(5, 6))
	names := []string{"aws-mfa", "default", "dev", "aws mfa", "", "x", "aws-mfa x", `aws\-mfa`, `"aws-mfa"`, "DEFAULT"}
	var files []*File
	var qs []peers.BotocoreQuery
	for i := range 1500 {
		var file strings.Builder
		if r.IntN(5) == 0 {
			file.WriteString("[DEFAULT]\nregion = inherited\n")
		}
		for j := range 1 + r.IntN(5) {
			fmt.Fprintf(&file, "[%s]\nmfa_serial = s%d\n", hs[r.IntN(len(hs))], j)
		}
		data := []byte(file.String())
		if i < len(hs) {
			data = []byte("[" + hs[i] + "]\nmfa_serial = only\n")
		}
		f, err := Parse(data)
		if err != nil {
			continue // a duplicate header: refused, as by botocore
		}
		files = append(files, f)
		qs = append(qs, peers.BotocoreQuery{Data: data, As: "config"})
	}
	checked := 0
	for i, ans := range b.ReadAll(t, qs) {
		f, data := files[i], qs[i].Data
		if ans.Error != "" {
			t.Fatalf("botocore cannot parse what aws-mfa accepts: %s\n%s", ans.Error, data)
		}
		all := append([]string{}, names...)
		for name := range ans.Sections {
			all = append(all, name)
		}
		for _, name := range all {
			want, known := ans.Sections[name]
			p := f.Profile(name)
			if (p != nil) != known {
				t.Fatalf("Profile(%q) = %v, botocore knows it: %v\n%s", name, p, known, data)
			}
			if p == nil {
				continue
			}
			checked++
			if got, _ := f.Value(p.Name, "mfa_serial"); got != want["mfa_serial"] {
				t.Fatalf("Profile(%q) reads mfa_serial %q, botocore %q\n%s", name, got, want["mfa_serial"], data)
			}
			if got, _ := f.Value(p.Name, "region"); want["region"] != nil && got != want["region"] {
				t.Fatalf("Profile(%q) reads region %q, botocore %q\n%s", name, got, want["region"], data)
			}
		}
	}
	if checked < 500 {
		t.Errorf("only %d profiles found", checked)
	}
}
