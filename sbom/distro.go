package sbom

import (
	"context"
	"io"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/pkgdb/osrelease"
	"github.com/shipshape-dev/shipshape/layer"
)

// distroCataloger reads the distribution release from etc/os-release
// (usually a symlink to usr/lib/os-release), falling back to the older
// etc/debian_version and etc/alpine-release.
type distroCataloger struct{}

var distroFiles = map[string]bool{
	"etc/os-release":     true,
	"usr/lib/os-release": true,
	"etc/debian_version": true,
	"etc/alpine-release": true,
}

func (distroCataloger) Wants(h *layer.Header) bool { return distroFiles[h.Path] }

// Class implements layer.Classifier: os-release files parse as key=value,
// the others as a line.
func (distroCataloger) Class(h *layer.Header) string {
	if strings.HasSuffix(h.Path, "os-release") {
		return "os-release"
	}
	return "line"
}

func (distroCataloger) Visit(_ context.Context, h *layer.Header, r io.Reader) (any, error) {
	if strings.HasSuffix(h.Path, "os-release") {
		return osrelease.Parse(r)
	}
	return osrelease.FirstLine(r)
}

func (distroCataloger) catalog(a *assembly, vs []*layer.File[any]) {
	idx := indexFiles(vs)
	for _, p := range []string{"etc/os-release", "usr/lib/os-release"} {
		v := a.visible(idx, p)
		if v == nil {
			continue
		}
		if v.Err != nil {
			a.fileErr(v, v.Err)
			continue
		}
		m, ok := v.Value.(map[string]string)
		if !ok || m["ID"] == "" {
			continue
		}
		a.distro = &Distro{
			ID:        strings.ToLower(m["ID"]),
			VersionID: m["VERSION_ID"],
			Codename:  m["VERSION_CODENAME"],
			Name:      m["PRETTY_NAME"],
			// Kept as written: scan checks its form.
			SupportEnd: m["SUPPORT_END"],
		}
		if like := strings.Fields(m["ID_LIKE"]); len(like) > 0 {
			a.distro.IDLike = like
		}
		return
	}
	if s := releaseLine(a.visible(idx, "etc/alpine-release")); s != "" {
		a.distro = &Distro{ID: "alpine", VersionID: s}
		return
	}
	if s := releaseLine(a.visible(idx, "etc/debian_version")); s != "" {
		a.distro = debianVersion(s)
	}
}

// releaseLine is the first line of a release file, or "".
func releaseLine(v *layer.File[any]) string {
	if v == nil || v.Err != nil {
		return ""
	}
	s, _ := v.Value.(string)
	return s
}

// debianVersion reads etc/debian_version: "12.5" for a stable release
// (os-release's VERSION_ID is the major number), "trixie/sid" for testing.
func debianVersion(s string) *Distro {
	d := &Distro{ID: "debian"}
	if s[0] >= '0' && s[0] <= '9' {
		d.VersionID, _, _ = strings.Cut(s, ".")
		return d
	}
	d.Codename, _, _ = strings.Cut(s, "/")
	return d
}
