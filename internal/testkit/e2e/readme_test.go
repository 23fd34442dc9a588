package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// A command line of README.md, CONTRIBUTING.md or docs/ is covered when a
// testscript quotes it verbatim in
// a "# README: <line>" comment and the next line that is not a comment (or
// blank) runs something: the commands that follow carry out what the line
// says, with 314159 for the README's code 123456.
const readmeMark = "# README: "

// runsAwsMFA finds aws-mfa used as a command in a line or code span: at the
// start, after a shell's "$(", "(", "| ", a quote, a backtick or a
// directory, and followed by an argument, a closing bracket or the end.
// "[aws-mfa]", "aws-mfa/config.toml", "aws-mfa-SOURCE", a quoted profile
// name, prose ("run aws-mfa with a code") and the "aws-mfa: " prefix of
// messages are names, not commands. The build line's
// "$(go env GOPATH)/bin/aws-mfa" --help is not matched either (quoted path).
var runsAwsMFA = regexp.MustCompile("(?:^|[(\"'`/]|\\|\\s*)aws-mfa(?:$|[ )])")

// placeholder marks a synopsis rather than a line to type: an ellipsis, an
// optional part in brackets, or a word in capitals standing for a value
// (CODE, SHELL, NAME; "$SECRET" is a variable, not a placeholder).
var placeholder = regexp.MustCompile(`…|\[[-A-Za-z]|(?:^|[\s\[=])[A-Z]{2,}(?:$|[\s\]…])`)

// trailingComment is a "  # what it does" remark after a command in a code
// block.
var trailingComment = regexp.MustCompile(`\s{2,}#.*$`)

// span is an inline code span: `x`, or “x” when x holds a backtick.
var span = regexp.MustCompile("``\\s?(.+?)\\s?``|`([^`]+)`")

// readmeCommands returns every command line README.md shows that runs
// aws-mfa, as it is to be quoted, and the synopsis lines it exempts.
func readmeCommands(readme string) (cmds, synopses []string) {
	add := func(line string) {
		line = strings.Join(strings.Fields(line), " ")
		if !runsAwsMFA.MatchString(line) || line == "aws-mfa" || strings.HasPrefix(line, "aws-mfa: ") {
			// bare "aws-mfa" names the program in prose; "aws-mfa: " is
			// the prefix of its messages.
			return
		}
		if placeholder.MatchString(line) {
			synopses = append(synopses, line)
			return
		}
		cmds = append(cmds, line)
	}
	var prose []string
	flush := func() {
		text := strings.Join(prose, " ")
		prose = prose[:0]
		for _, m := range span.FindAllStringSubmatch(text, -1) {
			s := m[1] + m[2]
			if (strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~/")) && !strings.ContainsAny(s, " \t") {
				continue // a file's path alone, in prose, names it
			}
			add(strings.ReplaceAll(s, `\|`, "|")) // a table cell escapes |
		}
	}
	inBlock, lang, session := false, "", false
	lines := strings.Split(readme, "\n")
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			flush()
			inBlock = !inBlock
			lang = strings.TrimPrefix(trimmed, "```")
			// A block that shows a session ("$ aws-mfa status" and its
			// output) holds commands only on its "$ " lines.
			session = false
			for _, l := range lines[i+1:] {
				l = strings.TrimSpace(l)
				if strings.HasPrefix(l, "```") {
					break
				}
				session = session || strings.HasPrefix(l, "$ ")
			}
			continue
		}
		if !inBlock {
			if trimmed == "" || strings.HasPrefix(trimmed, "|") {
				flush() // a paragraph or table row ends; spans do not cross
			}
			prose = append(prose, line)
			if strings.HasPrefix(trimmed, "|") {
				flush()
			}
			continue
		}
		cmd, prompt := strings.CutPrefix(trimmed, "$ ")
		switch {
		case strings.HasPrefix(cmd, "credential_process"):
			add(cmd) // the AWS CLI runs it, in any block
		case session && !prompt, lang != "" && lang != "sh", strings.HasPrefix(cmd, "#"):
			// output, a file's content, a comment
		default:
			// "  # remark" or a synopsis's description column
			cmd, _, _ = strings.Cut(trailingComment.ReplaceAllString(cmd, ""), "  ")
			add(cmd)
		}
	}
	flush()
	return cmds, synopses
}

// scriptCoverage maps each "# README: " line of the scripts to whether a
// command follows it.
func scriptCoverage(t *testing.T) map[string]bool {
	files, err := filepath.Glob(filepath.Join(moduleRoot, "testdata", "script", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata/script: %v", err)
	}
	covered := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		quotedRuns(string(b), covered)
	}
	return covered
}

// quotedRuns records in covered each line a script quotes after "# README: "
// and whether a command follows it: the next line that is neither a comment
// nor another quoted line, before a blank line.
func quotedRuns(txtar string, covered map[string]bool) {
	script, _, _ := strings.Cut(txtar, "\n-- ") // the script, not its files
	lines := strings.Split(script, "\n")
	for i, l := range lines {
		quoted, ok := strings.CutPrefix(strings.TrimSpace(l), readmeMark)
		if !ok {
			continue
		}
		quoted = strings.Join(strings.Fields(quoted), " ")
		runs := false
		for _, next := range lines[i+1:] {
			next = strings.TrimSpace(next)
			if next == "" {
				break
			}
			if !strings.HasPrefix(next, "#") {
				runs = true
				break
			}
		}
		covered[quoted] = covered[quoted] || runs
	}
}

// docPages are the pages whose command lines the tests run: README.md,
// CONTRIBUTING.md and every page in docs/.
func docPages(t *testing.T) []string {
	pages, err := filepath.Glob(filepath.Join(moduleRoot, "docs", "*.md"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no pages in docs/: %v", err)
	}
	return append([]string{filepath.Join(moduleRoot, "README.md"), filepath.Join(moduleRoot, "CONTRIBUTING.md")}, pages...)
}

// TestReadmeCommandsAreRun: every command line README.md, CONTRIBUTING.md
// and docs/ show is run by a script (issues 11 and 19).
func TestReadmeCommandsAreRun(t *testing.T) {
	var cmds, synopses []string
	for _, page := range docPages(t) {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		c, s := readmeCommands(string(b))
		cmds, synopses = append(cmds, c...), append(synopses, s...)
	}
	if len(cmds) < 20 {
		t.Fatalf("found only %d command lines in the docs; the extraction is broken", len(cmds))
	}
	for _, s := range synopses {
		t.Logf("synopsis, exempt: %s", s)
	}
	covered := scriptCoverage(t)
	for _, l := range releaseLines(t) {
		covered[strings.Join(strings.Fields(l), " ")] = true // TestRelease runs them, in CI
	}
	var missing []string
	seen := map[string]bool{}
	for _, c := range cmds {
		if seen[c] {
			continue
		}
		seen[c] = true
		if !covered[c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d command lines in README.md, CONTRIBUTING.md and docs/ are run by no test; quote each in testdata/script as %q followed by the commands that run it:\n\t%s",
			len(missing), len(seen), readmeMark+"<line>", strings.Join(missing, "\n\t"))
	}
}

// TestReadmeCommandExtraction: what counts as a README command line, what
// is a synopsis, and what is only a name.
func TestReadmeCommandExtraction(t *testing.T) {
	const md = "# t\n\n" +
		"```sh\naws-mfa setup -t 123456   # first\n# a comment\n```\n\n" +
		"```\naws-mfa doctor                        check files\naws-mfa [options] [CODE]  refresh\n```\n\n" +
		"```\n$ aws-mfa status\nPAIR  SOURCE → TARGET\ndefault  aws-mfa → default  valid\n```\n\n" +
		"```ini\n[aws-mfa]\n# aws-mfa replaces them\ncredential_process = /usr/local/bin/aws-mfa env --format json -p prod\n```\n\n" +
		"```toml\nsource = \"aws-mfa\"\n```\n\n" +
		"Run `aws-mfa 123456` with the code; `[aws-mfa]`, `aws-mfa/config.toml`,\n" +
		"`aws-mfa-SOURCE`, `aws-mfa: ` and `aws-mfa` are names, as is\n" +
		"`no session in [x]; run aws-mfa with a code`. A span may wrap: `aws-mfa\n314 159`.\n" +
		"`/usr/bin/aws-mfa` and `~/.local/bin/aws-mfa` are files; `/usr/bin/aws-mfa -v` runs.\n\n" +
		"| fish | `aws-mfa env \\| source` |\n| tcsh | ``eval \"`aws-mfa env`\"`` |\n" +
		"| x | `oathtool -b \"$SECRET\" | aws-mfa` and `aws-mfa hook SHELL`, `aws-mfa exec -p prod -- …` |\n"
	cmds, synopses := readmeCommands(md)
	wantCmds := []string{
		"aws-mfa setup -t 123456",
		"aws-mfa doctor",
		"aws-mfa status",
		"credential_process = /usr/local/bin/aws-mfa env --format json -p prod",
		"aws-mfa 123456",
		"aws-mfa 314 159",
		"/usr/bin/aws-mfa -v",
		"aws-mfa env | source",
		"eval \"`aws-mfa env`\"",
		"oathtool -b \"$SECRET\" | aws-mfa",
	}
	wantSynopses := []string{"aws-mfa [options] [CODE]", "aws-mfa hook SHELL", "aws-mfa exec -p prod -- …"}
	if strings.Join(cmds, "\n") != strings.Join(wantCmds, "\n") {
		t.Errorf("commands:\n\t%s\nwant:\n\t%s", strings.Join(cmds, "\n\t"), strings.Join(wantCmds, "\n\t"))
	}
	if strings.Join(synopses, "\n") != strings.Join(wantSynopses, "\n") {
		t.Errorf("synopses:\n\t%s\nwant:\n\t%s", strings.Join(synopses, "\n\t"), strings.Join(wantSynopses, "\n\t"))
	}

	covered := map[string]bool{}
	quotedRuns("# README: a\n# README: b\n# why\nexec x\n# README: c\n\n# README: d\n-- f --\n# README: e\nexec y\n", covered)
	for line, want := range map[string]bool{"a": true, "b": true, "c": false, "d": false, "e": false} {
		if covered[line] != want {
			t.Errorf("%q covered = %v, want %v", line, covered[line], want)
		}
	}
}

// link is a Markdown link's target: [text](target).
var link = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestDocLinksResolve: every link between README.md, CONTRIBUTING.md and
// docs/ names a file that exists and, after #, a heading in it.
func TestDocLinksResolve(t *testing.T) {
	for _, page := range docPages(t) {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			dest := page
			if file != "" {
				dest = filepath.Join(filepath.Dir(page), file)
			}
			text, err := os.ReadFile(dest)
			if err != nil {
				t.Errorf("%s: link %s: %v", filepath.Base(page), target, err)
				continue
			}
			if anchor != "" && !slices.Contains(headingAnchors(string(text)), anchor) {
				t.Errorf("%s: link %s: no such heading in %s", filepath.Base(page), target, file)
			}
		}
	}
}

// headingAnchors are the anchors GitHub gives a page's headings: lower
// case, punctuation dropped, spaces as hyphens.
func headingAnchors(md string) []string {
	var anchors []string
	inBlock := false
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "```") {
			inBlock = !inBlock
		}
		if inBlock || !strings.HasPrefix(l, "#") {
			continue
		}
		h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(l, "#")))
		h = strings.Map(func(r rune) rune {
			switch {
			case r == ' ':
				return '-'
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				return r
			}
			return -1
		}, h)
		anchors = append(anchors, h)
	}
	return anchors
}

// releaseLines are the command lines of the README's "From a release"
// block, each without its trailing comment.
func releaseLines(t *testing.T) []string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(moduleRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "\n## From a release\n")
	_, block, ok2 := strings.Cut(after, "```sh\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal(`README.md has no "From a release" section with a sh block`)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
		lines = append(lines, strings.TrimSpace(trailingComment.ReplaceAllString(l, "")))
	}
	return lines
}
