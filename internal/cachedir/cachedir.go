// Package cachedir finds the directory shipshape keeps its caches in (the
// vulnerability store, the layer cache), also for users with no cache
// directory of their own.
package cachedir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Dir returns os.UserCacheDir()/shipshape/sub.
//
// When the user has no cache directory (neither $XDG_CACHE_HOME nor $HOME
// is set, as in some CI containers and service accounts), it falls back
// to shipshape-<uid>/sub under os.TempDir(). That directory is the user's
// own: Dir creates shipshape-<uid> with mode 0700 when it is missing, and
// when it exists accepts it only as a directory (not a symbolic link)
// owned by the user, closing it to others if needed. A directory another
// user made there is an error rather than a cache: whoever controls it
// could plant what the cache serves.
func Dir(sub string) (string, error) {
	d, err := os.UserCacheDir()
	if err == nil {
		return filepath.Join(d, "shipshape", sub), nil
	}
	base, terr := privateTempDir()
	if terr != nil {
		return "", fmt.Errorf("no user cache directory (%v), and no private one in %s: %w", err, os.TempDir(), terr)
	}
	return filepath.Join(base, sub), nil
}

// privateTempDir returns os.TempDir()/shipshape-<uid>, created with mode
// 0700 when missing, after checking that it is a directory of the
// current user's that others cannot enter.
func privateTempDir() (string, error) {
	name := "shipshape"
	if uid := os.Getuid(); uid >= 0 {
		name += "-" + strconv.Itoa(uid)
	}
	dir := filepath.Join(os.TempDir(), name)
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s exists and is not a directory (%s)", dir, fi.Mode().Type())
	}
	if err := ownedByUser(fi); err != nil {
		return "", fmt.Errorf("%s: %w", dir, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", err
		}
	}
	return dir, nil
}
