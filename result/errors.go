package result

import "errors"

// Errors every package of shipshape returns, declared once here so that
// errors.Is matches them whichever package an option or format went
// through.
var (
	// ErrInvalidSeverity is returned when a severity name or value is not
	// one of the five known ones.
	ErrInvalidSeverity = errors.New("invalid severity")
	// ErrInvalidOption is returned by constructors and functions for an
	// option whose value is invalid; the message names the option.
	ErrInvalidOption = errors.New("invalid option")
	// ErrUnknownFormat is returned for an output format an encoder does
	// not write, or a format name no parser knows.
	ErrUnknownFormat = errors.New("unknown format")
)
