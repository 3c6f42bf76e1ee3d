package scan_test

import (
	"context"
	"fmt"
	"os"

	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/scan"
)

// Match an inventory against a directory of OSV records. LoadDB builds a
// store from them once and keeps it in the cache directory.
func ExampleMatch() {
	ctx := context.Background()
	cache, _ := os.MkdirTemp("", "shipshape-example")
	defer os.RemoveAll(cache)
	db, err := scan.LoadDB(ctx, "testdata/osv", scan.WithCacheDir(cache))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	inv := &sbom.SBOM{Packages: []sbom.Package{{
		ID: "pkg:pypi/flask-thing@1.1", Name: "Flask_Thing", Version: "1.1", Type: sbom.TypePyPI,
		PURL: "pkg:pypi/flask-thing@1.1", Location: "app/requirements.txt",
	}}}
	rep, err := scan.Match(ctx, db, inv)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range rep.Findings {
		fmt.Println(f.ID, f.Package.Name, f.Package.Version, f.Severity, "fixed in", f.FixedVersions)
	}
	// Output:
	// CVE-2099-0100 Flask_Thing 1.1 medium fixed in [2.0rc1]
}
