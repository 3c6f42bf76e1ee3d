package sbom

import (
	"context"
	"io"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/pkgdb/osrelease"
	"github.com/shipshape-dev/shipshape/internal/walk"
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

func (distroCataloger) Wants(h *walk.Header) bool { return distroFiles[h.Path] }

func (distroCataloger) Visit(_ context.Context, h *walk.Header, r io.Reader) (any, error) {
	if strings.HasSuffix(h.Path, "os-release") {
		return osrelease.Parse(r)
	}
	return osrelease.FirstLine(r)
}

func (distroCataloger) catalog(a *assembly, vs []*walk.Visited) {
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
		m := v.Value.(map[string]string)
		if m["ID"] == "" {
			continue
		}
		a.distro = &Distro{
			ID:        strings.ToLower(m["ID"]),
			VersionID: m["VERSION_ID"],
			Codename:  m["VERSION_CODENAME"],
			Name:      m["PRETTY_NAME"],
		}
		if like := strings.Fields(m["ID_LIKE"]); len(like) > 0 {
			a.distro.IDLike = like
		}
		return
	}
	if v := a.visible(idx, "etc/alpine-release"); v != nil && v.Err == nil && v.Value.(string) != "" {
		a.distro = &Distro{ID: "alpine", VersionID: v.Value.(string)}
		return
	}
	if v := a.visible(idx, "etc/debian_version"); v != nil && v.Err == nil && v.Value.(string) != "" {
		a.distro = debianVersion(v.Value.(string))
	}
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
