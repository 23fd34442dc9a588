package e2e

import (
	"sync"
	"testing"
)

// atOnce runs f as a subtest named for each of names, all at the same
// time. It is for subtests that mostly wait (on a shell in tmux, a keyring
// daemon) and share nothing: t.Run from goroutines runs them at once
// without t.Parallel, whose -parallel slots (GOMAXPROCS of them) they
// would otherwise hold while waiting, one slot each. The test calling
// atOnce holds its one slot throughout.
func atOnce(t *testing.T, names []string, f func(t *testing.T, name string)) {
	t.Helper()
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Go(func() { t.Run(name, func(t *testing.T) { f(t, name) }) })
	}
	wg.Wait()
}
