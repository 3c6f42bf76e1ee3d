package result

import "errors"

// ErrInvalidSeverity is returned when a severity name or value is not one of
// the five known ones.
var ErrInvalidSeverity = errors.New("invalid severity")
