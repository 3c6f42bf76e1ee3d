// Package result holds the small types that every shipshape result shares:
// the [Severity] scale used by vulnerability, secret and hardening findings,
// and [FileError], the per-file error recorded when part of an input could not
// be read while the rest of the work went on.
//
// It is a leaf package: it imports nothing else from shipshape, so sbom, scan,
// secrets and policy can all depend on it.
package result
