package moto

import "syscall"

// procAttr puts the server in its own process group and has the kernel
// kill it when the test binary exits, whatever way it exits.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
