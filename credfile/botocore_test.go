package credfile

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

// flatViews has botocore parse every file as the AWS CLI's parser does,
// nested values as written, in one round trip.
func flatViews(t testing.TB, b *peers.Botocore, files ...[]byte) []peers.BotocoreView {
	t.Helper()
	qs := make([]peers.BotocoreQuery, len(files))
	for i, data := range files {
		qs[i] = peers.BotocoreQuery{Data: data, As: "flat"}
	}
	return b.ReadAll(t, qs)
}

// flat is botocore's view in ours' shape, ok=false where it fails to
// parse.
func flat(t testing.TB, v peers.BotocoreView) (map[string]map[string]string, bool) {
	t.Helper()
	if v.Error != "" {
		return nil, false
	}
	m := map[string]map[string]string{}
	for name, keys := range v.Sections {
		m[name] = map[string]string{}
		for k, val := range keys {
			s, ok := val.(string)
			if !ok {
				t.Fatalf("botocore read [%s] %s as %#v, not as written", name, k, val)
			}
			m[name][k] = s
		}
	}
	return m, true
}

// ours is what Parse sees, in botocore's shape.
func ours(f *File) map[string]map[string]string {
	m := map[string]map[string]string{}
	for _, s := range f.sections {
		m[s.Name] = map[string]string{}
		for _, o := range s.options {
			m[s.Name][o.key] = o.value
		}
	}
	return m
}

// agreeWithBotocore asserts that where Parse accepts data, botocore does
// too and sees the same sections, keys and values.
func agreeWithBotocore(t testing.TB, b *peers.Botocore, data []byte) {
	t.Helper()
	if f, err := Parse(data); err != nil || f.Section("DEFAULT") != nil {
		return // no claim to check (see agrees): no need to ask
	}
	agrees(t, data, flatViews(t, b, data)[0])
}

// agrees is agreeWithBotocore with botocore's view of data already read.
func agrees(t testing.TB, data []byte, v peers.BotocoreView) {
	t.Helper()
	f, err := Parse(data)
	if err != nil {
		return // refusing is always safe
	}
	if f.Section("DEFAULT") != nil {
		return // configparser copies [DEFAULT] into every section; aws-mfa never writes it
	}
	theirs, ok := flat(t, v)
	if !ok {
		t.Fatalf("botocore cannot parse what aws-mfa accepts:\n%q", data)
	}
	if got := ours(f); !reflect.DeepEqual(got, theirs) {
		t.Fatalf("parsers disagree on %q:\naws-mfa:  %v\nbotocore: %v", data, got, theirs)
	}
}

// TestBotocoreReadsEveryGoldenFile runs the AWS CLI's parser over every
// golden input and output: it must parse them, and see what we see.
func TestBotocoreReadsEveryGoldenFile(t *testing.T) {
	t.Parallel()
	b := peers.StartBotocore(t)
	files, _ := filepath.Glob("testdata/edit/*/*")
	var data [][]byte
	for _, file := range files {
		d, _ := os.ReadFile(file)
		if _, err := Parse(d); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		data = append(data, d)
	}
	for i, v := range flatViews(t, b, data...) {
		if filepath.Base(files[i]) == "want" {
			if _, ok := flat(t, v); !ok {
				t.Errorf("botocore cannot parse %s", files[i])
			}
		}
		agrees(t, data[i], v)
	}
}

// FuzzEdit edits arbitrary files. Either the file is refused, or the
// result keeps every line outside the edited keys, sets them, and is read
// by botocore with every other section and key unchanged.
func FuzzEdit(f *testing.F) {
	files, _ := filepath.Glob("testdata/edit/*/in")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		f.Add(data)
	}
	b := peers.StartBotocore(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return // refusing is always safe
		}
		out, err := file.Edit("default", sessionKeys, []string{"aws_security_token"})
		if err != nil {
			agreeWithBotocore(t, b, data)
			return // refused by verify: nothing written
		}
		vs := flatViews(t, b, data, out)
		agrees(t, data, vs[0])
		checkPreserved(t, data, out)
		agrees(t, out, vs[1])
		theirs, ok := flat(t, vs[1])
		if !ok {
			t.Fatalf("botocore cannot parse the result:\n%q", out)
		}
		before := ours(file)
		for name, keys := range theirs {
			if name == "default" {
				for _, kv := range sessionKeys {
					if keys[kv.Key] != kv.Value {
						t.Fatalf("%s not set: %v", kv.Key, keys)
					}
				}
				continue
			}
			if !reflect.DeepEqual(keys, before[name]) {
				t.Fatalf("[%s] changed: %v -> %v", name, before[name], keys)
			}
		}
	})
}
