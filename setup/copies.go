package setup

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/internal/awscred"
	"github.com/aws-mfa/aws-mfa/internal/readfile"
	"github.com/aws-mfa/aws-mfa/shells"
)

// plainCopy is a file that holds a secret key in plaintext.
type plainCopy struct {
	path   string
	lines  []int
	backup bool // one of aws-mfa's own backups
}

func (c plainCopy) String() string {
	at := make([]string, len(c.lines))
	for i, n := range c.lines {
		at[i] = strconv.Itoa(n)
	}
	return fmt.Sprintf("%s (line %s)", shown(c.path), strings.Join(at, ", "))
}

// shown is a path as a message shows it: quoted, Go-style, when it holds
// a newline, an escape or anything else that is not printable, so that
// the message stays one line and cannot drive the terminal.
func shown(path string) string {
	if utf8.ValidString(path) && !strings.ContainsFunc(path, func(r rune) bool { return !strconv.IsPrint(r) }) {
		return path
	}
	return strconv.Quote(path)
}

// Bounds on the search for copies: it reads only regular files, never
// follows a link, opens nothing that could block (readfile), and stops
// at these, reporting what it did not search.
const (
	copiesDepth    = 4       // directory levels below each one searched
	copiesFiles    = 2000    // files looked at
	copiesFileSize = 4 << 20 // bytes read from one file
	copiesBytes    = 64 << 20
	copiesTime     = 5 * time.Second
)

// awsDirs are the directories searched for copies of keys: those of the
// credentials and AWS config files (their links followed) and ~/.aws.
func awsDirs(paths credfile.Paths, home string) []string {
	var candidates, dirs []string
	for _, p := range []string{paths.Credentials, paths.Config} {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			candidates = append(candidates, filepath.Dir(real))
		}
		candidates = append(candidates, filepath.Dir(p))
	}
	if home != "" {
		candidates = append(candidates, filepath.Join(home, ".aws"))
	}
	for _, dir := range candidates {
		if dir == "." {
			continue // no file named, or a relative one
		}
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			dir = real
		}
		if !slices.ContainsFunc(dirs, func(d string) bool { return d == dir || strings.HasPrefix(dir, d+string(filepath.Separator)) }) {
			dirs = append(dirs, dir)
		}
	}
	return dirs
}

// backupRE matches the names of aws-mfa's own backups (Locked.Backup).
var backupRE = regexp.MustCompile(`\.aws-mfa-backup-[0-9]{8}T[0-9]{6}Z(-[0-9]+)?$`)

// findCopies lists the files in dirs, and below, that hold secret, and
// says what it could not search. It lists a directory in chunks, so that
// one with a million entries cannot hold it past deadline.
func findCopies(dirs []string, secret string, deadline time.Time) (found []plainCopy, skipped []string) {
	if len(secret) < 8 {
		return nil, nil // too short to tell from other text; AWS's are 40 characters
	}
	files, total := 0, 0
	seen := map[string]bool{}
	skip := func(what string, err error) { skipped = append(skipped, what+" ("+reason(err)+")") }
	// walk and stopped report whether the search stops there, at a bound.
	stopped := func(root string) bool {
		skipped = append(skipped, "the rest of "+shown(root)+" (stopped after "+strconv.Itoa(files)+" files)")
		return true
	}
	var walk func(root, dir string) bool
	walk = func(root, dir string) bool {
		d, err := os.Open(dir)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				skip(shown(dir), err)
			}
			return false
		}
		defer d.Close()
		for {
			entries, err := d.ReadDir(256)
			if time.Now().After(deadline) {
				return stopped(root)
			}
			slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
			for _, e := range entries {
				path := filepath.Join(dir, e.Name())
				if e.IsDir() {
					if rel, _ := filepath.Rel(root, path); strings.Count(rel, string(filepath.Separator)) >= copiesDepth {
						skipped = append(skipped, shown(path)+" (too deep)")
					} else if walk(root, path) {
						return true
					}
					continue
				}
				if !e.Type().IsRegular() || seen[path] {
					continue // a link, FIFO, socket or device: nothing aws-mfa or an editor writes keys to
				}
				seen[path] = true
				if files >= copiesFiles || total > copiesBytes || time.Now().After(deadline) {
					return stopped(root)
				}
				files++
				data, err := readfile.Read(path, copiesFileSize)
				if err != nil {
					if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, readfile.ErrNotRegular) {
						skip(shown(path), err)
					}
					continue
				}
				total += len(data)
				if bytes.Contains(data, []byte(secret)) {
					c := linesWith(path, data, secret)
					c.backup = backupRE.MatchString(e.Name())
					found = append(found, c)
				}
			}
			if err == io.EOF {
				return false
			}
			if err != nil {
				skip("the rest of "+shown(dir), err)
				return false
			}
		}
	}
	for _, dir := range dirs {
		// A FIFO in a directory's place would block the open.
		if st, err := os.Lstat(dir); err == nil && !st.IsDir() {
			continue
		}
		if walk(dir, dir) {
			break
		}
	}
	return found, skipped
}

// linesWith is the copy of secret in data, read from path, by line.
func linesWith(path string, data []byte, secret string) plainCopy {
	c := plainCopy{path: path}
	for i, line := range bytes.Split(data, []byte("\n")) {
		if bytes.Contains(line, []byte(secret)) {
			c.lines = append(c.lines, i+1)
		}
	}
	return c
}

// reason is an error's text without the path it repeats.
func reason(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, readfile.ErrTooLarge):
		return "over " + strconv.Itoa(copiesFileSize>>20) + " MiB"
	case errors.Is(err, fs.ErrPermission):
		return "not readable by this user"
	case errors.As(err, &pe):
		return pe.Err.Error()
	}
	return err.Error()
}

// mayStay is said wherever a copy is deleted or to be deleted.
const mayStay = "a deleted file may survive on disk (journal, snapshots, backups of the home directory), so the real fix is to rotate the access key: aws-mfa rotate (with -p for another pair) stores a new one and deletes this one"

// copies tells, after setup --keyring, which files under ~/.aws still
// hold the secret key in plaintext, and offers to delete aws-mfa's own
// backups among them. A dry run (creds: the credentials file as the move
// would leave it) only tells.
func copies(d Deps, req Request, keys awscred.Keys, creds []byte) {
	found, skipped := findCopies(awsDirs(req.Paths, req.Home), keys.SecretAccessKey, time.Now().Add(copiesTime))
	offer := creds == nil
	if !offer {
		real, _ := filepath.EvalSymlinks(req.Paths.Credentials)
		found = slices.DeleteFunc(found, func(c plainCopy) bool { return c.path == real })
		if c := linesWith(req.Paths.Credentials, creds, keys.SecretAccessKey); len(c.lines) > 0 {
			found = append([]plainCopy{c}, found...)
		}
	}
	for _, s := range skipped {
		fmt.Fprintf(d.Out, "aws-mfa: did not search %s for other copies of the keys\n", s)
	}
	if len(found) == 0 {
		return
	}
	for _, c := range found {
		fmt.Fprintf(d.Out, "aws-mfa: the secret key of %s is still in plaintext in %s\n", exporter.MaskKey(keys.AccessKeyID), c)
	}
	backups := slices.DeleteFunc(slices.Clone(found), func(c plainCopy) bool { return !c.backup })
	if len(backups) > 0 && offer && d.Confirm != nil {
		plural := map[bool]string{true: "s"}[len(backups) > 1]
		if ok, err := d.Confirm(fmt.Sprintf("Delete aws-mfa's backup%s %s? [y/N]: ", plural, shownAll(backups))); err == nil && ok {
			for _, c := range backups {
				if err := os.Remove(c.path); err != nil {
					fmt.Fprintf(d.Out, "aws-mfa: could not delete %s: %v\n", shown(c.path), reason(err))
					continue
				}
				fmt.Fprintf(d.Out, "aws-mfa: deleted %s\n", shown(c.path))
				found = slices.DeleteFunc(found, func(f plainCopy) bool { return f.path == c.path })
			}
		}
	}
	if len(found) > 0 {
		fmt.Fprintf(d.Out, "aws-mfa: delete %s, or the keys in them; aws-mfa doctor fails until they are gone\n", shownAll(found))
	}
	fmt.Fprintf(d.Out, "aws-mfa: %s\n", mayStay)
}

// shownAll lists the copies' paths, as shown.
func shownAll(cs []plainCopy) string {
	paths := make([]string, len(cs))
	for i, c := range cs {
		paths[i] = shown(c.path)
	}
	return strings.Join(paths, ", ")
}

// copyFindings names each file under ~/.aws that holds k's secret key,
// and each that could not be searched, for doctor.
func copyFindings(out *findings, c Checkup, creds *credfile.File, where string, k awscred.Keys) {
	home, _ := credfile.Home(c.Getenv)
	found, skipped := findCopies(awsDirs(c.Paths, home), k.SecretAccessKey, time.Now().Add(copiesTime))
	real, _ := filepath.EvalSymlinks(c.Paths.Credentials)
	for _, f := range found {
		if f.path == real && len(holding(creds, k)) > 0 {
			continue // a profile's keys: the finding above says how setup --keyring removes them
		}
		fix := "delete the keys from it by hand; " + mayStay
		if f.backup {
			fix = "delete this backup of aws-mfa's: " + shells.Line("rm", f.path) + "; " + mayStay
		}
		out.fix(fmt.Sprintf("%s holds the secret key of %s, kept in %s, in plaintext", f, exporter.MaskKey(k.AccessKeyID), where), fix)
	}
	for _, s := range skipped {
		out.ok("did not search " + s + " for copies of the keys in " + where)
	}
}
