package credfile

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/ini.v1"
)

// ErrInvalidName marks a profile name that cannot be written as a section.
var ErrInvalidName = errors.New("invalid profile name")

// KV is one key and value to write.
type KV struct{ Key, Value string }

// Edit returns the file's bytes with section's keys set and others
// removed. Only the lines of those keys change: a replaced key keeps its
// indentation and spacing, new keys go after the section's last key, and a
// missing section is appended at the end. The result is parsed again and
// compared with the original before it is returned, so an edit that would
// change anything else is refused instead of written.
func (f *File) Edit(section string, set []KV, remove []string) ([]byte, error) {
	out, _, err := f.edit(section, set, remove)
	return out, err
}

// edit is Edit, also returning the parsed result.
func (f *File) edit(section string, set []KV, remove []string) ([]byte, *File, error) {
	if err := ValidName(section); err != nil {
		return nil, nil, err
	}
	for _, kv := range set {
		if err := validValue(kv); err != nil {
			return nil, nil, err
		}
	}
	eol := "\n"
	if f.crlf {
		eol = "\r\n"
	}
	lines := slices.Clone(f.lines)
	drop := map[int]bool{}
	var appendLines []string
	insertAt, indent := -1, ""

	s := f.Section(section)
	if s == nil {
		appendLines = append(appendLines, "["+section+"]"+eol)
	} else {
		insertAt = s.header
		indent = leadingSpace(lines[s.header])
		if n := len(s.options); n > 0 {
			last := s.options[n-1]
			insertAt, indent = last.last, lines[last.line][:last.indentLen]
		}
	}
	var added []string
	for _, kv := range set {
		if s != nil {
			if o := s.option(kv.Key); o != nil {
				lines[o.line] = replaceValue(lines[o.line], o, kv.Value)
				dropContinuation(f.lines, o, drop)
				continue
			}
		}
		added = append(added, indent+kv.Key+" = "+kv.Value+eol)
	}
	if s != nil {
		for _, key := range remove {
			if o := s.option(key); o != nil {
				drop[o.line] = true
				dropContinuation(f.lines, o, drop)
			}
		}
	}
	if s == nil {
		appendLines = append(appendLines, added...)
		added = nil
	}

	var b strings.Builder
	b.Grow(f.size() + 512)
	for i, line := range lines {
		if !drop[i] {
			b.WriteString(line)
		}
		if i == insertAt && len(added) > 0 {
			ensureEOL(&b, eol)
			for _, a := range added {
				b.WriteString(a)
			}
		}
	}
	if len(appendLines) > 0 {
		if b.Len() > 0 {
			ensureEOL(&b, eol)
			if last := lines[len(lines)-1]; pyStrip(last) != "" {
				b.WriteString(eol)
			}
		}
		for _, a := range appendLines {
			b.WriteString(a)
		}
	}
	out := b.String()
	g, err := f.verify(out, section, set, remove)
	if err != nil {
		return nil, nil, fmt.Errorf("refusing to write: %w", err)
	}
	return []byte(out), g, nil
}

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
	case checkControl(name) != nil || strings.Contains(name, "\t"):
		return fmt.Errorf("%w: %q contains a control character", ErrInvalidName, name)
	}
	return nil
}

func validValue(kv KV) error {
	v := kv.Value
	if v == "" || pyStrip(v) != v || checkControl(v) != nil || strings.Contains(v, "\t") {
		return fmt.Errorf("refusing to write %s: the value is empty, has surrounding white space or a control character", kv.Key)
	}
	return nil
}

func replaceValue(raw string, o *option, value string) string {
	body := strings.TrimRight(raw, "\r\n")
	ending := raw[len(body):]
	prefix := body[:o.valueAt]
	if pyStrip(body[o.valueAt:]) == "" {
		// "key =" with nothing after it: keep the spacing before "=" after it too.
		prefix = strings.TrimRightFunc(prefix, pySpace)
		if d := len(prefix) - 1; d > 0 && pySpace(rune(prefix[d-1])) {
			prefix += " "
		}
	}
	return prefix + value + ending
}

// dropContinuation marks the continuation lines of o, keeping comments
// and blank lines between them.
func dropContinuation(lines []string, o *option, drop map[int]bool) {
	for i := o.line + 1; i <= o.last; i++ {
		s := pyStrip(strings.TrimRight(lines[i], "\r\n"))
		if s != "" && s[0] != '#' && s[0] != ';' {
			drop[i] = true
		}
	}
}

func ensureEOL(b *strings.Builder, eol string) {
	if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") {
		b.WriteString(eol)
	}
}

func leadingSpace(line string) string {
	return line[:len(line)-len(strings.TrimLeftFunc(line, pySpace))]
}

// verify parses out and checks that it differs from f only as asked:
// every other section and key has the same value, in the same order.
func (f *File) verify(out string, section string, set []KV, remove []string) (*File, error) {
	g, err := parse(out)
	if err != nil {
		return nil, fmt.Errorf("the edited file would not parse: %w", err)
	}
	want := map[string]string{}
	for _, kv := range set {
		want[strings.ToLower(kv.Key)] = kv.Value
	}
	gone := map[string]bool{}
	for _, k := range remove {
		gone[strings.ToLower(k)] = true
	}
	if len(g.sections) != len(f.sections)+boolInt(f.Section(section) == nil) {
		return nil, errors.New("the edit would add or lose a section")
	}
	for i, gs := range g.sections {
		if i >= len(f.sections) {
			if gs.Name != section {
				return nil, errors.New("the edit appended the wrong section")
			}
			continue
		}
		fs := f.sections[i]
		if fs.Name != gs.Name {
			return nil, fmt.Errorf("the edit would change section [%s]", fs.Name)
		}
		for _, o := range fs.options {
			_, owned := want[o.key]
			if fs.Name == section && (owned || gone[o.key]) {
				continue
			}
			if gs.option(o.key) == nil || gs.Get(o.key) != o.value {
				return nil, fmt.Errorf("the edit would change %s in [%s]", o.key, fs.Name)
			}
		}
		if fs.Name != section && len(gs.options) != len(fs.options) {
			return nil, fmt.Errorf("the edit would add keys to [%s]", fs.Name)
		}
	}
	if err := iniAgrees(g.sectionText(section), section, want); err != nil {
		return nil, err
	}
	t := g.Section(section)
	for k, v := range want {
		if t.Get(k) != v || !t.Has(k) {
			return nil, fmt.Errorf("the edit did not set %s in [%s]", k, section)
		}
	}
	for k := range gone {
		if t.Has(k) {
			return nil, fmt.Errorf("the edit did not remove %s from [%s]", k, section)
		}
	}
	return g, nil
}

func (f *File) size() int {
	n := 0
	for _, l := range f.lines {
		n += len(l)
	}
	return n
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// iniOptions make gopkg.in/ini.v1 read values as botocore does.
var iniOptions = ini.LoadOptions{
	IgnoreInlineComment:     true,
	PreserveSurroundedQuote: true,
	InsensitiveKeys:         true,
}

// iniAgrees asks a second, independent parser (gopkg.in/ini.v1, used
// only to read) whether the edited section holds the values written.
func iniAgrees(text []byte, section string, want map[string]string) error {
	g, err := ini.LoadSources(iniOptions, text)
	if err != nil {
		return fmt.Errorf("gopkg.in/ini.v1 cannot read the edited [%s]: %w", section, err)
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

// sectionText returns the raw lines of one section, header included.
func (f *File) sectionText(name string) []byte {
	for i, s := range f.sections {
		if s.Name != name {
			continue
		}
		end := len(f.lines)
		if i+1 < len(f.sections) {
			end = f.sections[i+1].header
		}
		return []byte(strings.Join(f.lines[s.header:end], ""))
	}
	return nil
}
