package setup

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkAddPair adds a pair to a config of n pairs. Its time per pair
// must stay flat as n grows: only a pair of the new one's name (or, with
// DefaultPair, target) has its table looked up, never each pair's.
//
//	go test -run '^$' -bench AddPair ./setup
func BenchmarkAddPair(b *testing.B) {
	for _, n := range []int{60, 600} {
		b.Run(fmt.Sprintf("pairs=%d", n), func(b *testing.B) {
			var cfg strings.Builder
			for i := range n {
				fmt.Fprintf(&cfg, "[pair.p%d]\nsource = \"aws-mfa\"\ntarget = \"t%d\"\n\n", i, i)
			}
			req := Request{Pair: "new", Source: "aws-mfa", Target: "new", ConfigPath: "config.toml", DefaultPair: true}
			for range b.N {
				if _, err := addPair(req, []byte(cfg.String())); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
