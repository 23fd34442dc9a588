package config

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// unknownKey names an undecoded key with its file:line and the closest
// known key of its table.
func unknownKey(path, data string, key toml.Key) error {
	// Find the outermost part of the key that is not known at its level:
	// [pairs.w] is an unknown "pairs", not an unknown "w".
	known := tomlKeys(fileTOML{})
	switch {
	case !slices.Contains(known, key[0]):
		key = key[:1]
	case key[0] == "defaults" && len(key) >= 2:
		known, key = tomlKeys(defaultsTOML{}), key[:2]
	case key[0] == "pair" && len(key) >= 3:
		known, key = tomlKeys(pairTOML{}), key[:3]
	default:
		known = nil
	}
	last := key[len(key)-1]
	msg := fmt.Sprintf("unknown key %s at %s:%d", last, path, lineOf(data, key))
	if s := closest(last, known); s != "" {
		msg += "; did you mean " + s + "?"
	} else if len(known) > 0 {
		msg += "; known keys: " + strings.Join(known, ", ")
	}
	return fmt.Errorf("%w: %s", ErrInvalid, msg)
}

func tomlKeys(v any) []string {
	t := reflect.TypeOf(v)
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		keys = append(keys, t.Field(i).Tag.Get("toml"))
	}
	return keys
}

// lineOf finds the line that defines key: the first "last =" after the
// header of its table, or the table header itself. The TOML library keeps
// positions but does not export them for undecoded keys.
func lineOf(data string, key toml.Key) int {
	lines := strings.Split(data, "\n")
	start := 0
	if len(key) > 1 {
		header := regexp.MustCompile(`^\s*\[\s*` + quoteParts(key[:len(key)-1]) + `\s*\]`)
		for i, l := range lines {
			if header.MatchString(l) {
				start = i
				break
			}
		}
	}
	def := regexp.MustCompile(`^\s*["']?` + regexp.QuoteMeta(key[len(key)-1]) + `["']?\s*[=.\]]`)
	table := regexp.MustCompile(`^\s*\[\s*` + quoteParts(key) + `\s*\]`)
	for i := start; i < len(lines); i++ {
		if def.MatchString(lines[i]) || table.MatchString(lines[i]) {
			return i + 1
		}
	}
	return start + 1
}

func quoteParts(parts []string) string {
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = `["']?` + regexp.QuoteMeta(p) + `["']?`
	}
	return strings.Join(q, `\s*\.\s*`)
}

// closest returns the known key within edit distance 2 of s, if any.
func closest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := distance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
