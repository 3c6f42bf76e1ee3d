package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Schemes a reference may start with, as they appear before the first
// colon.
const (
	SchemeRegistry      = "registry"
	SchemeDockerArchive = "docker-archive"
	SchemeOCILayout     = "oci-layout"
	SchemeOCIArchive    = "oci-archive"
	SchemeDir           = "dir"
)

// Ref is a parsed reference: what a user typed to name an image or a
// directory tree.
type Ref struct {
	// Scheme is one of the Scheme constants.
	Scheme string
	// Path is the registry reference ("ghcr.io/org/app:1.2") for
	// SchemeRegistry, and the file or directory for the others.
	Path string
	// Selector picks one image of an OCI layout or archive that holds
	// several: the image's name (its org.opencontainers.image.ref.name
	// annotation, which may hold colons, as "app:1.0" does) or its
	// manifest digest ("sha256:…"). Empty when the reference names the
	// whole layout.
	Selector string
}

// String returns the reference as ParseRef reads it.
func (r Ref) String() string {
	s := r.Scheme + ":" + r.Path
	switch {
	case r.Selector == "":
	case strings.HasPrefix(r.Selector, "sha256:"):
		s += "@" + r.Selector
	default:
		s += ":" + r.Selector
	}
	return s
}

// ParseRef parses a reference with a scheme:
//
//	registry:REF                          an image in a registry
//	docker-archive:PATH                   the output of docker save
//	oci-layout:DIR[:NAME|@sha256:…]       an OCI image layout directory
//	oci-archive:PATH[:NAME|@sha256:…]     a tar of an OCI image layout
//	dir:PATH                              a root filesystem or source tree
//
// For oci-layout and oci-archive the selector is read with the file
// system's help, since both a path and a name may hold colons: the whole
// string names the layout when it exists; "@sha256:…" at the end selects
// by digest; otherwise the path is the shortest prefix, ending before a
// colon, that exists (a directory for oci-layout, a file for oci-archive),
// and the rest is the image's name. A reference without a scheme fails
// with ErrNoScheme and an unknown scheme with ErrUnknownScheme; both
// messages suggest the scheme the path needs.
func ParseRef(s string) (Ref, error) {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || rest == "" || !schemeLike(scheme) {
		return Ref{}, fmt.Errorf("%w: %q; %s", ErrNoScheme, s, suggestScheme(s))
	}
	switch scheme {
	case SchemeRegistry, SchemeDockerArchive, SchemeDir:
		return Ref{Scheme: scheme, Path: rest}, nil
	case SchemeOCILayout:
		p, sel := splitSelector(rest, true)
		return Ref{Scheme: scheme, Path: p, Selector: sel}, nil
	case SchemeOCIArchive:
		p, sel := splitSelector(rest, false)
		return Ref{Scheme: scheme, Path: p, Selector: sel}, nil
	}
	return Ref{}, fmt.Errorf("%w: %q in %q (want registry, docker-archive, oci-layout, oci-archive or dir); %s",
		ErrUnknownScheme, scheme, s, suggestScheme(s))
}

// schemeLike reports a word that can be a scheme: lower-case letters and
// dashes. "ghcr.io/app" or "./image.tar" before a colon are no scheme.
func schemeLike(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || c == '-') {
			return false
		}
	}
	return true
}

// splitSelector splits "PATH:NAME" or "PATH@sha256:…" of an OCI layout
// (dir) or archive (!dir), as ParseRef describes.
func splitSelector(spec string, dir bool) (path, sel string) {
	if _, err := os.Stat(spec); err == nil {
		return spec, ""
	}
	if i := strings.LastIndex(spec, "@sha256:"); i > 0 {
		return spec[:i], spec[i+1:]
	}
	for i := 1; i < len(spec); i++ {
		if spec[i] != ':' {
			continue
		}
		if fi, err := os.Stat(spec[:i]); err == nil && fi.IsDir() == dir {
			return spec[:i], spec[i+1:]
		}
	}
	return spec, ""
}

// suggestScheme says which scheme a reference without one probably needs.
func suggestScheme(ref string) string {
	fi, err := os.Stat(ref)
	switch {
	case err == nil && fi.IsDir():
		if _, err := os.Stat(filepath.Join(ref, "index.json")); err == nil {
			return fmt.Sprintf("it is an OCI layout: oci-layout:%s", ref)
		}
		return fmt.Sprintf("it is a directory: dir:%s", ref)
	case err == nil:
		if isOCIArchive(ref) {
			return fmt.Sprintf("it is an OCI archive: oci-archive:%s", ref)
		}
		return fmt.Sprintf("it is a file: docker-archive:%s (docker save) or oci-archive:%s", ref, ref)
	}
	return fmt.Sprintf("for an image in a registry write registry:%s", ref)
}
