package version

import "errors"

// ErrUnknownEcosystem is wrapped by the error [ForEcosystem] returns for an
// ecosystem it has no ordering for.
var ErrUnknownEcosystem = errors.New("unknown ecosystem")

// ErrInvalidVersion is wrapped by every error an [Ordering]'s Parse returns;
// the error message names the ordering, the version and the reason.
var ErrInvalidVersion = errors.New("invalid version")
