package layer

import (
	"context"
	"io"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shipshape-dev/shipshape/layer/layertest"
)

// classedCollect is collect whose hard links share their target's visit.
type classedCollect struct{ *collect }

func (classedCollect) Class(*Header) string { return "" }

// detachedCollect is classedCollect with detached visits; it counts them.
type detachedCollect struct {
	classedCollect
	n *atomic.Int32
}

func (d detachedCollect) Detach(*Header) bool { return true }

func (d detachedCollect) Visit(ctx context.Context, h *Header, r io.Reader) (any, error) {
	d.n.Add(1)
	return d.classedCollect.Visit(ctx, h, r)
}

// TestDetachedVisitsSameResult: a visitor whose visits run on the pool
// gets the same values, errors and order as one visiting in place —
// through overwrites in one layer, hard links (and chains) to detached
// files, files over the detach size, budgets and a stream cut inside a
// file.
func TestDetachedVisitsSameResult(t *testing.T) {
	F, H := layertest.File, layertest.Hardlink
	big := strings.Repeat("x", maxDetached+10)
	cut := layertest.Tar(t, F("a", "1"), F("b", strings.Repeat("y", 5000)))
	tests := []struct {
		name   string
		layers []layerSource
		opts   options
	}{
		{name: "files, links and an overwrite", layers: layersOf(t,
			layertest.Layer(t, F("a", "A"), H("l1", "a"), H("l2", "l1"), F("a", "A2"), H("l3", "a"), F("big", big), H("lbig", "big")),
			layertest.Layer(t, F("c", "C"), H("lc", "c"), F("d", "D")))},
		{name: "budget", layers: layersOf(t, layertest.Layer(t, F("a", "0123456789"), F("b", "01"))), opts: options{MaxFileBytes: 5}},
		{name: "stream cut inside a file", layers: []layerSource{rawLayer(cut[:512+512+512+1000])}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			want, err := testWalk(ctx, tt.layers, []Visitor[any]{&collect{}, classedCollect{&collect{}}}, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var n atomic.Int32
			got, err := testWalk(ctx, tt.layers, []Visitor[any]{&collect{}, detachedCollect{classedCollect{&collect{}}, &n}}, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := values(got), values(want); !reflect.DeepEqual(g, w) {
				t.Errorf("values:\n%v\nwant\n%v", g, w)
			}
			for i := range want.files {
				if g, w := got.files[i], want.files[i]; g.visitor != w.visitor || g.header != w.header || (g.err == nil) != (w.err == nil) {
					t.Errorf("file %d: %+v, want %+v", i, g, w)
				}
			}
			if len(got.Errors) != len(want.Errors) {
				t.Errorf("errors %v, want %v", got.Errors, want.Errors)
			}
			if n.Load() == 0 {
				t.Error("no visit was detached")
			}
		})
	}
}
