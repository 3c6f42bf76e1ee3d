package shipshape_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/scan"
)

func ExampleOpen() {
	// A directory holding a root filesystem; registry:, docker-archive:,
	// oci-layout: and oci-archive: references open the same way.
	dir, _ := os.MkdirTemp("", "rootfs")
	defer os.RemoveAll(dir)
	os.MkdirAll(filepath.Join(dir, "lib/apk/db"), 0o755)
	os.WriteFile(filepath.Join(dir, "lib/apk/db/installed"), []byte("P:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\n\n"), 0o644)

	t, err := shipshape.Open(context.Background(), "dir:"+dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer t.Close()
	s, err := t.SBOM(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range s.Packages {
		fmt.Println(p.Type, p.Name, p.Version, p.Licenses)
	}
	// Output:
	// apk musl 1.2.4-r2 [MIT]
}

// Inspect reads an image once for its packages, its secrets (deleted files
// included) and its hardening findings.
func ExampleInspect() {
	layer := func(files map[string]string) v1.Layer {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg})
			tw.Write([]byte(files[n]))
		}
		tw.Close()
		b := buf.Bytes()
		l, _ := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
		return l
	}
	img, _ := mutate.AppendLayers(empty.Image,
		layer(map[string]string{
			"etc/os-release":       "ID=alpine\nVERSION_ID=3.20.0\n",
			"lib/apk/db/installed": "P:musl\nV:1.2.5-r0\nA:x86_64\n\n",
			"app/.env":             "STRIPE_KEY=sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc\n",
		}),
		layer(map[string]string{"app/.wh..env": ""}), // deleted, but still in the image
	)
	checker, _ := scan.NewChecker(scan.WithChecks(scan.RootUserCheck()))
	in, err := shipshape.Inspect(context.Background(), img, shipshape.WithChecker(checker))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range in.SBOM.Packages {
		fmt.Println("package:", p.Name, p.Version)
	}
	for _, f := range in.Secrets.Findings {
		fmt.Println("secret:", f.RuleID, f.File, "visible:", f.Visible, f.Secret)
	}
	for _, f := range in.Hardening.Findings {
		fmt.Println("hardening:", f.ID, f.Evidence.Where())
	}
	// Output:
	// package: musl 1.2.5-r0
	// secret: stripe-access-token app/.env visible: false sk_l****************************
	// hardening: root-user user (none: root)
}
