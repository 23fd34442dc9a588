package credfile

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"gopkg.in/ini.v1"

	"github.com/aws-mfa/aws-mfa/internal/testkit/credgen"
	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

// TestEditNeverRefusesWhatBotocoreReads generates files with the lines
// ini.v1 reads its own way (continuations without "=", values starting
// """ or a backquote, keys like "[x"), CRLF, odd key spellings and
// comments. Wherever botocore reads the edited file as intended (the
// session set in [default], aws_security_token gone, every other profile
// as before), Edit must accept it: no check, ini.v1's included, may
// refuse a file botocore reads.
func TestEditNeverRefusesWhatBotocoreReads(t *testing.T) {
	t.Parallel()
	b := peers.StartBotocore(t)
	r := rand.New(rand.NewPCG(10, 1))
	intended, inSubset := 0, 0
	const n = 600
	remove := []string{"aws_security_token"}
	type edit struct {
		f         *File
		data, out []byte
	}
	var edits []edit
	var qs []peers.BotocoreQuery // before and after each edit
	for range n {
		data := credgen.File(r, credgen.Options{Target: "default"})
		f, err := Parse(data)
		if err != nil {
			continue
		}
		out := []byte(f.render("default", sessionKeys, remove))
		edits = append(edits, edit{f, data, out})
		qs = append(qs, peers.BotocoreQuery{Data: data}, peers.BotocoreQuery{Data: out})
	}
	views := b.ReadAll(t, qs)
	for i, e := range edits {
		f, data, out := e.f, e.data, string(e.out)
		if !readsAsIntended(views[2*i], views[2*i+1], "default", remove) {
			continue
		}
		intended++
		g, _ := Parse([]byte(out))
		if g != nil && iniReadsLikeBotocore([]byte(g.Section("default").text)) {
			inSubset++
		}
		got, err := f.Edit("default", sessionKeys, remove)
		if err != nil || string(got) != out {
			t.Fatalf("botocore reads the edit as intended but Edit says %v:\n%q", err, data)
		}
	}
	t.Logf("%d of %d files edited as intended; ini.v1 consulted on %d", intended, n, inSubset)
	if intended < n/4 || inSubset < n/10 {
		t.Fatalf("too few useful cases: %d intended, %d in ini.v1's subset", intended, inSubset)
	}
}

// readsAsIntended: botocore parses both; the target has exactly the
// session's values and none of remove; every other profile is unchanged.
func readsAsIntended(before, after peers.BotocoreView, target string, remove []string) bool {
	if before.Error != "" || after.Error != "" {
		return false
	}
	t := after.Sections[target]
	for _, kv := range sessionKeys {
		if v, ok := t[kv.Key].(string); !ok || v != kv.Value {
			return false
		}
	}
	for _, k := range remove {
		if _, ok := t[k]; ok {
			return false
		}
	}
	for name, keys := range before.Sections {
		if name != target && !reflect.DeepEqual(keys, after.Sections[name]) {
			return false
		}
	}
	return len(after.Sections) == len(before.Sections)+boolInt(before.Sections[target] == nil)
}

// FuzzIniSubset checks iniReadsLikeBotocore's claim: on any section it
// accepts, ini.v1 reads the same keys and values as Parse (which agrees
// with botocore, see FuzzEdit).
func FuzzIniSubset(f *testing.F) {
	for _, seed := range []string{
		"k = v\n", "K: v # x\n", "a=\"q\"\nb='s'\n", "x = \"\"\"y\n", "x = `y`\n", "[x = 1\n", "- = 1\n",
		"k = a\\\n", "k = v\n  cont\n", "\"q\" = 1\n", "k = v\r\n# c\r\n", "k\t=\tv\t\n", "k = é\n", "k =\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		text := "[default]\n" + string(body)
		p, err := Parse([]byte(text))
		if err != nil || len(p.sections) != 1 || !iniReadsLikeBotocore([]byte(text)) {
			return
		}
		g, err := ini.LoadSources(iniOptions, []byte(text))
		if err != nil {
			t.Fatalf("ini.v1 refuses %q: %v", text, err)
		}
		s := g.Section("default")
		theirs := map[string]string{}
		for _, k := range s.Keys() {
			theirs[k.Name()] = k.String()
		}
		if got := ours(p)["default"]; !reflect.DeepEqual(got, theirs) && !(len(got) == 0 && len(theirs) == 0) {
			t.Fatalf("on %q:\naws-mfa %v\nini.v1  %v", text, got, theirs)
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
