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
	"strings"
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
}

// Section is one [name] block of a file.
type Section struct {
	Name    string
	header  int    // line index of the [name] line
	at      int    // byte offset of the [name] line
	text    string // the section's raw lines, from its header to the next section's
	options []option
	index   map[string]int // options by key, so that a wide section costs linear time
}

type option struct {
	key     string // lower-cased, as configparser does
	value   string // continuation lines joined with "\n"
	line    int    // line index of "key = value" in the file
	last    int    // last line index that belongs to the value
	valueAt int    // byte offset of the value in the raw line
}

// Parse reads data the way botocore's configparser does and fails where
// the AWS CLI would fail: a BOM, a key before any section, a line that is
// neither a section, a key nor a comment, a duplicate section or key.
// It also refuses what it cannot round-trip: invalid UTF-8, NUL and other
// control bytes, and bare carriage returns.
func Parse(data []byte) (*File, error) { return parse(string(data)) }

// parse keeps configparser's state from one line to the next. That state
// is the same at every section header whatever came before, so a
// section's text parses alone as it does within the file, which verify
// relies on (FuzzSectionsParseAlone).
func parse(data string) (*File, error) {
	if strings.HasPrefix(data, "\xef\xbb\xbf") {
		return nil, fmt.Errorf("%w: starts with a UTF-8 byte order mark, which the AWS CLI cannot parse; save it without BOM", ErrUnreadable)
	}
	if !utf8.ValidString(data) {
		return nil, fmt.Errorf("%w: not UTF-8 text (binary, or saved in another encoding); save it as UTF-8", ErrUnreadable)
	}
	f := &File{data: data, byName: map[string]*Section{}}
	var (
		s           *Section // the current section
		cur         *option  // the option a more indented line continues
		indentLevel int
		blanks      int     // blank lines inside a value, kept if it continues
		i, next     = -1, 0 // the line's index, and the byte offset after it
	)
	for raw := range strings.Lines(data) {
		i, next = i+1, next+len(raw)
		line := trimEOL(raw)
		if err := checkControl(line); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrUnreadable, i+1, err)
		}
		stripped := pyStrip(line)
		if stripped == "" {
			blanks++
			continue
		}
		if stripped[0] == '#' || stripped[0] == ';' {
			continue
		}
		indent := utf8.RuneCountInString(leadingSpace(line))
		if cur != nil && indent > indentLevel {
			if (cur.value == "" || cur.value[0] == '\n') && !strings.Contains(stripped, "=") {
				// botocore parses a value that starts on the next line as
				// nested "key = value" settings, and fails on any other line.
				return nil, fmt.Errorf("%w: line %d continues %s, whose value starts on the next line, without a \"=\"; the AWS CLI cannot parse that; indent it as `name = value` or join it to the line above", ErrUnreadable, i+1, cur.key)
			}
			cur.value += strings.Repeat("\n", blanks+1) + stripped
			cur.last, blanks = i, 0
			continue
		}
		indentLevel, blanks = indent, 0
		// configparser's `\[(?P<header>.+)\]` on the stripped line: anything
		// from the first "[" to the last "]", not anchored at the end.
		if end := strings.LastIndexByte(stripped, ']'); stripped[0] == '[' && end >= 2 {
			name := stripped[1:end]
			if first := f.byName[name]; first != nil {
				return nil, fmt.Errorf("%w: section [%s] appears twice (lines %d and %d), which the AWS CLI cannot parse; merge them", ErrUnreadable, name, first.header+1, i+1)
			}
			start := next - len(raw)
			if s != nil {
				s.text = data[s.at:start]
			}
			s, cur = &Section{Name: name, header: i, at: start, index: map[string]int{}}, nil
			f.byName[name] = s
			f.sections = append(f.sections, s)
			continue
		}
		if s == nil {
			return nil, fmt.Errorf("%w: line %d is outside any [section], which the AWS CLI cannot parse; remove it or add a section header above it", ErrUnreadable, i+1)
		}
		// configparser's option pattern: the key is everything before the
		// first "=" or ":", stripped; the value starts after the delimiter.
		d := strings.IndexAny(line, "=:")
		if d < 0 || pyStrip(line[:d]) == "" {
			return nil, fmt.Errorf("%w: line %d is neither a [section], a key = value line nor a comment; fix or remove it", ErrUnreadable, i+1)
		}
		key := pyStrip(line[:d])
		if r := uncertainCase(key); r >= 0 {
			return nil, fmt.Errorf("%w: line %d: the key holds %#U, a capital letter outside ASCII or a character newer than aws-mfa knows, which Go and the AWS CLI's Python may lower-case differently; rename the key", ErrUnreadable, i+1, r)
		}
		key = strings.ToLower(key)
		if s.option(key) != nil {
			return nil, fmt.Errorf("%w: key %s appears twice in [%s] (line %d), which the AWS CLI cannot parse; remove one", ErrUnreadable, key, s.Name, i+1)
		}
		s.index[key] = len(s.options)
		valueAt := len(line) - len(strings.TrimLeftFunc(line[d+1:], unicode.IsSpace))
		s.options = append(s.options, option{key: key, value: pyStrip(line[valueAt:]), line: i, last: i, valueAt: valueAt})
		cur = &s.options[len(s.options)-1]
	}
	if s != nil {
		s.text = data[s.at:]
	}
	return f, nil
}

func checkControl(line string) error {
	for j, r := range line {
		switch {
		case r == '\r':
			return fmt.Errorf("carriage return without a line feed at column %d; use LF or CRLF line endings", j+1)
		case unicode.IsControl(r) && r != '\t':
			return fmt.Errorf("control character %U at column %d; remove it", r, j+1)
		}
	}
	return nil
}

// pyStrip is Python's str.strip (control characters other than tab are
// refused before this is asked).
func pyStrip(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }

// leadingSpace returns the white space that starts line, as Python sees it.
func leadingSpace(line string) string {
	return line[:len(line)-len(strings.TrimLeftFunc(line, unicode.IsSpace))]
}

// trimEOL returns line without its line ending.
func trimEOL(line string) string { return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r") }

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
// A missing section (nil) sets no key: Get and Has read it as empty.
func (s *Section) Get(key string) string {
	if o := s.option(key); o != nil {
		return o.value
	}
	return ""
}

// Has reports whether the section sets key.
func (s *Section) Has(key string) bool { return s.option(key) != nil }

func (s *Section) option(key string) *option {
	if s == nil {
		return nil
	}
	if i, ok := s.index[strings.ToLower(key)]; ok {
		return &s.options[i]
	}
	return nil
}

// HeaderLine is the index (from 0) of the section's [name] line.
func (s *Section) HeaderLine() int { return s.header }

// ValueLines says which lines key's value takes in the section: first is
// the "key = value" line, last its last continuation line (blank lines
// between continuations included), valueAt the byte offset of the value
// in the first line; ok is false when the section does not set key.
// setup's dry run masks secrets by it, continuation lines included.
func (s *Section) ValueLines(key string) (first, last, valueAt int, ok bool) {
	if o := s.option(key); o != nil {
		return o.line, o.last, o.valueAt, true
	}
	return 0, 0, 0, false
}

// Profile returns the section of a config file for profile name, the one
// botocore's build_profile_map picks: any header starting "profile" that
// Python's shlex.split cuts into exactly two words, the second being name
// ([profile "x"], [profile  x], [profile\tx] and [profiles x] all name
// x), or [default] for default; where several name the same profile, the
// last one in the file wins, as botocore's dict assignment does.
func (f *File) Profile(name string) *Section {
	var found *Section
	for _, s := range f.sections {
		words, ok := SplitCommand(s.Name)
		if strings.HasPrefix(s.Name, "profile") && ok && len(words) == 2 && words[1] == name || s.Name == "default" && name == "default" {
			found = s
		}
	}
	return found
}

// ProfileSection is the section a config file's profile name is written
// in, which Profile finds: [default] for default, else [profile NAME].
func ProfileSection(name string) string {
	if name == "default" {
		return name
	}
	return "profile " + name
}

// SplitCommand is Python's shlex.split(s) in its default POSIX mode
// without comments, which botocore applies to a credential_process value
// and to a config file's section names: words split on space, tab, CR and
// LF; '…' quotes everything, "…" everything but \" and \\, a backslash
// outside quotes escapes the next character, and an empty quoted word
// counts. ok is false where Python raises ValueError (an unclosed quote, a
// trailing backslash).
func SplitCommand(s string) (words []string, ok bool) {
	var (
		word   strings.Builder
		inWord bool // a word has started: quotes start one, even empty
		quote  rune // the open quote, or 0
		escape bool // a backslash came before
	)
	for _, c := range s {
		switch {
		case escape:
			if quote == '"' && c != '\\' && c != '"' {
				word.WriteRune('\\')
			}
			word.WriteRune(c)
			escape = false
		case c == '\\' && quote != '\'':
			escape, inWord = true, true
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(c)
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case strings.ContainsRune(" \t\r\n", c):
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(c)
			inWord = true
		}
	}
	if quote != 0 || escape {
		return nil, false
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, true
}
