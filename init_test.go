package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestOwnPackagesInitCheaply keeps start-up work out of package
// initialisation: a regexp such as `[\w]{1,512}` compiles to a program of
// hundreds of kilobytes at every start. Bytes allocated are counted by the
// runtime (GODEBUG=inittrace=1), so this measures no time.
func TestOwnPackagesInitCheaply(t *testing.T) {
	bin := toolBinary(t)
	_, stderr, err := run(t, append(peerEnv(t.TempDir()), "GODEBUG=inittrace=1"), bin, "status")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, line := range strings.Split(stderr, "\n") {
		// init github.com/aws-mfa/aws-mfa/config @1.2 ms, 0.08 ms clock, 29632 bytes, 120 allocs
		f := strings.Fields(line)
		if len(f) < 8 || f[0] != "init" || !strings.HasPrefix(f[1], "github.com/aws-mfa/") {
			continue
		}
		seen++
		if n, _ := strconv.Atoi(f[7]); n > 64<<10 {
			t.Errorf("%s allocates %d bytes at init; move the work out of package variables", f[1], n)
		}
	}
	if seen == 0 {
		t.Fatalf("no init trace for aws-mfa's packages:\n%s", stderr)
	}
}
