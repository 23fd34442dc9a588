package credfile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
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
	Credentials string
	Config      string
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
func Locate(getenv func(string) string) (Paths, error) {
	return locate(getenv, userHome)
}

func locate(getenv func(string) string, db func() (string, error)) (Paths, error) {
	p := Paths{
		Credentials: cmp.Or(getenv("AWS_SHARED_CREDENTIALS_FILE"), filepath.Join("~", ".aws", "credentials")),
		Config:      cmp.Or(getenv("AWS_CONFIG_FILE"), filepath.Join("~", ".aws", "config")),
	}
	for _, f := range []struct {
		path *string
		env  string
	}{{&p.Credentials, "AWS_SHARED_CREDENTIALS_FILE"}, {&p.Config, "AWS_CONFIG_FILE"}} {
		path, err := expandVars(*f.path, getenv)
		if err != nil {
			return Paths{}, inputerr.Errorf("%s: %w", f.env, err)
		}
		switch {
		case hasHomePrefix(path):
			home, err := resolveHome(getenv, db)
			if err != nil {
				return Paths{}, err
			}
			path = filepath.Join(home, path[1:])
		case strings.HasPrefix(path, "~"):
			if path, err = expandUser(path); err != nil {
				return Paths{}, inputerr.Errorf("%s: %w", f.env, err)
			}
		}
		*f.path = path
	}
	return p, nil
}

// expandVars is Python's os.path.expandvars, which botocore applies to
// both paths before expanduser: $NAME and ${NAME} are replaced by the
// variable's value, once, not expanded again. Where botocore would keep a
// reference to an unset (or empty) variable literally, as a strange
// relative path, it fails instead.
func expandVars(path string, getenv func(string) string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(path, '$')
		if i < 0 {
			b.WriteString(path)
			return b.String(), nil
		}
		b.WriteString(path[:i])
		rest := path[i+1:]
		name, n := "", 0
		if strings.HasPrefix(rest, "{") {
			if end := strings.IndexByte(rest, '}'); end >= 0 {
				name, n = rest[1:end], end+1
			}
		} else {
			for n < len(rest) && (rest[n] == '_' || rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= 'A' && rest[n] <= 'Z' || rest[n] >= '0' && rest[n] <= '9') {
				n++
			}
			name = rest[:n]
		}
		if n == 0 {
			b.WriteByte('$') // not a reference: kept, as Python does
			path = rest
			continue
		}
		v := getenv(name)
		if v == "" {
			return "", fmt.Errorf("the path refers to $%s, which is not set; set it, or write the path out", name)
		}
		b.WriteString(v)
		path = rest[n:]
	}
}

// expandUser expands ~NAME as Python's os.path.expanduser does, to that
// user's home directory; botocore keeps it literally for an unknown user,
// aws-mfa fails instead.
func expandUser(path string) (string, error) {
	i := strings.IndexAny(path, `/\`)
	if i < 0 {
		i = len(path)
	}
	u, err := user.Lookup(path[1:i])
	if err != nil || !filepath.IsAbs(u.HomeDir) {
		return "", fmt.Errorf("the path starts with %s, but the user database names no home directory for user %q; write the path out", path[:i], path[1:i])
	}
	return filepath.Join(u.HomeDir, path[i:]), nil
}

// Home returns the user's home directory as botocore finds it (Python's
// os.path.expanduser): $HOME (%USERPROFILE% on Windows), else the user
// database's entry for this user. It is always absolute.
func Home(getenv func(string) string) (string, error) { return resolveHome(getenv, userHome) }

func resolveHome(getenv func(string) string, db func() (string, error)) (string, error) {
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
	h, err := db()
	if err != nil || !filepath.IsAbs(h) {
		return "", fmt.Errorf("%w: %s is not set and the user database names no home directory for this user; set %s, or AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE", ErrNoHome, names[0], names[0])
	}
	return h, nil
}

// userHome asks the user database (/etc/passwd, NSS) for the current
// user's home directory.
func userHome() (string, error) {
	u, err := user.Current()
	if err != nil {
		return "", err
	}
	return u.HomeDir, nil
}

func hasHomePrefix(p string) bool {
	return p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`)
}

// Read reads and parses the file at path.
func Read(path string) (*File, error) {
	data, err := readFile(path)
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
	case err != nil:
		return nil, err
	}
	return data, nil
}

// Writer replaces files atomically. Its zero value is ready to use.
type Writer struct {
	// LockTimeout bounds the wait for another aws-mfa's lock (default 10s).
	LockTimeout time.Duration
	// beforeRename, when set, runs after the temp file is complete and
	// before it replaces the original; tests use it to simulate a crash.
	beforeRename func()
}

// Update rewrites the file at path under an exclusive lock: it reads the
// file again, hands it to edit, and atomically replaces it with edit's
// result. A missing file is passed to edit as an empty one. Symlinks are
// followed, so a linked file stays linked and its target is updated.
func (w Writer) Update(path string, edit func(*File) ([]byte, error)) error {
	return w.UpdateParsed(path, nil, edit)
}

// UpdateParsed is Update for a caller that has read and parsed the file
// before taking the lock: when the file still holds the same bytes, prev
// is handed to edit instead of parsing them again.
func (w Writer) UpdateParsed(path string, prev *File, edit func(*File) ([]byte, error)) error {
	return w.locked(path, func(real string) error {
		f := &File{}
		data, err := readFile(real)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		case prev != nil && prev.data != "" && string(data) == prev.data:
			f = prev
		default:
			if f, err = Parse(data); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
		}
		out, err := edit(f)
		if err != nil {
			return err
		}
		return w.replace(real, out)
	})
}

// WriteFile replaces the file at path with data, atomically and under the
// same lock as Update. It is for files that are not INI, such as
// aws-mfa's TOML config.
func (w Writer) WriteFile(path string, data []byte) error {
	return w.locked(path, func(real string) error { return w.replace(real, data) })
}

// locked follows symlinks from path, makes the directory, takes the lock,
// removes what crashed runs left, and calls fn with the file to write.
func (w Writer) locked(path string, fn func(real string) error) error {
	real, err := resolve(path)
	if err != nil {
		return err
	}
	// Refuse a FIFO or a device before creating anything beside it.
	if st, err := os.Stat(real); err == nil && !st.Mode().IsRegular() {
		_, err := readFile(real)
		return err
	}
	if err := mkdirAll(filepath.Dir(real)); err != nil {
		return err
	}
	unlock, err := w.lock(real)
	if err != nil {
		return err
	}
	defer unlock()
	cleanTemps(real)
	return fn(real)
}

// resolve follows symlinks to the file that is really written.
func resolve(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err == nil {
		return real, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	// A dangling link is followed to where it points; a missing file is created.
	if target, lerr := os.Readlink(path); lerr == nil {
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		return target, nil
	}
	return path, nil
}

func (w Writer) lock(real string) (func(), error) {
	timeout := w.LockTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	name := real + ".lock"
	st, statErr := os.Lstat(name)
	if statErr == nil && !st.Mode().IsRegular() {
		// A link planted there would make aws-mfa, perhaps run as root,
		// create or open a file wherever it points.
		return nil, fmt.Errorf("refusing to lock through %s: it is a %s, not a regular file; remove it and retry", name, readfile.Kind(st.Mode()))
	}
	// lockOpenFlags never follow a link and never block on a FIFO, should
	// one replace the file between the check above and the open.
	l := flock.New(name, flock.SetPermissions(0o600), flock.SetFlag(os.O_CREATE|os.O_RDONLY|lockOpenFlags))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("cannot lock %s (%w); aws-mfa needs write access to %s", name, err, filepath.Dir(real))
	}
	if !ok {
		return nil, fmt.Errorf("another aws-mfa has held %s for %s; wait for it to finish and retry", name, timeout)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		// The lock file is new: it belongs to the directory's owner.
		if err := giveToDirOwner(name); err != nil {
			_ = l.Unlock()
			return nil, err
		}
	}
	return func() { _ = l.Unlock() }, nil
}

// mkdirAll creates dir and its missing parents, private, each owned like
// the nearest directory that exists.
func mkdirAll(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append(missing, d)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := giveToDirOwner(missing[i]); err != nil {
			return err
		}
	}
	return nil
}

// giveToDirOwner gives a file aws-mfa just created the owner and group of
// its directory, when it runs as root and they differ: root refreshing a
// user's file must leave nothing the user cannot read or replace.
func giveToDirOwner(path string) error {
	if !isRoot() {
		return nil
	}
	st, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("stat %s: %w", filepath.Dir(path), err)
	}
	own, ok := ownerOf(st)
	if !ok {
		return nil
	}
	if err := os.Lchown(path, own.uid, own.gid); err != nil {
		return fmt.Errorf("give %s to its directory's owner: %w", path, err)
	}
	return nil
}

const tempPattern = ".aws-mfa-*.tmp"

func tempPrefix(real string) string { return "." + filepath.Base(real) }

// cleanTemps removes temp files that a crashed run left beside real. It
// runs under the lock, so no live run owns them.
func cleanTemps(real string) {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(real), tempPrefix(real)+tempPattern))
	for _, m := range matches {
		_ = os.Remove(m)
	}
}

// replace writes data to a temp file beside real and renames it over
// real. The mode is 0600, or the existing file's if that is stricter.
func (w Writer) replace(real string, data []byte) error {
	mode := fs.FileMode(0o600)
	var (
		own    owner
		hasOwn bool
	)
	if st, err := os.Stat(real); err == nil {
		mode = st.Mode().Perm() & 0o600
		own, hasOwn = ownerOf(st)
	}
	dir := filepath.Dir(real)
	tmp, err := os.CreateTemp(dir, tempPrefix(real)+tempPattern)
	if err != nil {
		return fmt.Errorf("create a temp file in %s: %w", dir, err)
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := tmp.Chmod(mode); err != nil {
		return fmt.Errorf("chmod %s: %w", name, err)
	}
	if err := keepOwner(tmp, real, own, hasOwn); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", name, err)
	}
	if w.beforeRename != nil {
		w.beforeRename()
	}
	if err := os.Rename(name, real); err != nil {
		return fmt.Errorf("replace %s: %w", real, err)
	}
	ok = true
	syncDir(dir)
	return nil
}

// keepOwner gives the new copy the old file's owner and group, or for a
// new file its directory's when running as root. It fails rather than
// silently hand another user's keys to the one running aws-mfa.
func keepOwner(tmp *os.File, real string, own owner, hasOwn bool) error {
	if !hasOwn {
		return giveToDirOwner(tmp.Name())
	}
	st, err := tmp.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", tmp.Name(), err)
	}
	if cur, ok := ownerOf(st); !ok || cur == own {
		return nil
	}
	if err := tmp.Chown(own.uid, own.gid); err != nil {
		return fmt.Errorf("cannot keep the owner of %s (uid %d, gid %d): %w; run aws-mfa as that user", real, own.uid, own.gid, err)
	}
	return nil
}
