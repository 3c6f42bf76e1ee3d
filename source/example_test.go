package source_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shipshape-dev/shipshape/source"
)

// Open turns what a user typed into an image or a tree; registry:,
// docker-archive:, oci-layout: and oci-archive: references open the same
// way as this directory does.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "rootfs")
	defer os.RemoveAll(dir)
	os.MkdirAll(filepath.Join(dir, "etc"), 0o755)
	os.WriteFile(filepath.Join(dir, "etc/os-release"), []byte("ID=alpine\n"), 0o644)

	src, err := source.Open(context.Background(), "dir:"+dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer src.Close()
	b, _ := fs.ReadFile(src.FS, "etc/os-release")
	fmt.Printf("%s image=%v %s", src.Ref.Scheme, src.Image != nil, b)
	// Output:
	// dir image=false ID=alpine
}

// ParseRef is the one reference grammar: an OCI layout's image is named
// after the directory, and the name may hold colons of its own.
func ExampleParseRef() {
	tmp, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "layout")
	os.Mkdir(dir, 0o755)
	for _, s := range []string{
		"registry:ghcr.io/acme/app:1.2",
		"oci-layout:" + dir + ":app:1.0",
		"oci-layout:" + dir + "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"ghcr.io/acme/app:1.2",
	} {
		r, err := source.ParseRef(s)
		if err != nil {
			fmt.Println("error:", err != nil)
			continue
		}
		fmt.Printf("%s %q %s\n", r.Scheme, r.Selector, filepath.Base(r.Path))
	}
	// Output:
	// registry "" app:1.2
	// oci-layout "app:1.0" layout
	// oci-layout "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" layout
	// error: true
}
