// Package shipshape puts container-security checks into Go programs: the
// checks a CI pipeline runs on an image before it ships, as plain packages
// that compose.
//
//   - [Open] turns what a user typed ("registry:debian:12",
//     "docker-archive:image.tar", "oci-layout:dir", "oci-archive:image.tar",
//     "dir:rootfs") into a go-containerregistry v1.Image or an fs.FS.
//   - Package sbom inventories an image or directory tree and reads and
//     writes CycloneDX.
//   - Package scan matches an inventory against OSV vulnerability data and
//     reports the findings.
//   - Package secrets finds credentials in files, trees and every layer of
//     an image; package policy decides over all of the above; package report
//     renders the whole result as one HTML page.
//   - [Inspect] reads an image once for its SBOM, its secrets and its
//     hardening findings; with [WithLayerCache] (package layercache) the
//     layers of images scanned before are not read again.
//   - Package result holds the types every result shares: the Severity scale
//     and the per-file error.
//
// Every function that does I/O takes a context first; options are
// functional and validated once; nothing logs, and nothing touches the
// network unless its name or its input (a registry reference) says so.
//
// A pipeline step that writes the SBOM of an image from a docker save:
//
//	t, err := shipshape.Open(ctx, "docker-archive:app.tar")
//	if err != nil {
//		return err
//	}
//	defer t.Close()
//	s, err := t.SBOM(ctx)
//	if err != nil {
//		return err
//	}
//	return sbom.Encode(os.Stdout, s, sbom.FormatCycloneDXJSON)
package shipshape
