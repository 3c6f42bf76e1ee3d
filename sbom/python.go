package sbom

import (
	"context"
	"io"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/lang"
	"github.com/shipshape-dev/shipshape/internal/lang/python"
	"github.com/shipshape-dev/shipshape/layer"
)

// pythonCataloger finds installed distributions (dist-info, egg-info,
// Debian's dist-packages included) and, in source trees, Python lock and
// requirement files.
func pythonCataloger(image bool) langCataloger {
	return langCataloger{
		wants: func(h *layer.Header) bool {
			dir, base := parentAndBase(h.Path)
			switch {
			case base == "METADATA":
				return strings.HasSuffix(dir, ".dist-info")
			case base == "PKG-INFO":
				return strings.HasSuffix(dir, ".egg-info")
			case strings.HasSuffix(base, ".egg-info"): // a distutils install: the file is PKG-INFO
				return true
			case image:
				return false
			case base == "poetry.lock", base == "uv.lock", base == "Pipfile.lock":
				return true
			}
			return isRequirements(base)
		},
		classify: func(h *layer.Header) string {
			_, base := parentAndBase(h.Path)
			switch {
			case base == "METADATA", base == "PKG-INFO", strings.HasSuffix(base, ".egg-info"):
				return "metadata"
			case base == "poetry.lock", base == "uv.lock":
				return "toml"
			}
			return base
		},
		parse: func(_ context.Context, h *layer.Header, r io.Reader) ([]lang.Package, error) {
			_, base := parentAndBase(h.Path)
			switch {
			case base == "METADATA", base == "PKG-INFO", strings.HasSuffix(base, ".egg-info"):
				p, err := python.ParseMetadata(r)
				if err != nil {
					return nil, err
				}
				return []lang.Package{p}, nil
			case base == "poetry.lock", base == "uv.lock":
				return python.ParseTOMLLock(r)
			case base == "Pipfile.lock":
				return python.ParsePipfileLock(r)
			}
			return python.ParseRequirements(r)
		},
	}
}

// isRequirements matches requirements.txt, requirements-dev.txt,
// requirements_test.txt and the like.
func isRequirements(base string) bool {
	return strings.HasPrefix(base, "requirements") && strings.HasSuffix(base, ".txt")
}
