package credfile

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/testkit/peers"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sessionKeys is the edit every golden case applies: what a refresh writes.
var sessionKeys = []KV{
	{"aws_access_key_id", "ASIANEWSESSIONKEY123"},
	{"aws_secret_access_key", "new/secret+key=="},
	{"aws_session_token", "FwoGZXIvYXdzEJr//////////wEaDNEWTOKEN=="},
	{"expiration", "2026-11-27T15:00:00Z"},
}

// TestEditGolden applies a refresh's edit to every testdata/edit/*/in and
// compares the result with the want file next to it (-update rewrites it).
func TestEditGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/edit/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join(dir, "in"))
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(in)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			out, err := f.Edit("default", sessionKeys, []string{"aws_security_token"})
			if err != nil {
				t.Fatalf("edit: %v", err)
			}
			golden := filepath.Join(dir, "want")
			if *update {
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("edit result differs from %s:\n--- got\n%s\n--- want\n%s", golden, out, want)
			}
			checkPreserved(t, in, out)
		})
	}
}

// checkPreserved asserts that every line of in that is not a line of an
// owned key in [default] is still in out, in the same order, byte for byte.
func checkPreserved(t *testing.T, in, out []byte) {
	t.Helper()
	f, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	owned := map[int]bool{}
	if s := f.Section("default"); s != nil {
		for _, o := range s.options {
			if isOwned(o.key) {
				for i := o.line; i <= o.last; i++ {
					owned[i] = true
				}
			}
		}
	}
	rest := string(out)
	for i, line := range f.lines {
		if owned[i] {
			continue
		}
		line = strings.TrimSuffix(line, "\n") // the last line may gain an ending
		j := strings.Index(rest, line)
		if j < 0 {
			t.Fatalf("line %d %q was lost or moved", i+1, line)
		}
		rest = rest[j+len(line):]
	}
}

func isOwned(key string) bool {
	if key == "aws_security_token" {
		return true
	}
	for _, kv := range sessionKeys {
		if kv.Key == key {
			return true
		}
	}
	return false
}

func TestParseRefusesWhatTheAWSCLICannotRead(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"bom":                "\xef\xbb\xbf[default]\nregion = x\n",
		"duplicate section":  "[default]\na = 1\n[default]\nb = 2\n",
		"duplicate key":      "[default]\na = 1\nA = 2\n",
		"key before section": "region = x\n[default]\n",
		"junk line":          "[default]\njust words\n",
		"empty key":          "[default]\n= value\n",
		"binary":             "[default]\nkey = \x00\x01\x02\n",
		"latin-1":            "[default]\nnote = caf\xe9\n",
		"bare CR":            "[default]\rkey = v\n",
		"nested without =":   "[default]\nk =\n  junk\n",
		"nested, then junk":  "[default]\nk =\n  a = 1\n\n  junk\n",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse([]byte(in)); !errors.Is(err, ErrUnreadable) {
				t.Fatalf("Parse = %v, want ErrUnreadable", err)
			}
			if strings.HasPrefix(name, "nested") {
				// botocore's own reader, as the AWS CLI uses it, fails too.
				if v := peers.StartBotocore(t).Read(t, []byte(in), ""); v.Error == "" {
					t.Fatalf("botocore reads it: %v", v.Sections)
				}
			}
		})
	}
}

func TestParseFollowsConfigparser(t *testing.T) {
	in := "[a] # comment\nk = v # not a comment\nK2: x = y\ncont = first\n\n  second\n  [not-a-section]\n[b]\n  indented = 1\n"
	f, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	a := f.Section("a")
	for key, want := range map[string]string{
		"k":    "v # not a comment",
		"k2":   "x = y",
		"cont": "first\n\nsecond\n[not-a-section]",
	} {
		if got := a.Get(key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	if got := f.Section("b").Get("indented"); got != "1" {
		t.Errorf("indented = %q", got)
	}
}

func TestEditRefusesBadNamesAndValues(t *testing.T) {
	f, _ := Parse([]byte("[aws-mfa]\nk = v\n"))
	for _, name := range []string{"", "DEFAULT", " x", "a]b", "x#y", "a\nb"} {
		if _, err := f.Edit(name, sessionKeys, nil); !errors.Is(err, ErrInvalidName) {
			t.Errorf("Edit(%q) = %v, want ErrInvalidName", name, err)
		}
	}
	for _, v := range []string{"", " x", "a\nb", "a\rb", "tab\tx"} {
		if _, err := f.Edit("default", []KV{{"aws_session_token", v}}, nil); err == nil {
			t.Errorf("value %q accepted", v)
		}
	}
}

// TestEditAfterALoneCarriageReturn edits files whose last line ends with
// a carriage return and no line feed, which Parse (like Python's
// universal newlines) reads as a line ending: the line gains only the
// "\n" that completes it, never a second ending after the "\r" that would
// leave a bare carriage return inside the file aws-mfa then refuses to read.
func TestEditAfterALoneCarriageReturn(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"[default]\r\nk = v\r",                       // CRLF, target last
		"[default]\nk = v\r",                         // LF, target last
		"[default]\r\nk = v\r\n  more\r",             // its value continues
		"[default]\r",                                // only the header
		"[other]\r\nk = v\r",                         // CRLF, target absent
		"[other]\nk = v\r",                           // LF, target absent
		"[other]\r\nk = v\r\n# c\r",                  // a comment last
		"[default]\r\nk = v\r\n[other]\r\nk = v\r",   // target first, not touching the end
		"[other]\r\nk = v\r\n[default]\r\n\r\n; c\r", // target last, ends in a comment
	} {
		f, err := Parse([]byte(in))
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		out, err := f.Edit("default", sessionKeys, []string{"aws_security_token"})
		if err != nil {
			t.Errorf("Edit(%q): %v", in, err)
			continue
		}
		g, err := Parse(out)
		if err != nil {
			t.Errorf("Edit(%q) wrote %q, which aws-mfa cannot read: %v", in, out, err)
			continue
		}
		if got := g.Credentials("default"); got.SessionToken != sessionKeys[2].Value {
			t.Errorf("Edit(%q) wrote %q: token %q", in, out, got.SessionToken)
		}
		checkPreserved(t, []byte(in), out)
	}
}
