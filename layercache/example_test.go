package layercache_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/google/go-containerregistry/pkg/v1/random"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layercache"
	"github.com/shipshape-dev/shipshape/sbom"
)

// The second inventory of an image takes all three layers from the
// cache and reads none.
func Example() {
	dir, err := os.MkdirTemp("", "layers")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cache, err := layercache.Open(dir, layercache.WithMaxBytes(64<<20))
	if err != nil {
		log.Fatal(err)
	}
	img, err := random.Image(1024, 3)
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		if _, err := sbom.FromImage(context.Background(), img, sbom.WithLayerOptions(layer.WithCache(cache))); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("%+v\n", cache.Stats())
	// Output: {Hits:3 Misses:3 Damaged:0 Stored:3 Evicted:0}
}
