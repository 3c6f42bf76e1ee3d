package sbom

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/package-url/packageurl-go"
	"github.com/shipshape-dev/shipshape/internal/buildinfo"
)

// CycloneDX property names shipshape writes, so that its documents decode
// back into the same SBOM.
const (
	PropSchemaVersion        = "shipshape:schema_version"
	PropSourceType           = "shipshape:source:type"
	PropSourceName           = "shipshape:source:name"
	PropImageReference       = "shipshape:image:reference"
	PropImageDigest          = "shipshape:image:digest"
	PropImageID              = "shipshape:image:id"
	PropImagePlatform        = "shipshape:image:platform"
	PropImageLayer           = "shipshape:image:layer" // "diffID[ digest]", one per layer, bottom first
	PropError                = "shipshape:error"       // JSON {"layer","path","error"}
	PropDistroCodename       = "shipshape:distro:codename"
	PropDistroIDLike         = "shipshape:distro:id_like"
	PropDistroSupportEnd     = "shipshape:distro:support_end"
	PropPackageType          = "shipshape:package:type"
	PropPackageArch          = "shipshape:package:arch"
	PropPackageSourceName    = "shipshape:package:source_name"
	PropPackageSourceVersion = "shipshape:package:source_version"
	PropPackageMaintainer    = "shipshape:package:maintainer"
	PropPackageLocation      = "shipshape:package:location"
	PropPackageLayer         = "shipshape:package:layer"
	PropPackageOwnedBy       = "shipshape:package:owned_by"
	PropPackageDev           = "shipshape:package:dev"
	// PropPrefix prefixes Package.Properties: "golang:GOOS" is written as
	// "shipshape:golang:GOOS".
	PropPrefix = "shipshape:"
)

// ToCycloneDX converts s to a CycloneDX document: metadata.component
// describes the image (a pkg:oci purl with its digest) or directory, an
// operating-system component the distribution, and one library component
// per package with its purl, licences and shipshape properties; the
// dependencies section holds the package dependencies.
func ToCycloneDX(s *SBOM, opts ...EncodeOption) (*cdx.BOM, error) {
	o := &encodeOptions{}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	if o.now.IsZero() {
		o.now = time.Now()
	}
	if o.serial == "" {
		o.serial = randomURN()
	}
	bom := cdx.NewBOM()
	bom.SerialNumber = o.serial
	tool := cdx.Component{Type: cdx.ComponentTypeApplication, Name: "shipshape", Version: buildinfo.Version(),
		Supplier: &cdx.OrganizationalEntity{Name: "shipshape"}}
	meta := &cdx.Metadata{
		Timestamp: o.now.UTC().Format(time.RFC3339),
		Tools:     &cdx.ToolsChoice{Components: &[]cdx.Component{tool}},
		Component: sourceComponent(&s.Source),
	}
	props := []cdx.Property{{Name: PropSchemaVersion, Value: s.SchemaVersion}}
	for _, e := range s.Errors {
		b, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		props = append(props, cdx.Property{Name: PropError, Value: string(b)})
	}
	meta.Properties = &props
	bom.Metadata = meta

	comps := make([]cdx.Component, 0, len(s.Packages)+1)
	if s.Distro != nil {
		comps = append(comps, distroComponent(s.Distro))
	}
	var deps []cdx.Dependency
	for i := range s.Packages {
		p := &s.Packages[i]
		comps = append(comps, packageComponent(p))
		if len(p.DependsOn) > 0 {
			d := append([]string(nil), p.DependsOn...)
			deps = append(deps, cdx.Dependency{Ref: p.ID, Dependencies: &d})
		}
	}
	bom.Components = &comps
	if len(deps) > 0 {
		bom.Dependencies = &deps
	}
	return bom, nil
}

func sourceComponent(src *Source) *cdx.Component {
	c := &cdx.Component{BOMRef: "source", Name: src.Name, Type: cdx.ComponentTypeFile}
	if src.Type == SourceImage {
		c.Type = cdx.ComponentTypeContainer
		c.Version = src.Digest
		if c.Version == "" {
			c.Version = src.ImageID
		}
		c.PackageURL = ociPURL(src)
	}
	if c.Name == "" {
		c.Name = "unnamed"
	}
	props := propList{{Name: PropSourceType, Value: src.Type}}
	props.add(PropSourceName, src.Name)
	props.add(PropImageReference, src.Reference)
	props.add(PropImageDigest, src.Digest)
	props.add(PropImageID, src.ImageID)
	props.add(PropImagePlatform, src.Platform)
	for _, l := range src.Layers {
		props.add(PropImageLayer, strings.TrimSpace(l.DiffID+" "+l.Digest))
	}
	c.Properties = props.ptr()
	return c
}

// ociPURL is the image's purl per the purl-spec's oci type:
// pkg:oci/<name>@<digest>?arch=…, with repository_url and tag when the
// image came from a registry. A local image is named by the last element
// of its name, without tag or file extension.
func ociPURL(src *Source) string {
	digest := src.Digest
	if digest == "" {
		digest = src.ImageID
	}
	if digest == "" || (src.Name == "" && src.Reference == "") {
		return ""
	}
	q := map[string]string{}
	n := src.Name
	if ref, err := name.ParseReference(src.Reference); src.Reference != "" && err == nil {
		repo := ref.Context()
		n = repo.RepositoryStr()
		q["repository_url"] = repo.RegistryStr() + "/" + repo.RepositoryStr()
		if t, ok := ref.(name.Tag); ok {
			q["tag"] = t.TagStr()
		}
	} else {
		n = strings.TrimSuffix(n, ".tar")
		if i := strings.LastIndexByte(n, '/'); i >= 0 {
			n = n[i+1:]
		}
		n, _, _ = strings.Cut(n, ":")
		n, _, _ = strings.Cut(n, "@")
	}
	if i := strings.LastIndexByte(n, '/'); i >= 0 {
		n = n[i+1:]
	}
	if n == "" {
		return ""
	}
	if _, arch, ok := strings.Cut(src.Platform, "/"); ok {
		arch, _, _ = strings.Cut(arch, "/")
		q["arch"] = arch
	}
	return packageurl.NewPackageURL("oci", "", strings.ToLower(n), digest, packageurl.QualifiersFromMap(q), "").ToString()
}

func distroComponent(d *Distro) cdx.Component {
	c := cdx.Component{BOMRef: "os:" + d.ID + "@" + d.VersionID, Type: cdx.ComponentTypeOS,
		Name: d.ID, Version: d.VersionID, Description: d.Name}
	var props propList
	props.add(PropDistroCodename, d.Codename)
	props.add(PropDistroIDLike, strings.Join(d.IDLike, " "))
	props.add(PropDistroSupportEnd, d.SupportEnd)
	c.Properties = props.ptr()
	return c
}

func packageComponent(p *Package) cdx.Component {
	c := cdx.Component{BOMRef: p.ID, Type: cdx.ComponentTypeLibrary, Name: p.Name, Version: p.Version, PackageURL: p.PURL}
	if len(p.Licenses) > 0 {
		ls := make(cdx.Licenses, 0, len(p.Licenses))
		for _, l := range p.Licenses {
			ls = append(ls, licenseChoice(l))
		}
		c.Licenses = &ls
	}
	props := propList{{Name: PropPackageType, Value: p.Type}}
	props.add(PropPackageArch, p.Arch)
	props.add(PropPackageSourceName, p.SourceName)
	props.add(PropPackageSourceVersion, p.SourceVersion)
	props.add(PropPackageMaintainer, p.Maintainer)
	props.add(PropPackageLocation, p.Location)
	props.add(PropPackageLayer, p.Layer)
	props.add(PropPackageOwnedBy, p.OwnedBy)
	if p.Dev {
		props.add(PropPackageDev, "true")
	}
	keys := make([]string, 0, len(p.Properties))
	for k := range p.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		props.add(PropPrefix+k, p.Properties[k])
	}
	c.Properties = props.ptr()
	return c
}

// propList collects CycloneDX properties, leaving out empty values.
type propList []cdx.Property

func (l *propList) add(name, value string) {
	if value != "" {
		*l = append(*l, cdx.Property{Name: name, Value: value})
	}
}

func (l propList) ptr() *[]cdx.Property {
	if len(l) == 0 {
		return nil
	}
	return (*[]cdx.Property)(&l)
}

// licenseChoice writes a licence as an SPDX id when it is one, as an SPDX
// expression when it is a valid compound one, and by name otherwise.
func licenseChoice(l string) cdx.LicenseChoice {
	if ok, canonical := spdxexp.ActiveLicense(l); ok && canonical == l {
		return cdx.LicenseChoice{License: &cdx.License{ID: l}}
	}
	if strings.ContainsAny(l, " ()") {
		if ok, _ := spdxexp.ValidateLicenses([]string{l}); ok {
			return cdx.LicenseChoice{Expression: l}
		}
	}
	return cdx.LicenseChoice{License: &cdx.License{Name: l}}
}

func randomURN() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
