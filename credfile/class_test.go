//go:build unix

package credfile

import (
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/aws-mfa/aws-mfa/internal/inputerr"
)

// TestErrorsCarryTheirClass: what the user fixes in a file, a profile name
// or the environment is an input error (exit 2) as it leaves this package;
// a file that is not there is a fact the caller judges (status reads none
// as empty), and the file system refusing is a failure, never input.
func TestErrorsCarryTheirClass(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	input := map[string]error{}
	for name, data := range map[string]string{
		"bom":          "\ufeff[a]\nk = v\n",
		"latin-1":      "[a]\nk = caf\xe9\n",
		"twice":        "[a]\nk = v\n[a]\nk = w\n",
		"outside":      "k = v\n[a]\n",
		"garbage":      "[a]\n???\n",
		"duplicate":    "[a]\nk = v\nK = w\n",
		"continuation": "[a]\n  x\n",
	} {
		_, input["parse "+name] = Parse([]byte(data))
	}
	_, input["read a directory"] = Read(dir)
	_, input["read a FIFO"] = Read(fifo)
	input["a name with a newline"] = ValidName("a\nb")
	input["an empty name"] = ValidName("")
	_, input["a relative HOME"] = locate(func(k string) string { return map[string]string{"HOME": "rel"}[k] }, func() (*user.User, error) { return nil, errors.New("none") })
	_, input["an unset $VAR"] = locate(func(k string) string {
		return map[string]string{"AWS_SHARED_CREDENTIALS_FILE": "$NOPE/c", "HOME": "/h"}[k]
	}, nil)
	for what, err := range input {
		if err == nil || !errors.Is(err, inputerr.Err) {
			t.Errorf("%s: %v is not an input error", what, err)
		}
	}
	_, err := Read(filepath.Join(dir, "missing"))
	if !errors.Is(err, ErrNotFound) || errors.Is(err, inputerr.Err) {
		t.Errorf("a missing file: %v, want ErrNotFound and no class", err)
	}
	if os.Geteuid() != 0 {
		locked := filepath.Join(dir, "locked")
		os.WriteFile(locked, []byte("[a]\n"), 0)
		if _, err := Read(locked); errors.Is(err, inputerr.Err) {
			t.Errorf("an unreadable file is an input error: %v", err)
		}
	}
}
