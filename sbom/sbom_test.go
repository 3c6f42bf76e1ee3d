package sbom

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/result"
)

var update = flag.Bool("update", false, "rewrite golden files")

const debianOSRelease = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`

func stanza(name, version, arch, source, depends string) string {
	s := "Package: " + name + "\nStatus: install ok installed\nMaintainer: Someone <someone@debian.org>\nArchitecture: " + arch + "\n"
	if source != "" {
		s += "Source: " + source + "\n"
	}
	s += "Version: " + version + "\n"
	if depends != "" {
		s += "Depends: " + depends + "\n"
	}
	return s + "Description: " + name + "\n\n"
}

const dep5 = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2020 someone\nLicense: GPL-3+\n"

// debianImage has a base layer and an upper layer that upgrades libc6,
// adds curl, and deletes a file.
func debianImage(t *testing.T) v1.Image {
	t.Helper()
	base := stanza("libc6", "2.36-9+deb12u3", "amd64", "glibc", "libgcc-s1") +
		stanza("libgcc-s1", "12.2.0-14", "amd64", "gcc-12", "gcc-12-base (= 12.2.0-14), libc6 (>= 2.35)") +
		stanza("gcc-12-base", "12.2.0-14", "amd64", "gcc-12", "") +
		stanza("login", "1:4.13+dfsg1-1+b1", "amd64", "shadow (1:4.13+dfsg1-1)", "libc6 (>= 2.34) | libc6.1") +
		"Package: removed\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0\n\n"
	upper := strings.Replace(base, "2.36-9+deb12u3", "2.36-9+deb12u4", 1) +
		stanza("curl", "7.88.1-10+deb12u5", "amd64", "", "libc6 (>= 2.34)")
	return layertest.Image(t,
		layertest.Layer(t,
			layertest.File("usr/lib/os-release", debianOSRelease),
			layertest.Symlink("etc/os-release", "../usr/lib/os-release"),
			layertest.File("var/lib/dpkg/status", base),
			layertest.File("usr/share/doc/libc6/copyright", "see /usr/share/common-licenses/LGPL-2.1 and /usr/share/common-licenses/GPL-2."),
			layertest.File("usr/share/doc/gcc-12-base/copyright", dep5),
			layertest.Symlink("usr/share/doc/libgcc-s1", "gcc-12-base"),
			layertest.File("etc/secret.txt", "gone later"),
		),
		layertest.Layer(t,
			layertest.File("var/lib/dpkg/status", upper),
			layertest.Whiteout("etc/secret.txt"),
		),
	)
}

func diffIDs(t *testing.T, img v1.Image) []string {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range cf.RootFS.DiffIDs {
		out = append(out, d.String())
	}
	return out
}

// brief lists packages as "name version source@ver layer-index".
func brief(s *SBOM) []string {
	idx := map[string]string{"": "-"}
	for i, l := range s.Source.Layers {
		idx[l.DiffID] = string(rune('0' + i))
	}
	var out []string
	for _, p := range s.Packages {
		out = append(out, p.Name+" "+p.Version+" "+p.SourceName+"@"+p.SourceVersion+" L"+idx[p.Layer])
	}
	return out
}

func TestFromImageDebian(t *testing.T) {
	img := debianImage(t)
	s, err := FromImage(context.Background(), img, WithName("example.com/team/app:1.0"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"curl 7.88.1-10+deb12u5 curl@7.88.1-10+deb12u5 L1",
		"gcc-12-base 12.2.0-14 gcc-12@12.2.0-14 L0",
		"libc6 2.36-9+deb12u4 glibc@2.36-9+deb12u4 L1",
		"libgcc-s1 12.2.0-14 gcc-12@12.2.0-14 L0",
		"login 1:4.13+dfsg1-1+b1 shadow@1:4.13+dfsg1-1 L0",
	}
	if got := brief(s); !reflect.DeepEqual(got, want) {
		t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.Distro == nil || s.Distro.ID != "debian" || s.Distro.VersionID != "12" || s.Distro.Codename != "bookworm" {
		t.Errorf("distro = %+v", s.Distro)
	}
	if len(s.Errors) != 0 {
		t.Errorf("errors: %v", s.Errors)
	}
	byName := map[string]Package{}
	for _, p := range s.Packages {
		byName[p.Name] = p
	}
	if got := byName["login"].PURL; got != "pkg:deb/debian/login@1:4.13%2Bdfsg1-1%2Bb1?arch=amd64&distro=debian-12&upstream=shadow%401:4.13%2Bdfsg1-1" {
		t.Errorf("login purl = %s", got)
	}
	if got := byName["libc6"].Licenses; !reflect.DeepEqual(got, []string{"GPL-2", "LGPL-2.1"}) {
		t.Errorf("libc6 licenses = %v", got)
	}
	if got := byName["libgcc-s1"].Licenses; !reflect.DeepEqual(got, []string{"GPL-3+"}) {
		t.Errorf("libgcc-s1 licenses (through the doc symlink) = %v", got)
	}
	if got := byName["libgcc-s1"].DependsOn; !reflect.DeepEqual(got, []string{byName["gcc-12-base"].ID, byName["libc6"].ID}) {
		t.Errorf("libgcc-s1 depends on %v", got)
	}
	if got := byName["login"].DependsOn; !reflect.DeepEqual(got, []string{byName["libc6"].ID}) {
		t.Errorf("login depends on %v", got)
	}
	ids := diffIDs(t, img)
	if len(s.Source.Layers) != 2 || s.Source.Layers[1].DiffID != ids[1] || s.Source.Layers[1].Digest == "" {
		t.Errorf("layers = %+v", s.Source.Layers)
	}
	d, _ := img.Digest()
	if s.Source.Digest != d.String() || s.Source.Platform != "linux/amd64" || s.Source.Type != SourceImage {
		t.Errorf("source = %+v", s.Source)
	}
}

func TestDistroless(t *testing.T) {
	img := layertest.Image(t,
		layertest.Layer(t,
			layertest.File("etc/debian_version", "12.5\n"),
			layertest.File("var/lib/dpkg/status.d/base-files", "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\nMaintainer: Santiago Vila <sanvila@debian.org>\n"),
			layertest.File("var/lib/dpkg/status.d/libssl3", "Package: libssl3\nSource: openssl\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\n"),
			layertest.File("var/lib/dpkg/status.d/libssl3.md5sums", "0123 usr/lib/x86_64-linux-gnu/libssl.so.3\n"),
			layertest.File("var/lib/dpkg/status.d/tzdata", "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n"),
		),
		layertest.Layer(t, layertest.Whiteout("var/lib/dpkg/status.d/tzdata")),
	)
	s, err := FromImage(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"base-files 12.4+deb12u5 base-files@12.4+deb12u5 L0", "libssl3 3.0.11-1~deb12u2 openssl@3.0.11-1~deb12u2 L0"}
	if got := brief(s); !reflect.DeepEqual(got, want) {
		t.Errorf("packages = %q, want %q", got, want)
	}
	if s.Distro == nil || s.Distro.ID != "debian" || s.Distro.VersionID != "12" {
		t.Errorf("distro = %+v", s.Distro)
	}
	if s.Packages[1].Location != "var/lib/dpkg/status.d/libssl3" {
		t.Errorf("location = %s", s.Packages[1].Location)
	}
}

func TestAlpine(t *testing.T) {
	db, err := os.ReadFile("testdata/apk-installed")
	if err != nil {
		t.Fatal(err)
	}
	img := layertest.Image(t, layertest.Layer(t,
		layertest.File("etc/alpine-release", "3.19.1\n"),
		layertest.File("lib/apk/db/installed", string(db)),
	))
	s, err := FromImage(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range s.Packages {
		got = append(got, p.PURL+" "+strings.Join(p.Licenses, ","))
	}
	want := []string{
		"pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64&distro=alpine-3.19.1 GPL-2.0-only",
		"pkg:apk/alpine/ca-certificates-bundle@20230506-r0?arch=x86_64&distro=alpine-3.19.1&upstream=ca-certificates MPL-2.0 AND MIT",
		"pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64&distro=alpine-3.19.1&upstream=openssl Apache-2.0",
		"pkg:apk/alpine/libssl3@3.1.4-r0?arch=x86_64&distro=alpine-3.19.1&upstream=openssl Apache-2.0",
		"pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1 MIT",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The damaged records of the fixture are reported with the file and layer.
	if len(s.Errors) != 2 || s.Errors[0].Path != "lib/apk/db/installed" || !errors.Is(s.Errors[0].Err, ErrDatabase) || s.Errors[0].Layer == "" {
		t.Errorf("errors = %v", s.Errors)
	}
	var libssl Package
	for _, p := range s.Packages {
		if p.Name == "libssl3" {
			libssl = p
		}
	}
	if len(libssl.DependsOn) != 2 || !strings.Contains(libssl.DependsOn[0], "libcrypto3") || !strings.Contains(libssl.DependsOn[1], "musl") {
		t.Errorf("libssl3 depends on %v", libssl.DependsOn)
	}
}

func TestRPM(t *testing.T) {
	for _, tt := range []struct {
		name, file, dbname string
	}{
		{"sqlite behind the var/lib/rpm symlink", "testdata/rpmdb.sqlite", "rpmdb.sqlite"},
		{"berkeley db", "testdata/Packages", "Packages"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			img := layertest.Image(t, layertest.Layer(t,
				layertest.File("etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.4\"\nID_LIKE=\"fedora\"\nPRETTY_NAME=\"Red Hat Enterprise Linux 9.4 (Plow)\"\n"),
				layertest.Symlink("var/lib/rpm", "../../usr/lib/sysimage/rpm"),
				layertest.File("usr/lib/sysimage/rpm/"+tt.dbname, string(db)),
			))
			s, err := FromImage(context.Background(), img)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Errors) != 0 {
				t.Fatal(s.Errors)
			}
			var got []string
			for _, p := range s.Packages {
				got = append(got, p.PURL+" src="+p.SourceName+"@"+p.SourceVersion+" "+p.Location+" deps="+strings.Join(p.DependsOn, ","))
			}
			want := []string{
				"pkg:rpm/redhat/demotool@2.0-1.el9?arch=x86_64&distro=rhel-9.4&epoch=1&upstream=demotool-2.0-1.el9.src.rpm src=demotool@1:2.0-1.el9 usr/lib/sysimage/rpm/" + tt.dbname +
					" deps=pkg:rpm/redhat/libdemo@1.2.3-4.el9?arch=x86_64&distro=rhel-9.4&upstream=libdemo-1.2.3-4.el9.src.rpm",
				"pkg:rpm/redhat/libdemo@1.2.3-4.el9?arch=x86_64&distro=rhel-9.4&upstream=libdemo-1.2.3-4.el9.src.rpm src=libdemo@1.2.3-4.el9 usr/lib/sysimage/rpm/" + tt.dbname + " deps=",
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if s.Packages[0].Version != "1:2.0-1.el9" {
				t.Errorf("version = %s", s.Packages[0].Version)
			}
		})
	}
}

func TestDamagedInput(t *testing.T) {
	good := layertest.Layer(t,
		layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
		layertest.File("var/lib/dpkg/status", stanza("ok", "1.0", "amd64", "", "")+"Package: no-version\nStatus: install ok installed\n\n"+stanza("also-ok", "2.0", "all", "", "")),
	)
	corrupt := layertest.LayerFromTar(t, layertest.Tar(t, layertest.File("lib/apk/db/installed", "P:x\nV:1-r0\n"))[:700])
	img := layertest.Image(t, good, corrupt)
	s, err := FromImage(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	// The truncated layer's file was complete before the cut: it is still read.
	if got := brief(s); !reflect.DeepEqual(got, []string{"also-ok 2.0 also-ok@2.0 L0", "ok 1.0 ok@1.0 L0", "x 1-r0 x@1-r0 L1"}) {
		t.Errorf("packages = %q", got)
	}
	var sawStanza, sawLayer bool
	for _, e := range s.Errors {
		sawStanza = sawStanza || (errors.Is(e.Err, ErrDatabase) && e.Path == "var/lib/dpkg/status")
		sawLayer = sawLayer || errors.Is(e.Err, layer.ErrLayer) || strings.Contains(e.Error(), "unexpected EOF")
	}
	if !sawStanza || !sawLayer {
		t.Errorf("errors = %v", s.Errors)
	}
}

func TestBudget(t *testing.T) {
	img := layertest.Image(t, layertest.Layer(t, layertest.File("var/lib/dpkg/status", strings.Repeat(stanza("p", "1", "all", "", ""), 100))))
	s, err := FromImage(context.Background(), img, WithLayerOptions(layer.WithMaxFileBytes(500)))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Errors) != 1 || !errors.Is(s.Errors[0].Err, layer.ErrFileTooLarge) {
		t.Fatalf("errors = %v", s.Errors)
	}
	if len(s.Packages) == 0 || len(s.Packages) >= 100 {
		t.Errorf("%d packages from the part within budget", len(s.Packages))
	}
	if _, err := FromImage(context.Background(), img, WithLayerOptions(layer.WithConcurrency(0))); !errors.Is(err, result.ErrInvalidOption) {
		t.Errorf("err = %v", err)
	}
}

func TestFromFS(t *testing.T) {
	dir := t.TempDir()
	write := func(p, content string) {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("usr/lib/os-release", debianOSRelease)
	if err := os.Symlink("../usr/lib/os-release", filepath.Join(dir, "etc/os-release")); err != nil {
		write("etc/os-release", debianOSRelease)
	}
	write("var/lib/dpkg/status", stanza("bash", "5.2.15-2+b2", "amd64", "bash (5.2.15-2)", ""))
	// A symlink that points out of the tree is not followed.
	if err := os.Symlink("/etc", filepath.Join(dir, "hostetc")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	s, err := FromFS(context.Background(), root.FS(), WithName(dir))
	if err != nil {
		t.Fatal(err)
	}
	if got := brief(s); !reflect.DeepEqual(got, []string{"bash 5.2.15-2+b2 bash@5.2.15-2 L-"}) {
		t.Errorf("packages = %q", got)
	}
	if s.Source.Type != SourceDirectory || s.Source.Name != dir || s.Distro == nil || s.Distro.ID != "debian" {
		t.Errorf("source %+v distro %+v", s.Source, s.Distro)
	}
}

var fixed = []EncodeOption{
	WithTimestamp(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
	WithSerialNumber("urn:uuid:00000000-0000-4000-8000-000000000000"),
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with -update after checking:\n%s", name, got)
	}
}

func TestCycloneDXGoldenAndRoundTrip(t *testing.T) {
	s, err := FromImage(context.Background(), debianImage(t), WithName("example.com/team/app:1.0"), WithReference("example.com/team/app:1.0"))
	if err != nil {
		t.Fatal(err)
	}
	// An error, so that errors round-trip too.
	s2, err := FromImage(context.Background(), layertest.Image(t, layertest.Layer(t, layertest.File("../escape", "x"))))
	if err != nil {
		t.Fatal(err)
	}
	s.Errors = s2.Errors
	for _, f := range []Format{FormatCycloneDXJSON, FormatCycloneDXXML, FormatJSON} {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Encode(&buf, s, f, fixed...); err != nil {
				t.Fatal(err)
			}
			golden(t, "debian."+string(f), buf.Bytes())
			back, err := Decode(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			// Errors come back as plain messages.
			for i := range back.Errors {
				if back.Errors[i].Error() != s.Errors[i].Error() {
					t.Errorf("error %d: %v, want %v", i, back.Errors[i], s.Errors[i])
				}
				back.Errors[i].Err = s.Errors[i].Err
			}
			if !reflect.DeepEqual(back, s) {
				t.Errorf("round trip differs:\n got %+v\nwant %+v", back, s)
			}
		})
	}
}

func TestTable(t *testing.T) {
	s, err := FromImage(context.Background(), debianImage(t))
	if err != nil {
		t.Fatal(err)
	}
	s.Packages[0].Name = "evil\x1b[2Jname"
	var buf bytes.Buffer
	if err := Encode(&buf, s, FormatTable); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "libc6") || !strings.Contains(out, "5 packages") || strings.Contains(out, "\x1b") {
		t.Errorf("table:\n%s", out)
	}
}

func TestDecodeForeign(t *testing.T) {
	// The shape of a Syft CycloneDX document for a Debian image.
	doc := `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
	"metadata":{"component":{"bom-ref":"abc","type":"container","name":"debian:12","version":"sha256:1111111111111111111111111111111111111111111111111111111111111111"}},
	"components":[
	 {"bom-ref":"pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12","type":"library","name":"libssl3","version":"3.0.11-1~deb12u2",
	  "purl":"pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12",
	  "licenses":[{"license":{"name":"Apache-2.0"}}],
	  "properties":[{"name":"syft:package:type","value":"deb"},{"name":"syft:location:0:layerID","value":"sha256:2222"},{"name":"syft:location:0:path","value":"/var/lib/dpkg/status"}]},
	 {"type":"operating-system","name":"debian","version":"12","description":"Debian GNU/Linux 12 (bookworm)","properties":[{"name":"syft:distro:versionCodename","value":"bookworm"}]}
	]}`
	s, err := Decode(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := Package{
		ID:   "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12",
		Name: "libssl3", Version: "3.0.11-1~deb12u2", Type: "deb", Arch: "amd64", SourceName: "openssl",
		PURL:     "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12",
		Licenses: []string{"Apache-2.0"}, Location: "var/lib/dpkg/status", Layer: "sha256:2222",
	}
	if len(s.Packages) != 1 || !reflect.DeepEqual(s.Packages[0], want) {
		t.Errorf("packages = %+v", s.Packages)
	}
	if s.Distro == nil || s.Distro.ID != "debian" || s.Distro.Codename != "bookworm" || s.Source.Digest == "" || s.Source.Type != SourceImage {
		t.Errorf("distro %+v source %+v", s.Distro, s.Source)
	}
	for _, bad := range []string{"", "[]", `{"x":1}`, "<notcdx/>", "\x00\x01"} {
		if _, err := Decode(strings.NewReader(bad)); !errors.Is(err, ErrDecode) {
			t.Errorf("Decode(%q) err = %v", bad, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"debian.cyclonedx-json", "debian.cyclonedx-xml", "debian.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Decode(bytes.NewReader(b))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Encode(&buf, s, FormatCycloneDXJSON, fixed...); err != nil {
			t.Fatalf("decoded SBOM does not encode: %v", err)
		}
	})
}

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// hugeLayer streams a tar whose var/lib/dpkg/status holds size zero bytes,
// never held in memory, followed by a good apk database.
func hugeLayer(t *testing.T, size int64) func() (io.ReadCloser, error) {
	var hb bytes.Buffer
	tw := tar.NewWriter(&hb)
	if err := tw.WriteHeader(&tar.Header{Name: "var/lib/dpkg/status", Typeflag: tar.TypeReg, Mode: 0o644, Size: size}); err != nil {
		t.Fatal(err)
	}
	head := hb.Bytes() // the header block only: the data is streamed below
	tail := layertest.Tar(t, layertest.File("lib/apk/db/installed", "P:musl\nV:1.2.4-r2\nA:x86_64\n\n"))
	pad := make([]byte, (512-size%512)%512)
	return func() (io.ReadCloser, error) {
		return io.NopCloser(io.MultiReader(bytes.NewReader(head), io.LimitReader(zeros{}, size), bytes.NewReader(pad), bytes.NewReader(tail))), nil
	}
}

// streamLayer is an uncompressed layer read from a function, with a made-up
// digest: enough for mutate and FromImage, which never hash it.
type streamLayer struct {
	open func() (io.ReadCloser, error)
}

var streamHash = v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("ab", 32)}

func (l *streamLayer) Digest() (v1.Hash, error)             { return streamHash, nil }
func (l *streamLayer) DiffID() (v1.Hash, error)             { return streamHash, nil }
func (l *streamLayer) Compressed() (io.ReadCloser, error)   { return l.open() }
func (l *streamLayer) Uncompressed() (io.ReadCloser, error) { return l.open() }
func (l *streamLayer) Size() (int64, error)                 { return 0, nil }
func (l *streamLayer) MediaType() (types.MediaType, error)  { return types.DockerUncompressedLayer, nil }

func TestHugeFileStaysWithinBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("streams a gigabyte")
	}
	img := layertest.Image(t, layertest.Layer(t, layertest.File("etc/os-release", "ID=alpine\n")))
	img, err := mutate.AppendLayers(img, &streamLayer{open: hugeLayer(t, 1<<30)})
	if err != nil {
		t.Fatal(err)
	}
	s, err := FromImage(context.Background(), img, WithLayerOptions(layer.WithMaxFileBytes(1<<20)), WithLayerOptions(layer.WithoutManifest()))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Packages) != 1 || s.Packages[0].Name != "musl" {
		t.Errorf("packages = %v", brief(s))
	}
	// The stream's made-up diff_id does not match: an integrity error too.
	if len(s.Errors) != 2 || !errors.Is(s.Errors[0].Err, layer.ErrIntegrity) || !errors.Is(s.Errors[1].Err, layer.ErrFileTooLarge) || s.Errors[1].Path != "var/lib/dpkg/status" {
		t.Errorf("errors = %v", s.Errors)
	}
}

func TestCorruptGzip(t *testing.T) {
	gz := layertest.Gzip(t, layertest.Tar(t, layertest.File("var/lib/dpkg/status", strings.Repeat(stanza("p", "1", "all", "", ""), 200))))
	bad := append([]byte(nil), gz...)
	for i := len(bad) / 2; i < len(bad)/2+64; i++ {
		bad[i] ^= 0xff
	}
	l := &streamLayer{open: func() (io.ReadCloser, error) { return gzip.NewReader(bytes.NewReader(bad)) }}
	img, err := mutate.AppendLayers(empty.Image, l)
	if err != nil {
		t.Fatal(err)
	}
	s, err := FromImage(context.Background(), img, WithLayerOptions(layer.WithoutManifest()))
	if err != nil {
		t.Fatal(err)
	}
	var sawLayer bool
	for _, e := range s.Errors {
		sawLayer = sawLayer || (errors.Is(e.Err, layer.ErrLayer) && e.Layer == streamHash.String())
	}
	if !sawLayer {
		t.Errorf("corrupt gzip not reported as a layer error: %v", s.Errors)
	}
}

// Hard links between files that catalogers read differently must not
// confuse them (review finding: a status.d file linked to a copyright file,
// os-release linked to alpine-release).
func TestHardLinksAcrossKinds(t *testing.T) {
	img := layertest.Image(t, layertest.Layer(t,
		layertest.File("usr/share/doc/foo/copyright", "License: MIT\n"),
		layertest.Hardlink("var/lib/dpkg/status.d/foo", "usr/share/doc/foo/copyright"),
		layertest.File("etc/alpine-release", "3.19.0\n"),
		layertest.Hardlink("etc/os-release", "etc/alpine-release"),
		layertest.File("x", "Package: bar\nVersion: 1\nArchitecture: all\n"),
		layertest.Hardlink("var/lib/dpkg/status.d/bar", "x"),
		layertest.Hardlink("etc/debian_version", "x"),
	))
	s, err := FromImage(context.Background(), img, WithLayerOptions(layer.WithoutManifest()))
	if err != nil {
		t.Fatal(err)
	}
	if got := brief(s); !reflect.DeepEqual(got, []string{"bar 1 bar@1 L0"}) {
		t.Errorf("packages = %q", got)
	}
	// foo's "status" is a copyright text: a stanza error, no package.
	var sawFoo bool
	for _, e := range s.Errors {
		sawFoo = sawFoo || e.Path == "var/lib/dpkg/status.d/foo"
	}
	if !sawFoo {
		t.Errorf("errors = %v", s.Errors)
	}
}

func TestOCIPURL(t *testing.T) {
	const d = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	for _, tt := range []struct {
		src  Source
		want string
	}{
		{Source{Name: "ghcr.io/org/app:2", Reference: "ghcr.io/org/app:2", Digest: d, Platform: "linux/arm64/v8"},
			"pkg:oci/app@" + d + "?arch=arm64&repository_url=ghcr.io%2Forg%2Fapp&tag=2"},
		{Source{Name: "latest", Digest: d}, "pkg:oci/latest@" + d},
		{Source{Name: "/tmp/images/My-App.tar", ImageID: d}, "pkg:oci/my-app@" + d},
		{Source{Name: "corpus/large:latest", Digest: d}, "pkg:oci/large@" + d},
		{Source{Name: "x"}, ""},
	} {
		if got := ociPURL(&tt.src); got != tt.want {
			t.Errorf("ociPURL(%+v) = %s, want %s", tt.src, got, tt.want)
		}
	}
}
