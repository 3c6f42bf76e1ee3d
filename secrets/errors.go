package secrets

import "errors"

// Errors callers can test for with errors.Is. Per-file errors in
// Report.Errors wrap the walk's own (layer.ErrFileTooLarge: what was read
// of the file before its budget ran out was scanned; layer.ErrLayer, …).
var (
	// ErrInvalidRule is returned by New for a rule or allowlist that does
	// not compile; the message names the rule and the problem.
	ErrInvalidRule = errors.New("invalid rule")
	// ErrConfig is returned for a configuration file that cannot be read.
	ErrConfig = errors.New("invalid secrets configuration")
	// ErrBaseline is returned for a baseline file that cannot be read.
	ErrBaseline = errors.New("invalid baseline")
)
