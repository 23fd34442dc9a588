package exporter

import (
	"slices"
	"testing"
	"time"

	"github.com/aws-mfa/aws-mfa/internal/awscred"
)

// TestVarLists: Vars sets exactly SessionVars' names and the region's,
// in order, after unsetting Stale's; UnsetVars clears the session and leaves what may be
// the user's (a profile, a region); and a caller that changes a
// list it was given changes nothing for the next caller.
func TestVarLists(t *testing.T) {
	s := awscred.Session{Keys: awscred.Keys{AccessKeyID: "ASIAX", SecretAccessKey: "s"}, SessionToken: "t", Expiration: time.Unix(1800000000, 0)}
	for _, region := range []string{"", "eu-west-1"} {
		var unset, set []string
		for _, v := range Vars(s, "default", region) {
			if v.Unset {
				unset = append(unset, v.Name)
			} else {
				set = append(set, v.Name)
			}
		}
		want := SessionVars()
		if region != "" {
			want = append(want, "AWS_REGION", "AWS_DEFAULT_REGION")
		}
		if !slices.Equal(unset, Stale()) || !slices.Equal(set, want) {
			t.Errorf("region %q: unset %v, set %v", region, unset, set)
		}
	}
	var cleared []string
	for _, v := range UnsetVars() {
		cleared = append(cleared, v.Name)
	}
	if !slices.Equal(cleared, append([]string{"AWS_SECURITY_TOKEN", "AWS_SESSION_EXPIRATION"}, SessionVars()...)) {
		t.Errorf("UnsetVars clears %v", cleared)
	}

	for name, list := range map[string]func() []string{"Stale": Stale, "SessionVars": SessionVars} {
		before := list()
		mine := list()
		for i := range mine {
			mine[i] = "CHANGED"
		}
		_ = append(mine[:1], "APPENDED")
		if !slices.Equal(list(), before) {
			t.Errorf("%s changed by a caller: %v", name, list())
		}
	}
}
