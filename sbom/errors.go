package sbom

import (
	"errors"
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/walk"
)

// Errors callers can test for with errors.Is. Per-file errors in
// SBOM.Errors wrap them.
var (
	// ErrDecode is returned when a document is neither CycloneDX nor
	// shipshape's JSON, or does not parse.
	ErrDecode = errors.New("cannot decode SBOM")
	// ErrImage is returned when an image's manifest or config cannot be read.
	ErrImage = errors.New("cannot read image")

	// ErrLayer marks a layer that could not be read to its end.
	ErrLayer = walk.ErrLayer
	// ErrBudget marks a layer whose reading stopped at a budget of Limits.
	ErrBudget = walk.ErrBudget
	// ErrIntegrity marks a layer whose content does not match its diff_id.
	ErrIntegrity = walk.ErrIntegrity
	// ErrFileTooLarge marks a file larger than the per-file read budget.
	ErrFileTooLarge = walk.ErrFileTooLarge
	// ErrPathEscapes marks an entry whose name climbs above the image root.
	ErrPathEscapes = walk.ErrPathEscapes
	// ErrBadPath marks an entry whose name cannot be used (empty, NUL bytes,
	// invalid UTF-8, too long).
	ErrBadPath = walk.ErrBadPath
	// ErrDatabase marks a package database, or a record in one, that could
	// not be parsed.
	ErrDatabase = errors.New("damaged package database")
)

// errUnexpected reports a file whose content was not what its path
// promised (a hard link between files of different kinds).
var errUnexpected = fmt.Errorf("%w: content of an unexpected kind", ErrDatabase)
