package stsparam

import (
	"strings"
	"testing"
	"time"
)

func TestCheckChainedDuration(t *testing.T) {
	for d, ok := range map[time.Duration]bool{
		15 * time.Minute: true, time.Hour: true, time.Hour + time.Second: false, 12 * time.Hour: false,
	} {
		if err := CheckDuration(d, 0, true, true); (err == nil) != ok {
			t.Errorf("%s: %v", d, err)
		}
	}
}

// A margin as long as a chained role's hour is refused with the one way
// out: a chained role cannot have a longer session.
func TestChainedDurationWithinTheMargin(t *testing.T) {
	err := CheckDuration(time.Hour, time.Hour, true, true)
	if err == nil || !strings.Contains(err.Error(), "set a shorter refresh_margin (a chained role's sessions last 1h at most)") || strings.Contains(err.Error(), "longer duration") {
		t.Errorf("chained: %v", err)
	}
	if err := CheckDuration(30*time.Minute, time.Hour, true, true); err == nil || strings.Contains(err.Error(), "longer duration") {
		t.Errorf("chained, 30m: %v", err)
	}
	if err := CheckDuration(time.Hour, time.Hour, false, false); err == nil || !strings.Contains(err.Error(), "ask for a longer duration") {
		t.Errorf("plain: %v", err)
	}
}
