package scan

import (
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/cachedir"
)

// DefaultCacheDir returns the directory LoadDB and FetchDB keep stores
// in by default: os.UserCacheDir()/shipshape/db.
//
// When the user has no cache directory (neither $XDG_CACHE_HOME nor $HOME
// is set, as in some CI containers and service accounts), it falls back
// to shipshape-<uid>/db under os.TempDir(), a directory of the user's own
// (mode 0700, created when missing; one another user made there fails
// with ErrDB rather than hold the store: whoever controls it could plant
// vulnerability data).
func DefaultCacheDir() (string, error) {
	d, err := cachedir.Dir("db")
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrDB, err)
	}
	return d, nil
}
