//go:build unix

package exporter

import (
	"syscall"
	"time"
)

// cpuTime is the process's user and system time: on a shared, loaded
// machine a benchmark's wall time says more about the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
