// Package policies ships the example policies and ignore file of the
// shipshape examples, as files to copy and as embedded bytes, so that the
// quickstart's built-in policy and baseline.yaml are one text:
//
//	baseline.yaml  what a team turns on first: deny critical vulnerabilities
//	               that have a fix and live credentials, warn on the rest
//	strict.yaml    what a regulated pipeline gates on
//	ignore.yaml    an ignore file (scan --ignore): accepted vulnerabilities
//	               with their reasons and expiry dates
//
// Load the policies with policy.Load (or policy.LoadFile on the files),
// the ignore file with scan.ParseSuppressions (or scan.LoadSuppressions).
package policies

import (
	"bytes"
	_ "embed"
)

var (
	//go:embed baseline.yaml
	baseline []byte
	//go:embed strict.yaml
	strict []byte
	//go:embed ignore.yaml
	ignore []byte
)

// Baseline returns baseline.yaml.
func Baseline() []byte { return bytes.Clone(baseline) }

// Strict returns strict.yaml.
func Strict() []byte { return bytes.Clone(strict) }

// Ignore returns ignore.yaml.
func Ignore() []byte { return bytes.Clone(ignore) }
