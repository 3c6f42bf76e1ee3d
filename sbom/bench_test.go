package sbom

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/internal/testkit"
)

// benchImage is one layer holding the given files.
func benchImage(b *testing.B, files ...testkit.Entry) v1.Image {
	b.Helper()
	return testkit.Image(b, testkit.Layer(b, files...))
}

func benchFromImage(b *testing.B, img v1.Image, wantPkgs int) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		s, err := FromImage(context.Background(), img, WithDigest(""))
		if err != nil || len(s.Packages) != wantPkgs {
			b.Fatalf("%v, %d packages", err, len(s.Packages))
		}
	}
}

// BenchmarkCatalogDpkg catalogs a status of 640 packages (the size of the
// large benchmark image) with a copyright file each.
func BenchmarkCatalogDpkg(b *testing.B) {
	var status strings.Builder
	files := []testkit.Entry{testkit.File("etc/os-release", "ID=debian\nVERSION_ID=12\n")}
	for i := 0; i < 640; i++ {
		name := fmt.Sprintf("pkg%03d", i)
		status.WriteString(stanza(name, "1.2.3-4+deb12u1", "amd64", "src"+name[3:], "libc6 (>= 2.34), pkg000"))
		files = append(files, testkit.File("usr/share/doc/"+name+"/copyright", dep5))
	}
	files = append(files, testkit.File("var/lib/dpkg/status", status.String()))
	benchFromImage(b, benchImage(b, files...), 640)
}

func BenchmarkCatalogAPK(b *testing.B) {
	db, err := os.ReadFile("testdata/apk-installed")
	if err != nil {
		b.Fatal(err)
	}
	benchFromImage(b, benchImage(b, testkit.File("etc/alpine-release", "3.19.1"), testkit.File("lib/apk/db/installed", string(db))), 5)
}

func BenchmarkCatalogRPM(b *testing.B) {
	db, err := os.ReadFile("testdata/rpmdb.sqlite")
	if err != nil {
		b.Fatal(err)
	}
	benchFromImage(b, benchImage(b, testkit.File("etc/os-release", "ID=fedora\nVERSION_ID=40\n"), testkit.File("var/lib/rpm/rpmdb.sqlite", string(db))), 2)
}

func BenchmarkCatalogDistro(b *testing.B) {
	benchFromImage(b, benchImage(b, testkit.File("usr/lib/os-release", debianOSRelease), testkit.Symlink("etc/os-release", "../usr/lib/os-release")), 0)
}
