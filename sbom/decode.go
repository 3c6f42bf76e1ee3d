package sbom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/package-url/packageurl-go"

	"github.com/shipshape-dev/shipshape/result"
)

// MaxDecodeBytes bounds the size of a document Decode reads.
const MaxDecodeBytes = 1 << 30

// Decode reads an SBOM in any format Encode writes except the table:
// CycloneDX JSON or XML (shipshape's own, or another tool's), or
// shipshape's JSON.
func Decode(r io.Reader) (*SBOM, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxDecodeBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	if len(b) > MaxDecodeBytes {
		return nil, fmt.Errorf("%w: document larger than %d bytes", ErrDecode, MaxDecodeBytes)
	}
	t := bytes.TrimLeft(b, " \t\r\n\ufeff")
	switch {
	case len(t) == 0:
		return nil, fmt.Errorf("%w: empty document", ErrDecode)
	case t[0] == '<':
		var bom cdx.BOM
		if err := cdx.NewBOMDecoder(bytes.NewReader(t), cdx.BOMFileFormatXML).Decode(&bom); err != nil {
			return nil, fmt.Errorf("%w: CycloneDX XML: %w", ErrDecode, err)
		}
		return FromCycloneDX(&bom)
	case t[0] == '{':
		var probe struct {
			BOMFormat     string `json:"bomFormat"`
			SchemaVersion string `json:"schema_version"`
		}
		if err := json.Unmarshal(t, &probe); err != nil {
			return nil, fmt.Errorf("%w: JSON: %w", ErrDecode, err)
		}
		if probe.BOMFormat == "CycloneDX" {
			var bom cdx.BOM
			if err := cdx.NewBOMDecoder(bytes.NewReader(t), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
				return nil, fmt.Errorf("%w: CycloneDX JSON: %w", ErrDecode, err)
			}
			return FromCycloneDX(&bom)
		}
		if probe.SchemaVersion != "" {
			var s SBOM
			if err := json.Unmarshal(t, &s); err != nil {
				return nil, fmt.Errorf("%w: shipshape JSON: %w", ErrDecode, err)
			}
			return &s, nil
		}
		return nil, fmt.Errorf("%w: JSON is neither CycloneDX (no bomFormat) nor shipshape's (no schema_version)", ErrDecode)
	}
	return nil, fmt.Errorf("%w: neither JSON nor XML", ErrDecode)
}

// props returns the first value of each property, and all values of the
// repeated ones.
type props map[string][]string

func propsOf(ps *[]cdx.Property) props {
	m := props{}
	if ps != nil {
		for _, p := range *ps {
			m[p.Name] = append(m[p.Name], p.Value)
		}
	}
	return m
}

func (m props) get(names ...string) string {
	for _, n := range names {
		if v := m[n]; len(v) > 0 && v[0] != "" {
			return v[0]
		}
	}
	return ""
}

// FromCycloneDX converts a CycloneDX document to an SBOM. shipshape's own
// documents convert back exactly; for other tools' documents the package
// URLs, the operating-system component and the location and layer
// properties of Syft and Trivy are used.
func FromCycloneDX(bom *cdx.BOM) (*SBOM, error) {
	s := &SBOM{SchemaVersion: SchemaVersion, Source: Source{Type: SourceImage}}
	var metaRef string
	if m := bom.Metadata; m != nil {
		mp := propsOf(m.Properties)
		if v := mp.get(PropSchemaVersion); v != "" {
			s.SchemaVersion = v
		}
		for _, e := range mp[PropError] {
			var fe result.FileError
			if err := json.Unmarshal([]byte(e), &fe); err != nil {
				return nil, fmt.Errorf("%w: property %s: %w", ErrDecode, PropError, err)
			}
			s.Errors = append(s.Errors, fe)
		}
		if c := m.Component; c != nil {
			metaRef = c.BOMRef
			s.Source = sourceFrom(c)
		}
	}
	var comps []*cdx.Component
	var flatten func(cs *[]cdx.Component)
	flatten = func(cs *[]cdx.Component) {
		if cs == nil {
			return
		}
		for i := range *cs {
			c := &(*cs)[i]
			comps = append(comps, c)
			flatten(c.Components)
		}
	}
	flatten(bom.Components)

	pkgs := make([]*pkg, 0, len(comps))
	byRef := map[string]*pkg{}
	for _, c := range comps {
		if c.BOMRef != "" && c.BOMRef == metaRef {
			continue
		}
		if c.Type == cdx.ComponentTypeOS {
			if s.Distro == nil {
				s.Distro = distroFrom(c)
			}
			continue
		}
		p := packageFrom(c)
		pkgs = append(pkgs, p)
		if c.BOMRef != "" {
			byRef[c.BOMRef] = p
		}
	}
	if bom.Dependencies != nil {
		for _, d := range *bom.Dependencies {
			p, ok := byRef[d.Ref]
			if !ok || d.Dependencies == nil {
				continue
			}
			for _, ref := range *d.Dependencies {
				if dep, ok := byRef[ref]; ok {
					p.DependsOn = append(p.DependsOn, dep.ID)
				}
			}
			sort.Strings(p.DependsOn)
			p.DependsOn = dedupe(p.DependsOn)
		}
	}
	sort.SliceStable(pkgs, func(i, j int) bool { return lessPackage(&pkgs[i].Package, &pkgs[j].Package) })
	s.Packages = make([]Package, len(pkgs))
	for i, p := range pkgs {
		s.Packages[i] = p.Package
	}
	return s, nil
}

func sourceFrom(c *cdx.Component) Source {
	p := propsOf(c.Properties)
	src := Source{
		Type:      p.get(PropSourceType),
		Name:      p.get(PropSourceName),
		Reference: p.get(PropImageReference),
		Digest:    p.get(PropImageDigest),
		ImageID:   p.get(PropImageID),
		Platform:  p.get(PropImagePlatform),
	}
	for _, l := range p[PropImageLayer] {
		diffID, digest, _ := strings.Cut(l, " ")
		src.Layers = append(src.Layers, Layer{DiffID: diffID, Digest: digest})
	}
	if src.Type != "" {
		return src // written by shipshape
	}
	src.Type = SourceDirectory
	if c.Type == cdx.ComponentTypeContainer {
		src.Type = SourceImage
		if strings.HasPrefix(c.Version, "sha256:") {
			src.Digest = c.Version
		}
	}
	src.Name = c.Name
	return src
}

func distroFrom(c *cdx.Component) *Distro {
	p := propsOf(c.Properties)
	d := &Distro{
		ID:         strings.ToLower(c.Name),
		VersionID:  c.Version,
		Name:       c.Description,
		Codename:   p.get(PropDistroCodename, "syft:distro:versionCodename"),
		SupportEnd: p.get(PropDistroSupportEnd),
	}
	if like := strings.Fields(p.get(PropDistroIDLike, "syft:distro:idLike")); len(like) > 0 {
		d.IDLike = like
	}
	return d
}

// Property names other tools use for the same facts.
const (
	syftLocation  = "syft:location:0:path"
	syftLayer     = "syft:location:0:layerID"
	trivyFilePath = "aquasecurity:trivy:FilePath"
	trivyLayer    = "aquasecurity:trivy:LayerDiffID"
	trivySrcName  = "aquasecurity:trivy:SrcName"
	trivySrcVer   = "aquasecurity:trivy:SrcVersion"
)

func packageFrom(c *cdx.Component) *pkg {
	p := propsOf(c.Properties)
	pk := &pkg{Package: Package{
		ID:            c.BOMRef,
		Name:          c.Name,
		Version:       c.Version,
		PURL:          c.PackageURL,
		Type:          p.get(PropPackageType),
		Arch:          p.get(PropPackageArch),
		SourceName:    p.get(PropPackageSourceName, trivySrcName),
		SourceVersion: p.get(PropPackageSourceVersion, trivySrcVer),
		Maintainer:    p.get(PropPackageMaintainer),
		Location:      strings.TrimPrefix(p.get(PropPackageLocation, syftLocation, trivyFilePath), "/"),
		Layer:         p.get(PropPackageLayer, syftLayer, trivyLayer),
		OwnedBy:       p.get(PropPackageOwnedBy),
		Dev:           p.get(PropPackageDev) == "true",
	}}
	for name, vs := range p {
		rest, ok := strings.CutPrefix(name, PropPrefix)
		if !ok || strings.HasPrefix(rest, "package:") || len(vs) == 0 || !strings.Contains(rest, ":") {
			continue
		}
		if pk.Properties == nil {
			pk.Properties = map[string]string{}
		}
		pk.Properties[rest] = vs[0]
	}
	if purl, err := packageurl.FromString(c.PackageURL); err == nil {
		q := purl.Qualifiers.Map()
		if pk.Type == "" {
			pk.Type = purl.Type
		}
		if pk.Arch == "" {
			pk.Arch = q["arch"]
		}
		if pk.SourceName == "" && q["upstream"] != "" {
			pk.SourceName, pk.SourceVersion, _ = strings.Cut(q["upstream"], "@")
			if pk.Type == TypeRPM {
				pk.SourceName, pk.SourceVersion = rpmSourceFromUpstream(q["upstream"], q["epoch"])
			}
		}
	}
	if pk.ID == "" {
		pk.ID = pk.PURL
	}
	if c.Licenses != nil {
		for _, l := range *c.Licenses {
			switch {
			case l.Expression != "":
				pk.Licenses = append(pk.Licenses, l.Expression)
			case l.License != nil && l.License.ID != "":
				pk.Licenses = append(pk.Licenses, l.License.ID)
			case l.License != nil && l.License.Name != "":
				pk.Licenses = append(pk.Licenses, l.License.Name)
			}
		}
	}
	return pk
}

// rpmSourceFromUpstream reads a source RPM file name from a purl's
// upstream qualifier ("openssl-3.0.7-24.el9.src.rpm").
func rpmSourceFromUpstream(up, epoch string) (string, string) {
	s := strings.TrimSuffix(strings.TrimSuffix(up, ".src.rpm"), ".nosrc.rpm")
	r := strings.LastIndexByte(s, '-')
	if r <= 0 {
		return up, ""
	}
	v := strings.LastIndexByte(s[:r], '-')
	if v <= 0 {
		return up, ""
	}
	ver := s[v+1:]
	if epoch != "" {
		ver = epoch + ":" + ver
	}
	return s[:v], ver
}
