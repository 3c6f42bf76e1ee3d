package shipshape_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/shipshape-dev/shipshape"
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
