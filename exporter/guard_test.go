package exporter

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestGuardAdviceForAChainedTarget: a chained pair's target holding the
// only copy of long-term keys is refused with advice that works: copy
// them to a profile nothing writes, never into the base pair's target,
// which the base's refresh overwrites.
func TestGuardAdviceForAChainedTarget(t *testing.T) {
	fx := setup(t, aliceFile+"\n[prod]\naws_access_key_id = AKIAPRODONLYCOPY0001\naws_secret_access_key = prod/secret\n")
	realClock(fx)
	_, err := Obtain(context.Background(), chained(fx, &fx.req, "prod"), fx.deps)
	if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "[prod] holds long-term keys (AKIA…0001)") {
		t.Fatalf("%v", err)
	}
	if strings.Contains(err.Error(), "Copy [prod] to [default]") || !strings.Contains(err.Error(), "not [default], which holds the base pair's session") {
		t.Errorf("advice: %v", err)
	}
	if strings.Contains(err.Error(), "prod/secret") {
		t.Error("secret in the message")
	}
}
