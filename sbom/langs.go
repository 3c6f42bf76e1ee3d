package sbom

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/lang"
	"github.com/shipshape-dev/shipshape/internal/lang/dotnet"
	"github.com/shipshape-dev/shipshape/internal/lang/java"
	"github.com/shipshape-dev/shipshape/internal/lang/npm"
	"github.com/shipshape-dev/shipshape/internal/lang/php"
	"github.com/shipshape-dev/shipshape/internal/lang/ruby"
	"github.com/shipshape-dev/shipshape/internal/lang/rust"
	"github.com/shipshape-dev/shipshape/layer"
)

// maxArchive bounds a Java archive read into memory.
const maxArchive = 256 << 20

// fileRule says which files a parser reads: match sees the path and its
// last element.
type fileRule struct {
	match func(p, base string) bool
	parse func(h *layer.Header, r io.Reader) ([]lang.Package, error)
	index int // position in its cataloger, which names its class
}

// Scopes of a rule. Lock files and manifests (go.mod, package-lock.json,
// requirements.txt, pom.xml, …) describe a source tree's build; in an image
// they are the leftovers of installed packages' own development (a
// pnpm-lock.yaml inside a Debian node module, a Gemfile.lock inside a gem),
// and what is installed is read from installed-package metadata instead.
// This is the split Trivy makes; Syft makes the same one for most
// ecosystems.
const (
	everywhere = iota
	sourceOnly
)

// scoped keeps the rules that apply to the source kind.
func scoped(image bool, rs ...scopedRule) []fileRule {
	var out []fileRule
	for _, r := range rs {
		if r.scope == everywhere || !image {
			out = append(out, r.fileRule)
		}
	}
	return out
}

type scopedRule struct {
	fileRule
	scope int
}

func src(match func(p, base string) bool, parse func(*layer.Header, io.Reader) ([]lang.Package, error)) scopedRule {
	return scopedRule{fileRule{match: match, parse: parse}, sourceOnly}
}

func anywhere(match func(p, base string) bool, parse func(*layer.Header, io.Reader) ([]lang.Package, error)) scopedRule {
	return scopedRule{fileRule{match: match, parse: parse}, everywhere}
}

// rules makes a cataloger from rules; the first rule that matches a file
// parses it.
func rules(rs ...fileRule) langCataloger {
	for i := range rs {
		rs[i].index = i
	}
	find := func(p string) *fileRule {
		_, base := parentAndBase(p)
		for i := range rs {
			if rs[i].match(p, base) {
				return &rs[i]
			}
		}
		return nil
	}
	return langCataloger{
		classify: func(h *layer.Header) string {
			if r := find(h.Path); r != nil {
				return fmt.Sprint(r.index)
			}
			return ""
		},
		wants: func(h *layer.Header) bool { return find(h.Path) != nil },
		parse: func(_ context.Context, h *layer.Header, r io.Reader) ([]lang.Package, error) {
			if rule := find(h.Path); rule != nil {
				return rule.parse(h, r)
			}
			return nil, nil
		},
	}
}

// named matches files by name, except inside node_modules, where lock
// files belong to published packages, not to the project.
func named(names ...string) func(p, base string) bool {
	return func(p, base string) bool {
		for _, n := range names {
			if base == n {
				return !inNodeModules(p)
			}
		}
		return false
	}
}

func reader(f func(io.Reader) ([]lang.Package, error)) func(*layer.Header, io.Reader) ([]lang.Package, error) {
	return func(_ *layer.Header, r io.Reader) ([]lang.Package, error) { return f(r) }
}

func inNodeModules(p string) bool {
	return strings.HasPrefix(p, "node_modules/") || strings.Contains(p, "/node_modules/")
}

// npmCataloger reads installed package.json files and, in source trees,
// npm, Yarn and pnpm lock files. In images every package.json with a name
// is a package (Debian installs node modules under /usr/share/nodejs); in
// a source tree only those under node_modules are, the project's own
// manifest is not.
func npmCataloger(image bool) langCataloger {
	return rules(scoped(image,
		src(named("package-lock.json", "npm-shrinkwrap.json"), reader(npm.ParsePackageLock)),
		src(named("yarn.lock"), reader(npm.ParseYarnLock)),
		src(named("pnpm-lock.yaml"), reader(npm.ParsePnpmLock)),
		anywhere(func(p, base string) bool { return base == "package.json" && (image || inNodeModules(p)) }, reader(npm.ParsePackageJSON)),
	)...)
}

// javaCataloger reads Java archives (nested ones included, within
// java.DefaultLimits, or Limits) and, in source trees, pom.xml and gradle.lockfile.
func javaCataloger(image bool, lim Limits) langCataloger {
	jl := java.DefaultLimits()
	if lim.MaxArchiveDepth > 0 {
		jl.MaxDepth = lim.MaxArchiveDepth
	}
	if lim.MaxArchiveBytes > 0 {
		jl.MaxExpanded = lim.MaxArchiveBytes
	}
	if lim.MaxArchiveMemory > 0 {
		jl.MaxMemory = lim.MaxArchiveMemory
	}
	return rules(scoped(image,
		src(named("pom.xml"), reader(java.ParsePom)),
		src(named("gradle.lockfile"), reader(java.ParseGradleLockfile)),
		anywhere(func(_, base string) bool { return java.IsArchive(base) }, func(h *layer.Header, r io.Reader) ([]lang.Package, error) {
			if h.Size > maxArchive {
				return nil, fmt.Errorf("%w: archive of %d bytes, over the %d-byte limit for archives", layer.ErrFileTooLarge, h.Size, maxArchive)
			}
			// The header's size, checked above, is what the walk delivers:
			// read it into one buffer of that size, not a growing one.
			b := make([]byte, h.Size)
			if _, err := io.ReadFull(r, b); err != nil {
				return nil, err
			}
			_, base := parentAndBase(h.Path)
			return java.ParseArchive(b, base, jl)
		}),
	)...)
}

// rubyCataloger reads installed gem specifications and, in source trees,
// Gemfile.lock.
func rubyCataloger(image bool) langCataloger {
	return rules(scoped(image,
		src(named("Gemfile.lock"), reader(ruby.ParseGemfileLock)),
		anywhere(func(p, base string) bool {
			dir, _ := parentAndBase(p)
			return strings.HasSuffix(base, ".gemspec") &&
				(strings.HasSuffix(dir, "specifications") || strings.HasSuffix(dir, "specifications/default"))
		}, reader(ruby.ParseGemspec)),
	)...)
}

// rustCataloger reads Cargo.lock in source trees; in images, binaries
// built with cargo-auditable are read by binaryCataloger.
func rustCataloger(image bool) langCataloger {
	return rules(scoped(image, src(named("Cargo.lock"), reader(rust.ParseCargoLock)))...)
}

// phpCataloger reads Composer's installed.json and, in source trees,
// composer.lock.
func phpCataloger(image bool) langCataloger {
	return rules(scoped(image,
		src(named("composer.lock"), reader(php.ParseLock)),
		anywhere(func(p, _ string) bool {
			return p == "vendor/composer/installed.json" || strings.HasSuffix(p, "/vendor/composer/installed.json")
		}, reader(php.ParseInstalled)),
	)...)
}

// dotnetCataloger reads <app>.deps.json and, in source trees,
// packages.lock.json.
func dotnetCataloger(image bool) langCataloger {
	return rules(scoped(image,
		src(named("packages.lock.json"), reader(dotnet.ParsePackagesLock)),
		anywhere(func(_, base string) bool { return strings.HasSuffix(base, ".deps.json") }, reader(dotnet.ParseDepsJSON)),
	)...)
}
