package scan

import (
	"errors"

	"github.com/shipshape-dev/shipshape/internal/version"
)

// Errors callers can test for with errors.Is.
var (
	// ErrUnknownEcosystem marks an ecosystem no version ordering is known
	// for; such packages are reported, not guessed at.
	ErrUnknownEcosystem = version.ErrUnknownEcosystem
	// ErrInvalidVersion marks a version string its ecosystem's ordering
	// rejects.
	ErrInvalidVersion = version.ErrInvalidVersion
	// ErrDB marks a vulnerability store that cannot be opened or built: not
	// a store, a schema this version does not read, no usable input.
	ErrDB = errors.New("vulnerability database")
	// ErrFetch marks a download that failed; the store in place is kept.
	ErrFetch = errors.New("fetching vulnerability data")
	// ErrEOLData marks an end-of-life table that cannot be read: not the
	// file form, a date that is not YYYY-MM-DD, too large. A table in
	// place is kept.
	ErrEOLData = errors.New("end-of-life data")
	// ErrSuppression marks a VEX document or ignore file that cannot be read.
	ErrSuppression = errors.New("invalid suppression document")
)

// ErrExploitData marks exploitation data (the KEV catalog, EPSS scores)
// that cannot be read, imported or opened; the data stored before is kept.
var ErrExploitData = errors.New("exploitation data")
