//go:build !unix

package cachedir

import "io/fs"

// ownedByUser accepts the directory: outside Unix, os.TempDir is the
// user's own (%TEMP% under the user's profile on Windows).
func ownedByUser(fs.FileInfo) error { return nil }
