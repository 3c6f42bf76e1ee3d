// Package layertest crafts image layers and images in Go for tests: of a
// pipeline step, of a policy, of a visitor of package layer. Entries are
// files, directories, symlinks, hard links, whiteouts and opaque
// directories; layers are reproducible (fixed times, deterministic gzip),
// so their digests hold across runs. Hostile inputs that are never held
// in memory whole — a gzip bomb, a stream of millions of entries, a
// sparse file, a layer whose content does not match its diff_id — come
// from StreamLayer and StreamImage.
//
// Like net/http/httptest and testing/fstest, it takes a testing.TB and
// fails the test on error.
package layertest
