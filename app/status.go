package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/aws-mfa/aws-mfa/config"
	"github.com/aws-mfa/aws-mfa/credfile"
	"github.com/aws-mfa/aws-mfa/exporter"
	"github.com/aws-mfa/aws-mfa/rotate"
	"github.com/aws-mfa/aws-mfa/shells"
)

func statusCommand(sys System) *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "show each pair's session; reads local files only",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Usage: "config `FILE`"},
			&cli.StringFlag{Name: "pair", Aliases: []string{"p"}, Usage: "show only this `NAME` (default: AWS_MFA_PAIR, else every pair)"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON for scripts"},
			&cli.BoolFlag{Name: "names", Usage: "print only the pair names, one a line (for scripts)"},
		},
		Action: func(c *cli.Context) error {
			return StatusCommand(sys, StatusInput{PairFlags: pairFlags(c), JSON: c.Bool("json"), Names: c.Bool("names")})
		},
	}
}

// StatusInput is what `aws-mfa status` was given.
type StatusInput struct {
	PairFlags
	JSON  bool // print JSON for scripts
	Names bool // print only the pair names
}

// StatusCommand is `aws-mfa status`: each pair's session, from local
// files only.
func StatusCommand(sys System, in StatusInput) error {
	cfg, pair, err := selectPair(sys, in.PairFlags)
	if err != nil {
		return err
	}
	if in.Names {
		for _, p := range cfg.Pairs {
			fmt.Fprintln(sys.Stdout, p.Name)
		}
		return nil
	}
	pairs := cfg.Pairs
	if pairName(sys, in.PairFlags) != "" {
		pairs = []config.Pair{pair}
	}
	rows, err := status(sys, cfg, pairs)
	if err != nil {
		return err
	}
	if in.JSON {
		enc := json.NewEncoder(sys.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	paint := colours(sys)
	w := tabwriter.NewWriter(sys.Stdout, 0, 4, 2, ' ', 0)
	// The header's STATE cell carries as many invisible bytes as each
	// painted state below it, or LEFT sits 9 columns right of its values.
	fmt.Fprintf(w, "PAIR\tSOURCE → TARGET\t%s\tLEFT\n", paint(plain, "STATE"))
	for _, r := range rows {
		state, left, colour := r.State, "-", red
		switch r.State {
		case "valid":
			state, left, colour = "valid until "+localTime(r.exp, sys.Now()), shells.Left(time.Duration(r.SecondsLeft)*time.Second), green
			if time.Duration(r.SecondsLeft)*time.Second < soon {
				colour = yellow
			}
		case "never":
			state, colour = "never obtained", plain
		}
		if r.MFAAt != "" {
			state += ", MFA " + shells.Left(max(time.Duration(*r.MFASecondsAgo)*time.Second, 1)) + " ago"
		}
		source := r.Source
		if r.KeyDays != nil {
			source += fmt.Sprintf(" (key %d days)", *r.KeyDays)
		}
		if r.Base != "" {
			source = "pair " + r.Base
			if r.State != "valid" && r.baseValid {
				state += "; renews from " + r.Base + " with no code"
			}
		}
		fmt.Fprintf(w, "%s\t%s → %s\t%s\t%s\n", r.Pair, source, r.Target, paint(colour, state), left)
	}
	return w.Flush()
}

// statusRow is one pair's state; its JSON form is for scripts.
type statusRow struct {
	Pair        string `json:"pair"`
	Source      string `json:"source"`
	Base        string `json:"source_pair,omitempty"` // a chained pair's base pair
	Target      string `json:"target"`
	State       string `json:"state"` // valid, expired or never
	Expiration  string `json:"expiration,omitempty"`
	SecondsLeft int64  `json:"seconds_left"`
	KeyDays     *int   `json:"key_days,omitempty"` // the source's access key's age, when known
	// MFAAt is when the code behind a valid session was entered, if known.
	MFAAt         string `json:"mfa_at,omitempty"`
	MFASecondsAgo *int64 `json:"mfa_seconds_ago,omitempty"`
	exp           time.Time
	baseValid     bool // a chained pair's base holds a valid session
}

// status reads the state of pairs, of the config cfg.
func status(sys System, cfg *config.Config, pairs []config.Pair) ([]statusRow, error) {
	paths, err := credfile.Locate(sys.Getenv)
	if err != nil {
		return nil, err
	}
	f, err := credfile.ReadOrEmpty(paths.Credentials)
	if err != nil {
		return nil, err
	}
	now := sys.Now()
	dir, _ := stateDir(sys.Getenv)
	keys := rotate.Load(dir)
	store := mfaStore(sys)
	rows := make([]statusRow, 0, len(pairs))
	for _, p := range pairs {
		r := statusRow{Pair: p.Name, Source: p.Source, Target: p.Target, State: "never"}
		if created, ok := keys.Created(p, f); ok {
			r.KeyDays = new(int(now.Sub(created) / (24 * time.Hour)))
		}
		if s, ok := f.Session(p.Target); ok {
			r.exp, r.Expiration, r.State = s.Expiration, s.Expiration.Format(time.RFC3339), "expired"
			if left := s.Expiration.Sub(now); left > 0 {
				r.State, r.SecondsLeft = "valid", int64(left/time.Second)
				if at, ok := store.MFA(s.AccessKeyID); ok {
					r.MFAAt, r.MFASecondsAgo = at.UTC().Format(time.RFC3339), new(int64(now.Sub(at)/time.Second))
				}
			}
		}
		if p.SourcePair != "" {
			chain, _ := cfg.Chain(p) // config.Parse refuses a broken chain
			r.Base, r.Source = p.SourcePair, chain[len(chain)-2].Target
			// Valid beyond its margin, in the base or in a pair the base
			// is chained from: this pair renews with no code.
			r.baseValid = slices.ContainsFunc(chain[:len(chain)-1], func(l config.Pair) bool {
				_, ok := exporter.ValidSession(f, l.Target, now, l.Margin)
				return ok
			})
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// localTime is when t comes, in the local time zone, as status shows it.
func localTime(t, now time.Time) string { return t.In(now.Location()).Format("Mon 2 Jan 15:04 MST") }
