package credfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tests read a parsed file through these views: every line of the
// file, every option of a section as the code that edits the file reads
// them (parsed from the section's text when first asked for), and an
// edit as text.

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

// options yields the section's options in file order.
func (s *Section) options(yield func(int, option) bool) {
	for i, o := range s.parsed().options {
		if !yield(i, o) {
			return
		}
	}
}

// render is rewrite as text.
func (f *File) render(section string, set []KV, remove []string) string {
	return string(f.rewrite(section, set, remove))
}

// FuzzSectionsParseAlone checks what parsing a section only when asked
// for rests on: in a file Parse accepts, every section's text parses alone
// without error, its lines are the file's from its header on, and the
// sections' texts put together are the file from the first header on.
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
			b, err := parseSection(s.text, s.header)
			if err != nil {
				t.Fatalf("[%s] parses in the file but not alone: %v\n%q", s.Name, err, data)
			}
			for j, line := range b.lines {
				if all[s.header+j] != line {
					t.Fatalf("[%s] line %d is %q alone, %q in the file", s.Name, s.header+j, line, all[s.header+j])
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
