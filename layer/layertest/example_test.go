package layertest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/sbom"
)

// A test of a pipeline step builds the image it needs: here an Alpine
// database in one layer and a file a later layer deletes.
func Example() {
	t := &testing.T{} // in a test, the test's own t
	img := layertest.Image(t,
		layertest.Layer(t,
			layertest.File("lib/apk/db/installed", "P:musl\nV:1.2.5-r0\nA:x86_64\n\n"),
			layertest.File("app/.env", "TOKEN=x\n"),
		),
		layertest.Layer(t, layertest.Whiteout("app/.env")),
	)
	s, err := sbom.FromImage(context.Background(), img)
	if err != nil {
		fmt.Println(err)
		return
	}
	w, _ := layer.New(img)
	res, _ := w.Run(context.Background())
	_, visible := res.View.Lookup("app/.env")
	fmt.Println(s.Packages[0].Name, len(s.Source.Layers), "layers; .env visible:", visible)
	// Output:
	// musl 2 layers; .env visible: false
}
