package peers

import (
	"bytes"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// PreferRealPython puts the directory of the interpreter that python3
// runs first on this process's PATH when python3 is a pyenv shim, so
// that every child (python3, aws, moto_server, the shells) finds the
// same interpreter and its scripts without going through the shim: a
// bash script that forks a dozen processes, some 70 ms of CPU per call.
// Without pyenv it changes nothing, and under go test -short, where no
// test starts python3, it asks nothing either. Call it first in TestMain:
// it parses the test flags.
func PreferRealPython() {
	if !flag.Parsed() {
		flag.Parse()
	}
	if testing.Short() {
		return
	}
	shim, err := exec.LookPath("python3")
	if err != nil || !isPyenvShim(shim) {
		return
	}
	out, err := exec.Command(shim, "-c", "import os, sys; print(os.path.dirname(sys.executable))").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || !filepath.IsAbs(dir) {
		return // the shim names no interpreter: leave PATH as it is
	}
	os.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// isPyenvShim: pyenv's shims are the scripts in its shims directory
// that end in `exec "…/pyenv" exec "$program" "$@"`.
func isPyenvShim(path string) bool {
	if filepath.Base(filepath.Dir(path)) != "shims" {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	return bytes.HasPrefix(head, []byte("#!")) && bytes.Contains(head, []byte(`pyenv" exec "$program"`))
}
