package scan_test

import (
	"context"
	"fmt"
	"os"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/shipshape-dev/shipshape/result"
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

// Check an image's configuration and filesystem for misconfigurations.
// Checks are values: pick them, change their severity, configure them.
func ExampleChecker_Check() {
	img, _ := mutate.ConfigFile(empty.Image, &v1.ConfigFile{
		Created: v1.Time{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		Config: v1.Config{
			User:         "",
			ExposedPorts: map[string]struct{}{"22/tcp": {}, "8080/tcp": {}},
			Env:          []string{"DB_PASSWORD=hunter22"},
		},
	})
	rootIsCritical := scan.RootUserCheck()
	rootIsCritical.Severity = result.SeverityCritical
	c, err := scan.NewChecker(
		scan.WithChecks(rootIsCritical, scan.SensitivePortsCheck(scan.DefaultSensitivePorts()...), scan.SecretInConfigCheck()),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := c.Check(context.Background(), img, "registry.example/app:latest")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range rep.Findings {
		e := f.Evidence
		fmt.Printf("%s (%s): user=%q env=%q port=%q\n", f.ID, f.Severity, e.User, e.EnvKey, e.Port)
	}
	// Output:
	// root-user (critical): user="(none: root)" env="" port=""
	// secret-in-config (high): user="" env="DB_PASSWORD" port=""
	// sensitive-port (medium): user="" env="" port="22/tcp"
}
