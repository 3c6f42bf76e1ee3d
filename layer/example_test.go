package layer_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/secrets"
)

// licenceFinder wants licence files and returns their first line.
type licenceFinder struct{}

func (licenceFinder) Wants(h *layer.Header) bool {
	base := h.Path[strings.LastIndexByte(h.Path, '/')+1:]
	return strings.HasPrefix(base, "LICENSE") || strings.HasPrefix(base, "COPYING")
}

func (licenceFinder) Visit(_ context.Context, _ *layer.Header, r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 4096))
	first, _, _ := strings.Cut(string(b), "\n")
	return first, err
}

// A caller's own visitor joins the SBOM's catalogers and the secret
// scanner in one read of every layer; each gets its results back from
// the same Result.
func Example() {
	img := exampleImage()
	w, err := layer.New(img)
	if err != nil {
		fmt.Println(err)
		return
	}
	licences := layer.Add(w, licenceFinder{})
	inventory, err := sbom.NewPass(w, sbom.WithName("example"))
	if err != nil {
		fmt.Println(err)
		return
	}
	scanner, err := secrets.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	leaks := scanner.NewPass(w, "example")

	res, err := w.Run(context.Background()) // every layer read once, for all three
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range licences.Files(res) {
		fmt.Printf("licence %s (layer %d, visible %v): %s\n", f.Header.Path, f.Header.Layer, res.View.Visible(f.Header.Path, f.Header.Layer), f.Value)
	}
	for _, p := range inventory.SBOM(context.Background(), res).Packages {
		fmt.Println("package", p.Name, p.Version)
	}
	for _, f := range leaks.Report(res).Findings {
		fmt.Println("secret", f.RuleID, f.File)
	}
	// Output:
	// licence usr/share/licenses/app/LICENSE (layer 0, visible true): Apache License
	// package musl 1.2.5-r0
	// secret stripe-access-token app/.env
}

func exampleImage() v1.Image {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range [][2]string{
		{"etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n"},
		{"lib/apk/db/installed", "P:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\n\n"},
		{"usr/share/licenses/app/LICENSE", "Apache License\nVersion 2.0, January 2004\n"},
		{"app/.env", "STRIPE_KEY=sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc\n"},
	} {
		tw.WriteHeader(&tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])), Typeflag: tar.TypeReg})
		tw.Write([]byte(f[1]))
	}
	tw.Close()
	b := buf.Bytes()
	l, _ := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
	img, _ := mutate.AppendLayers(empty.Image, l)
	return img
}
