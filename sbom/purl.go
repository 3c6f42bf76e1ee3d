package sbom

import (
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/shipshape-dev/shipshape/internal/lang"
)

// distroQualifier is the purl "distro" qualifier: "debian-12",
// "alpine-3.19.1", "rhel-9.4"; the codename stands in for a missing version.
func distroQualifier(d *Distro) string {
	if d == nil || d.ID == "" {
		return ""
	}
	switch {
	case d.VersionID != "":
		return d.ID + "-" + d.VersionID
	case d.Codename != "":
		return d.ID + "-" + d.Codename
	}
	return d.ID
}

// purlNamespace is the vendor namespace of an OS package's purl: the
// distribution ID ("redhat" for RHEL, by the purl-spec's convention), or
// fallback when the image has no os-release.
func purlNamespace(d *Distro, fallback string) string {
	if d == nil || d.ID == "" {
		return fallback
	}
	if d.ID == "rhel" {
		return "redhat"
	}
	return d.ID
}

// osPURL builds the purl of an OS package. upstream is the source package
// (left out when it equals the name); extra holds further qualifiers.
func osPURL(typ, namespace, name, version, arch string, d *Distro, upstream string, extra map[string]string) string {
	q := map[string]string{}
	for k, v := range extra {
		if v != "" {
			q[k] = v
		}
	}
	if arch != "" {
		q["arch"] = arch
	}
	if dq := distroQualifier(d); dq != "" {
		q["distro"] = dq
	}
	if upstream != "" && upstream != name {
		q["upstream"] = upstream
	}
	return packageurl.NewPackageURL(typ, namespace, name, version, packageurl.QualifiersFromMap(q), "").ToString()
}

// langPURL builds the purl of a language package per the purl-spec's rules
// for its type: Go module paths and npm scopes split into namespace and
// name, Maven and Composer take their group or vendor as namespace.
func langPURL(p *lang.Package) string {
	ns, name := p.Namespace, p.Name
	switch p.Type {
	case TypeGolang:
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			ns, name = name[:i], name[i+1:]
		}
	case TypeNPM:
		if strings.HasPrefix(name, "@") {
			if i := strings.IndexByte(name, '/'); i > 0 {
				ns, name = name[:i], name[i+1:]
			}
		}
	case TypeComposer:
		if ns == "" {
			if i := strings.IndexByte(name, '/'); i > 0 {
				ns, name = name[:i], name[i+1:]
			}
		}
	}
	if name == "" {
		return ""
	}
	return packageurl.NewPackageURL(p.Type, ns, name, p.Version, nil, "").ToString()
}
