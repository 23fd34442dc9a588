//go:build !windows

package setup

import (
	"io/fs"
	"syscall"
)

// ownerUID is the user that owns st, ok=false where the system has none.
func ownerUID(st fs.FileInfo) (uid int, ok bool) {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(s.Uid), true
}
