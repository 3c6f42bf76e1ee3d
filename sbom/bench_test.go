package sbom

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape/internal/testkit"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
)

// benchImage is one layer holding the given files.
func benchImage(b *testing.B, files ...layertest.Entry) v1.Image {
	b.Helper()
	return layertest.Image(b, layertest.Layer(b, files...))
}

func benchFromImage(b *testing.B, img v1.Image, wantPkgs int) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		s, err := FromImage(context.Background(), img, WithLayerOptions(layer.WithoutManifest()))
		if err != nil || len(s.Packages) != wantPkgs {
			b.Fatalf("%v, %d packages", err, len(s.Packages))
		}
	}
}

// BenchmarkCatalogDpkg catalogs a status of 640 packages (the size of the
// large benchmark image) with a copyright file each.
func BenchmarkCatalogDpkg(b *testing.B) {
	var status strings.Builder
	files := []layertest.Entry{layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n")}
	for i := 0; i < 640; i++ {
		name := fmt.Sprintf("pkg%03d", i)
		status.WriteString(stanza(name, "1.2.3-4+deb12u1", "amd64", "src"+name[3:], "libc6 (>= 2.34), pkg000"))
		files = append(files, layertest.File("usr/share/doc/"+name+"/copyright", dep5))
	}
	files = append(files, layertest.File("var/lib/dpkg/status", status.String()))
	benchFromImage(b, benchImage(b, files...), 640)
}

func BenchmarkCatalogAPK(b *testing.B) {
	db, err := os.ReadFile("testdata/apk-installed")
	if err != nil {
		b.Fatal(err)
	}
	benchFromImage(b, benchImage(b, layertest.File("etc/alpine-release", "3.19.1"), layertest.File("lib/apk/db/installed", string(db))), 5)
}

func BenchmarkCatalogRPM(b *testing.B) {
	db, err := os.ReadFile("testdata/rpmdb.sqlite")
	if err != nil {
		b.Fatal(err)
	}
	benchFromImage(b, benchImage(b, layertest.File("etc/os-release", "ID=fedora\nVERSION_ID=40\n"), layertest.File("var/lib/rpm/rpmdb.sqlite", string(db))), 2)
}

func BenchmarkCatalogDistro(b *testing.B) {
	benchFromImage(b, benchImage(b, layertest.File("usr/lib/os-release", debianOSRelease), layertest.Symlink("etc/os-release", "../usr/lib/os-release")), 0)
}

// BenchmarkCatalogNPM catalogs 2,000 installed node modules.
func BenchmarkCatalogNPM(b *testing.B) {
	var files []layertest.Entry
	for i := 0; i < 2000; i++ {
		files = append(files, layertest.File(fmt.Sprintf("app/node_modules/pkg%04d/package.json", i),
			fmt.Sprintf(`{"name": "pkg%04d", "version": "1.%d.0", "license": "MIT", "main": "index.js"}`, i, i)))
	}
	benchFromImage(b, benchImage(b, files...), 2000)
}

// BenchmarkCatalogPython catalogs 500 installed distributions.
func BenchmarkCatalogPython(b *testing.B) {
	var files []layertest.Entry
	for i := 0; i < 500; i++ {
		files = append(files, layertest.File(fmt.Sprintf("usr/lib/python3/site-packages/pkg%03d-1.0.dist-info/METADATA", i),
			fmt.Sprintf("Metadata-Version: 2.1\nName: pkg%03d\nVersion: 1.0\nLicense: MIT\n\nDescription\n", i)))
	}
	benchFromImage(b, benchImage(b, files...), 500)
}

// BenchmarkCatalogJava catalogs 100 jars, each with a nested jar.
func BenchmarkCatalogJava(b *testing.B) {
	var files []layertest.Entry
	for i := 0; i < 100; i++ {
		inner := benchJar(b, [2]string{"META-INF/maven/g/inner/pom.properties", fmt.Sprintf("groupId=g\nartifactId=inner%d\nversion=1\n", i)})
		files = append(files, layertest.File(fmt.Sprintf("opt/lib/app%03d.jar", i), benchJar(b,
			[2]string{"META-INF/maven/g/a/pom.properties", fmt.Sprintf("groupId=g\nartifactId=a%d\nversion=1\n", i)},
			[2]string{"lib/inner.jar", inner},
			[2]string{"a/B.class", strings.Repeat("x", 20000)})))
	}
	benchFromImage(b, benchImage(b, files...), 200)
}

// BenchmarkCatalogGoBinary catalogs a Go binary built for the benchmark.
func BenchmarkCatalogGoBinary(b *testing.B) {
	bin := testkit.GoBinary(b, "linux", "amd64")
	b.SetBytes(int64(len(bin)))
	benchFromImage(b, benchImage(b, layertest.File("usr/local/bin/app", string(bin))), 3)
}

func benchJar(b *testing.B, entries ...[2]string) string {
	b.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			b.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	zw.Close()
	return buf.String()
}
