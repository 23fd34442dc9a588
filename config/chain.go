package config

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/internal/stsparam"
)

// checkChained checks what is particular to a pair that takes its
// credentials from another pair's session.
func checkChained(p Pair) error {
	switch {
	case p.Source != "":
		return errors.New("has both source and source_pair; a chained pair takes its credentials from source_pair's session, so remove source")
	case p.Target == "":
		return errors.New("needs a target")
	case credfile.ValidName(p.Target) != nil:
		return fmt.Errorf("target: %v", credfile.ValidName(p.Target))
	case p.RoleARN == "":
		return errors.New("has source_pair but no role_arn; a chained pair assumes a role with the other pair's session")
	case p.Serial != "":
		return errors.New("has mfa_serial, but a chained pair sends no code; the code goes to the pair at the start of the chain")
	}
	return stsparam.CheckChainedDuration(p.Duration)
}

// checkChains finds, for every chained pair, a source_pair that names no
// pair, or a chain that comes back to itself. Each error carries the
// file:line of the source_pair that breaks the chain.
func (c *Config) checkChains(path, data string) error {
	byName := map[string]Pair{}
	for _, p := range c.Pairs {
		byName[p.Name] = p
	}
	for _, p := range c.Pairs {
		seen := []string{p.Name}
		for cur := p; cur.SourcePair != ""; {
			next, ok := byName[cur.SourcePair]
			if !ok {
				return fmt.Errorf("%s:%d: [pair.%s] source_pair %q names no pair; the pairs are %s",
					path, sourcePairLine(data, cur.Name), cur.Name, cur.SourcePair, strings.Join(names(c.Pairs), ", "))
			}
			if i := slices.Index(seen, next.Name); i >= 0 {
				return fmt.Errorf("%s:%d: [pair.%s] source_pair %q makes a cycle (%s → %s); one pair in it must have a source with long-term keys",
					path, sourcePairLine(data, cur.Name), cur.Name, cur.SourcePair, strings.Join(seen[i:], " → "), next.Name)
			}
			seen = append(seen, next.Name)
			cur = next
		}
	}
	return nil
}

// Chain lists the pairs whose sessions p's session is made from, from the
// one with long-term keys to p itself; for an unchained pair, just p.
func (c *Config) Chain(p Pair) ([]Pair, error) {
	chain := []Pair{p}
	for p.SourcePair != "" {
		base, err := c.byName(p.SourcePair)
		if err != nil {
			return nil, err
		}
		if len(chain) > len(c.Pairs) {
			return nil, fmt.Errorf("[pair.%s] is in a source_pair cycle", p.Name)
		}
		chain = append([]Pair{base}, chain...)
		p = base
	}
	return chain, nil
}

func (c *Config) byName(name string) (Pair, error) {
	for _, p := range c.Pairs {
		if p.Name == name {
			return p, nil
		}
	}
	return Pair{}, fmt.Errorf("no pair named %q; the pairs are %s", name, strings.Join(names(c.Pairs), ", "))
}

func names(pairs []Pair) []string {
	n := make([]string, len(pairs))
	for i, p := range pairs {
		n[i] = p.Name
	}
	return n
}

// sourcePairLine is the line of [pair.NAME]'s source_pair key, else of
// its header (a name no struct tag can hold: a quote or a comma).
func sourcePairLine(data, name string) int {
	return cmp.Or(keyLine(data, []string{"pair", name, "source_pair"}), pairLine(data, name))
}
