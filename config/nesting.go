package config

import "bytes"

// maxNesting bounds how deep a config's tables, arrays, inline tables and
// dotted keys nest, as nesting counts them. BurntSushi/toml takes time
// and memory quadratic in a key's depth (its issues 496 and 497, fixed
// in no release): a file of 1 MiB could nest some 300,000 deep and keep
// aws-mfa busy for hours. A real config nests [pair.NAME] key = [value]:
// 5 deep as counted here. 32 leaves room for any layout a person writes
// and keeps what the library spends on each key small.
const maxNesting = 32

// The library also keeps each key's whole path, and a table for each
// dotted part: a name of 100,000 bytes over 50,000 short keys took 7 GB.
// These bound that, far above what a config holds.
const maxName, maxKeys = 128, 2048 // bytes of a part of a name; keys in a file

// TooDeep returns the first line where data nests deeper than a config
// may (maxNesting), or holds a longer name or more keys, else 0.
func TooDeep(data []byte) int { return nesting(data, maxNesting, func(int) {}) }

// TopLines says of each line of data, as strings.SplitAfter cuts it at
// "\n", whether it begins outside any string, array and inline table:
// where a [table] header or a key may begin. A line in a multi-line
// string that looks like one is not. Past a bound TooDeep refuses, no
// line is.
func TopLines(data []byte) []bool {
	top, last, n := make([]bool, bytes.Count(data, []byte("\n"))+1), 0, 0
	top[0] = true
	nesting(data, maxNesting, func(at int) {
		n, last = n+bytes.Count(data[last:at], []byte("\n")), at
		top[n] = true
	})
	return top
}

// nesting returns the first line where data's values nest deeper than
// limit, a name is longer than maxName or a key is past maxKeys, else 0;
// counted as BurntSushi/toml reads the text (v1.6.0's
// lexer: strings, their escapes and closing quotes, comments, headers).
// It never counts less than the library nests: each [ and { is a level,
// and each dot outside a string two (a header's dot may go through an
// array of tables to its last table). A dot in a float or a date counts
// too: more than is there, which a config does not meet. Where the text
// is not TOML, the library stops at the first error, having read no
// further than nesting reads it alike.
func nesting(data []byte, limit int, top func(at int)) (line int) {
	// table: the depth of the [table]'s keys; name: the bytes of the name
	// being read; keys: the keys so far.
	table, peak, dots, value, name, keys := 1, 1, 0, false, 0, 0
	var open []int // the dots before each [ or { still open
	for i := 0; i < len(data); i++ {
		c := data[i]
		if name++; c != '_' && c != '-' && (c < '0' || c > '9') && (c|0x20 < 'a' || c|0x20 > 'z') {
			name = 0 // not a bare name's byte
		}
		switch {
		case c == '\n' && len(open) == 0: // a top-level line ends
			if !value { // a header's, or a blank one
				table = peak
			}
			dots, peak, value = 0, table, false
			top(i + 1) // the next line begins at the top
		case c == '#': // a comment, to the end of the line
			for ; i+1 < len(data) && data[i+1] != '\n'; i++ {
			}
		case c == '"' || c == '\'': // a string, to its closing quotes
			start, end := i, data[i:i+1]
			if bytes.HasPrefix(data[i:], []byte{c, c, c}) {
				end = data[i : i+3]
			}
			for i += len(end); i < len(data) && !bytes.HasPrefix(data[i:], end); i++ {
				if c == '"' && data[i] == '\\' {
					i++ // escaped; the hex digits of \x, \u or \U are no quote
				}
			}
			// The closing quotes are the last of their run: the library
			// reads one or two quotes before a multi-line string's closing
			// three as content ("""a""""" is a""); more it refuses (but for
			// a case that ends there too), as it does a quote right after a
			// one-line string.
			for ; i+len(end) < len(data) && data[i+len(end)] == c; i++ {
			}
			i = min(i+len(end)-1, len(data))
			// A quoted part of a name: in a header (open before any =), or
			// before . or =.
			if rest := bytes.TrimLeft(data[min(i+1, len(data)):], " \t"); !value && len(open) > 0 || len(rest) > 0 && (rest[0] == '.' || rest[0] == '=') {
				name = i + 1 - start
			}
		case c == '=':
			value, keys = true, keys+1
		case c == '.':
			dots++
		case c == ',' && len(open) > 0: // the next key or value in the innermost [ or {
			dots = open[len(open)-1]
		case c == '[' || c == '{':
			if len(open) == 0 && !value { // a header names its table from the root
				table, peak = 1, 1
			}
			open = append(open, dots)
		case (c == ']' || c == '}') && len(open) > 0:
			dots, open = open[len(open)-1], open[:len(open)-1]
		}
		if peak = max(peak, table+len(open)+2*dots); peak > limit || name > maxName || keys > maxKeys {
			return 1 + bytes.Count(data[:i], []byte("\n"))
		}
	}
	return 0
}
