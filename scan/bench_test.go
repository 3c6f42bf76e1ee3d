package scan

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/osv"
	"github.com/shipshape-dev/shipshape/internal/testkit"
	"github.com/shipshape-dev/shipshape/sbom"
)

// BenchmarkBuildDB builds a store from the Go database (4,291 records).
func BenchmarkBuildDB(b *testing.B) {
	zip := filepath.Join(testkit.SharedDir(b), "osv", "Go", "all.zip")
	dst := filepath.Join(b.TempDir(), "go.db")
	for b.Loop() {
		if _, err := BuildDB(context.Background(), dst, []string{zip}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchSBOM is 1,000 Go packages: every module the Go database names, at
// an old version, repeated to reach 1,000, plus stdlib.
func benchSBOM(b *testing.B, zip string) *sbom.SBOM {
	b.Helper()
	seen := map[string]bool{}
	var names []string
	err := osv.ReadZip(zip, func(_ string, v *osv.Vulnerability, err error) error {
		if err != nil {
			return nil
		}
		for _, a := range v.Affected {
			if !seen[a.Package.Name] {
				seen[a.Package.Name] = true
				names = append(names, a.Package.Name)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	s := &sbom.SBOM{}
	for i := 0; len(s.Packages) < 1000; i++ {
		n := names[i%len(names)]
		v := fmt.Sprintf("v0.%d.0", i%7)
		if n == "stdlib" || n == "toolchain" {
			v = "1.20.1"
		}
		s.Packages = append(s.Packages, sbom.Package{Type: sbom.TypeGolang, Name: n, Version: v, ID: fmt.Sprint(i)})
	}
	return s
}

// benchGoStore builds a store of the shared Go data in a temporary
// directory and returns the data's archive and the store's path.
func benchGoStore(b *testing.B) (zip, dst string) {
	b.Helper()
	zip = filepath.Join(testkit.SharedDir(b), "osv", "Go", "all.zip")
	dst = filepath.Join(b.TempDir(), "go.db")
	if _, err := BuildDB(context.Background(), dst, []string{zip}); err != nil {
		b.Fatal(err)
	}
	return zip, dst
}

// BenchmarkOpenAndMatch opens the Go store and matches 1,000 packages: the
// cost a CI step pays per image once the store exists.
func BenchmarkOpenAndMatch(b *testing.B) {
	zip, dst := benchGoStore(b)
	s := benchSBOM(b, zip)
	b.ResetTimer()
	findings := 0
	for b.Loop() {
		db, err := OpenDB(context.Background(), dst)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Match(context.Background(), db, s)
		if err != nil {
			b.Fatal(err)
		}
		findings = len(rep.Findings)
		db.Close()
	}
	b.ReportMetric(float64(findings), "findings")
}
