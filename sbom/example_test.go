package sbom_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing/fstest"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-dev/shipshape/sbom"
)

// A root filesystem as an fs.FS: here in memory, in a program usually
// os.Root.FS of a directory, or an image through FromImage.
var rootfs = fstest.MapFS{
	"etc/os-release": {Data: []byte("ID=debian\nVERSION_ID=12\nVERSION_CODENAME=bookworm\n")},
	"var/lib/dpkg/status": {Data: []byte(`Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u2

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib
Version: 1:1.2.13.dfsg-1
`)},
}

func ExampleFromFS() {
	s, err := sbom.FromFS(context.Background(), rootfs, sbom.WithName("rootfs"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Distro.ID, s.Distro.VersionID)
	for _, p := range s.Packages {
		fmt.Println(p.Name, p.Version, "from", p.SourceName, "in", p.Location)
		fmt.Println(" ", p.PURL)
	}
	// Output:
	// debian 12
	// libssl3 3.0.11-1~deb12u2 from openssl in var/lib/dpkg/status
	//   pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl
	// zlib1g 1:1.2.13.dfsg-1 from zlib in var/lib/dpkg/status
	//   pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib
}

func ExampleEncode() {
	s, err := sbom.FromFS(context.Background(), rootfs)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := sbom.Encode(os.Stdout, s, sbom.FormatTable); err != nil {
		fmt.Println(err)
	}
	// Output:
	// NAME     VERSION           TYPE  SOURCE   LAYER
	// libssl3  3.0.11-1~deb12u2  deb   openssl
	// zlib1g   1:1.2.13.dfsg-1   deb   zlib
	//
	// distro: debian 12
	// 2 packages
}

func ExampleDecode() {
	// A CycloneDX document written by any tool; here a minimal one.
	doc := `{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
	  {"type": "library", "name": "requests", "version": "2.31.0", "purl": "pkg:pypi/requests@2.31.0"}]}`
	s, err := sbom.Decode(strings.NewReader(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Packages[0].Type, s.Packages[0].Name, s.Packages[0].Version)
	// Output:
	// pypi requests 2.31.0
}

func ExampleFromImage() {
	// Any go-containerregistry image: remote.Image, layout, tarball, or one
	// built in memory as here.
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	status := "Package: busybox\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:1.35.0-4+b3\n"
	tw.WriteHeader(&tar.Header{Name: "var/lib/dpkg/status", Mode: 0o644, Size: int64(len(status))})
	tw.Write([]byte(status))
	tw.Close()
	layer, _ := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil })
	img, _ := mutate.AppendLayers(empty.Image, layer)

	s, err := sbom.FromImage(context.Background(), img, sbom.WithName("example.com/busybox:1"))
	if err != nil {
		fmt.Println(err)
		return
	}
	p := s.Packages[0]
	fmt.Println(p.Name, p.Version, p.Location, p.Layer == s.Source.Layers[0].DiffID)
	// Output:
	// busybox 1:1.35.0-4+b3 var/lib/dpkg/status true
}
