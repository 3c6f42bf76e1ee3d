package policy_test

import (
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"

	"github.com/shipshape-dev/shipshape/policy"
	"github.com/shipshape-dev/shipshape/sbom"
)

func TestInputFromImage(t *testing.T) {
	img, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	img, err = mutate.CreatedAt(img, v1.Time{Time: created})
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := img.ConfigFile()
	cf = cf.DeepCopy()
	cf.Config.User = "app"
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	in, err := policy.InputFromImage(img, "ghcr.io/acme/app:1")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	if in.ImageDigest() != d.String() || in.ImageReference() != "ghcr.io/acme/app:1" || in.Config.Config.User != "app" || !in.CreatedAt().Equal(created) {
		t.Errorf("%+v", in)
	}
}

func TestInputFallbacks(t *testing.T) {
	in := &policy.Input{SBOM: &sbom.SBOM{Source: sbom.Source{Reference: "ghcr.io/a/b:1", Digest: "sha256:s"}}}
	if in.ImageReference() != "ghcr.io/a/b:1" || in.ImageDigest() != "sha256:s" || !in.CreatedAt().IsZero() {
		t.Errorf("SBOM source not used: %q %q", in.ImageReference(), in.ImageDigest())
	}
	in.Reference, in.Digest = "ghcr.io/a/b:2", "sha256:i"
	if in.ImageReference() != "ghcr.io/a/b:2" || in.ImageDigest() != "sha256:i" {
		t.Error("the input's own facts do not win")
	}
}
