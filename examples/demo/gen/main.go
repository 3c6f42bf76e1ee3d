// Command gen builds shipshape's demo images from the package-database
// files in ../src and writes them, deterministically, as one OCI archive:
//
//	go run ./examples/demo/gen            # rewrites examples/demo/demo.oci.tar
//	go run ./examples/demo/gen -o FILE
//
// The archive holds two images, tagged "debian" and "alpine". The Debian
// image is Debian 12 with packages pinned at versions bookworm shipped in
// 2023 (real version strings, on real dpkg stanzas and copyright files
// taken from a bookworm root filesystem), in three layers: the base system;
// an application layer that installs curl and plants a fake credential in
// app/config/.env; and a clean-up layer that deletes that file with a
// whiteout, so the secret is gone from the final filesystem but still in
// the image. The application layer also holds a Python virtual
// environment with pip-installed distributions (dist-info metadata) at 2020
// and 2021 versions. The Alpine image is Alpine 3.11.5 with apk records at
// that release's versions.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// epoch is every timestamp in the demo, so that the archive is reproducible.
var epoch = time.Date(2023, 10, 1, 12, 0, 0, 0, time.UTC)

// oldVersions pins packages at versions bookworm shipped in 2023. The
// source version is rewritten too where the stanza spells it out.
var oldVersions = map[string]string{
	"apt":             "2.6.1",
	"libapt-pkg6.0":   "2.6.1",
	"base-files":      "12.4+deb12u1",
	"bash":            "5.2.15-2+b2",
	"ca-certificates": "20230311",
	"curl":            "7.88.1-10+deb12u1",
	"libcurl4":        "7.88.1-10+deb12u1",
	"dpkg":            "1.21.22",
	"libc-bin":        "2.36-9+deb12u1",
	"libc6":           "2.36-9+deb12u1",
	"libexpat1":       "2.5.0-1",
	"libgcrypt20":     "1.10.1-3",
	"libgnutls30":     "3.7.9-2",
	"liblzma5":        "5.4.1-0.2",
	"xz-utils":        "5.4.1-0.2",
	"libpam0g":        "1.5.2-6",
	"libsqlite3-0":    "3.40.1-2",
	"libssl3":         "3.0.9-1",
	"openssl":         "3.0.9-1",
	"libsystemd0":     "252.12-1~deb12u1",
	"login":           "1:4.13+dfsg1-1+b1",
	"passwd":          "1:4.13+dfsg1-1+b1",
	"perl-base":       "5.36.0-7",
	"tar":             "1.34+dfsg-1.2",
	"tzdata":          "2023c-5",
}

// installedLater are the packages the application layer adds.
var installedLater = map[string]bool{"curl": true, "libcurl4": true}

// fakeSecret is planted in the application layer. It is not a real
// credential: the key ID is AWS's documented example with a changed suffix,
// and the secret is made of the alphabet.
const fakeSecret = "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7DEMO1X2\nAWS_SECRET_ACCESS_KEY=shipshapeDEMOabcdefghijklmnopqrstuvwxyz01\n"

func main() {
	out := flag.String("o", "", "output file (default: demo.oci.tar next to the src directory)")
	src := flag.String("src", "", "source directory (default: examples/demo/src, found from the working directory)")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	if src == "" {
		for _, c := range []string{"src", "examples/demo/src", "demo/src"} {
			if fi, err := os.Stat(c); err == nil && fi.IsDir() {
				src = c
				break
			}
		}
		if src == "" {
			return fmt.Errorf("cannot find the src directory; pass -src")
		}
	}
	if out == "" {
		out = filepath.Join(filepath.Dir(src), "demo.oci.tar")
	}
	b, err := Build(src)
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o644)
}

// Build returns the OCI archive built from the files in src.
func Build(src string) ([]byte, error) {
	deb, err := debianImage(src)
	if err != nil {
		return nil, err
	}
	alp, err := alpineImage(src)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "shipshape-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return nil, err
	}
	for _, im := range []struct {
		tag string
		img v1.Image
	}{{"debian", deb}, {"alpine", alp}} {
		if err := p.AppendImage(im.img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": im.tag})); err != nil {
			return nil, err
		}
	}
	return tarDir(dir)
}

type file struct {
	name, body, link string
	typ              byte
	mode             int64
}

func layer(files []file) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Typeflag: f.typ, Linkname: f.link, Mode: f.mode, ModTime: epoch, Format: tar.FormatPAX}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Mode == 0 {
			h.Mode = 0o644
			if h.Typeflag == tar.TypeDir {
				h.Mode = 0o755
			}
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(f.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := io.WriteString(tw, f.body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	blob := gz.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(blob)), nil })
}

func image(layers []v1.Layer, history []string, cfg v1.Config) (v1.Image, error) {
	img := empty.Image
	for i, l := range layers {
		var err error
		img, err = mutate.Append(img, mutate.Addendum{Layer: l, History: v1.History{
			Created: v1.Time{Time: epoch}, CreatedBy: history[i], Comment: "shipshape demo"}})
		if err != nil {
			return nil, err
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Created, cf.Config = "linux", "amd64", v1.Time{Time: epoch}, cfg
	return mutate.ConfigFile(img, cf)
}

var versionLine = regexp.MustCompile(`(?m)^Version: .*$`)
var sourceLine = regexp.MustCompile(`(?m)^Source: (\S+) \((.*)\)$`)

// stanzas reads the status file and pins the old versions.
func stanzas(src string) (base, all string, err error) {
	b, err := os.ReadFile(filepath.Join(src, "dpkg-status.bookworm"))
	if err != nil {
		return "", "", err
	}
	var bs, as strings.Builder
	for _, st := range strings.Split(strings.TrimSpace(string(b)), "\n\n") {
		name := strings.TrimPrefix(strings.SplitN(st, "\n", 2)[0], "Package: ")
		if v, ok := oldVersions[name]; ok {
			st = versionLine.ReplaceAllString(st, "Version: "+v)
			// A binNMU ("+b2") keeps its source version without the suffix.
			srcVer := regexp.MustCompile(`\+b\d+$`).ReplaceAllString(v, "")
			st = sourceLine.ReplaceAllString(st, "Source: $1 ("+srcVer+")")
		}
		as.WriteString(st + "\n\n")
		if !installedLater[name] {
			bs.WriteString(st + "\n\n")
		}
	}
	return bs.String(), as.String(), nil
}

func debianImage(src string) (v1.Image, error) {
	base, all, err := stanzas(src)
	if err != nil {
		return nil, err
	}
	osRelease, err := os.ReadFile(filepath.Join(src, "os-release.debian"))
	if err != nil {
		return nil, err
	}
	files := []file{
		{name: "etc", typ: tar.TypeDir},
		{name: "etc/debian_version", body: "12.2\n"},
		{name: "etc/os-release", typ: tar.TypeSymlink, link: "../usr/lib/os-release"},
		{name: "etc/passwd", body: "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"},
		{name: "etc/group", body: "root:x:0:\nnogroup:x:65534:\n"},
		{name: "usr", typ: tar.TypeDir},
		{name: "usr/lib", typ: tar.TypeDir},
		{name: "usr/lib/os-release", body: string(osRelease)},
		{name: "usr/share/doc", typ: tar.TypeDir},
		{name: "var/lib/dpkg", typ: tar.TypeDir},
		{name: "var/lib/dpkg/status", body: base},
	}
	docs, err := docFiles(src, func(pkg string) bool { return !installedLater[pkg] })
	if err != nil {
		return nil, err
	}
	files = append(files, docs...)
	l0, err := layer(files)
	if err != nil {
		return nil, err
	}
	later, err := docFiles(src, func(pkg string) bool { return installedLater[pkg] })
	if err != nil {
		return nil, err
	}
	venv, err := pythonFiles(src)
	if err != nil {
		return nil, err
	}
	later = append(later, venv...)
	l1, err := layer(append([]file{
		{name: "var/lib/dpkg/status", body: all},
		{name: "app", typ: tar.TypeDir},
		{name: "app/README", body: "The shipshape demo application.\n"},
		{name: "app/config", typ: tar.TypeDir},
		{name: "app/config/.env", body: fakeSecret, mode: 0o600},
	}, later...))
	if err != nil {
		return nil, err
	}
	l2, err := layer([]file{{name: "app/config/.wh..env"}})
	if err != nil {
		return nil, err
	}
	return image([]v1.Layer{l0, l1, l2}, []string{
		"ADD rootfs.tar.gz / # debian:12 with 2023 packages",
		"RUN apt-get install -y curl && cp .env app/config/.env # bin/sh -c",
		"RUN rm app/config/.env # bin/sh -c",
	}, v1.Config{Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, Cmd: []string{"/bin/bash"}, WorkingDir: "/app"})
}

// docFiles returns the copyright files (and doc directory symlinks) of the
// packages keep selects.
func docFiles(src string, keep func(string) bool) ([]file, error) {
	var out []file
	ents, err := os.ReadDir(filepath.Join(src, "copyright"))
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		if !keep(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, "copyright", e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, file{name: "usr/share/doc/" + e.Name(), typ: tar.TypeDir},
			file{name: "usr/share/doc/" + e.Name() + "/copyright", body: string(b)})
	}
	f, err := os.Open(filepath.Join(src, "doc-links.txt"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		pkg, target, ok := strings.Cut(sc.Text(), " ")
		if ok && keep(pkg) {
			out = append(out, file{name: "usr/share/doc/" + pkg, typ: tar.TypeSymlink, link: target})
		}
	}
	return out, sc.Err()
}

// pythonFiles are the dist-info directories of src/python, placed in the
// application's virtual environment.
func pythonFiles(src string) ([]file, error) {
	const site = "app/venv/lib/python3.11/site-packages/"
	var out []file
	dists, err := os.ReadDir(filepath.Join(src, "python"))
	if err != nil {
		return nil, err
	}
	for _, d := range dists {
		out = append(out, file{name: site + d.Name(), typ: tar.TypeDir})
		for _, f := range []string{"METADATA", "INSTALLER"} {
			b, err := os.ReadFile(filepath.Join(src, "python", d.Name(), f))
			if err != nil {
				return nil, err
			}
			out = append(out, file{name: site + d.Name() + "/" + f, body: string(b)})
		}
	}
	return out, nil
}

func alpineImage(src string) (v1.Image, error) {
	db, err := os.ReadFile(filepath.Join(src, "apk-installed.v3.11"))
	if err != nil {
		return nil, err
	}
	osRelease, err := os.ReadFile(filepath.Join(src, "os-release.alpine"))
	if err != nil {
		return nil, err
	}
	l, err := layer([]file{
		{name: "etc", typ: tar.TypeDir},
		{name: "etc/alpine-release", body: "3.11.5\n"},
		{name: "etc/os-release", body: string(osRelease)},
		{name: "lib/apk/db", typ: tar.TypeDir},
		{name: "lib/apk/db/installed", body: string(db)},
	})
	if err != nil {
		return nil, err
	}
	return image([]v1.Layer{l}, []string{"ADD alpine-minirootfs-3.11.5-x86_64.tar.gz / # alpine:3.11"},
		v1.Config{Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, Cmd: []string{"/bin/sh"}})
}

// tarDir writes the layout directory as a tar with sorted names and fixed
// metadata.
func tarDir(dir string) ([]byte, error) {
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			return nil, err
		}
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(b)), ModTime: epoch, Format: tar.FormatPAX}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(b); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
