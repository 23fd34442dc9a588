//go:build unix

package setup

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/readfile"
	"github.com/aws-mfa/aws-mfa/shells"
)

// TestDoctorReadsWhatARefreshReads: doctor reads the credentials file, the
// AWS config file and the TOML config as a refresh does, so whatever makes
// a refresh fail makes doctor name it, with the fix for that cause: a
// directory or a FIFO in a file's place is replaced, not "fixed at the
// line named" or chmod-ed; a profile the AWS config shadows is named.
func TestDoctorReadsWhatARefreshReads(t *testing.T) {
	healthy := "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n" +
		"[default]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\nexpiration = 2026-11-27T20:00:00Z\n"
	dirInPlace := func(p string) { os.Mkdir(p, 0o755) }
	fifoInPlace := func(p string) { syscall.Mkfifo(p, 0o644) }
	text := func(s string) func(string) { return func(p string) { os.WriteFile(p, []byte(s), 0o600) } }
	for _, tc := range []struct {
		name             string
		creds, aws, toml func(path string)
		problem, fix     string
	}{
		{name: "credentials is a directory", creds: dirInPlace, problem: "a directory", fix: "put the credentials text file in its place"},
		{name: "credentials is a FIFO", creds: fifoInPlace, problem: "a FIFO", fix: "put the credentials text file in its place"},
		{name: "AWS config is a directory", aws: dirInPlace, problem: "a directory", fix: "put the AWS config text file in its place"},
		{name: "AWS config is a FIFO", aws: fifoInPlace, problem: "a FIFO", fix: "put the AWS config text file in its place"},
		{name: "AWS config does not parse", aws: text("[profile a]\n[profile a]\n"), problem: "appears twice", fix: "fix the line named"},
		{name: "TOML config is a directory", toml: dirInPlace, problem: "a directory", fix: "put a TOML file in its place"},
		{name: "TOML config is a FIFO", toml: fifoInPlace, problem: "a FIFO", fix: "put a TOML file in its place"},
		{name: "role_arn in the AWS config", aws: text("[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = aws-mfa\n"), problem: "sets role_arn", fix: "remove role_arn from [default] in the config file"},
		{name: "sso in the AWS config", aws: text("[profile x]\n[default]\nsso_account_id = 123456789012\n"), problem: "sets sso_account_id", fix: "or give the pair another target"},
		{name: "AWS config healthy", aws: text("[default]\nregion = eu-west-1\n[profile other]\nrole_arn = arn:aws:iam::123456789012:role/r\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			paths := credfile.Paths{Credentials: filepath.Join(dir, "credentials"), Config: filepath.Join(dir, "config")}
			toml := filepath.Join(dir, "config.toml")
			for _, f := range []struct {
				make func(string)
				path string
				def  func(string)
			}{{tc.creds, paths.Credentials, text(healthy)}, {tc.aws, paths.Config, nil}, {tc.toml, toml, nil}} {
				switch {
				case f.make != nil:
					f.make(f.path)
				case f.def != nil:
					f.def(f.path)
				}
			}
			by := ""
			if tc.toml != nil {
				by = "--config"
			}
			findings := Doctor(Checkup{
				Paths:  paths,
				Config: config.Location{Path: toml, By: by},
				Getenv: withRegion(nil),
				Now:    time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC),
			})
			for _, f := range findings {
				if strings.Contains(f.What, "readable by others") {
					t.Errorf("a finding about the mode of what is not a file: %+v", f)
				}
			}
			wantOneFinding(t, findings, tc.problem, tc.fix)
		})
	}
}

// TestReadFixByCause: the fix follows the cause wrapped in the error, for
// each file doctor reads (root reads any file, so a mode-000 file cannot
// be made here; the error is built as credfile and readfile wrap it).
func TestReadFixByCause(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("cannot read /c: %w; make it readable by this user", fs.ErrPermission), "make the file readable by this user"},
		{fmt.Errorf("%w: %w", credfile.ErrUnreadable, fmt.Errorf("/c: %w (a directory)", readfile.ErrNotRegular)), "put text in its place"},
		{fmt.Errorf("%w: %w", credfile.ErrUnreadable, fmt.Errorf("/c: %w (over 32 MiB)", readfile.ErrTooLarge)), "put text in its place; this one is far too large to be it"},
		{fmt.Errorf("/c: %w: line 2: …", credfile.ErrUnreadable), "fix it"},
		{fmt.Errorf("read /c: %w", syscall.EIO), "make the file readable by this user"},
	} {
		if got := readFix(tc.err, "the file", "text", "fix it"); got != tc.want {
			t.Errorf("readFix(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// TestDoctorAWSDirectory: a directory holding the credentials file that
// every user may write, or that belongs to another user, is a finding
// whose fix (a quoted chmod, a chown) can be pasted as it is.
func TestDoctorAWSDirectory(t *testing.T) {
	healthy := "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
	for _, tc := range []struct {
		name         string
		mode         fs.FileMode
		owner        int // -1 for this user
		problem, fix string
	}{
		{name: "private", mode: 0o700, owner: -1},
		{name: "group-readable", mode: 0o750, owner: -1},
		{name: "world-writable", mode: 0o777, owner: -1, problem: "is writable by every user (mode -rwxrwxrwx)", fix: "chmod 700 '"},
		{name: "sticky and world-writable", mode: 0o777 | fs.ModeSticky, owner: -1, problem: "is writable by every user", fix: "chmod 700 '"},
		{name: "another user's", mode: 0o700, owner: 65534, problem: "belongs to another user (uid 65534)", fix: "sudo chown "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.owner >= 0 && os.Geteuid() != 0 {
				t.Skip("needs root to give a directory away")
			}
			dir := filepath.Join(t.TempDir(), "it's .aws")
			os.Mkdir(dir, 0o700)
			paths := credfile.Paths{Credentials: filepath.Join(dir, "credentials"), Config: filepath.Join(dir, "config")}
			os.WriteFile(paths.Credentials, []byte(healthy), 0o600)
			if err := os.Chmod(dir, tc.mode); err != nil {
				t.Fatal(err)
			}
			if tc.owner >= 0 {
				if err := os.Chown(dir, tc.owner, tc.owner); err != nil {
					t.Fatal(err)
				}
			}
			findings := Doctor(Checkup{Paths: paths, Getenv: withRegion(nil), Now: time.Now()})
			wantOneFinding(t, findings, tc.problem, tc.fix)
			if tc.problem != "" && !strings.Contains(findings[0].Fix, " "+shells.Line(dir)) {
				t.Errorf("the path is not quoted in %+v", findings)
			}
		})
	}
}

// TestDoctorFlagsReadableBackups: each of aws-mfa's backups of the
// credentials file that others can read is named, beside the file the
// credentials link leads to, with a quoted chmod; private ones, and
// files that are not aws-mfa's backups, are not.
func TestDoctorFlagsReadableBackups(t *testing.T) {
	healthy := "[aws-mfa]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = s\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
	for _, tc := range []struct {
		name string
		mode os.FileMode
		bad  bool
	}{{"world-readable", 0o644, true}, {"group-readable", 0o640, true}, {"private", 0o600, false}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			real := filepath.Join(dir, "dot files", "it's creds")
			os.Mkdir(filepath.Dir(real), 0o700)
			os.WriteFile(real, []byte(healthy), 0o600)
			path := filepath.Join(dir, "credentials")
			os.Symlink(real, path)
			backup := real + ".aws-mfa-backup-20261127T140000Z-1"
			write := func(p string) { os.WriteFile(p, []byte(healthy), 0o600); os.Chmod(p, tc.mode) }
			write(backup)
			write(real + ".bak")
			var bad []Finding
			for _, f := range Doctor(Checkup{Paths: credfile.Paths{Credentials: path}, Config: config.Location{Path: filepath.Join(dir, "config.toml")}, Getenv: func(string) string { return "" }, Now: time.Now()}) {
				if !f.OK && strings.Contains(f.What, "backup") {
					bad = append(bad, f)
				}
			}
			if !tc.bad {
				if len(bad) != 0 {
					t.Fatalf("findings: %+v", bad)
				}
				return
			}
			if len(bad) != 1 || !strings.Contains(bad[0].What, backup+", a backup of aws-mfa's, is readable by others") || bad[0].Fix != shells.Line("chmod", "600", backup) {
				t.Fatalf("findings: %+v", bad)
			}
		})
	}
}
