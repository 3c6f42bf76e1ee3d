package layercache

import "errors"

var (
	// ErrInvalidOption marks a bad option of Open.
	ErrInvalidOption = errors.New("invalid option")
	// ErrCache marks a cache directory or record that cannot be written.
	ErrCache = errors.New("layer cache")
)
