// Package sbom inventories the software in a container image or a directory
// tree and reads and writes that inventory as CycloneDX.
//
// [FromImage] reads every layer of a go-containerregistry v1.Image once,
// concurrently, streaming (nothing is extracted to disk), and catalogs the
// operating-system packages the final filesystem holds: dpkg (Debian, Ubuntu,
// distroless), apk (Alpine, Wolfi) and rpm (Fedora, RHEL, UBI, CentOS, SUSE;
// SQLite, Berkeley DB and NDB databases). Each package records the database
// it came from and the layer that introduced it. [FromFS] does the same for
// an fs.FS such as a root filesystem unpacked on disk.
//
// The result is an [SBOM]: plain structs with stable JSON field names. [Encode]
// writes it as CycloneDX 1.6 JSON or XML, as shipshape's own JSON, or as a
// table; [Decode] reads a CycloneDX document (shipshape's own, or one written
// by another tool such as Syft or Trivy) back into an SBOM, so that scan can
// match it.
//
// The catalogers are visitors of package layer's one-pass walk: NewPass
// adds them to a walker that other checks share (the root package's
// Inspect does), and Pass.SBOM turns the walk's result into the SBOM.
// FromImage and FromFS are that for callers who want only the SBOM;
// WithLayerOptions tunes their read (budgets, concurrency, progress, a
// layer cache).
//
// Damaged input never fails the whole inventory: a corrupt layer, an
// unreadable database or a bad record becomes an entry of [SBOM.Errors]
// (a [result.FileError] naming the layer and path) and everything else is
// still reported.
package sbom
