package layer

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/layer/layertest"
)

// FuzzLayers walks arbitrary bytes as a layer: the walk must not panic, the
// view must hold only clean paths, and Resolve must stay inside the root.
func FuzzLayers(f *testing.F) {
	f.Add(layertest.Tar(f,
		layertest.File("etc/os-release", "ID=debian"),
		layertest.Symlink("a", "../../b"),
		layertest.Hardlink("h", "etc/os-release"),
		layertest.Whiteout("x"),
		layertest.Opaque("d"),
	))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := testWalk(context.Background(), []layerSource{rawLayer(b), rawLayer(b)}, []Visitor[any]{&collect{}}, options{MaxFileBytes: 1 << 16})
		if err != nil {
			t.Fatal(err)
		}
		_ = res.View.Walk(func(h *Header) error {
			if p, err := CleanPath(h.Path); err != nil || p != h.Path || p == "" {
				t.Fatalf("unclean path %q in view", h.Path)
			}
			if h.Mode&fs.ModeSymlink != 0 {
				if r, err := res.View.Resolve(h.Path); err == nil && strings.HasPrefix(r.Path, "..") {
					t.Fatalf("resolved outside the root: %q", r.Path)
				}
			}
			return nil
		})
	})
}
