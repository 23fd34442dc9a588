package config

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/aws-mfa/aws-mfa/internal/suggest"
)

// unknownKey names an undecoded key with its file:line and the closest
// known key of its table.
func unknownKey(path, data string, key toml.Key) error {
	// Find the outermost part of the key that is not known at its level:
	// [pairs.w] is an unknown "pairs", not an unknown "w".
	known := tomlKeys(reflect.TypeFor[fileTOML]())
	switch {
	case !slices.Contains(known, key[0]):
		key = key[:1]
	case key[0] == "defaults" && len(key) >= 2:
		known, key = tomlKeys(reflect.TypeFor[defaultsTOML]()), key[:2]
	case key[0] == "pair" && len(key) >= 3:
		known, key = tomlKeys(reflect.TypeFor[pairTOML]()), key[:3]
	default:
		known = nil
	}
	last := key[len(key)-1]
	msg := fmt.Sprintf("unknown key %s at %s:%d", last, path, lineOf(data, key))
	if s := suggest.Closest(last, known); s != "" {
		msg += "; did you mean " + s + "?"
	} else if len(known) > 0 {
		msg += "; known keys: " + strings.Join(known, ", ")
	}
	return fmt.Errorf("%w: %s", ErrInvalid, msg)
}

func tomlKeys(t reflect.Type) []string {
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		keys = append(keys, t.Field(i).Tag.Get("toml"))
	}
	return keys
}

// lineOf finds the line that defines key: where the TOML parser saw it
// (keyLine), else where the first key below it is, else line 1.
func lineOf(data string, key toml.Key) int {
	if n := keyLine(data, key); n > 0 {
		return n
	}
	// A table made only by the headers below it ([pairs.w] makes pairs)
	// has no position of its own: the first key in it has.
	var m map[string]any
	if md, err := toml.Decode(data, &m); err == nil {
		for _, k := range md.Keys() {
			if len(k) > len(key) && slices.Equal(k[:len(key)], key) {
				if n := keyLine(data, k); n > 0 {
					return n
				}
			}
		}
	}
	return 1
}

// keyLine is the line where the TOML parser saw key, or 0. The library
// keeps every key's position but reports it only in a decoding error, so
// key is walked down as undecoded values (toml.Primitive), and its own
// is decoded into a value that refuses: the error names key's position.
func keyLine(data string, key toml.Key) int {
	var m map[string]toml.Primitive
	md, err := toml.Decode(data, &m)
	for _, k := range key[:len(key)-1] {
		p, ok := m[k]
		if err != nil || !ok {
			return 0
		}
		m = nil
		err = md.PrimitiveDecode(p, &m)
	}
	p, ok := m[key[len(key)-1]]
	var pe toml.ParseError
	if err != nil || !ok || !errors.As(md.PrimitiveDecode(p, stopHere{}), &pe) {
		return 0
	}
	return pe.Position.Line
}

// stopHere refuses to decode, so that the error carries its position.
type stopHere struct{}

func (stopHere) UnmarshalTOML(any) error { return errors.New("stop here") }

// firstError decodes data's values one by one in the file's order and
// returns the first one's error, else err: toml.Decode walks a table in
// Go's map order, so of several wrong values it would report any one.
func firstError(data string, err error) error {
	var f struct {
		Defaults map[string]toml.Primitive            `toml:"defaults"`
		Pair     map[string]map[string]toml.Primitive `toml:"pair"`
	}
	md, e := toml.Decode(data, &f)
	if e != nil {
		return err // a table where a value belongs, or the reverse
	}
	for _, k := range md.Keys() {
		// As toml.Decode does, a key names a field in any case.
		t, values := reflect.TypeFor[defaultsTOML](), f.Defaults
		if len(k) == 3 && strings.EqualFold(k[0], "pair") {
			t, values = reflect.TypeFor[pairTOML](), f.Pair[k[1]]
		} else if len(k) != 2 || !strings.EqualFold(k[0], "defaults") {
			continue
		}
		p, ok := values[k[len(k)-1]]
		if !ok { // a table or array of tables where a value belongs
			continue
		}
		if i := slices.IndexFunc(tomlKeys(t), func(f string) bool { return strings.EqualFold(f, k[len(k)-1]) }); i >= 0 {
			if err := md.PrimitiveDecode(p, reflect.New(t.Field(i).Type).Interface()); err != nil {
				return err
			}
		}
	}
	return err
}
