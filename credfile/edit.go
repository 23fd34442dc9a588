package credfile

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"gopkg.in/ini.v1"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// ErrInvalidName marks a profile name that cannot be written as a section.
var ErrInvalidName = inputerr.New("invalid profile name")

// KV is one key and value to write.
type KV struct{ Key, Value string }

// Edit returns the file's bytes with section's keys set and others
// removed. Only the lines of those keys change: a replaced key keeps its
// indentation and spacing, new keys go after the section's last key, and a
// missing section is appended at the end. The result is parsed again and
// compared with the original before it is returned, so an edit that would
// change anything else is refused instead of written.
func (f *File) Edit(section string, set []KV, remove []string) ([]byte, error) {
	if err := ValidName(section); err != nil {
		return nil, err
	}
	for _, kv := range set {
		if v := kv.Value; v == "" || pyStrip(v) != v || strings.ContainsFunc(v, unicode.IsControl) {
			return nil, fmt.Errorf("refusing to write %s: the value is empty, has surrounding white space or a control character", kv.Key)
		}
	}
	out := f.rewrite(section, set, remove)
	if err := f.verify(out, section, set, remove); err != nil {
		return nil, fmt.Errorf("refusing to write: %w", err)
	}
	return out, nil
}

// rewrite returns the file with the edit made, unchecked.
func (f *File) rewrite(section string, set []KV, remove []string) []byte {
	eol := "\n"
	if strings.Contains(f.data, "\r\n") {
		eol = "\r\n"
	}
	data, s := []byte(f.data), f.Section(section)
	if s == nil {
		// A new section goes at the end, after a blank line, and is then
		// filled as an empty one would be.
		if len(data) > 0 {
			data = ensureEOL(data, eol)
			if pyStrip(lastLine(f.data)) != "" {
				data = append(data, eol...)
			}
		}
		s = &Section{at: len(data), text: "[" + section + "]" + eol}
		data = append(data, s.text...)
	}
	// Only the target section's lines change: the bytes before and after
	// it are copied whole.
	lines := slices.Collect(strings.Lines(s.text)) // lines[i] is line s.header+i of the file; "" drops it
	insertAt, indent := 0, leadingSpace(lines[0])
	if n := len(s.options); n > 0 {
		last := s.options[n-1]
		insertAt, indent = last.last-s.header, leadingSpace(lines[last.line-s.header])
	}
	added := "" // the keys the section lacks, on lines of their own
	for _, kv := range set {
		if o := s.option(kv.Key); o != nil {
			lines[o.line-s.header] = replaceValue(lines[o.line-s.header], o, kv.Value)
			dropContinuation(lines, s.header, o)
			continue
		}
		added += indent + kv.Key + " = " + kv.Value + eol
	}
	for _, key := range remove {
		if o := s.option(key); o != nil {
			lines[o.line-s.header] = ""
			dropContinuation(lines, s.header, o)
		}
	}
	b := append(make([]byte, 0, len(data)+512), data[:s.at]...)
	for i, line := range lines {
		b = append(b, line...)
		if i == insertAt && added != "" {
			b = append(ensureEOL(b, eol), added...)
		}
	}
	return append(b, data[s.at+len(s.text):]...)
}

// lastLine returns the last line of data, which is not empty, with its
// line ending.
func lastLine(data string) string { return data[strings.LastIndexByte(data[:len(data)-1], '\n')+1:] }

// firstLine returns the first line of s with its line ending.
func firstLine(s string) string { return strings.SplitAfterN(s, "\n", 2)[0] }

// ValidName checks that name can be written as a [section] header that
// the AWS CLI reads back as the same name.
func ValidName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: empty", ErrInvalidName)
	case name == "DEFAULT":
		return fmt.Errorf("%w: [DEFAULT] is special to the AWS CLI's parser; choose another name", ErrInvalidName)
	case pyStrip(name) != name:
		return fmt.Errorf("%w: %q starts or ends with white space", ErrInvalidName, name)
	case strings.ContainsAny(name, "[]#;"):
		return fmt.Errorf("%w: %q contains [, ], # or ;", ErrInvalidName, name)
	case strings.ContainsFunc(name, unicode.IsControl):
		return fmt.Errorf("%w: %q contains a control character", ErrInvalidName, name)
	}
	return nil
}

func replaceValue(raw string, o *option, value string) string {
	body := strings.TrimRight(raw, "\r\n")
	ending := raw[len(body):]
	prefix := body[:o.valueAt]
	if pyStrip(body[o.valueAt:]) == "" {
		// "key =" with nothing after it: keep the spacing before "=" after it too.
		prefix = strings.TrimRightFunc(prefix, unicode.IsSpace)
		if d := len(prefix) - 1; d > 0 && unicode.IsSpace(rune(prefix[d-1])) {
			prefix += " "
		}
	}
	return prefix + value + ending
}

// dropContinuation drops the continuation lines of o, keeping comments
// and blank lines between them. lines start at line first of the file.
func dropContinuation(lines []string, first int, o *option) {
	for i := o.line + 1 - first; i <= o.last-first; i++ {
		if s := pyStrip(lines[i]); s != "" && s[0] != '#' && s[0] != ';' {
			lines[i] = ""
		}
	}
}

// ensureEOL ends the last line of b. One that ends in a carriage return
// alone, which Parse reads as a line ending as Python does, gains only
// the "\n" that makes it CRLF: another ending after it would leave a bare
// carriage return inside the file, which Parse refuses.
func ensureEOL(b []byte, eol string) []byte {
	switch {
	case len(b) == 0 || b[len(b)-1] == '\n':
	case b[len(b)-1] == '\r':
		b = append(b, '\n')
	default:
		b = append(b, eol...)
	}
	return b
}

// verify checks that out differs from f only as asked, without parsing
// all of it again: every byte before the edited section and from the next
// section's header on is unchanged, and the edited part, parsed together
// with that next header (so that a line the edit leaves at the end of the
// section cannot swallow it as a continuation), holds the target section
// with exactly the keys set and every other key it had but those removed,
// each with its value, and then the next section. The parser's state at a
// section header does not depend on what came before, so the untouched
// parts parse as before.
func (f *File) verify(out []byte, section string, set []KV, remove []string) error {
	s := f.Section(section)
	prefix, suffix, next, nextHeader := len(f.data), 0, "", ""
	if s != nil {
		prefix = s.at
		if i := slices.Index(f.sections, s) + 1; i < len(f.sections) {
			n := f.sections[i]
			suffix, next, nextHeader = len(f.data)-n.at, n.Name, firstLine(n.text)
		}
	}
	if len(out) < prefix+suffix || string(out[:prefix]) != f.data[:prefix] || string(out[len(out)-suffix:]) != f.data[len(f.data)-suffix:] {
		return errors.New("the edit would change lines outside [" + section + "]")
	}
	part := string(out[prefix:len(out)-suffix]) + nextHeader
	if s == nil && f.data != "" && !strings.HasSuffix(f.data, "\n") {
		// The last line only gains its line ending, or completes it.
		last := lastLine(f.data)
		if joined := last + firstLine(part); !strings.HasSuffix(joined, "\n") || trimEOL(joined) != strings.TrimSuffix(last, "\r") {
			return errors.New("the edit would change the last line")
		}
	}
	g, err := parse(part)
	if err != nil {
		return fmt.Errorf("the edited file would not parse: %w", err)
	}
	wantNames := slices.DeleteFunc([]string{section, next}, func(n string) bool { return n == "" }) // section is a valid name
	if !slices.EqualFunc(g.sections, wantNames, func(gs *Section, name string) bool { return gs.Name == name }) {
		if indent := leadingSpace(nextHeader); indent != "" {
			// A key line written above an indented header takes the
			// header in as the next line of its value.
			return fmt.Errorf("the header of [%s], after [%s], is indented, so the keys written above it would take it in as part of a value; remove the white space before [%s] in the file", next, section, next)
		}
		return errors.New("the edit would add or lose a section")
	}
	want := map[string]string{} // the section's keys after the edit, with their values
	if s != nil {
		for _, o := range s.options {
			want[o.key] = o.value
		}
	}
	for _, k := range remove {
		delete(want, strings.ToLower(k))
	}
	for _, kv := range set {
		want[strings.ToLower(kv.Key)] = kv.Value
	}
	t := g.sections[0]
	if len(t.options) != len(want) {
		return fmt.Errorf("the edit would add or lose keys in [%s]", section)
	}
	for _, o := range t.options {
		if v, ok := want[o.key]; !ok || v != o.value {
			return fmt.Errorf("the edit would change %s in [%s]", o.key, section)
		}
	}
	return iniAgrees([]byte(t.text), section, want)
}

// iniOptions make gopkg.in/ini.v1 read values as botocore does.
var iniOptions = ini.LoadOptions{
	IgnoreInlineComment:     true,
	PreserveSurroundedQuote: true,
	InsensitiveKeys:         true,
}

// iniAgrees asks a second, independent parser (gopkg.in/ini.v1, used
// only to read) whether the edited section holds the values verify
// expects. It is asked only about sections it provably reads as botocore
// does (see iniReadsLikeBotocore): botocore is the reference, and ini.v1
// may add a check but never refuse a file botocore reads. Its errors
// quote raw lines, so they are never shown.
func iniAgrees(text []byte, section string, want map[string]string) error {
	if !iniReadsLikeBotocore(text) {
		return nil
	}
	g, err := ini.LoadSources(iniOptions, text)
	if err != nil {
		return fmt.Errorf("gopkg.in/ini.v1 cannot read the edited [%s]", section)
	}
	s, err := g.GetSection(section)
	if err != nil {
		return fmt.Errorf("gopkg.in/ini.v1 finds no [%s] in the result", section)
	}
	for k, v := range want {
		if got := s.Key(k).String(); got != v {
			return fmt.Errorf("gopkg.in/ini.v1 reads %s in [%s] differently", k, section)
		}
	}
	return nil
}

// iniReadsLikeBotocore reports whether text is in the plain subset where
// gopkg.in/ini.v1 (with iniOptions) and botocore read the same keys and
// values: printable ASCII and tabs; no indented line but blanks and
// comments (so no continuation lines, which botocore joins and ini.v1
// reads as keys); a header that is just [name]; keys that do not start
// with a quote, a backquote or "[" (ini.v1 reads quoted keys, and refuses
// "[x = 1" as an unclosed section) and are not "-" (ini.v1 numbers those);
// values that do not start with """ or a backquote (ini.v1's multi-line
// and raw quoting) and do not end with a backslash (its continuation).
// FuzzIniSubset checks the claim.
func iniReadsLikeBotocore(text []byte) bool {
	for i, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 && r != '\t' || r >= 0x7f }) {
			return false
		}
		stripped := strings.Trim(line, " \t")
		switch {
		case stripped == "" || stripped[0] == '#' || stripped[0] == ';':
			continue
		case stripped != strings.TrimRight(line, " \t"):
			return false // indented: a continuation in botocore
		case i == 0 && strings.HasPrefix(stripped, "[") && strings.IndexByte(stripped, ']') == len(stripped)-1:
			continue // the header, just [name]
		case i == 0 || strings.ContainsRune("\"`[", rune(stripped[0])):
			return false
		}
		d := strings.IndexAny(stripped, "=:")
		if d < 0 {
			return false
		}
		key, value := strings.Trim(stripped[:d], " \t"), strings.Trim(stripped[d+1:], " \t")
		if key == "-" || strings.HasPrefix(value, `"""`) || strings.HasPrefix(value, "`") || strings.HasSuffix(value, `\`) {
			return false
		}
	}
	return true
}
