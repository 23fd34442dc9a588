package credfile

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
	"github.com/aws-mfa/aws-mfa/internal/readfile"
)

// MaxSize is the largest file aws-mfa reads. Credentials files are a few
// kilobytes; anything this large is not one.
const MaxSize = 32 << 20

// ErrNotFound marks a credentials or config file that does not exist.
var ErrNotFound = errors.New("file not found")

// Paths are the two files the AWS CLI reads.
type Paths struct {
	Credentials, Config string
}

// ErrNoHome marks a home directory that cannot be found: ~/.aws then
// names no file, and a relative path would write keys into the current
// directory.
var ErrNoHome = inputerr.New("no home directory")

// Locate finds the files as the AWS CLI does: AWS_SHARED_CREDENTIALS_FILE
// and AWS_CONFIG_FILE, else ~/.aws/credentials and ~/.aws/config, with
// $VARS then ~ and ~user expanded as botocore does (os.path.expandvars,
// then expanduser). The home directory is resolved only when a path needs
// it (see Home).
func Locate(getenv func(string) string) (Paths, error) { return locate(getenv, user.Current) }

func locate(getenv func(string) string, db func() (*user.User, error)) (Paths, error) {
	creds, err := expand(getenv, db, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
	cfg, cfgErr := expand(getenv, db, "AWS_CONFIG_FILE", "config")
	if err = cmp.Or(err, cfgErr); err != nil {
		return Paths{}, err
	}
	return Paths{creds, cfg}, nil
}

// pyVar is the pattern of Python's os.path.expandvars: $NAME or ${NAME}.
var pyVar = regexp.MustCompile(`\$(?:(\w+)|\{([^}]+)\})`)

// expand returns the path in the variable env, else ~/.aws/name, expanded
// as botocore does: each $NAME and ${NAME} replaced by the variable's
// value, once, then ~ or ~user by a home directory. Where botocore would
// keep a reference literally (an unset or empty variable, a ${ without a
// name and its }, an unknown user), as a strange path, it fails instead.
func expand(getenv func(string) string, db func() (*user.User, error), env, name string) (string, error) {
	path := cmp.Or(getenv(env), filepath.Join("~", ".aws", name))
	if strings.Contains(pyVar.ReplaceAllString(path, ""), "${") {
		return "", inputerr.Errorf("%s: the path holds a ${ without a name and its }; write the path out", env)
	}
	for _, m := range pyVar.FindAllStringSubmatch(path, -1) {
		if name := m[1] + m[2]; getenv(name) == "" {
			return "", inputerr.Errorf("%s: the path refers to $%s, which is not set; set it, or write the path out", env, name)
		}
	}
	path = pyVar.ReplaceAllStringFunc(path, func(ref string) string { return getenv(pyVar.ReplaceAllString(ref, "${1}${2}")) })
	if !strings.HasPrefix(path, "~") {
		return path, nil
	}
	i := strings.IndexAny(path, `/\`)
	if i < 0 {
		i = len(path)
	}
	if i == 1 {
		home, err := resolveHome(getenv, db)
		return filepath.Join(home, path[1:]), err
	}
	u, err := user.Lookup(path[1:i])
	if err != nil || !filepath.IsAbs(u.HomeDir) {
		return "", inputerr.Errorf("%s: the path starts with %s, but the user database names no home directory for user %q; write the path out", env, path[:i], path[1:i])
	}
	return filepath.Join(u.HomeDir, path[i:]), nil
}

// Home returns the user's home directory as botocore finds it (Python's
// os.path.expanduser): $HOME (%USERPROFILE% on Windows), else the user
// database's entry for this user. It is always absolute.
func Home(getenv func(string) string) (string, error) { return resolveHome(getenv, user.Current) }

func resolveHome(getenv func(string) string, db func() (*user.User, error)) (string, error) {
	names := []string{"HOME"}
	if runtime.GOOS == "windows" {
		names = []string{"USERPROFILE", "HOME"}
	}
	for _, n := range names {
		if h := getenv(n); h != "" {
			if !filepath.IsAbs(h) {
				return "", fmt.Errorf("%w: %s is the relative path %q; set it to your home directory's absolute path, or set AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE", ErrNoHome, n, h)
			}
			return h, nil
		}
	}
	if u, err := db(); err == nil && filepath.IsAbs(u.HomeDir) {
		return u.HomeDir, nil
	}
	return "", fmt.Errorf("%w: %s is not set and the user database names no home directory for this user; set %s, or AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE", ErrNoHome, names[0], names[0])
}

// Read reads and parses the file at path.
func Read(path string) (*File, error) {
	data, err := readFile(path)
	return parseFile(path, data, err)
}

// ReadOrEmpty is Read, but a missing file reads as an empty one.
func ReadOrEmpty(path string) (*File, error) {
	data, err := readOrNil(path)
	return parseFile(path, data, err)
}

// parseFile parses data, read from path, naming path in its errors; a
// read that failed (err) is returned as it is.
func parseFile(path string, data []byte, err error) (*File, error) {
	if err != nil {
		return nil, err
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// readFile reads path through readfile: opened without blocking, so a
// FIFO or a device in its place fails at once instead of hanging, and
// never more than MaxSize bytes.
func readFile(path string) ([]byte, error) {
	data, err := readfile.Read(path, MaxSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w: %s", ErrNotFound, path)
	case errors.Is(err, readfile.ErrNotRegular):
		return nil, fmt.Errorf("%w: %w; it must be a text file", ErrUnreadable, err)
	case errors.Is(err, readfile.ErrTooLarge):
		return nil, fmt.Errorf("%w: %w; that is not a credentials file", ErrUnreadable, err)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("cannot read %s: %w; make it readable by this user", path, fs.ErrPermission)
	}
	return data, err
}

// readOrNil is readFile, but a missing file reads as nil.
func readOrNil(path string) ([]byte, error) {
	data, err := readFile(path)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return data, err
}

// LockWait bounds how long aws-mfa waits for another aws-mfa that holds
// a file's lock. The holder may be waiting for a person to type a code,
// at a terminal or a credential_process prompt, so every writer waits
// as long as that may take.
const LockWait = 2 * time.Minute

// Writer edits files atomically, under a lock. Its zero value is ready
// to use.
type Writer struct {
	// LockTimeout bounds the wait for another aws-mfa's lock (default
	// LockWait).
	LockTimeout time.Duration
	// Waiting, when set, is told once that this run waits for another's
	// lock, and whose: a wait of minutes needs saying (stderr).
	Waiting io.Writer
	// NoLinks refuses a path that is itself a link: aws-mfa's own state
	// files, which nothing should link elsewhere, and whose write would
	// replace the file the link leads to (the credentials, say).
	NoLinks bool
	// beforeRename, when set, runs after the temp file is complete and
	// before it replaces the original; tests use it to simulate a crash,
	// or another program writing the file.
	beforeRename func()
}

// EditBytes applies edit to the file at path as it is now, under its
// lock (see Locked.EditBytes); for files that are not INI, such as
// aws-mfa's TOML config.
func (w Writer) EditBytes(path string, edit func(old []byte) ([]byte, error)) error {
	l, err := w.Lock(path)
	if err != nil {
		return err
	}
	defer l.Unlock()
	return l.EditBytes(edit)
}

// Locked is a file whose lock this run holds. The lock orders aws-mfa
// against aws-mfa: concurrent runs take turns, and share one code. Other
// programs (aws configure, editors) write the file without it, so what
// was read before a wait may be stale when the run writes: a Locked never
// writes bytes computed before its EditBytes was called.
type Locked struct {
	w    Writer
	path string // as the caller named it, for messages
	real string // the file written: path with links followed
	lock *flock.Flock
	// had says the file held something when the run locked it or first
	// read it (Since), before its waits, or after its last write.
	had bool
}

// Lock follows symlinks from path, makes the directory, takes the lock
// beside the file they lead to, and removes what crashed runs left.
// Unlock releases it.
func (w Writer) Lock(path string) (*Locked, error) {
	if st, err := os.Lstat(path); w.NoLinks && err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a link, and aws-mfa writes its own files only in place; remove the link", path)
	}
	real, chain, err := resolve(path)
	if err != nil {
		return nil, err
	}
	// Refuse a FIFO or a device before creating anything beside it. One
	// swapped for a regular file since the stat reads without an error,
	// and is refused as well: no nil Locked comes with a nil error.
	st, err := os.Stat(real)
	if err == nil && !st.Mode().IsRegular() {
		_, err := readFile(real)
		return nil, cmp.Or(err, fmt.Errorf("%s changed while aws-mfa looked at it, so nothing was written; run aws-mfa again", path))
	}
	had := err == nil && st.Size() > 0
	if err := linkedAway(chain, real); err != nil {
		return nil, err
	}
	// The directory and its missing parents, private, owned like the
	// nearest directory that exists.
	dir := filepath.Dir(real)
	top := nearest(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	for d := dir; d != top; d = filepath.Dir(d) {
		if err := giveAway(d, top); err != nil {
			return nil, err
		}
	}
	lock, err := w.lock(real)
	if err != nil {
		return nil, err
	}
	// Temp files a crashed run left: under the lock, no live run owns them.
	// Their names are matched exactly, not as a glob: real's name may hold
	// glob characters, and a neighbour's temp file is its own run's.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		mid, own := strings.CutPrefix(e.Name(), "."+filepath.Base(real)+".aws-mfa-")
		mid, temp := strings.CutSuffix(mid, ".tmp")
		if own && temp && e.Type().IsRegular() && mid != "" && strings.Trim(mid, "0123456789") == "" {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return &Locked{w: w, path: path, real: real, lock: lock, had: had}, nil
}

// Unlock releases the lock.
func (l *Locked) Unlock() { _ = l.lock.Unlock() }

// Since tells l that the run read the file as old before a wait that came
// before Lock (IAM, the keyring): a file that held something then and is
// empty or gone now was emptied by another program, and is not written.
func (l *Locked) Since(old []byte) { l.had = l.had || len(old) > 0 }

// Read reads and parses the file as it is now; a missing file reads as
// an empty one.
func (l *Locked) Read() (*File, error) {
	data, err := readOrNil(l.real)
	return parseFile(l.path, data, err)
}

// Parsed is edit, of the INI file at path parsed, as an edit of its
// bytes: what EditBytes and Writer.EditBytes take.
func Parsed(path string, edit func(*File) ([]byte, error)) func([]byte) ([]byte, error) {
	return func(old []byte) ([]byte, error) {
		f, err := parseFile(path, old, nil)
		if err != nil {
			return nil, err
		}
		return edit(f)
	}
}

// maxTries bounds how often an edit is made again on a file that other
// programs keep changing while aws-mfa writes it.
const maxTries = 5

// EditBytes reads the file (nil when it does not exist), hands it to
// edit, and atomically replaces it with edit's result; nil leaves it
// alone. Just before the rename it reads the file again: if another
// program changed it meanwhile, the edit is made again on what that
// program wrote, so that its change is kept. A file that held something
// when it was locked and is now missing or empty was removed or caught
// mid-write (aws configure truncates, then writes) by another program:
// nothing is written, lest the edit replace the keys with itself alone.
func (l *Locked) EditBytes(edit func(old []byte) ([]byte, error)) error {
	for try := 1; ; try++ {
		old, err := readOrNil(l.real)
		if err != nil {
			return err
		}
		if l.had && len(old) == 0 {
			return fmt.Errorf("another program emptied or removed %s while aws-mfa waited, so nothing was written; check the file, then run aws-mfa again", l.path)
		}
		out, err := edit(old)
		if err != nil || out == nil {
			return err
		}
		err = l.w.replace(l.real, out, old)
		if err == nil {
			l.had = len(out) > 0
		}
		if !errors.Is(err, errChanged) {
			return err
		}
		if try == maxTries {
			return fmt.Errorf("%s changed %d times while aws-mfa was writing it, so nothing was written; retry once the program writing it is done", l.path, maxTries)
		}
	}
}

// errChanged says the file changed between the read and the rename.
var errChanged = errors.New("changed while being written")

// maxHops bounds a chain of links, as the kernel's 40 does.
const maxHops = 40

// resolve follows symlinks to the file that is really written, also a
// chain of links dangling at its end: the file is created where the last
// one points. It returns the file and the names it went through.
func resolve(path string) (string, []string, error) {
	chain := []string{path}
	for p := path; len(chain) <= maxHops; chain = append(chain, p) {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			return real, chain, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", nil, fmt.Errorf("resolve %s: %w", path, err)
		}
		target, err := os.Readlink(p)
		if err != nil {
			return p, chain, nil // a missing file is created
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = target
	}
	return "", nil, fmt.Errorf("resolve %s: more than %d links in a chain; point it at the file", path, maxHops)
}

// linkedAway refuses, when running as root, to create real, a file that
// does not exist yet, through a link of another user's (in any name of
// the chain that leads from the path to real) that leads into a
// directory that user does not own: a user's ~/.aws/credentials or
// ~/.config dangling into /etc would have root create /etc/nologin or a
// sudoers.d file. Links owned by root (the system's own) are trusted.
func linkedAway(chain []string, real string) error {
	if !isRoot() {
		return nil
	}
	if _, err := os.Lstat(real); !errors.Is(err, fs.ErrNotExist) {
		return nil // an existing file keeps its owner; nothing is created
	}
	dir := nearest(filepath.Dir(real))
	st, err := os.Stat(dir)
	if err != nil {
		return nil // creating the directory says what is wrong
	}
	dirOwner := ownerOf(st)
	for _, name := range chain {
		abs, _ := filepath.Abs(name)
		for p := abs; filepath.Dir(p) != p; p = filepath.Dir(p) {
			if lst, err := os.Lstat(p); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
				if o := ownerOf(lst); o.uid != 0 && o.uid != dirOwner.uid {
					return fmt.Errorf("%s leads to %s, which does not exist, through %s, a link of user %d, into %s, a directory that user does not own; run as root, aws-mfa creates no file there: create it as that directory's owner, or remove the link", chain[0], real, p, o.uid, dir)
				}
			}
		}
	}
	return nil
}

// lock takes the lock file beside real, waiting for another aws-mfa that
// holds it.
func (w Writer) lock(real string) (*flock.Flock, error) {
	timeout := cmp.Or(w.LockTimeout, LockWait)
	name := real + ".lock"
	st, statErr := os.Lstat(name)
	if statErr == nil && !st.Mode().IsRegular() {
		// A link planted there would make aws-mfa, perhaps run as root,
		// create or open a file wherever it points.
		return nil, fmt.Errorf("refusing to lock through %s: it is a %s, not a regular file; remove it and retry", name, readfile.Kind(st.Mode()))
	}
	// lockOpenFlags never follow a link and never block on a FIFO, should
	// one replace the file between the check above and the open.
	l := flock.New(name, flock.SetPermissions(0o600), flock.SetFlag(os.O_CREATE|os.O_RDWR|lockOpenFlags))
	ok, err := l.TryLock()
	if err == nil && !ok {
		if w.Waiting != nil {
			fmt.Fprintf(w.Waiting, "aws-mfa: %s holds %s; waiting up to %s for it\n", holder(name), name, timeout)
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		ok, err = l.TryLockContext(ctx, 20*time.Millisecond)
	}
	switch {
	case err != nil && !errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("cannot lock %s (%w); aws-mfa needs write access to %s", name, err, filepath.Dir(real))
	case !ok:
		return nil, fmt.Errorf("%s has held %s for %s; it is most likely waiting for an MFA code or a keyring at its prompt: answer it or end that process, then retry", holder(name), name, timeout)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		// The lock file is new: it belongs to whom the file belongs to.
		if err := giveAway(name, real); err != nil {
			_ = l.Unlock()
			return nil, err
		}
	}
	// The holder's process id, for the message of a run that gives up
	// waiting for it; the lock works without it.
	if f, err := os.OpenFile(name, os.O_WRONLY|os.O_TRUNC|lockOpenFlags, 0); err == nil {
		fmt.Fprintf(f, "%d\n", os.Getpid())
		f.Close()
	}
	return l, nil
}

// holder names the run that holds the lock name, by the process id it
// wrote there.
func holder(name string) string {
	if b, err := readfile.Read(name, 32); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			return fmt.Sprintf("another aws-mfa (process %d)", pid)
		}
	}
	return "another aws-mfa"
}

// nearest returns path or, while that does not exist, its nearest parent
// that does.
func nearest(path string) string {
	for _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && filepath.Dir(path) != path; _, err = os.Stat(path) {
		path = filepath.Dir(path)
	}
	return path
}

// giveAway gives a file aws-mfa just created (a lock, a directory, the
// new copy of a file) the owner and group of like, or while like does not
// exist of its nearest parent that does, when it runs as root and they
// differ: root editing a user's file must leave nothing the user cannot
// read or replace, and root's own file linked from a user's HOME gives
// the user nothing.
func giveAway(path, like string) error {
	if !isRoot() {
		return nil
	}
	like = nearest(like)
	st, err := os.Stat(like)
	if err != nil {
		return fmt.Errorf("stat %s: %w", like, err)
	}
	own := ownerOf(st)
	if err := os.Lchown(path, own.uid, own.gid); err != nil {
		return fmt.Errorf("give %s to the owner of %s: %w", path, like, err)
	}
	return nil
}

// OwnerUID is the user that owns st, which os.Stat made: 0 on Windows,
// whose files inherit their directory's ACL. setup's doctor checks the
// credentials file's directory by it.
func OwnerUID(st fs.FileInfo) int { return ownerOf(st).uid }

// Backup copies the file as it is now to NAME.aws-mfa-backup-STAMP
// beside it: beside the file its links lead to, with that file's owner
// and at most its mode, so that a backup sits where the secret does and
// no one reads it who could not read the file. It returns "" when the
// file is missing or empty.
func (l *Locked) Backup(now time.Time) (string, error) {
	data, err := readOrNil(l.real)
	if err != nil || len(data) == 0 {
		return "", err
	}
	stamp := l.real + ".aws-mfa-backup-" + now.UTC().Format("20060102T150405Z")
	backup := stamp
	f, err := os.OpenFile(backup, os.O_WRONLY|os.O_CREATE|os.O_EXCL|lockOpenFlags, 0o600)
	// Two runs within a second share a stamp: the later backup gets the
	// next free -N suffix, and no backup is ever overwritten.
	for n := 1; errors.Is(err, fs.ErrExist) && n < maxBackupsPerSecond; n++ {
		backup = fmt.Sprintf("%s-%d", stamp, n)
		f, err = os.OpenFile(backup, os.O_WRONLY|os.O_CREATE|os.O_EXCL|lockOpenFlags, 0o600)
	}
	if err == nil {
		err = writeLike(f, l.real, data)
	}
	if err != nil {
		return "", fmt.Errorf("back up %s: %w", l.path, err)
	}
	return backup, nil
}

// maxBackupsPerSecond bounds the search for a free backup name.
const maxBackupsPerSecond = 100

// tempPattern names the temp files beside real, for os.CreateTemp, which
// puts a number for the last *.
func tempPattern(real string) string { return "." + filepath.Base(real) + ".aws-mfa-*.tmp" }

// replace writes data to a temp file beside real and renames it over
// real, unless real no longer holds old (errChanged).
func (w Writer) replace(real string, data, old []byte) error {
	dir := filepath.Dir(real)
	tmp, err := os.CreateTemp(dir, tempPattern(real))
	if err != nil {
		return fmt.Errorf("create a temp file in %s: %w", dir, err)
	}
	if err := writeLike(tmp, real, data); err != nil {
		return err
	}
	// Once renamed the temp name is gone, and under the lock no other run
	// makes one: the remove only cleans up a write that stopped short.
	defer os.Remove(tmp.Name())
	if w.beforeRename != nil {
		w.beforeRename()
	}
	// A file turned into a link meanwhile (a dotfile manager adopting it)
	// must stay one; the rename would replace the link, and the edit
	// would miss the file it leads to, which is not the one locked.
	if st, err := os.Lstat(real); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s became a symbolic link while aws-mfa was writing it, so nothing was written; run aws-mfa again", real)
	}
	// A file that cannot be read again (grown past MaxSize, a FIFO, no
	// longer readable) cannot be shown unchanged either: it is left alone.
	switch cur, err := readFile(real); {
	case errors.Is(err, ErrNotFound) && old != nil, err == nil && !bytes.Equal(cur, old):
		return errChanged
	case err != nil && !errors.Is(err, ErrNotFound):
		return fmt.Errorf("%w; nothing was written", err)
	}
	if err := os.Rename(tmp.Name(), real); err != nil {
		return fmt.Errorf("replace %s: %w", real, err)
	}
	syncDir(dir)
	return nil
}

// writeLike writes data to f, a file aws-mfa just created to replace or
// back up real, and closes it, after giving it real's mode if stricter
// than 0600 and real's owner (see keepOwner): a copy the user cannot read
// is no copy. On failure it removes f.
func writeLike(f *os.File, real string, data []byte) error {
	err := keepOwner(f, real)
	if err == nil {
		_, err = f.Write(data)
		if err = cmp.Or(err, f.Sync(), f.Close()); err != nil {
			err = fmt.Errorf("write %s: %w", f.Name(), err)
		}
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
	}
	return err
}

// keepOwner gives f the mode 0600, or real's if that is stricter, and
// real's owner and group, or for a new file its directory's when running
// as root. It fails rather than silently hand another user's keys to the
// one running aws-mfa.
func keepOwner(f *os.File, real string) error {
	mode, own, exists := fs.FileMode(0o600), owner{}, false
	if st, err := os.Stat(real); err == nil {
		mode, own, exists = mode&st.Mode().Perm(), ownerOf(st), true
	}
	if err := f.Chmod(mode); err != nil {
		return fmt.Errorf("chmod %s: %w", f.Name(), err)
	}
	if !exists {
		return giveAway(f.Name(), real)
	}
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", f.Name(), err)
	}
	if ownerOf(st) == own {
		return nil
	}
	if err := f.Chown(own.uid, own.gid); err != nil {
		return fmt.Errorf("cannot keep the owner of %s (uid %d, gid %d): %w; run aws-mfa as that user", real, own.uid, own.gid, err)
	}
	return nil
}
