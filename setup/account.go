package setup

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// addPair returns the config old with [pair.NAME] appended (and made the
// default pair, with req.DefaultPair, where the config names none),
// keeping every byte of what is there. A pair
// of that name that says something else is refused: setup adds, and
// never rewrites, what a person wrote.
func addPair(req Request, old []byte) ([]byte, error) {
	name := req.Pair
	exists := false
	cfg, err := config.Parse(req.ConfigPath, old)
	if err != nil {
		return nil, inputerr.Errorf("fix the config before adding a pair: %v", err)
	}
	// The pairs the file defines, by a [pair.NAME] table, an inline table
	// or dotted keys: the built-in pair is in cfg.Pairs too.
	md, _ := toml.Decode(string(old), new(map[string]any))
	for _, p := range cfg.Pairs {
		// Without -p the pair is found by its target too: setup
		// --target work records the pair that writes [work], once.
		if mine := p.Name == name || req.DefaultPair && p.Target == req.Target; !mine || !md.IsDefined("pair", p.Name) {
			continue
		}
		if p.Source != req.Source || p.SourcePair != req.SourcePair || p.Target != req.Target || p.RoleARN != req.RoleARN || p.ExternalID != req.ExternalID {
			from := map[bool]string{false: "[" + p.Source + "]", true: "pair " + p.SourcePair + "'s session"}[p.SourcePair != ""]
			return nil, inputerr.Errorf("pair %s already maps %s to [%s] in %s; edit it there", p.Name, from, p.Target, req.ConfigPath)
		}
		name, exists = p.Name, true
	}
	out := old
	if !exists {
		// A new table gets only the keys with a value: source, or
		// source_pair for a chained pair (whose Source is "").
		out = setKeys(old, toml.Key{"pair", name}, nil, []pairKey{{"source", req.Source}, {"source_pair", req.SourcePair}, {"target", req.Target}, {"role_arn", req.RoleARN}, {"external_id", req.ExternalID}})
		// With DefaultPair, name becomes the default pair, unless
		// [defaults] names one already (which setup leaves as the user set
		// it) or name is the built-in default anyway: pair = "NAME" goes
		// under the [defaults] header, or a [defaults] table is appended. A
		// broken file is reported by the check below.
		// [defaults] written as dotted keys or an inline table has no
		// header for pair = to go under: the new pair stays a named one.
		var f struct{ Defaults struct{ Pair string } }
		start, _ := table(out, toml.Key{"defaults"})
		if req.DefaultPair && name != config.BuiltinName && toml.Unmarshal(out, &f) == nil && f.Defaults.Pair == "" && (start >= 0 || !md.IsDefined("defaults")) {
			out = setKeys(out, toml.Key{"defaults"}, nil, []pairKey{{"pair", name}})
		}
	}
	if _, err := config.Parse(req.ConfigPath, out); err != nil {
		if req.DefaultPair {
			return nil, inputerr.Errorf("setup records --source and --target as pair %s, which would not be valid: %v; name it with -p NAME", name, err)
		}
		return nil, inputerr.Errorf("the new pair would not be valid: %v", err)
	}
	return out, nil
}

// pairKey is a key of a TOML table to set; value "" removes it.
type pairKey struct{ key, value string }

// setKeys sets keys in the TOML table named key ([defaults], [pair.NAME])
// line by line, keeping every other byte and the header's line end: a key
// there already, on a line at the top (config.TopLines), is set in place,
// keeping a comment after its value (value "" removes it, but for that
// comment), others go right after the header. A table not there is
// appended, with first's keys before kvs (a pair's profiles, say).
func setKeys(data []byte, key toml.Key, first, kvs []pairKey) []byte {
	start, end := table(data, key)
	if start < 0 {
		// A new table goes at the end, after a blank line.
		header := "[" + key.String() + "]\n"
		if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) {
			header = "\n\n" + header
		} else if len(data) > 0 {
			header = "\n" + header
		}
		data = slices.Concat(data, []byte(header))
		start, end = table(data, key)
		kvs = slices.Concat(first, kvs)
	}
	lines, top := strings.SplitAfter(string(data), "\n"), config.TopLines(data)
	eol := "\n"
	if strings.HasSuffix(lines[start], "\r\n") {
		eol = "\r\n"
	}
	var insert []string
	for _, kv := range kvs {
		at := -1
		for i := start + 1; i < end; i++ {
			if k, _, ok := strings.Cut(lines[i], "="); ok && top[i] && strings.Trim(strings.TrimSpace(k), `"'`) == kv.key {
				at = i
			}
		}
		switch line := fmt.Sprintf("%s = %q", kv.key, kv.value); {
		case at >= 0 && kv.value != "":
			lines[at] = line + comment(lines[at]) + eol
		case at >= 0: // removed; a comment on the line stays, on its own
			if lines[at] = strings.TrimLeft(comment(lines[at]), " \t"); lines[at] != "" {
				lines[at] += eol
			}
		case kv.value != "":
			insert = append(insert, line+eol)
		}
	}
	if !strings.HasSuffix(lines[start], "\n") {
		lines[start] += eol
	}
	lines[start] += strings.Join(insert, "")
	return []byte(strings.Join(lines, ""))
}

// comment returns the comment after line's value, with the blanks before
// it; "" for none. line sets a key to a string, as each key that setKeys
// edits holds: "basic" with \ escapes, 'literal', or either tripled.
func comment(line string) string {
	_, v, _ := strings.Cut(strings.TrimRight(line, "\r\n"), "=")
	if v = strings.TrimLeft(v, " \t"); v == "" || v[0] != '"' && v[0] != '\'' {
		return ""
	}
	q := v[:1]
	if strings.HasPrefix(v, q+q+q) {
		q = v[:3]
	}
	for i := len(q); i < len(v); i++ {
		if q[0] == '"' && v[i] == '\\' {
			i++ // escaped
		} else if strings.HasPrefix(v[i:], q) {
			// The closing quotes are the last of their run: '''a''''' is a''.
			if rest := strings.TrimLeft(v[i:], q[:1]); strings.HasPrefix(strings.TrimLeft(rest, " \t"), "#") {
				return rest
			}
			break
		}
	}
	return ""
}

// table finds the lines of the TOML table named key in data: its header,
// and the line after its last (the next header, or the end); start is -1
// when there is none. Only a line at the top is a header: one in a
// multi-line string is text of the string (config.TopLines).
func table(data []byte, key toml.Key) (start, end int) {
	start = -1
	lines, top := strings.SplitAfter(string(data), "\n"), config.TopLines(data)
	for i, l := range lines {
		if !top[i] || !strings.HasPrefix(strings.TrimSpace(l), "[") {
			continue
		}
		if start >= 0 {
			return start, i
		}
		var m map[string]any
		if md, err := toml.Decode(l, &m); err == nil && len(md.Keys()) == 1 && slices.Equal(md.Keys()[0], key) {
			start = i
		}
	}
	return start, len(lines)
}

// awsProfile plans the edit that gives [profile Pair] in the AWS config
// file req.Process as its credential_process, none when it has it already. A
// profile of that name that runs something else is replaced only with
// --force, which keeps its other keys.
func awsProfile(req Request, p *plan) error {
	path := req.Paths.Config
	f, err := credfile.ReadOrEmpty(path)
	if err != nil {
		return err
	}
	_, err = p.add(path, f.Bytes(), credfile.Parsed(path, func(f *credfile.File) ([]byte, error) {
		section, set := credfile.ProfileSection(req.Pair), []credfile.KV{{Key: "credential_process", Value: req.Process}}
		if p := f.Profile(req.Pair); p != nil {
			if p.Get("credential_process") == req.Process {
				return nil, nil
			}
			if err := credfile.ValidName(p.Name); err != nil {
				return nil, inputerr.Errorf("%s: cannot edit the header [%s] (%v); write it as [%s], or pass --no-aws-profile", path, p.Name, err, section)
			}
			if !req.Force {
				return nil, inputerr.Errorf("%s has a [%s] profile already; add --force to set its credential_process to aws-mfa (its other keys stay), or --no-aws-profile to leave it", path, p.Name)
			}
			section = p.Name
		} else if region, _ := f.ProfileValue("default", "region"); region != "" {
			// A new profile gets the region `aws configure` gave
			// [default]: without one, `aws --profile NAME` fails with
			// "You must specify a region".
			set = append(set, credfile.KV{Key: "region", Value: region})
		}
		return f.Edit(section, set, nil)
	}))
	return err
}

// ProcessLine is the credential_process value that runs argv, quoted so
// that botocore splits it back into argv, and sh, as the other SDKs run
// it, too: shlex's rules, except on
// Windows, where botocore splits as the C runtime does and a word with a
// space goes in double quotes. A word that no line can hold (a line
// break, a control character, a double quote on Windows) is refused.
func ProcessLine(goos string, argv ...string) (string, error) {
	words := make([]string, len(argv))
	for i, w := range argv {
		if w == "" || strings.ContainsFunc(w, func(r rune) bool { return r < 0x20 || r == 0x7f }) || goos == "windows" && strings.Contains(w, `"`) {
			return "", fmt.Errorf("cannot write %q into a credential_process line: it is empty or holds a control character or quote; install aws-mfa under a plainer path, or pass --no-aws-profile", w)
		}
		switch {
		case strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == "":
			words[i] = w
		case goos == "windows":
			words[i] = `"` + w + `"`
		default:
			// # and ; stand outside the quotes, escaped: aws-sdk-go-v2
			// cuts a value at a space followed by either, as an inline
			// comment (botocore does not).
			words[i] = "'" + strings.NewReplacer("'", `'"'"'`, "#", `'\#'`, ";", `'\;'`).Replace(w) + "'"
		}
	}
	return strings.Join(words, " "), nil
}
