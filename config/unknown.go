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

// firstError decodes data key by key in the file's order and returns the
// first key's error, else err: toml.Decode walks a table in Go's map
// order, so of several wrong values it would report any one.
func firstError(data string, err error) error {
	var top map[string]toml.Primitive
	md, _ := toml.Decode(data, &top)
	tables := map[string]map[string]toml.Primitive{"": top}
	for _, k := range md.Keys() {
		t := reflect.TypeFor[fileTOML]()
		for i := range k {
			p, ok := tables[k[:i].String()][k[i]]
			if t = field(t, k[i]); !ok || t == nil {
				break
			}
			// A value is decoded, a table walked into.
			if t.Kind() != reflect.Map && t.Kind() != reflect.Struct || i == len(k)-1 && md.Type(k...) != "Hash" {
				if err := md.PrimitiveDecode(p, reflect.New(t).Interface()); err != nil {
					return err
				}
				break
			}
			if at := k[:i+1].String(); tables[at] == nil {
				m := map[string]toml.Primitive{}
				_ = md.PrimitiveDecode(p, &m)
				tables[at] = m
			}
		}
	}
	return err
}

// field is the type of key name in a TOML table decoded as t (a map or
// a struct), or nil for a key t has no place for.
func field(t reflect.Type, name string) reflect.Type {
	if t.Kind() == reflect.Map {
		return t.Elem()
	}
	if i := slices.IndexFunc(tomlKeys(t), func(k string) bool { return strings.EqualFold(k, name) }); i >= 0 {
		return t.Field(i).Type
	}
	return nil
}
