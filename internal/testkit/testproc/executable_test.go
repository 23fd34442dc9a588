package testproc

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// Programs written and run while other goroutines start processes never
// fail with "text file busy". With os.WriteFile, a few runs in a few
// hundred do on a 2-core machine.
func TestWriteExecutableWhileOthersFork(t *testing.T) {
	sh := Require(t, "sh")
	dir := t.TempDir()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					exec.Command(sh, "-c", ":").Run()
				}
			}
		})
	}
	defer wg.Wait()
	defer close(stop)
	for i := range 300 {
		p := filepath.Join(dir, fmt.Sprint("prog", i))
		if err := WriteExecutable(p, []byte("#!/bin/sh\n"), 0o700); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(p).CombinedOutput(); err != nil {
			t.Fatalf("run %d: %v %s", i, err, out)
		}
	}
}

// No test of the module writes a program with os.WriteFile: every one
// goes through WriteExecutable.
func TestProgramsAreWrittenByWriteExecutable(t *testing.T) {
	executable := regexp.MustCompile(`os\.WriteFile\(.*, 0o?[0-7]*[1357][0-7]*\)`)
	root := filepath.Join("..", "..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "executable.go") {
			return err
		}
		b, err := os.ReadFile(path)
		for n, line := range strings.Split(string(b), "\n") {
			if executable.MatchString(line) {
				t.Errorf("%s:%d writes a program with os.WriteFile; use testproc.WriteExecutable", path, n+1)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
