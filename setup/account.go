package setup

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// addPair returns the config old with [pair.NAME] appended (and made the
// default pair, with req.DefaultPair, where the config names none),
// keeping every byte of what is there; nil when nothing changes. A pair
// of that name that says something else is refused: setup adds, and
// never rewrites, what a person wrote.
func addPair(req Request, old []byte) ([]byte, error) {
	name := req.Pair
	exists := false
	if len(old) > 0 {
		cfg, err := config.Parse(req.ConfigPath, old)
		if err != nil {
			return nil, inputerr.Errorf("fix the config before adding a pair: %v", err)
		}
		for _, p := range cfg.Pairs {
			// Without -p the pair is found by its target too: setup
			// --target work records the pair that writes [work], once.
			mine := p.Name == name || req.DefaultPair && p.Target == req.Target
			if !mine || !pairDefined(old, p.Name) {
				continue
			}
			if p.Source != req.Source || p.SourcePair != req.SourcePair || p.Target != req.Target || p.RoleARN != req.RoleARN || p.ExternalID != req.ExternalID {
				return nil, inputerr.Errorf("pair %s already maps %s to [%s] in %s; edit it there", p.Name, from(p), p.Target, req.ConfigPath)
			}
			name, exists = p.Name, true
		}
	}
	out := old
	if !exists {
		out = appendTable(old, pairText(req, name))
	}
	if req.DefaultPair && !exists {
		out = makeDefault(req.ConfigPath, out, name)
	}
	if bytes.Equal(out, old) {
		return nil, nil
	}
	if _, err := config.Parse(req.ConfigPath, out); err != nil {
		if req.DefaultPair {
			return nil, inputerr.Errorf("setup records --source and --target as pair %s, which would not be valid: %v; name it with -p NAME", name, err)
		}
		return nil, inputerr.Errorf("the new pair would not be valid: %v", err)
	}
	return out, nil
}

// from says where a pair's keys come from, for messages.
func from(p config.Pair) string {
	if p.SourcePair != "" {
		return "pair " + p.SourcePair + "'s session"
	}
	return "[" + p.Source + "]"
}

// pairText is the [pair.NAME] table setup writes.
func pairText(req Request, name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[pair.%s]\n", tomlKey(name))
	if req.SourcePair != "" {
		fmt.Fprintf(&b, "source_pair = %q\n", req.SourcePair)
	} else {
		fmt.Fprintf(&b, "source = %q\n", req.Source)
	}
	fmt.Fprintf(&b, "target = %q\n", req.Target)
	if req.RoleARN != "" {
		fmt.Fprintf(&b, "role_arn = %q\n", req.RoleARN)
	}
	if req.ExternalID != "" {
		fmt.Fprintf(&b, "external_id = %q\n", req.ExternalID)
	}
	return b.String()
}

// tomlKey writes a pair name as a TOML key: bare when TOML allows it, else
// quoted (a pair name may hold . @ + = and ,, which a bare key may not).
// The values setup writes are checked names and ARNs, for which Go's %q
// and a TOML basic string agree.
func tomlKey(name string) string {
	if strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == "" {
		return name
	}
	return fmt.Sprintf("%q", name)
}

// appendTable appends a table to a TOML file, after a blank line.
func appendTable(old []byte, table string) []byte {
	var b bytes.Buffer
	b.Write(old)
	if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
		b.WriteString("\n")
	}
	if len(old) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(table)
	return b.Bytes()
}

// makeDefault makes name the default pair of the config data, unless
// [defaults] names one already (which setup leaves as the user set it)
// or name is the default anyway: pair = "NAME" goes under the [defaults]
// header, or a [defaults] table is appended.
func makeDefault(path string, data []byte, name string) []byte {
	var f struct {
		Defaults struct {
			Pair string `toml:"pair"`
		} `toml:"defaults"`
	}
	if _, err := toml.Decode(string(data), &f); err != nil || f.Defaults.Pair != "" {
		return data // a broken file is reported by the check after
	}
	if cfg, err := config.Parse(path, data); err == nil && cfg.Default == name {
		return data
	}
	line := fmt.Sprintf("pair = %q", name)
	lines := strings.SplitAfter(string(data), "\n")
	for i, l := range lines {
		var m map[string]any
		if !strings.HasPrefix(strings.TrimSpace(l), "[") {
			continue
		}
		if _, err := toml.Decode(l, &m); err == nil && len(m) == 1 && m["defaults"] != nil {
			eol := "\n"
			if strings.HasSuffix(l, "\r\n") {
				eol = "\r\n"
			}
			if !strings.HasSuffix(l, "\n") {
				lines[i] += eol
			}
			lines[i] += line + eol
			return []byte(strings.Join(lines, ""))
		}
	}
	return appendTable(data, "[defaults]\n"+line+"\n")
}

// awsProfile plans the edit that gives [profile Pair] in the AWS config
// file req.Process as its credential_process, none when it has it already. A
// profile of that name that runs something else is replaced only with
// --force, which keeps its other keys.
func awsProfile(req Request, p *plan) error {
	path := req.Paths.Config
	f, err := readINI(path)
	if err != nil {
		return err
	}
	_, err = p.add(path, f.Bytes(), ini(path, func(f *credfile.File) ([]byte, error) {
		section := "profile " + req.Pair
		set := []credfile.KV{{Key: "credential_process", Value: req.Process}}
		if req.Pair == "default" {
			section = "default"
		}
		if p := f.Profile(req.Pair, true); p != nil {
			if p.Get("credential_process") == req.Process {
				return nil, nil
			}
			if !req.Force {
				return nil, inputerr.Errorf("%s has a [%s] profile already; add --force to set its credential_process to aws-mfa (its other keys stay), or --no-aws-profile to leave it", path, p.Name)
			}
			section = p.Name
		} else if d := f.Profile("default", true); d != nil {
			// A new profile gets the region `aws configure` gave
			// [default]: without one, `aws --profile NAME` fails with
			// "You must specify a region".
			if region, _ := f.Value(d.Name, "region"); region != "" {
				set = append(set, credfile.KV{Key: "region", Value: region})
			}
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
