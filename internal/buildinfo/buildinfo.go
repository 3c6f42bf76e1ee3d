// Package buildinfo says which version of shipshape is running, from the
// build information Go records in every binary: one answer for the
// CycloneDX and SARIF tool versions and the facade's Version.
package buildinfo

import (
	"runtime/debug"
	"strings"
)

// Module is the root module's path.
const Module = "github.com/shipshape-dev/shipshape"

// Version returns the version of the root module in the running binary:
// its release version when the binary was built against a release (or
// from a tagged checkout); otherwise the version the build requires, or
// v0.0.0, with "+devel" and, when the build recorded it, the checkout's
// revision ("v0.1.0+devel.342ab21be69b.dirty"). Never "(devel)".
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "v0.0.0+devel"
	}
	return fromBuildInfo(bi)
}

func fromBuildInfo(bi *debug.BuildInfo) string {
	base, local := "", true
	switch {
	case bi.Main.Path == Module:
		base = bi.Main.Version
	default:
		for _, d := range bi.Deps {
			if d.Path != Module {
				continue
			}
			base = d.Version
			local = d.Replace != nil && d.Replace.Version == "" // a directory: a checkout
			if d.Replace != nil && d.Replace.Version != "" {
				base = d.Replace.Version
			}
		}
	}
	if bi.Main.Path == Module {
		local = base == "" || base == "(devel)"
	}
	if base == "" || base == "(devel)" {
		base = "v0.0.0"
	}
	if !local {
		return base
	}
	v := base + "+devel"
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		v += "." + rev[:min(12, len(rev))]
		if dirty {
			v += ".dirty"
		}
	}
	if strings.Contains(base, "+") { // a base with build metadata of its own
		v = base + ".devel"
	}
	return v
}
