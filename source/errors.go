package source

import "errors"

// Errors of ParseRef and Open, testable with errors.Is.
var (
	// ErrNoScheme is returned for a reference without a scheme prefix; the
	// message suggests one.
	ErrNoScheme = errors.New("image reference has no scheme")
	// ErrUnknownScheme is returned for a scheme Open does not know.
	ErrUnknownScheme = errors.New("unknown image scheme")
	// ErrNoMatchingImage is returned when an index or archive holds no image
	// for the requested platform or tag, or several images and no way to
	// choose.
	ErrNoMatchingImage = errors.New("no matching image")
	// ErrArchive is returned for an oci-archive or docker-archive that is
	// not a tar of what it should hold, or that names files it does not
	// contain.
	ErrArchive = errors.New("invalid image archive")
)
