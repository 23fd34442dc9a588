//go:build !linux

package testproc

func tempInMemory() {}
