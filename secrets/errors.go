package secrets

import (
	"errors"

	"github.com/shipshape-dev/shipshape/internal/walk"
)

// Errors callers can test for with errors.Is. Per-file errors in
// Report.Errors wrap them where they apply.
var (
	// ErrInvalidRule is returned by New for a rule or allowlist that does
	// not compile; the message names the rule and the problem.
	ErrInvalidRule = errors.New("invalid rule")
	// ErrConfig is returned for a configuration file that cannot be read.
	ErrConfig = errors.New("invalid secrets configuration")
	// ErrBaseline is returned for a baseline file that cannot be read.
	ErrBaseline = errors.New("invalid baseline")
	// ErrImage is returned when an image's config or layers cannot be listed.
	ErrImage = errors.New("cannot read image")

	// ErrFileTooLarge marks a file larger than the per-file budget; what was
	// read of it before the budget ran out was scanned.
	ErrFileTooLarge = walk.ErrFileTooLarge
	// ErrLayer marks a layer that could not be read to its end.
	ErrLayer = walk.ErrLayer
)
