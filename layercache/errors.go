package layercache

import "errors"

var (
	// ErrCache marks a cache directory or record that cannot be written.
	ErrCache = errors.New("layer cache")
)
