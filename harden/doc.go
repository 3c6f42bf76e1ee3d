// Package harden checks an image for misconfigurations that are not a
// package's vulnerabilities: what the CIS Docker Benchmark, Dockle and
// their peers look for in an image's configuration, build history and
// final filesystem (running as root, no health check, credentials in the
// environment or build history, ADD of URLs, curl | sh, setuid and
// world-writable files, package caches, sudo, shells in distroless
// images, private keys, empty passwords, unpinned references).
//
// Checks are plain values: DefaultChecks, or one constructor per check,
// whose fields (severity, texts) callers may change. A Checker runs the
// checks it is given; Check reads an image for them on its own, and its
// pass joins a walk shared with other checks (see the root package's
// Inspect), where only a few small files are read at all (account
// databases, os-release, candidate key files).
//
// A Report lists the checks that ran, so that no finding reads as
// "checked, nothing found", and encodes as JSON, a table or SARIF.
package harden
