// Package layercache keeps what reading one image layer produced —
// the packages found in it, its secret findings, the files the hardening
// checks read and the index of its entries the squash needs — on disk,
// by the layer's diff_id, so that the next scan of an image that shares
// the layer does not read it again. A rescan of the same image (with a
// newer vulnerability database, say) reads no layer at all.
//
// A Cache is a layer.Cache: pass it to layer.WithCache (for Inspect and
// Check, in shipshape.WithLayerOptions). Keys
// name the layer's content, the visitors' configuration and code version
// and the walk's budgets; only layers read whole and verified against
// their diff_id are stored. Each record carries a SHA-256 of its content:
// a damaged or truncated record is dropped and the layer read again,
// never trusted. The cache holds no secret in clear: secret findings are
// stored redacted with their fingerprints, password hashes as a marker.
// Records past the size bound are evicted least recently used first.
//
// Several processes may share one directory: records are written to a
// temporary file and renamed into place.
package layercache
