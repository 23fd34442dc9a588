package credfile

import "io/fs"

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

// OwnerUID is the user that owns st, which os.Stat made: 0 on Windows,
// whose files inherit their directory's ACL. setup's doctor checks the
// credentials file's directory by it.
func OwnerUID(st fs.FileInfo) int { return ownerOf(st).uid }
