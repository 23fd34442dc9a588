// Package credfile owns the AWS shared credentials and config files:
// finding them, reading profiles the way botocore does, rewriting a
// profile surgically, and replacing the file atomically under a lock.
//
// The file holds the user's only copy of their long-term keys, so the
// editor never re-serialises anything: it changes the lines of the keys
// it owns and keeps every other byte as it was.
package credfile

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// ErrUnreadable marks a file that the AWS CLI itself could not parse, or
// that aws-mfa refuses to touch (binary, another encoding).
var ErrUnreadable = inputerr.New("unreadable file")

// File is a parsed credentials or config file. It keeps the bytes as read
// so that edits can be made without touching anything else.
type File struct {
	data     string // the file as read
	sections []*Section
	byName   map[string]*Section
	crlf     bool
}

// Section is one [name] block of a file. Parsing the file checks every
// line but keeps only where each section is; a section's options are
// parsed from its text when first asked for, so that a file of many
// profiles costs little more than the few a command reads.
type Section struct {
	Name   string
	header int    // line index of the [name] line
	at     int    // byte offset of the [name] line
	text   string // the section's raw lines, from its header to the next section's
	body   atomic.Pointer[body]
}

// body is a section as parsed from its text.
type body struct {
	lines   []string // raw lines, the header first, each with its line ending ("\n", "\r\n" or none for the file's last)
	options []option
	// index finds options by key (their position in options) once a
	// section has more than a few, so that parsing and verifying a section
	// of n keys stays linear in n; nil for the usual small section, where
	// a scan is cheaper.
	index map[string]int
}

// indexAt is the number of options from which a section keeps an index.
const indexAt = 16

type option struct {
	key       string // lower-cased, as configparser does
	value     string // continuation lines joined with "\n"
	line      int    // line index of "key = value" in the file
	last      int    // last line index that belongs to the value
	valueAt   int    // byte offset of the value in the raw line
	indentLen int    // bytes of indentation before the key
}

// Parse reads data the way botocore's configparser does and fails where
// the AWS CLI would fail: a BOM, a key before any section, a line that is
// neither a section, a key nor a comment, a duplicate section or key.
// It also refuses what it cannot round-trip: invalid UTF-8, NUL and other
// control bytes, and bare carriage returns.
func Parse(data []byte) (*File, error) { return parse(string(data)) }

func parse(data string) (*File, error) {
	if strings.HasPrefix(data, "\xef\xbb\xbf") {
		return nil, fmt.Errorf("%w: starts with a UTF-8 byte order mark, which the AWS CLI cannot parse; save it without BOM", ErrUnreadable)
	}
	if !utf8.ValidString(data) {
		return nil, fmt.Errorf("%w: not UTF-8 text (binary, or saved in another encoding); save it as UTF-8", ErrUnreadable)
	}
	n := min(strings.Count(data, "["), len(data)/4) + 1 // at least the number of sections
	f := &File{data: data, crlf: strings.Contains(data, "\r\n"), sections: make([]*Section, 0, n), byName: make(map[string]*Section, n)}
	p := parser{f: f, cur: -1}
	i := 0
	for at := 0; at < len(data); i++ {
		n := strings.IndexByte(data[at:], '\n') + 1
		if n == 0 {
			n = len(data) - at // the last line, without an ending
		}
		if err := p.line(i, at, data[at:at+n]); err != nil {
			return nil, err
		}
		at += n
	}
	if n := len(f.sections); n > 0 {
		last := f.sections[n-1]
		last.text = data[last.at:]
	}
	return f, nil
}

// parsed returns the section's options, parsing its text the first time.
func (s *Section) parsed() *body {
	if b := s.body.Load(); b != nil {
		return b
	}
	// The parser's state at a section header does not depend on the lines
	// before it, so the text parses as it did within the file, which
	// Parse has checked: this cannot fail (FuzzSectionsParseAlone).
	b, _ := parseSection(s.text, s.header)
	s.body.CompareAndSwap(nil, b)
	return s.body.Load()
}

// parseSection parses the text of one section, whose header is line
// header of the file.
func parseSection(text string, header int) (*body, error) {
	b := &body{lines: splitLines(text)}
	p := parser{cur: -1}
	for j, raw := range b.lines {
		if err := p.line(header+j, 0, raw); err != nil {
			return b, err
		}
	}
	b.options, b.index = p.sec.options, p.sec.index
	return b, nil
}

// splitLines splits s after each "\n", keeping the endings.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// parser is the state configparser keeps from one line to the next. Over
// a whole file it records each section in f; over one section's text
// (f nil) the options it collects are the section's.
type parser struct {
	f           *File
	name        string // the current section; "" before the first
	sec         body   // the current section's options so far
	cur         int    // the option a more indented line continues, or -1
	indentLevel int
	blanks      int       // blank lines inside a value, kept if it continues
	secs        []Section // the block new sections are allocated from
}

// line parses line i, which starts at byte at of the file.
func (p *parser) line(i, at int, raw string) error {
	line := strings.TrimSuffix(strings.TrimSuffix(raw, "\n"), "\r")
	if err := checkControl(line); err != nil {
		return fmt.Errorf("%w: line %d: %v", ErrUnreadable, i+1, err)
	}
	stripped := pyStrip(line)
	if stripped == "" {
		p.blanks++
		return nil
	}
	if stripped[0] == '#' || stripped[0] == ';' {
		return nil
	}
	indentBytes, indent := indentOf(line)
	if p.cur >= 0 && indent > p.indentLevel {
		return p.continuation(i, stripped)
	}
	p.blanks = 0
	p.indentLevel = indent
	if name, ok := sectionName(stripped); ok {
		return p.section(i, at, name)
	}
	if p.name == "" {
		return fmt.Errorf("%w: line %d is outside any [section], which the AWS CLI cannot parse; remove it or add a section header above it", ErrUnreadable, i+1)
	}
	return p.option(i, line, indentBytes)
}

// continuation adds line i, more indented than the option before it, to
// that option's value.
func (p *parser) continuation(i int, stripped string) error {
	o := &p.sec.options[p.cur]
	if (o.value == "" || o.value[0] == '\n') && !strings.Contains(stripped, "=") {
		// botocore parses a value that starts on the next line as
		// nested "key = value" settings, and fails on any other line.
		return fmt.Errorf("%w: line %d continues %s, whose value starts on the next line, without a \"=\"; the AWS CLI cannot parse that; indent it as `name = value` or join it to the line above", ErrUnreadable, i+1, o.key)
	}
	o.value += strings.Repeat("\n", p.blanks+1) + stripped
	o.last = i
	p.blanks = 0
	return nil
}

// section starts section name at line i. Over a whole file, the options
// of the section before are dropped: only its place is kept.
func (p *parser) section(i, at int, name string) error {
	if p.f != nil {
		if err := p.record(i, at, name); err != nil {
			return err
		}
	}
	p.name, p.cur = name, -1
	p.sec = body{options: p.sec.options[:0]}
	return nil
}

// record adds section name, whose header is line i at byte at, to the file.
func (p *parser) record(i, at int, name string) error {
	f := p.f
	if n := len(f.sections); n > 0 {
		prev := f.sections[n-1]
		prev.text = f.data[prev.at:at]
	}
	if first := f.byName[name]; first != nil {
		return fmt.Errorf("%w: section [%s] appears twice (lines %d and %d), which the AWS CLI cannot parse; merge them", ErrUnreadable, name, first.header+1, i+1)
	}
	if len(p.secs) == 0 {
		p.secs = make([]Section, 256) // sections in blocks: one allocation per 256
	}
	s := &p.secs[0]
	p.secs = p.secs[1:]
	s.Name, s.header, s.at = name, i, at
	f.byName[name] = s
	f.sections = append(f.sections, s)
	return nil
}

// option adds the "key = value" line i to the current section.
func (p *parser) option(i int, line string, indentBytes int) error {
	key, valueAt, ok := splitOption(line)
	if !ok {
		return fmt.Errorf("%w: line %d is neither a [section], a key = value line nor a comment; fix or remove it", ErrUnreadable, i+1)
	}
	if r := uncertainCase(key); r >= 0 {
		return fmt.Errorf("%w: line %d: the key holds %#U, a capital letter outside ASCII or a character newer than aws-mfa knows, which Go and the AWS CLI's Python may lower-case differently; rename the key", ErrUnreadable, i+1, r)
	}
	key = strings.ToLower(key)
	if p.sec.find(key) != nil {
		return fmt.Errorf("%w: key %s appears twice in [%s] (line %d), which the AWS CLI cannot parse; remove one", ErrUnreadable, key, p.name, i+1)
	}
	p.sec.options = append(p.sec.options, option{
		key:       key,
		value:     pyStrip(line[valueAt:]),
		line:      i,
		last:      i,
		valueAt:   valueAt,
		indentLen: indentBytes,
	})
	p.cur = len(p.sec.options) - 1
	if n := len(p.sec.options); p.sec.index != nil || n >= indexAt {
		if p.sec.index == nil {
			p.sec.index = make(map[string]int, 2*n)
			for i, o := range p.sec.options {
				p.sec.index[o.key] = i
			}
		}
		p.sec.index[key] = n - 1
	}
	return nil
}

func checkControl(line string) error {
	for j, r := range line {
		if uint32(r)-0x20 < 0x7f-0x20 || r == '\t' {
			continue // printable ASCII: one comparison, as c-0x20 wraps around below 0x20
		}
		if r == '\r' {
			return fmt.Errorf("carriage return without a line feed at column %d; use LF or CRLF line endings", j+1)
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return fmt.Errorf("control character %U at column %d; remove it", r, j+1)
		}
	}
	return nil
}

// pySpace reports what Python's str.isspace accepts (control characters
// other than tab are refused before this is asked).
func pySpace(r rune) bool { return unicode.IsSpace(r) }

func pyStrip(s string) string {
	if t := strings.Trim(s, " \t"); t == "" || t[0] > ' ' && t[0] < 0x80 && t[len(t)-1] > ' ' && t[len(t)-1] < 0x80 {
		return t // ASCII at both edges, the usual case
	}
	return strings.TrimFunc(s, pySpace)
}

// indentOf returns the byte length and the character count of the
// indentation of line.
func indentOf(line string) (bytes, chars int) {
	bytes = skipSpace(line, 0)
	return bytes, utf8.RuneCountInString(line[:bytes])
}

// sectionName applies configparser's `\[(?P<header>.+)\]` to a stripped
// line: anything from the first "[" to the last "]", not anchored at the end.
func sectionName(stripped string) (string, bool) {
	if stripped[0] != '[' {
		return "", false
	}
	end := strings.LastIndexByte(stripped, ']')
	if end < 2 {
		return "", false
	}
	return stripped[1:end], true
}

// splitOption applies configparser's option pattern to a raw line: the
// key is everything before the first "=" or ":", right-trimmed, as
// written; the value starts after the delimiter and its spaces.
func splitOption(line string) (key string, valueAt int, ok bool) {
	start := skipSpace(line, 0)
	d := start + strings.IndexAny(line[start:], "=:")
	if d < start {
		return "", 0, false
	}
	key = strings.TrimRightFunc(line[start:d], pySpace)
	return key, skipSpace(line, d+1), key != ""
}

// skipSpace returns the index of the first byte from i on that is not
// white space as Python sees it.
func skipSpace(line string, i int) int {
	return len(line) - len(strings.TrimLeftFunc(line[i:], pySpace))
}

// uncertainCase returns the first character of key whose lower case Go
// and Python's str.lower, which configparser applies to every key, may
// not agree on, or -1. For ASCII and for characters that have no upper
// case they agree. Past that, Python lowers U+0130 (İ) to two characters
// and a capital sigma by its context, and a Python with newer Unicode
// tables lowers characters that Go's do not know: a key botocore reads as
// another must never be taken for aws_session_token.
func uncertainCase(key string) rune {
	for _, r := range key {
		if r >= utf8.RuneSelf && (unicode.ToLower(r) != r || !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cf, unicode.Co)) {
			return r
		}
	}
	return -1
}

// Bytes returns the file as it was read.
func (f *File) Bytes() []byte { return []byte(f.data) }

// Sections lists the file's sections in order.
func (f *File) Sections() []*Section { return f.sections }

// Section returns the section with exactly this name.
func (f *File) Section(name string) *Section { return f.byName[name] }

// Get returns the value of key in the section; keys are case-insensitive.
func (s *Section) Get(key string) string {
	if o := s.option(key); o != nil {
		return o.value
	}
	return ""
}

// Has reports whether the section sets key.
func (s *Section) Has(key string) bool { return s.option(key) != nil }

// Keys lists the section's keys, lower-cased, in file order.
func (s *Section) Keys() []string {
	opts := s.parsed().options
	keys := make([]string, len(opts))
	for i, o := range opts {
		keys[i] = o.key
	}
	return keys
}

func (s *Section) option(key string) *option { return s.parsed().find(strings.ToLower(key)) }

// find returns the option for a key already lower-cased, or nil.
func (b *body) find(key string) *option {
	i, ok := b.index[key]
	if b.index == nil {
		i = slices.IndexFunc(b.options, func(o option) bool { return o.key == key })
		ok = i >= 0
	}
	if !ok {
		return nil
	}
	return &b.options[i]
}

// Profile returns the section for profile name: in a credentials file
// it is [name]. In a config file it is the section botocore's
// build_profile_map picks: any header starting "profile" that Python's
// shlex.split cuts into exactly two words, the second being name ([profile
// "x"], [profile  x], [profile\tx] and [profiles x] all name x), or
// [default] for default; where several name the same profile, the last
// one in the file wins, as botocore's dict assignment does.
func (f *File) Profile(name string, config bool) *Section {
	if !config {
		return f.Section(name)
	}
	var found *Section
	for _, s := range f.sections {
		switch {
		case strings.HasPrefix(s.Name, "profile"):
			if words, ok := shlexSplit(s.Name); ok && len(words) == 2 && words[1] == name {
				found = s
			}
		case s.Name == "default" && name == "default":
			found = s
		}
	}
	return found
}

// shlexSplit is Python's shlex.split(s) in its default POSIX mode without
// comments: words split on space, tab, CR and LF; '…' quotes everything,
// "…" everything but \" and \\, a backslash outside quotes escapes the
// next character, and an empty quoted word counts. ok is false where
// Python raises ValueError (an unclosed quote, a trailing backslash);
// botocore then ignores the section.
func shlexSplit(s string) (words []string, ok bool) {
	var (
		tok     strings.Builder
		quoted  bool // the word had quotes, so it counts even if empty
		state   = ' '
		escaped rune // the state a backslash returns to
	)
	emit := func() {
		if tok.Len() > 0 || quoted {
			words = append(words, tok.String())
		}
		tok.Reset()
		quoted = false
	}
	for _, c := range s {
		switch state {
		case ' ', 'a':
			switch c {
			case ' ', '\t', '\r', '\n':
				if state == 'a' {
					emit()
				}
				state = ' '
			case '\'', '"':
				state = c
			case '\\':
				escaped, state = 'a', '\\'
			default:
				tok.WriteRune(c)
				state = 'a'
			}
		case '\'', '"':
			quoted = true
			switch {
			case c == state:
				state = 'a'
			case c == '\\' && state == '"':
				escaped, state = state, '\\'
			default:
				tok.WriteRune(c)
			}
		case '\\':
			if escaped == '"' && c != '\\' && c != '"' {
				tok.WriteRune('\\')
			}
			tok.WriteRune(c)
			state = escaped
		}
	}
	if state != ' ' && state != 'a' {
		return nil, false
	}
	emit()
	return words, true
}
