//go:build !linux

package app

// undumpable: only Linux shows a process's environment and memory in
// /proc to its user's other processes.
func undumpable() {}
