package app

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/shells"
)

// exitFiles is __complete's answer when the word is a path (a --config
// FILE): the shell completes files itself.
const exitFiles = 3

// exitCommand is __complete's answer inside exec's command line, with
// the line's first word's place on stdout (from 1, among the words after
// aws-mfa): the shell completes a command name there, and after it what
// that command's own completion offers.
const exitCommand = 4

// completeCommand answers the completion functions of the bash, zsh and
// fish hooks: `aws-mfa __complete WORD…` gets the words typed after
// aws-mfa, the last one being completed, and prints the candidates one a
// line, each with a tab and its description. It reads the app's own
// commands and flags, so the lists cannot drift from them. Candidates
// are not filtered by the typed prefix, which the shells do after
// unquoting it; nor quoted, which each shell does when inserting.
func completeCommand(sys System) *cli.Command {
	return machine("__complete", func(c *cli.Context) error {
		args := c.Args().Slice()
		if len(args) == 0 {
			args = []string{""}
		}
		lines, err := completions(sys, c.App, args)
		_, werr := fmt.Fprint(sys.Stdout, strings.Join(append(lines, ""), "\n"))
		return cmp.Or(err, werr)
	})
}

// completions finds the lines __complete prints for the last of args,
// the words after aws-mfa, and its exit status: each line a word, a tab
// and its description (every one is one line's: names, a pair's checked
// by config, and one-line texts).
func completions(sys System, app *cli.App, args []string) ([]string, error) {
	s, cur := scan(app, args[:len(args)-1], true), args[len(args)-1]
	name, _, eq := strings.Cut(cur, "=")
	f := findFlag(strings.TrimPrefix(name, "--"), s.flags, app.Flags)
	isExec := s.cmd != nil && s.cmd.Name == "exec"
	var lines []string
	switch {
	// In exec's command line, the place (from 1) of its first word: after
	// --, or at exec's first argument without one (exec aws s3 ls).
	case isExec && s.dash >= 0:
		return []string{fmt.Sprint(s.dash + 2)}, exitCode(exitCommand)
	case isExec && len(s.args) > 0:
		return []string{fmt.Sprint(s.args[0] + 1)}, exitCode(exitCommand)
	case isExec && s.pending == nil && !strings.HasPrefix(cur, "-"):
		return []string{fmt.Sprint(len(args))}, exitCode(exitCommand)
	case s.dash >= 0:
		return nil, exitCode(exitFiles)
	case s.pending != nil:
		return flagValues(sys, s.pending.Names()[0], s.values["config"])
	// --shell=fi in zsh and fish, which keep it one word: the values,
	// each written whole (bash splits at the = and is served above).
	case eq && strings.HasPrefix(name, "--") && takesValue(f):
		vals, err := flagValues(sys, f.Names()[0], s.values["config"])
		for i := range vals {
			vals[i] = name + "=" + vals[i]
		}
		return vals, err
	case strings.HasPrefix(cur, "-"):
		return flagLines(s.flags), nil
	case len(s.args) > 0: // nothing is offered after an argument
	case s.cmd == nil || s.cmd.Name == "help":
		for _, c := range app.VisibleCommands() {
			lines = append(lines, c.Name+"\t"+c.Usage)
		}
	case s.cmd.Name == "hook":
		for _, n := range shells.HookNames() {
			lines = append(lines, n+"\tprint the hook for "+n)
		}
	}
	return lines, nil
}

// scanned is what a command line's words say, read as urfave/cli and
// placeOptions read them: options may come before the subcommand.
type scanned struct {
	cmd      *cli.Command      // the subcommand, or nil
	cmdIndex int               // its word's index, from 0
	flags    []cli.Flag        // the flags that apply after the words
	pending  cli.Flag          // a flag whose value is the next word
	values   map[string]string // the options given a value, by first name
	args     []int             // the indexes of the words that are not options
	dash     int               // the index of a --, or -1
}

func scan(app *cli.App, words []string, completing bool) scanned {
	s := scanned{flags: app.Flags, cmdIndex: -1, values: map[string]string{}, dash: -1}
	for i, w := range words {
		switch {
		case s.dash >= 0:
			s.args = append(s.args, i)
		case s.pending != nil && w == "=" && completing: // bash's COMP_WORDS split --shell=x at the =
		case s.pending != nil:
			s.values[s.pending.Names()[0]], s.pending = w, nil
		case w == "--" && s.cmd == nil && len(s.args) == 0 && i+1 < len(words) && app.Command(words[i+1]) != nil:
			// urfave/cli still reads the one word after it as a command:
			// aws-mfa -- env is env.
		case w == "--":
			s.dash = i
		case strings.HasPrefix(w, "-") && w != "-":
			name, value, hasValue := strings.Cut(strings.TrimLeft(w, "-"), "=")
			// Options may come before the subcommand: the app's too.
			if f := findFlag(name, s.flags, app.Flags); hasValue && f != nil {
				s.values[f.Names()[0]] = value
			} else if takesValue(f) {
				s.pending = f
			}
		case s.cmd == nil && len(s.args) == 0 && app.Command(w) != nil && !app.Command(w).Hidden:
			s.cmd, s.cmdIndex, s.flags = app.Command(w), i, app.Command(w).Flags
		default:
			s.args = append(s.args, i)
		}
	}
	return s
}

// flagValues lists the values of the flag name, where they form a list;
// for a path, the shell completes files.
func flagValues(sys System, name, configFlag string) (lines []string, err error) {
	switch name {
	case "shell":
		for _, n := range shells.Names() {
			lines = append(lines, n+"\tdialect")
		}
	case "format":
		for _, f := range shells.Formats {
			lines = append(lines, f.Name+"\t"+f.Desc)
		}
	case "pair":
		// A config that cannot be read offers none: completion has
		// nowhere to say why.
		if cfg, err := config.Load(configPath(sys, configFlag)); err == nil {
			for _, p := range cfg.Pairs {
				from := map[bool]string{false: "[" + p.Source + "]", true: "pair " + p.SourcePair}[p.SourcePair != ""]
				lines = append(lines, p.Name+"\t"+from+" → ["+p.Target+"]")
			}
		}
	case "config":
		return nil, exitCode(exitFiles)
	}
	return lines, nil
}

// flagLines offers every flag by each of its names.
func flagLines(flags []cli.Flag) (lines []string) {
	for _, f := range flags {
		desc := ""
		if d, ok := f.(cli.DocGenerationFlag); ok {
			desc, _, _ = strings.Cut(strings.ReplaceAll(d.GetUsage(), "`", ""), " (") // the defaults are for --help
		}
		for _, n := range f.Names() {
			lines = append(lines, dashed(n)+"\t"+desc)
		}
	}
	return lines
}

func findFlag(name string, lists ...[]cli.Flag) cli.Flag {
	for _, f := range slices.Concat(lists...) {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

// takesValue says whether f (nil for none) is given a value.
func takesValue(f cli.Flag) bool {
	d, ok := f.(cli.DocGenerationFlag)
	return ok && d.TakesValue()
}
