// Package shipshape puts container-security checks into Go programs: the
// checks a CI pipeline runs on an image before it ships, as plain
// packages that compose, and the gate that joins them.
//
// This package is the facade:
//
//   - Inspect reads an image (or a directory tree) once for its SBOM, its
//     secrets and its hardening findings, and matches the SBOM against
//     vulnerability data when given (WithDB).
//   - Check is the gate: Inspect, then a policy's decision over the
//     evidence, failing closed when the image could not be read whole.
//
// Each capability has its own package, usable alone:
//
//   - source opens what a user typed ("registry:debian:12",
//     "docker-archive:image.tar", "oci-layout:dir:app:1.0",
//     "oci-archive:image.tar", "dir:rootfs") as an image or a tree;
//   - layer is the one-pass walk every check shares, open to the caller's
//     own visitors;
//   - sbom inventories packages and reads and writes CycloneDX;
//   - scan matches an inventory against OSV vulnerability data;
//   - secrets finds credentials; harden finds misconfigurations;
//   - policy decides over all of the evidence (policy/policytest tests
//     teams' own rules); report renders it as one HTML page;
//   - layercache keeps layer results on disk; result holds the types
//     every result shares.
//
// Every function that does I/O takes a context first; options are
// functional and validated once; nothing logs, and nothing touches the
// network unless its name or its input (a registry reference) says so.
//
// A pipeline step that gates an image from a docker save:
//
//	src, err := source.Open(ctx, "docker-archive:app.tar")
//	if err != nil {
//		return err
//	}
//	defer src.Close()
//	p, err := policy.LoadFile("policy.yaml")
//	if err != nil {
//		return err
//	}
//	in, err := shipshape.Check(ctx, src, p, shipshape.WithDB(db))
//	if err != nil {
//		return err
//	}
//	if !in.Passed() {
//		return fmt.Errorf("%s: %s", src.Name, in.Decision.Summary())
//	}
package shipshape
