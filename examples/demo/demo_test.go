package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/examples/demo"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/source"
)

func TestArchive(t *testing.T) {
	p, err := demo.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		tag, distro string
		packages    int
		want        []string
	}{
		{demo.TagDebian, "debian 12", 34, []string{"libssl3 3.0.9-1 openssl", "curl 7.88.1-10+deb12u1 curl", "requests 2.25.1 "}},
		{demo.TagAlpine, "alpine 3.11.5", 10, []string{"libcrypto1.1 1.1.1d-r2 openssl"}},
	} {
		t.Run(tt.tag, func(t *testing.T) {
			src, err := source.Open(context.Background(), "oci-archive:"+p+":"+tt.tag)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			s, err := sbom.FromImage(context.Background(), src.Image, sbom.WithName(src.Name))
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Errors) != 0 || len(s.Packages) != tt.packages || s.Distro.ID+" "+s.Distro.VersionID != tt.distro {
				t.Fatalf("%d packages, distro %+v, errors %v", len(s.Packages), s.Distro, s.Errors)
			}
			have := map[string]bool{}
			for _, p := range s.Packages {
				have[p.Name+" "+p.Version+" "+p.SourceName] = true
			}
			for _, w := range tt.want {
				if !have[w] {
					t.Errorf("missing %q", w)
				}
			}
			if tt.tag == demo.TagDebian {
				// curl and the Python packages came with the application layer, the rest with the base.
				for _, p := range s.Packages {
					wantLayer := s.Source.Layers[0].DiffID
					if strings.Contains(p.Name, "curl") || p.Type == "pypi" {
						wantLayer = s.Source.Layers[1].DiffID
					}
					if p.Layer != wantLayer {
						t.Errorf("%s in layer %s", p.Name, p.Layer)
					}
				}
			}
		})
	}
}
