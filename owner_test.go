package shipshape_test

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/shipshape-dev/shipshape"
	"github.com/shipshape-dev/shipshape/layer"
	"github.com/shipshape-dev/shipshape/layer/layertest"
	"github.com/shipshape-dev/shipshape/layercache"
	"github.com/shipshape-dev/shipshape/result"
	"github.com/shipshape-dev/shipshape/sbom"
	"github.com/shipshape-dev/shipshape/secrets"
)

// testToken is what the test rule finds: a secret whatever the built-in
// rules think of its file.
func testToken(n int) string { return fmt.Sprintf("tok_%020d", 98765432101234567+n*1000003) }

func tokenScanner(t *testing.T) *secrets.Scanner {
	t.Helper()
	s, err := secrets.New(secrets.WithRules(secrets.Rule{ID: "test-token", Description: "test token",
		Severity: result.SeverityHigh, Keywords: []string{"tok_"}, Regex: `tok_[0-9]{20}`, KeepPlaceholders: true}))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func md5hex(s string) string { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]) }
func apkSum(s string) string {
	h := sha1.Sum([]byte(s))
	return "Q1" + base64.StdEncoding.EncodeToString(h[:])
}

// ownedImage holds a token in files of every kind of owner: an OS
// package's files unchanged and modified (dpkg md5sums and conffiles, apk
// checksums), npm and Python packages' files, the image's own files, and
// a file a later layer deletes.
func ownedImage(t *testing.T) v1.Image {
	t.Helper()
	deluser := "#!/usr/bin/perl\n# example: --password " + testToken(1) + "\n"
	cnf := "[req]\nchallengePassword = " + testToken(2) + "\n"
	modified := "secret = " + testToken(3) + "\n" // md5sums records another content
	musl := "musl config " + testToken(4) + "\n"
	status := "Package: adduser\nStatus: install ok installed\nArchitecture: all\nVersion: 3.134\n" +
		"Conffiles:\n /etc/adduser.conf " + md5hex(cnf) + "\n /etc/old.conf 0123456789abcdef0123456789abcdef obsolete\n\n" +
		"Package: tools\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\n"
	return layertest.Image(t,
		layertest.Layer(t,
			layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
			layertest.File("var/lib/dpkg/status", status),
			layertest.File("var/lib/dpkg/info/adduser.list", "/.\n/usr\n/usr/sbin\n/usr/sbin/deluser\n/etc/adduser.conf\n"),
			layertest.File("var/lib/dpkg/info/adduser.md5sums", md5hex(deluser)+"  usr/sbin/deluser\n"),
			layertest.File("var/lib/dpkg/info/tools.list", "/etc/tools.conf\n"),
			layertest.File("var/lib/dpkg/info/tools.md5sums", md5hex("secret = something else\n")+"  etc/tools.conf\n"),
			layertest.File("usr/sbin/deluser", deluser),
			layertest.File("etc/adduser.conf", cnf),
			layertest.File("etc/tools.conf", modified),
			layertest.File("lib/apk/db/installed", "P:musl\nV:1.2.5-r0\nA:x86_64\nF:etc\nR:musl.conf\nZ:"+apkSum(musl)+"\nR:musl-changed.conf\nZ:"+apkSum("other")+"\n\n"),
			layertest.File("etc/musl.conf", musl),
			layertest.File("etc/musl-changed.conf", "changed "+testToken(5)+"\n"),
			layertest.File("app/node_modules/axios/package.json", `{"name":"axios","version":"1.6.2"}`),
			layertest.File("app/node_modules/axios/README.md", "axios.defaults.headers.common['Authorization'] = '"+testToken(6)+"';\n"),
			layertest.File("usr/lib/python3.11/site-packages/foo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: foo\nVersion: 1.0\n"),
			layertest.File("usr/lib/python3.11/site-packages/foo-1.0.dist-info/RECORD", "foo/__init__.py,sha256=x,1\nfoo/settings.py,sha256=y,2\nfoo-1.0.dist-info/METADATA,,\n"),
			layertest.File("usr/lib/python3.11/site-packages/foo/settings.py", "TOKEN = '"+testToken(7)+"'\n"),
			layertest.File("usr/lib/python3.11/site-packages/bar/cache.py", "TOKEN = '"+testToken(8)+"'\n"), // no distribution found
			layertest.File("app/.env", "API_TOKEN="+testToken(9)+"\n"),
			layertest.File("app/config.yaml", "token: "+testToken(10)+"\n"),
		),
		layertest.Layer(t, layertest.Whiteout("app/.env")),
	)
}

type classedFinding struct {
	file    string
	class   result.Class
	owner   string
	visible bool
}

func classedFindings(t *testing.T, rep *secrets.Report) []classedFinding {
	t.Helper()
	var out []classedFinding
	for _, f := range rep.Findings {
		out = append(out, classedFinding{f.File, f.Class, f.Owner, f.Visible})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out
}

// TestSecretsByOwner: the one read classes each finding by who installed
// its file, and only the image's own files (and a package's file changed
// after installation) stay unclassed.
func TestSecretsByOwner(t *testing.T) {
	in, err := shipshape.Inspect(context.Background(), imageSource(t, ownedImage(t)), shipshape.WithSecretScanner(tokenScanner(t)), shipshape.WithoutHardening())
	if err != nil {
		t.Fatal(err)
	}
	adduser := "pkg:deb/debian/adduser@3.134?arch=all&distro=debian-12"
	want := []classedFinding{
		{"app/.env", "", "", false},
		{"app/config.yaml", "", "", true},
		{"app/node_modules/axios/README.md", result.ClassThirdParty, "pkg:npm/axios@1.6.2", true},
		{"etc/adduser.conf", result.ClassVendor, adduser, true},
		{"etc/musl-changed.conf", "", "pkg:apk/debian/musl@1.2.5-r0?arch=x86_64&distro=debian-12", true},
		{"etc/musl.conf", result.ClassVendor, "pkg:apk/debian/musl@1.2.5-r0?arch=x86_64&distro=debian-12", true},
		{"etc/tools.conf", "", "pkg:deb/debian/tools@1.0?arch=amd64&distro=debian-12", true},
		{"usr/lib/python3.11/site-packages/bar/cache.py", result.ClassThirdParty, "", true},
		{"usr/lib/python3.11/site-packages/foo/settings.py", result.ClassThirdParty, "pkg:pypi/foo@1.0", true},
		{"usr/sbin/deluser", result.ClassVendor, adduser, true},
	}
	got := classedFindings(t, in.Evidence.Secrets)
	if len(got) != len(want) {
		t.Fatalf("findings:\n%v\nwant\n%v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s: got %+v, want %+v", want[i].file, got[i], want[i])
		}
	}
	// The same image scanned alone: nothing is classed (no catalogers).
	rep, err := tokenScanner(t).ScanImage(context.Background(), ownedImage(t), "app")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Class != "" || f.Owner != "" {
			t.Errorf("ScanImage classed %s: %s %s", f.File, f.Class, f.Owner)
		}
	}
}

// TestSecretsByOwnerThroughTheCache: a rescan from the layer cache
// classes the findings as the first scan did (the checksums are kept).
func TestSecretsByOwnerThroughTheCache(t *testing.T) {
	dir := t.TempDir()
	run := func() []classedFinding {
		cache, err := layercache.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		in, err := shipshape.Inspect(context.Background(), imageSource(t, ownedImage(t)), shipshape.WithSecretScanner(tokenScanner(t)),
			shipshape.WithoutHardening(), shipshape.WithLayerOptions(layer.WithCache(cache)))
		if err != nil {
			t.Fatal(err)
		}
		return classedFindings(t, in.Evidence.Secrets)
	}
	first, second := run(), run()
	if fmt.Sprint(first) != fmt.Sprint(second) {
		t.Errorf("through the cache:\n%v\nfirst scan:\n%v", second, first)
	}
}

// TestOwnersFromBadLists: checksum lists that lie (a path outside the
// root), are damaged or absent leave the file the image's own, with a
// per-file error for the damage; nothing else breaks.
func TestOwnersFromBadLists(t *testing.T) {
	secret := "key = " + testToken(1) + "\n"
	var many strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&many, "%s  usr/share/doc/x/f%d\n", md5hex(fmt.Sprint(i)), i)
	}
	img := layertest.Image(t, layertest.Layer(t,
		layertest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
		layertest.File("var/lib/dpkg/status", "Package: liar\nStatus: install ok installed\nArchitecture: all\nVersion: 1\n\n"+
			"Package: broken\nStatus: install ok installed\nArchitecture: all\nVersion: 1\n\nPackage: bare\nStatus: install ok installed\nArchitecture: all\nVersion: 1\n"),
		layertest.File("var/lib/dpkg/info/liar.list", "/etc/liar.conf\n"),
		layertest.File("var/lib/dpkg/info/liar.md5sums", md5hex(secret)+"  ../../../etc/liar.conf\n"),
		layertest.File("var/lib/dpkg/info/broken.list", "/etc/broken.conf\n"),
		layertest.File("var/lib/dpkg/info/broken.md5sums", "not a checksum line\n"+md5hex(secret)[:30]+"  etc/broken.conf\n"+many.String()),
		layertest.File("var/lib/dpkg/info/bare.list", "/etc/bare.conf\n"), // no md5sums at all
		layertest.File("etc/liar.conf", secret),
		layertest.File("etc/broken.conf", secret),
		layertest.File("etc/bare.conf", secret),
	))
	in, err := shipshape.Inspect(context.Background(), imageSource(t, img), shipshape.WithSecretScanner(tokenScanner(t)), shipshape.WithoutHardening())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range in.Evidence.Secrets.Findings {
		if f.Class != "" {
			t.Errorf("%s: class %s, want the image's own", f.File, f.Class)
		}
		if !strings.HasPrefix(f.Owner, "pkg:deb/debian/") {
			t.Errorf("%s: owner %q, want the package that lists it", f.File, f.Owner)
		}
	}
	if n := len(in.Evidence.Secrets.Findings); n != 3 {
		t.Errorf("%d findings, want 3", n)
	}
	damaged := 0
	for _, e := range in.Evidence.SBOM.Errors {
		if errors.Is(e.Err, sbom.ErrDatabase) && strings.HasSuffix(e.Path, ".md5sums") {
			damaged++
		}
	}
	if damaged != 3 { // two bad lines of broken.md5sums, the escaping path of liar.md5sums
		t.Errorf("%d checksum-list errors, want 3: %v", damaged, in.Evidence.SBOM.Errors)
	}
}

// TestSecretsByRPMOwner: rpm's SHA-256 file digests tell the package's
// unchanged file from a changed one (the database built by rpm itself,
// internal/pkgdb/rpm/testdata).
func TestSecretsByRPMOwner(t *testing.T) {
	db, err := os.ReadFile("internal/pkgdb/rpm/testdata/Packages")
	if err != nil {
		t.Fatal(err)
	}
	s, err := secrets.New(secrets.WithRules(secrets.Rule{ID: "readme", Description: "readme", Keywords: []string{"demotool", "libdemo"},
		Regex: `(?:demotool|libdemo)[a-z ]*`, KeepPlaceholders: true}))
	if err != nil {
		t.Fatal(err)
	}
	img := layertest.Image(t, layertest.Layer(t,
		layertest.File("etc/os-release", "ID=rhel\nVERSION_ID=9.4\n"),
		layertest.File("var/lib/rpm/Packages", string(db)),
		layertest.File("usr/share/demotool/README", "demotool\n"),             // as rpm installed it
		layertest.File("usr/share/libdemo/README", "libdemo changed since\n"), // modified
	))
	in, err := shipshape.Inspect(context.Background(), imageSource(t, img), shipshape.WithSecretScanner(s), shipshape.WithoutHardening())
	if err != nil {
		t.Fatal(err)
	}
	got := classedFindings(t, in.Evidence.Secrets)
	if len(got) != 2 || got[0].class != result.ClassVendor || !strings.HasPrefix(got[0].owner, "pkg:rpm/") ||
		got[1].class != "" || !strings.HasPrefix(got[1].owner, "pkg:rpm/") {
		t.Errorf("findings: %+v", got)
	}
}
