package app

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReadLineLeavesTheRest: the code is read up to its newline and not a
// byte further, whatever follows and however the reader splits its reads.
func TestReadLineLeavesTheRest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, line, rest string }{
		{"314159\n", "314159", ""},
		{"314159\nrest\nof it\n", "314159", "rest\nof it\n"},
		{"314159\r\n" + strings.Repeat("x\n", 5000), "314159\r", strings.Repeat("x\n", 5000)},
		{" 314 159 \nz", " 314 159 ", "z"},
		{"314159", "314159", ""},
		{"\n314159\n", "", "314159\n"},
		{strings.Repeat(" ", maxCodeLine) + "\nz", strings.Repeat(" ", maxCodeLine), "z"},
	} {
		for name, wrap := range map[string]func(io.Reader) io.Reader{
			"plain":    func(r io.Reader) io.Reader { return r },
			"one byte": iotest.OneByteReader,
			"half":     iotest.HalfReader,
		} {
			r := strings.NewReader(tc.in)
			line, err := readLine(wrap(r), maxCodeLine)
			rest, _ := io.ReadAll(r)
			if err != nil || line != tc.line || string(rest) != tc.rest {
				t.Errorf("%s %.20q: line %q, rest %d bytes, %v; want %q and %d bytes", name, tc.in, line, len(rest), err, tc.line, len(tc.rest))
			}
		}
	}
}

func TestReadLineBounded(t *testing.T) {
	t.Parallel()
	for _, in := range []io.Reader{
		strings.NewReader(strings.Repeat("1", maxCodeLine+1) + "\n"),
		iotest.OneByteReader(strings.NewReader(strings.Repeat("1", 1<<20))),
		zeros{},
	} {
		if _, err := readLine(in, maxCodeLine); err == nil || !strings.Contains(err.Error(), "longer than an MFA code") {
			t.Errorf("%v", err)
		}
	}
	for _, in := range []io.Reader{strings.NewReader(""), iotest.ErrReader(errors.New("boom"))} {
		if _, err := readLine(in, maxCodeLine); err == nil || !strings.Contains(err.Error(), "no MFA code given") {
			t.Errorf("%v", err)
		}
	}
}

// zeros is /dev/zero: endless, no newline.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestIsTerminal: character devices such as /dev/null, pipes and files are
// not terminals; only a real terminal gets a prompt.
func TestIsTerminal(t *testing.T) {
	t.Parallel()
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, f := range []*os.File{null, r, w} {
		if isTerminal(f) {
			t.Errorf("%s is taken for a terminal", f.Name())
		}
	}
	if isTerminal(strings.NewReader("")) {
		t.Error("a reader is taken for a terminal")
	}
}
