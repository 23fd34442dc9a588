package credfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tests read a parsed file through these views: every line of the
// file, and an edit as text.

// lines yields the file's raw lines with their indexes, each with its
// line ending.
func (f *File) lines(yield func(int, string) bool) {
	i := 0
	for line := range strings.Lines(f.data) {
		if !yield(i, line) {
			return
		}
		i++
	}
}

// render is rewrite as text.
func (f *File) render(section string, set []KV, remove []string) string {
	return string(f.rewrite(section, set, remove))
}

// FuzzSectionsParseAlone checks what verify's parsing of the edited
// section alone rests on: in a file Parse accepts, every section's text
// parses alone without error into that one section with the same keys,
// values and lines, and the sections' texts put together are the file
// from the first header on.
func FuzzSectionsParseAlone(f *testing.F) {
	files, _ := filepath.Glob("testdata/edit/*/in")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		f.Add(data)
	}
	for _, data := range []string{
		"[a]\nk = v\n  more\n\n  after blank\n# c\n[b]\nx=1",
		"# lead\n\n[a]\nk =\n  n = 1\n  m = 2\n[b]\r\ny : 2\r\n",
		"[a]\n\tk = v\n\t  [continued, not a header]\n[b]\n",
		"[a]\nk = v\n  ; comment\n\n    cont\n[b]\n  k = v\n[c]",
		"[wide]\n" + wideKeys(40) + "[b]\nK = V\n",
	} {
		f.Add([]byte(data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil || len(file.sections) == 0 {
			return
		}
		var all []string
		for _, line := range file.lines {
			all = append(all, line)
		}
		var texts strings.Builder
		for _, s := range file.sections {
			texts.WriteString(s.text)
			alone, err := parse(s.text)
			if err != nil || len(alone.sections) != 1 {
				t.Fatalf("[%s] parses in the file but not alone: %v\n%q", s.Name, err, data)
			}
			for j, line := range alone.lines {
				if all[s.header+j] != line {
					t.Fatalf("[%s] line %d is %q alone, %q in the file", s.Name, s.header+j, line, all[s.header+j])
				}
			}
			a := alone.sections[0]
			if a.Name != s.Name || len(a.options) != len(s.options) {
				t.Fatalf("[%s] alone is [%s] %+v, in the file %+v", s.Name, a.Name, a.options, s.options)
			}
			for j, o := range a.options {
				if o.line, o.last = o.line+s.header, o.last+s.header; o != s.options[j] {
					t.Fatalf("[%s] alone holds %+v, in the file %+v", s.Name, o, s.options[j])
				}
			}
		}
		if first := file.sections[0]; texts.String() != string(data[first.at:]) {
			t.Fatalf("the sections' texts are %q, not the file's %q", texts.String(), data[first.at:])
		}
	})
}

func wideKeys(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("key_" + strings.Repeat("x", i) + " = 1\n")
	}
	return b.String()
}
