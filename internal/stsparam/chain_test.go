package stsparam

import (
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
