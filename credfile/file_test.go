//go:build unix

package credfile

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/readfile"
	"github.com/aws-mfa/aws-mfa/internal/testkit/testproc"
)

// TestLocate resolves the files as botocore does, and never to a
// relative path: with HOME unset it asks the user database, and without
// an answer there it stops.
func TestLocate(t *testing.T) {
	db := func(home string) func() (*user.User, error) {
		return func() (*user.User, error) {
			if home == "" {
				return nil, errors.New("no such user")
			}
			return &user.User{HomeDir: home}, nil
		}
	}
	for _, tc := range []struct {
		name       string
		env        map[string]string
		db         string
		creds, cfg string // "" means an ErrNoHome error
	}{
		{"HOME", map[string]string{"HOME": "/home/u"}, "/db", "/home/u/.aws/credentials", "/home/u/.aws/config"},
		{"from env, ~ expanded", map[string]string{"HOME": "/home/u", "AWS_SHARED_CREDENTIALS_FILE": "~/creds", "AWS_CONFIG_FILE": "/etc/aws/config"}, "", "/home/u/creds", "/etc/aws/config"},
		{"HOME unset: user database", map[string]string{}, "/var/lib/u", "/var/lib/u/.aws/credentials", "/var/lib/u/.aws/config"},
		{"HOME empty: user database", map[string]string{"HOME": ""}, "/var/lib/u", "/var/lib/u/.aws/credentials", "/var/lib/u/.aws/config"},
		{"HOME unset, no database entry", map[string]string{}, "", "", ""},
		{"HOME unset, relative database entry", map[string]string{}, "home/u", "", ""},
		{"HOME relative", map[string]string{"HOME": "."}, "/db", "", ""},
		{"HOME unset, files named absolutely", map[string]string{"AWS_SHARED_CREDENTIALS_FILE": "/c", "AWS_CONFIG_FILE": "/k"}, "", "/c", "/k"},
		{"HOME unset, one file under ~", map[string]string{"AWS_SHARED_CREDENTIALS_FILE": "/c"}, "", "", ""},
		{"HOME unset, USERPROFILE is Windows'", map[string]string{"USERPROFILE": "/w"}, "/db", "/db/.aws/credentials", "/db/.aws/config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := locate(func(k string) string { return tc.env[k] }, db(tc.db))
			if tc.creds == "" {
				if !errors.Is(err, ErrNoHome) || p != (Paths{}) {
					t.Fatalf("locate = %+v, %v; want ErrNoHome", p, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Credentials != filepath.FromSlash(tc.creds) || p.Config != filepath.FromSlash(tc.cfg) {
				t.Errorf("locate = %+v, want %s and %s", p, tc.creds, tc.cfg)
			}
		})
	}
}

func TestUpdateIsPrivateAtomicAndKeepsStricterModes(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		create bool
		mode   os.FileMode
		want   os.FileMode
	}{
		{"new file under umask 000", false, 0, 0o600},
		{"world readable", true, 0o644, 0o600},
		{"read-only for owner", true, 0o400, 0o400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"), "credentials")
			if tc.create {
				os.MkdirAll(filepath.Dir(path), 0o700)
				write(t, path, sample, tc.mode)
			}
			if err := editINI(Writer{}, path, setSession); err != nil {
				t.Fatal(err)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != tc.want {
				t.Errorf("mode %v, want %v", st.Mode().Perm(), tc.want)
			}
			leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".credentials.aws-mfa-*"))
			if len(leftovers) != 0 {
				t.Errorf("temp files left: %v", leftovers)
			}
		})
	}
}

func TestUpdateFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "aws-credentials")
	os.MkdirAll(filepath.Dir(real), 0o700)
	write(t, real, sample, 0o600)
	link := filepath.Join(dir, ".aws", "credentials")
	os.MkdirAll(filepath.Dir(link), 0o700)
	if err := os.Symlink("../dotfiles/aws-credentials", link); err != nil {
		t.Fatal(err)
	}
	if err := editINI(Writer{}, link, setSession); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link replaced: %v %v", st.Mode(), err)
	}
	data, _ := os.ReadFile(real)
	if !strings.Contains(string(data), "aws_session_token") || !strings.HasPrefix(string(data), sample) {
		t.Errorf("target not updated:\n%s", data)
	}
}

func TestUpdateFailuresLeaveTheFileIntact(t *testing.T) {
	t.Run("edit refuses", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "credentials")
		write(t, path, sample, 0o600)
		want := errors.New("no")
		if err := editINI(Writer{}, path, func(*File) ([]byte, error) { return nil, want }); !errors.Is(err, want) {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != sample {
			t.Error("changed")
		}
	})
	t.Run("a directory", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "credentials")
		os.Mkdir(path, 0o700)
		err := editINI(Writer{}, path, setSession)
		if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "not a regular file (a directory)") {
			t.Fatalf("err = %v", err)
		}
		if st, _ := os.Stat(path); !st.IsDir() {
			t.Error("directory replaced")
		}
	})
	t.Run("huge", func(t *testing.T) {
		// Sparse: a byte over MaxSize, without writing 32 MiB to disk.
		path := filepath.Join(t.TempDir(), "credentials")
		write(t, path, sample, 0o600)
		if err := os.Truncate(path, MaxSize+1); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(path)
		if err := editINI(Writer{}, path, setSession); !errors.Is(err, ErrUnreadable) || !errors.Is(err, readfile.ErrTooLarge) {
			t.Fatalf("err = %v", err)
		}
		if after, _ := os.ReadFile(path); string(after) != string(before) {
			t.Error("changed")
		}
	})
}

// TestUpdateSerialisesConcurrentWriters has many writers add their own
// profile at once; none may lose another's. Their starts are spread over
// one of the lock's 20 ms polls: writers that all poll in step take the
// lock one per poll, 40 polls in all.
func TestUpdateSerialisesConcurrentWriters(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "credentials")
	write(t, path, sample, 0o600)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i) * 500 * time.Microsecond)
			errs <- editINI(Writer{}, path, func(f *File) ([]byte, error) {
				return f.Edit(fmt.Sprintf("p%d", i), sessionKeys, nil)
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	data, _ := os.ReadFile(path)
	f, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		s := f.Section(fmt.Sprintf("p%d", i))
		if s == nil || s.Get("aws_session_token") != sessionKeys[2].Value {
			t.Errorf("profile p%d lost", i)
		}
	}
}

// TestCrashBeforeRename kills a writer between writing its temp file and
// the rename: the old file must survive whole, and the next run must
// clean the temp file up.
func TestCrashBeforeRename(t *testing.T) {
	if path := os.Getenv("CREDFILE_CRASH_PATH"); path != "" {
		w := Writer{beforeRename: func() { syscall.Kill(os.Getpid(), syscall.SIGKILL) }}
		_ = editINI(w, path, setSession)
		os.Exit(3) // not reached
	}
	path := filepath.Join(t.TempDir(), "credentials")
	write(t, path, sample, 0o600)
	cmd := exec.Command(os.Args[0], "-test.short", "-test.run=^TestCrashBeforeRename$") // -short: TestMain prepares no python3
	cmd.Env = append(os.Environ(), "CREDFILE_CRASH_PATH="+path)
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("helper was not killed: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != sample {
		t.Fatalf("file after crash:\n%s", b)
	}
	temps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".credentials.aws-mfa-*.tmp"))
	if len(temps) != 1 {
		t.Fatalf("expected the crashed run's temp file, found %v", temps)
	}
	if err := editINI(Writer{}, path, setSession); err != nil {
		t.Fatal(err)
	}
	if temps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".credentials.aws-mfa-*.tmp")); len(temps) != 0 {
		t.Errorf("leftovers not cleaned: %v", temps)
	}
}

// TestLeftoverTempsMatchedExactly: a run removes the temp files a crashed
// run left beside its own file, and no other: a name holding a glob
// character neither misses its own nor reaches a neighbour's, which that
// file's own run may be about to rename.
func TestLeftoverTempsMatchedExactly(t *testing.T) {
	for _, tc := range []struct{ name, neighbour string }{
		{"cred*", "credentials"},
		{"*", "credentials"},
		{"cred?", "credX"},
		{"c[r]ed", "cred"},
		{"cred[", "cred[x"},
		{`cred\`, "cred"},
		{`c\*`, "c*x"},
		{"credentials", "credentials.aws-mfa-backup-20261206T000000Z"},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, tc.name)
		write(t, path, sample, 0o600)
		own, theirs := filepath.Join(dir, "."+tc.name+".aws-mfa-123.tmp"), filepath.Join(dir, "."+tc.neighbour+".aws-mfa-456.tmp")
		write(t, own, sample, 0o600)
		write(t, theirs, sample, 0o600)
		// Bystanders: names that end like a temp file, and one that is
		// named like its own but is no file CreateTemp makes.
		bystanders := []string{"42.tmp", "0.tmp", ".aws-mfa-1.tmp", "." + tc.name + ".aws-mfa-.tmp", "." + tc.name + ".aws-mfa-7.tmp.x"}
		for _, b := range bystanders {
			write(t, filepath.Join(dir, b), sample, 0o600)
		}
		linked := filepath.Join(dir, "."+tc.name+".aws-mfa-8.tmp")
		os.Mkdir(filepath.Join(dir, "."+tc.name+".aws-mfa-9.tmp"), 0o700)
		os.Symlink(filepath.Join(dir, "42.tmp"), linked)
		bystanders = append(bystanders, "."+tc.name+".aws-mfa-8.tmp", "."+tc.name+".aws-mfa-9.tmp")
		if err := editINI(Writer{}, path, setSession); err != nil {
			t.Fatal(err)
		}
		for _, b := range bystanders {
			if _, err := os.Lstat(filepath.Join(dir, b)); err != nil {
				t.Errorf("%s: %s is gone: %v", tc.name, b, err)
			}
		}
		if _, err := os.Stat(own); err == nil {
			t.Errorf("%s: its own leftover %s is still there", tc.name, own)
		}
		if _, err := os.Stat(theirs); err != nil {
			t.Errorf("%s: the neighbour's temp file is gone: %v", tc.name, err)
		}
	}
}

// TestNonRegularFilesFailAtOnce names a FIFO (nobody writing), a device
// that never ends, a directory, and a link to each as the file: Read and
// Update fail at once with one line naming the path, create nothing
// beside it, and leave it alone.
func TestNonRegularFilesFailAtOnce(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "dir")
	os.Mkdir(sub, 0o700)
	for _, target := range []string{fifo, "/dev/zero", sub} {
		link := filepath.Join(dir, "link-to-"+filepath.Base(target))
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{target, link} {
			t.Run(path, func(t *testing.T) {
				before, _ := os.ReadDir(dir)
				_, rerr := Read(path)
				uerr := editINI(Writer{}, path, setSession)
				for _, err := range []error{rerr, uerr} {
					if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "not a regular file") || strings.Contains(err.Error(), "\n") {
						t.Errorf("err = %v", err)
					}
				}
				if after, _ := os.ReadDir(dir); len(after) != len(before) {
					t.Errorf("files created: %v -> %v", before, after)
				}
				if _, err := os.Stat("/dev/zero.lock"); err == nil {
					t.Error("/dev/zero.lock created")
				}
			})
		}
	}
}

// TestLocateExpandsLikeBotocore: the two paths get Python's
// os.path.expandvars and then expanduser, as botocore applies them;
// where Python would keep a reference literally (an unset variable, an
// unknown user), Locate fails with one line naming the variable.
func TestLocateExpandsLikeBotocore(t *testing.T) {
	testproc.Require(t, "python3")
	env := map[string]string{"HOME": "/home/u", "D": "/data", "SUB": "aws", "TILDE": "~/t", "DOLLAR": "$D", "_x1": "/under"}
	paths := []string{
		"$D/credentials", "${D}/credentials", "$D$SUB", "${D}${SUB}/c", "/a/$SUB/c", "$TILDE/c", "$DOLLAR/c", "$_x1/c",
		"/a/$/c", "/a/$-/c", "/a/${D", "/a$", "~/c", "~", "~root/c", "~root", "$D/~/c", "/plain",
		"$UNSET/c", "${UNSET}/c", "${}/c", "~no-such-user-here/c",
	}
	py := `import json, os, sys
print(json.dumps([os.path.expanduser(os.path.expandvars(p)) for p in json.loads(sys.argv[1])]))`
	arg, _ := json.Marshal(paths)
	cmd := exec.Command("python3", "-c", py, string(arg))
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string { return env[k] }
	for i, path := range paths {
		for _, name := range []string{"AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"} {
			p, err := locate(func(k string) string {
				if k == name {
					return path
				}
				return getenv(k)
			}, func() (*user.User, error) { return &user.User{HomeDir: "/db"}, nil })
			got := p.Credentials
			if name == "AWS_CONFIG_FILE" {
				got = p.Config
			}
			if err != nil {
				// Refused only where botocore keeps a reference literally.
				if !strings.Contains(want[i], "$") && !strings.HasPrefix(want[i], "~") || !strings.HasPrefix(err.Error(), name+": ") || strings.Contains(err.Error(), "\n") {
					t.Errorf("%s=%q: %v; botocore reads %q", name, path, err, want[i])
				}
				continue
			}
			if got != filepath.Clean(want[i]) {
				t.Errorf("%s=%q: %q, botocore reads %q", name, path, got, want[i])
			}
		}
	}
}

// TestEditKeepsWhatAnotherProgramWrote: another program (aws configure,
// an editor) writes the file, in place or by rename, after aws-mfa read
// it and before its rename: the edit is made again on what that program
// wrote, which is kept. One that never stops writing gets an error, and
// its last version stays.
func TestEditKeepsWhatAnotherProgramWrote(t *testing.T) {
	const foreign = "[ci]\naws_access_key_id = AKIAROTATEDEXAMPLE01\n"
	styles := map[string]func(path, data string) error{
		"in place": func(path, data string) error { return os.WriteFile(path, []byte(data), 0o600) },
		"by rename": func(path, data string) error {
			tmp := path + ".editor~"
			if err := os.WriteFile(tmp, []byte(data), 0o600); err != nil {
				return err
			}
			return os.Rename(tmp, path)
		},
	}
	for name, write := range styles {
		t.Run(name+" into a link", func(t *testing.T) {
			// A dotfile manager adopts the file: moves it into its tree,
			// writes there, and leaves a link behind.
			dir := t.TempDir()
			path, adopted := filepath.Join(dir, "credentials"), filepath.Join(dir, "dotfiles-credentials")
			os.WriteFile(path, []byte(sample), 0o600)
			w := Writer{beforeRename: func() {
				if err := os.Rename(path, adopted); err != nil {
					t.Error(err)
				}
				if err := write(adopted, sample+foreign); err != nil {
					t.Error(err)
				}
				if err := os.Symlink(adopted, path); err != nil {
					t.Error(err)
				}
			}}
			if err := editINI(w, path, setSession); err == nil || !strings.Contains(err.Error(), "became a symbolic link") {
				t.Fatalf("err = %v", err)
			}
			if st, err := os.Lstat(path); err != nil || st.Mode()&fs.ModeSymlink == 0 {
				t.Fatalf("the link is gone: %v %v", st.Mode(), err)
			}
			if b, _ := os.ReadFile(adopted); string(b) != sample+foreign {
				t.Errorf("the adopted file is\n%s", b)
			}
		})
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "credentials")
			os.WriteFile(path, []byte(sample), 0o600)
			once := false
			w := Writer{beforeRename: func() {
				if !once {
					once = true
					if err := write(path, sample+foreign); err != nil {
						t.Error(err)
					}
				}
			}}
			if err := editINI(w, path, setSession); err != nil {
				t.Fatal(err)
			}
			f, err := Read(path)
			if err != nil {
				t.Fatal(err)
			}
			if f.Section("ci").Get("aws_access_key_id") != "AKIAROTATEDEXAMPLE01" || f.Section("default").Get("aws_session_token") == "" {
				t.Fatalf("the file lost a write:\n%s", f.Bytes())
			}
		})
		t.Run(name+" without end", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "credentials")
			os.WriteFile(path, []byte(sample), 0o600)
			n := 0
			w := Writer{beforeRename: func() {
				n++
				write(path, fmt.Sprintf("%s# edit %d\n", sample, n))
			}}
			err := editINI(w, path, setSession)
			if err == nil || !strings.Contains(err.Error(), "changed 5 times while aws-mfa was writing it, so nothing was written; retry") {
				t.Fatalf("err = %v", err)
			}
			if b, _ := os.ReadFile(path); string(b) != fmt.Sprintf("%s# edit %d\n", sample, n) {
				t.Errorf("file is\n%s", b)
			}
			if temps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".credentials.aws-mfa-*")); len(temps) != 0 {
				t.Errorf("temp left: %v", temps)
			}
		})
	}
}

// TestLockHeldSaysWhoAndWhat: a run that gives up waiting for the lock
// names the process holding it and says what to do; every writer waits
// as long as a holder may wait for a person at a prompt.
func TestLockHeldSaysWhoAndWhat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	os.WriteFile(path, []byte(sample), 0o600)
	held, err := Writer{}.Lock(path)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Unlock()
	var said strings.Builder
	err = editINI(Writer{LockTimeout: 50 * time.Millisecond, Waiting: &said}, path, setSession)
	want := fmt.Sprintf("another aws-mfa (process %d) has held %s.lock for 50ms; it is most likely waiting for an MFA code or a keyring at its prompt: answer it or end that process, then retry", os.Getpid(), path)
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant  %s", err, want)
	}
	if want := fmt.Sprintf("aws-mfa: another aws-mfa (process %d) holds %s.lock; waiting up to 50ms for it\n", os.Getpid(), path); said.String() != want {
		t.Errorf("while waiting it said %q, want %q", said.String(), want)
	}
	if got := cmp.Or(Writer{}.LockTimeout, LockWait); got < 2*time.Minute {
		t.Errorf("a writer waits %s for the lock, less than a prompt may hold it", got)
	}
}

// TestBackupsInOneSecond: runs that back up the same file within one
// second each keep their own backup, byte for byte.
func TestBackupsInOneSecond(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	now := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	for i := range 5 {
		data := strings.Repeat("x", i+1)
		os.WriteFile(path, []byte(data), 0o600)
		l, err := Writer{}.Lock(path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := l.Backup(now)
		l.Unlock()
		if err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		if seen[b] {
			t.Fatalf("backup %d reused %s", i, b)
		}
		seen[b] = true
		if got, _ := os.ReadFile(b); string(got) != data {
			t.Errorf("%s holds %q", b, got)
		}
	}
	if first, _ := os.ReadFile(path + ".aws-mfa-backup-20261127T140000Z"); string(first) != "x" {
		t.Errorf("the first backup was overwritten: %q", first)
	}
}

// TestEditRefusesAFileEmptiedWhileWaiting: a file that held keys when the
// run locked it, and that another program removed or truncated (aws
// configure truncates, then writes) before the write, is not replaced by
// the edit alone; a file empty from the start still is written.
func TestEditRefusesAFileEmptiedWhileWaiting(t *testing.T) {
	for name, gone := range map[string]func(string) error{
		"removed": os.Remove,
		"emptied": func(p string) error { return os.Truncate(p, 0) },
	} {
		for how, apply := range map[string]func(*Locked) error{
			"Parsed": func(l *Locked) error { return l.EditBytes(Parsed(l.path, setSession)) },
			"EditBytes": func(l *Locked) error {
				return l.EditBytes(func([]byte) ([]byte, error) { return []byte("x = 1\n"), nil })
			},
		} {
			t.Run(name+" "+how, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "credentials")
				write(t, path, sample, 0o600)
				l, err := Writer{}.Lock(path)
				if err != nil {
					t.Fatal(err)
				}
				defer l.Unlock()
				if err := gone(path); err != nil {
					t.Fatal(err)
				}
				err = apply(l)
				if err == nil || !strings.Contains(err.Error(), "another program emptied or removed "+path) {
					t.Fatalf("err = %v", err)
				}
				if b, _ := os.ReadFile(path); len(b) != 0 {
					t.Errorf("written:\n%s", b)
				}
			})
		}
	}
	t.Run("empty from the start", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "credentials")
		write(t, path, "", 0o600)
		if err := editINI(Writer{}, path, setSession); err != nil {
			t.Fatal(err)
		}
	})
}

// TestUpdateFollowsADanglingChain: credentials -> a -> missing b creates
// b, and both links stay links; a chain without end is refused.
func TestUpdateFollowsADanglingChain(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	os.Symlink("a", path)
	os.Symlink(filepath.Join(dir, "sub", "b"), filepath.Join(dir, "a"))
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	if err := editINI(Writer{}, path, setSession); err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{path, filepath.Join(dir, "a")} {
		if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("%s is no longer a link: %v", link, err)
		}
	}
	if f, err := Read(filepath.Join(dir, "sub", "b")); err != nil || f.Section("default").Get("aws_session_token") == "" {
		t.Fatalf("b not written: %v", err)
	}

	loop := filepath.Join(dir, "loop")
	os.Symlink("loop", loop)
	if err := editINI(Writer{}, loop, setSession); err == nil {
		t.Fatal("a link to itself was written through")
	}
	if st, err := os.Lstat(loop); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the looping link was replaced: %v", err)
	}
}
