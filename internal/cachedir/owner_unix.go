//go:build unix

package cachedir

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// ownedByUser fails unless fi, a directory in a shared temporary
// directory, belongs to the current user.
func ownedByUser(fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("cannot tell its owner")
	}
	if uid := os.Getuid(); int64(st.Uid) != int64(uid) {
		return fmt.Errorf("owned by uid %d, not by uid %d", st.Uid, uid)
	}
	return nil
}
