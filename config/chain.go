package config

import (
	"fmt"
	"slices"
	"strings"
)

// chainError is the source_pair of pair that breaks a chain.
type chainError struct{ pair, msg string }

func (e *chainError) Error() string { return "[pair." + e.pair + "] " + e.msg }

// Chain lists the pairs whose sessions p's session is made from, from the
// one with long-term keys to p itself; for an unchained pair, just p.
func (c *Config) Chain(p Pair) ([]Pair, error) {
	chain := []Pair{p}
	for cur := p; cur.SourcePair != ""; cur = chain[len(chain)-1] {
		i := slices.IndexFunc(c.Pairs, func(q Pair) bool { return q.Name == cur.SourcePair })
		if i < 0 {
			return nil, &chainError{cur.Name, fmt.Sprintf("source_pair %q names no pair%s", cur.SourcePair, pairsHint(cur.SourcePair, c.Pairs))}
		}
		next := c.Pairs[i]
		if j := slices.IndexFunc(chain, func(q Pair) bool { return q.Name == next.Name }); j >= 0 {
			return nil, &chainError{cur.Name, fmt.Sprintf("source_pair %q makes a cycle (%s → %s); one pair in it must have a source with long-term keys",
				cur.SourcePair, strings.Join(names(chain[j:]), " → "), next.Name)}
		}
		chain = append(chain, next)
	}
	slices.Reverse(chain)
	return chain, nil
}

func names(pairs []Pair) []string {
	n := make([]string, len(pairs))
	for i, p := range pairs {
		n[i] = p.Name
	}
	return n
}
