// Package suggest finds the known word a mistyped one was meant to be,
// for "did you mean" hints on commands, options, pair and profile names.
package suggest

// Closest returns the word of known nearest to s, if it is within one
// edit (two for words over four letters, so that "foo" does not suggest
// "hook"; none for one letter); else "".
func Closest(s string, known []string) string {
	limit := 1
	if len([]rune(s)) < 2 {
		return ""
	} else if len([]rune(s)) > 4 {
		limit = 2
	}
	best, bestD := "", limit+1
	for _, k := range known {
		if d := Distance(s, k); d < bestD && k != s {
			best, bestD = k, d
		}
	}
	return best
}

// Distance is the optimal string alignment distance between a and b: the
// edits (insert, delete, substitute, swap two neighbours) from one to the
// other, so that "statsu" is one edit from "status".
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
