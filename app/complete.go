package app

import (
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
// line, each with a tab and a description where there is one. It reads
// the app's own commands and flags, so the lists cannot drift from them.
// Candidates are not filtered by the typed prefix, which the shells do
// after unquoting it; nor quoted, which each shell does when inserting.
func completeCommand(sys System) *cli.Command {
	return machine("__complete", func(c *cli.Context) error {
		if n := commandStart(c.App, c.Args().Slice()); n > 0 {
			fmt.Fprintln(sys.Stdout, n)
			return exitCode(exitCommand)
		}
		cands, files := completions(c.App, c.Args().Slice(), func(configFlag string) []candidate {
			return pairCandidates(configPath(sys, configFlag))
		})
		if files {
			return exitCode(exitFiles)
		}
		var b strings.Builder
		for _, k := range cands {
			if strings.ContainsAny(k.word, "\t\n") || k.word == "" {
				continue // cannot be one line's word
			}
			b.WriteString(k.word)
			if k.desc != "" {
				b.WriteString("\t" + strings.ReplaceAll(k.desc, "\n", " "))
			}
			b.WriteByte('\n')
		}
		_, err := fmt.Fprint(sys.Stdout, b.String())
		return err
	})
}

// candidate is one completion with its description.
type candidate struct{ word, desc string }

// completions finds what may come in the last of args, the words after
// aws-mfa. files asks the shell to complete a path instead. pairs lists
// the pairs of the config that --config (or its default) names.
func completions(app *cli.App, args []string, pairs func(configFlag string) []candidate) (cands []candidate, files bool) {
	if len(args) == 0 {
		args = []string{""}
	}
	cur := args[len(args)-1]
	s := scan(app, args[:len(args)-1])
	cmd, flags, pending, configFlag, positional := s.cmd, s.flags, s.pending, s.configFlag, s.positional
	if s.dashdash {
		return nil, true // exec's command and its arguments
	}
	if pending != nil {
		return flagValues(pending, configFlag, pairs)
	}
	// --shell=fi in zsh and fish, which keep it one word: the values,
	// each written whole (bash splits at the = and is served above).
	if name, _, ok := strings.Cut(cur, "="); ok && strings.HasPrefix(name, "--") {
		if f := findFlag(strings.TrimPrefix(name, "--"), flags, app.Flags); f != nil && takesValue(f) {
			vals, files := flagValues(f, configFlag, pairs)
			for i := range vals {
				vals[i].word = name + "=" + vals[i].word
			}
			return vals, files
		}
	}
	if strings.HasPrefix(cur, "-") {
		return flagCandidates(flags), false
	}
	switch {
	case cmd == nil && positional == 0, cmd != nil && cmd.Name == "help" && positional == 0:
		for _, c := range app.VisibleCommands() {
			cands = append(cands, candidate{c.Name, c.Usage})
		}
	case cmd != nil && cmd.Name == "hook" && positional == 0:
		for _, n := range shells.HookNames() {
			cands = append(cands, candidate{n, "print the hook for " + n})
		}
	}
	return cands, false
}

// commandStart is the place (from 1) of the first word of exec's command
// line, when the last of args is in it: after --, or at exec's first
// argument without one (exec aws s3 ls); else 0.
func commandStart(app *cli.App, args []string) int {
	if len(args) == 0 {
		return 0
	}
	s := scan(app, args[:len(args)-1])
	switch {
	case s.cmd == nil || s.cmd.Name != "exec":
		return 0
	case s.dashdash:
		return s.dashIndex + 2
	case s.firstArg >= 0:
		return s.firstArg + 1
	case s.pending == nil && !strings.HasPrefix(args[len(args)-1], "-"):
		return len(args)
	}
	return 0
}

// scanned is what a command line's words say, read as urfave/cli and
// placeOptions read them: options may come before the subcommand.
type scanned struct {
	cmd        *cli.Command // the subcommand, or nil
	cmdIndex   int          // its word's index, from 0
	flags      []cli.Flag   // the flags that apply after the words
	pending    cli.Flag     // a flag whose value is the next word
	configFlag string       // the --config given
	positional int          // arguments that are not options
	dashdash   bool         // a -- was seen
	dashIndex  int          // its index
	firstArg   int          // the subcommand's first argument's index, or -1
}

func scan(app *cli.App, words []string) scanned {
	s := scanned{flags: app.Flags, cmdIndex: -1, dashIndex: -1, firstArg: -1}
	for i, w := range words {
		switch {
		case s.dashdash:
			s.positional++
		case s.pending != nil && w == "=": // bash splits --shell=x at the =
			continue
		case s.pending != nil:
			if flagName(s.pending) == "config" {
				s.configFlag = w
			}
			s.pending = nil
		case w == "--":
			s.dashdash, s.dashIndex = true, i
		case strings.HasPrefix(w, "-") && w != "-":
			name, value, hasValue := strings.Cut(strings.TrimLeft(w, "-"), "=")
			f := findFlag(name, s.flags, app.Flags) // options may come before the subcommand
			if f == nil {
				continue
			}
			if takesValue(f) && !hasValue {
				s.pending = f
			} else if hasValue && flagName(f) == "config" {
				s.configFlag = value
			}
		case s.cmd == nil && s.positional == 0 && app.Command(w) != nil && !app.Command(w).Hidden:
			s.cmd, s.cmdIndex = app.Command(w), i
			s.flags = s.cmd.Flags
		default:
			if s.cmd != nil && s.firstArg < 0 {
				s.firstArg = i
			}
			s.positional++
		}
	}
	return s
}

// flagValues lists the values a flag takes, where they form a list.
func flagValues(f cli.Flag, configFlag string, pairs func(string) []candidate) ([]candidate, bool) {
	var out []candidate
	switch flagName(f) {
	case "shell":
		for _, n := range shells.Names() {
			out = append(out, candidate{n, "dialect"})
		}
	case "format":
		for _, f := range shells.Formats {
			out = append(out, candidate{f.Name, f.Desc})
		}
	case "pair":
		out = pairs(configFlag)
	case "config":
		return nil, true
	}
	return out, false
}

// flagCandidates offers every visible flag by each of its names.
func flagCandidates(flags []cli.Flag) []candidate {
	var out []candidate
	for _, f := range flags {
		if v, ok := f.(cli.VisibleFlag); ok && !v.IsVisible() {
			continue
		}
		desc := ""
		if d, ok := f.(cli.DocGenerationFlag); ok {
			desc, _, _ = strings.Cut(strings.ReplaceAll(d.GetUsage(), "`", ""), " (") // the defaults are for --help
		}
		for _, n := range f.Names() {
			dash := "--"
			if len(n) == 1 {
				dash = "-"
			}
			out = append(out, candidate{dash + n, desc})
		}
	}
	return out
}

// pairCandidates lists the config's pairs; a config that cannot be read
// offers none (completion has nowhere to say why).
func pairCandidates(loc config.Location) []candidate {
	cfg, err := config.Load(loc)
	if err != nil {
		return nil
	}
	out := make([]candidate, 0, len(cfg.Pairs))
	for _, p := range cfg.Pairs {
		from := "[" + p.Source + "]"
		if p.SourcePair != "" {
			from = "pair " + p.SourcePair
		}
		out = append(out, candidate{p.Name, from + " → [" + p.Target + "]"})
	}
	return out
}

func findFlag(name string, lists ...[]cli.Flag) cli.Flag {
	for _, flags := range lists {
		for _, f := range flags {
			if slices.Contains(f.Names(), name) {
				return f
			}
		}
	}
	return nil
}

func flagName(f cli.Flag) string { return f.Names()[0] }

func takesValue(f cli.Flag) bool {
	v, ok := f.(interface{ TakesValue() bool })
	return ok && v.TakesValue()
}
