package sbom

import (
	"errors"
	"fmt"
)

// Errors callers can test for with errors.Is. Per-file errors in
// SBOM.Errors wrap them, or the walk's own (layer.ErrLayer,
// layer.ErrBudget, layer.ErrIntegrity, layer.ErrFileTooLarge, …).
var (
	// ErrDecode is returned when a document is neither CycloneDX nor
	// shipshape's JSON, or does not parse.
	ErrDecode = errors.New("cannot decode SBOM")
	// ErrDatabase marks a package database, or a record in one, that could
	// not be parsed.
	ErrDatabase = errors.New("damaged package database")
)

// errUnexpected reports a file whose content was not what its path
// promised (a hard link between files of different kinds).
var errUnexpected = fmt.Errorf("%w: content of an unexpected kind", ErrDatabase)
