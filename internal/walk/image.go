package walk

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// ImageLayers makes the layers of an image walkable: each named by its
// diffID (from the config, or computed when the config lists fewer) and
// opened uncompressed. The error names the layer whose diffID cannot be
// had.
func ImageLayers(ls []v1.Layer, cf *v1.ConfigFile) ([]Layer, error) {
	layers := make([]Layer, len(ls))
	for i, l := range ls {
		var diffID string
		if cf != nil && i < len(cf.RootFS.DiffIDs) {
			diffID = cf.RootFS.DiffIDs[i].String()
		} else {
			h, err := l.DiffID()
			if err != nil {
				return nil, fmt.Errorf("layer %d: %w", i, err)
			}
			diffID = h.String()
		}
		layers[i] = Layer{DiffID: diffID, Open: l.Uncompressed}
	}
	return layers, nil
}
