package sbom

import (
	"github.com/shipshape-dev/shipshape/result"
)

// SchemaVersion is the version of the JSON form of SBOM written by this
// package.
const SchemaVersion = "1"

// SBOM is the inventory of one image or directory tree.
type SBOM struct {
	SchemaVersion string `json:"schema_version"`
	// Source says what was inventoried.
	Source Source `json:"source"`
	// Distro is the operating system of the image, when it has one.
	Distro *Distro `json:"distro,omitempty"`
	// Packages are sorted by name, version, type, architecture and location.
	Packages []Package `json:"packages"`
	// Errors lists the files and layers that could not be read completely.
	Errors []result.FileError `json:"errors,omitempty"`
}

// Source types.
const (
	SourceImage     = "image"
	SourceDirectory = "directory"
)

// Source describes the inventoried image or directory.
type Source struct {
	// Type is SourceImage or SourceDirectory.
	Type string `json:"type"`
	// Name is the image reference or directory path the caller gave.
	Name string `json:"name,omitempty"`
	// Reference is the registry reference the image was read from
	// ("ghcr.io/org/app:1.2"); empty for local images and directories.
	Reference string `json:"reference,omitempty"`
	// Digest is the image's manifest digest, when the image has a manifest
	// that a registry would serve ("sha256:…").
	Digest string `json:"digest,omitempty"`
	// ImageID is the digest of the image's config.
	ImageID string `json:"image_id,omitempty"`
	// Platform is "os/architecture[/variant]".
	Platform string `json:"platform,omitempty"`
	// Layers lists the image's layers, bottom first.
	Layers []Layer `json:"layers,omitempty"`
}

// Layer identifies one layer of an image.
type Layer struct {
	// DiffID is the digest of the uncompressed layer.
	DiffID string `json:"diff_id"`
	// Digest is the digest of the layer blob as stored, when known.
	Digest string `json:"digest,omitempty"`
	// Untrusted is set when the layer's content does not match DiffID:
	// the packages found in it come from bytes nobody vouched for.
	Untrusted bool `json:"untrusted,omitempty"`
}

// Distro is the operating system release an image is built on, from
// etc/os-release (or the older release files).
type Distro struct {
	// ID is os-release's ID, e.g. "debian", "alpine", "rhel".
	ID string `json:"id"`
	// VersionID is os-release's VERSION_ID, e.g. "12", "3.19.1", "9.4".
	VersionID string `json:"version_id,omitempty"`
	// Codename is VERSION_CODENAME, e.g. "bookworm".
	Codename string `json:"codename,omitempty"`
	// Name is PRETTY_NAME, e.g. "Debian GNU/Linux 12 (bookworm)".
	Name string `json:"name,omitempty"`
	// IDLike lists ID_LIKE, e.g. ["rhel", "fedora"].
	IDLike []string `json:"id_like,omitempty"`
	// SupportEnd is SUPPORT_END, the date (YYYY-MM-DD, as os-release(5)
	// defines it) the vendor's support for this release ends, as written;
	// Fedora sets it, for one. scan prefers it over its end-of-life table.
	SupportEnd string `json:"support_end,omitempty"`
}

// Package types, named after the purl types.
const (
	TypeDeb      = "deb"
	TypeAPK      = "apk"
	TypeRPM      = "rpm"
	TypeGolang   = "golang"
	TypePyPI     = "pypi"
	TypeNPM      = "npm"
	TypeMaven    = "maven"
	TypeGem      = "gem"
	TypeCargo    = "cargo"
	TypeComposer = "composer"
	TypeNuGet    = "nuget"
)

// Package is one installed package found at one location.
type Package struct {
	// ID is unique within the SBOM and stable across runs (the CycloneDX
	// bom-ref): the purl, with "#location" appended when the same purl
	// occurs at more than one location.
	ID      string `json:"id"`
	Name    string `json:"name"`
	Version string `json:"version"`
	// Type is the package type, one of the Type constants.
	Type string `json:"type"`
	// PURL is the package URL (https://github.com/package-url/purl-spec).
	PURL string `json:"purl,omitempty"`
	// Arch is the package's architecture as its database writes it.
	Arch string `json:"arch,omitempty"`
	// SourceName and SourceVersion identify the source package it was built
	// from (dpkg Source, apk origin, rpm source RPM); distribution
	// advisories are written against them.
	SourceName    string `json:"source_name,omitempty"`
	SourceVersion string `json:"source_version,omitempty"`
	// Licenses are SPDX identifiers or expressions where the database gives
	// them, licence names otherwise.
	Licenses []string `json:"licenses,omitempty"`
	// Maintainer or packager, as the database records it.
	Maintainer string `json:"maintainer,omitempty"`
	// Location is the path (relative to the root, no leading slash) of the
	// file the package was found in. For a package inside an archive inside
	// that file it continues with "!/" and the inner path
	// ("app.war!/WEB-INF/lib/guava-32.1.2.jar").
	Location string `json:"location"`
	// Layer is the diffID of the layer that introduced the package in its
	// current version; empty for directory trees.
	Layer string `json:"layer,omitempty"`
	// DependsOn lists the IDs of the packages this one depends on, where the
	// database records dependencies.
	DependsOn []string `json:"depends_on,omitempty"`
	// OwnedBy is the ID of the operating-system package whose file list
	// holds Location: a language package the distribution installed
	// (Debian's python3-requests, a node module under /usr/share/nodejs).
	// Its fixes arrive as the distribution's, so scanners match it through
	// the owner's advisories.
	OwnedBy string `json:"owned_by,omitempty"`
	// Dev marks a development-only dependency declared in a lock file.
	Dev bool `json:"dev,omitempty"`
	// Properties holds further facts, named "<type>:<fact>": a Go binary's
	// build settings ("golang:GOOS"), a module's replacement
	// ("golang:replace"), a jar's manifest title.
	Properties map[string]string `json:"properties,omitempty"`
}
