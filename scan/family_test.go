package scan

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shipshape-dev/shipshape/internal/version"
	"github.com/shipshape-dev/shipshape/sbom"
)

// TestOSFamilyDetection reads each family's os-release as an image carries
// it and checks where its packages' advisories are looked up: the OSV
// ecosystem family, the release, and which ecosystems of the family count.
//
// Where a vendor's os-release file could be found it is read from
// testdata/families/os-release (see the README there for each file's
// source); the other rows spell what the distributions' images carry.
func TestOSFamilyDetection(t *testing.T) {
	file := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata/families/os-release", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, tt := range []struct {
		name, osRelease, typ string
		base, release        string
		accept, reject       []string
		names                []string // the names looked up; the source and the binary name when nil
	}{
		{"SLES 15 SP2, vendor file", file("sles-15.2"), sbom.TypeRPM,
			"SUSE", "SUSE:Linux Enterprise Server 15 SP2",
			[]string{"SUSE:Linux Enterprise Server 15 SP2", "SUSE:Linux Enterprise Module for Basesystem 15 SP2", "SUSE:Linux Enterprise Server 15 SP2-LTSS"},
			[]string{"SUSE:Linux Enterprise Server 15 SP5", "SUSE:Linux Enterprise Server 15", "openSUSE:Leap 15.2"}, nil},
		{"SLES 12 SP5, vendor file", file("sles-12.5"), sbom.TypeRPM,
			"SUSE", "SUSE:Linux Enterprise Server 12 SP5",
			// SUSE-SU-2025:01777-1 is filed under the LTSS Extended
			// Security product of 12 SP5 (osv.dev's ecosystem tests).
			[]string{"SUSE:Linux Enterprise Server 12 SP5", "SUSE:Linux Enterprise Server LTSS Extended Security 12 SP5", "SUSE:Linux Enterprise Server 12 SP5-LTSS"},
			[]string{"SUSE:Linux Enterprise Server 15 SP5", "SUSE:Linux Enterprise Server 12 SP4"}, nil},
		{"openSUSE Leap 15.2, vendor file", file("opensuse-leap-15.2"), sbom.TypeRPM,
			"openSUSE", "openSUSE:Leap 15.2", []string{"openSUSE:Leap 15.2"}, []string{"openSUSE:Leap 15.5", "SUSE:Linux Enterprise Server 15 SP2"}, nil},
		{"Azure Linux 3.0, vendor file", file("azurelinux-3.0"), sbom.TypeRPM,
			"Azure Linux", "Azure Linux:3", []string{"Azure Linux:3"}, []string{"Azure Linux:2", "Azure Linux:3.0"}, nil},
		{"CBL-Mariner 1.0, vendor file", file("mariner-1.0"), sbom.TypeRPM,
			"Azure Linux", "Azure Linux:1", []string{"Azure Linux:1"}, []string{"Azure Linux:2", "Mariner:1.0"}, nil},
		{"openEuler 22.03 LTS SP3, vendor file", file("openeuler-22.03-lts-sp3"), sbom.TypeRPM,
			"openEuler", "openEuler:22.03-LTS-SP3", []string{"openEuler:22.03-LTS-SP3"}, []string{"openEuler:22.03-LTS", "openEuler:22.03-LTS-SP4"}, nil},
		{"openEuler 22.03 LTS without parentheses, vendor file", file("openeuler-22.03-lts"), sbom.TypeRPM,
			"openEuler", "openEuler:22.03-LTS", []string{"openEuler:22.03-LTS"}, []string{"openEuler:22.03-LTS-SP1"}, nil},
		{"MinimOS, vendor file", file("minimos"), sbom.TypeAPK,
			"MinimOS", "MinimOS", []string{"MinimOS"}, []string{"MinimOS:20241031", "Wolfi"}, nil},
		{"Echo, vendor file", file("echo"), sbom.TypeDeb,
			"Echo", "Echo", []string{"Echo"}, []string{"Echo:PyPI", "Debian:1", "Debian:13"}, []string{"foo"}},
		{"Alpaquita stream (musl)", "NAME=\"BellSoft Alpaquita Linux\"\nID=alpaquita\nID_LIKE=alpine\nVERSION_ID=stream\nPRETTY_NAME=\"BellSoft Alpaquita Linux Stream (musl)\"\n", sbom.TypeAPK,
			"Alpaquita", "Alpaquita:stream", []string{"Alpaquita:stream"}, []string{"Alpaquita:23", "Alpine:vstream", "BellSoft Hardened Containers:stream"}, nil},
		{"SLES 15 SP5", "NAME=\"SLES\"\nVERSION=\"15-SP5\"\nVERSION_ID=\"15.5\"\nPRETTY_NAME=\"SUSE Linux Enterprise Server 15 SP5\"\nID=\"sles\"\nID_LIKE=\"suse\"\n", sbom.TypeRPM,
			"SUSE", "SUSE:Linux Enterprise Server 15 SP5",
			[]string{"SUSE:Linux Enterprise Server 15 SP5", "SUSE:Linux Enterprise Module for Basesystem 15 SP5", "SUSE:Linux Enterprise Server 15 SP5-LTSS", "SUSE:Linux Enterprise High Performance Computing 15 SP5-ESPOS"},
			[]string{"SUSE:Linux Enterprise Server 15 SP4", "SUSE:Linux Enterprise Server 15 SP4-LTSS", "SUSE:Linux Enterprise Server 5 SP5", "SUSE:Linux Enterprise Micro 5.5", "openSUSE:Leap 15.5", "SUSE:Linux Enterprise Server 16.0"}, nil},
		{"SLE Micro 5.5", "ID=\"sle-micro\"\nVERSION_ID=\"5.5\"\nPRETTY_NAME=\"SUSE Linux Enterprise Micro 5.5\"\n", sbom.TypeRPM,
			"SUSE", "SUSE:Linux Enterprise Server 5.5",
			[]string{"SUSE:Linux Enterprise Micro 5.5", "SUSE:Linux Enterprise Micro for Rancher 5.5"},
			[]string{"SUSE:Linux Enterprise Micro 5.4", "SUSE:Linux Enterprise Server 15 SP5"}, nil},
		{"openSUSE Leap 15.5", "NAME=\"openSUSE Leap\"\nVERSION=\"15.5\"\nID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\nVERSION_ID=\"15.5\"\nPRETTY_NAME=\"openSUSE Leap 15.5\"\n", sbom.TypeRPM,
			"openSUSE", "openSUSE:Leap 15.5", []string{"openSUSE:Leap 15.5"}, []string{"openSUSE:Leap 15.4", "openSUSE:Tumbleweed", "SUSE:Linux Enterprise Server 15 SP5"}, nil},
		{"openSUSE Tumbleweed", "NAME=\"openSUSE Tumbleweed\"\nID=\"opensuse-tumbleweed\"\nVERSION_ID=\"20240101\"\nPRETTY_NAME=\"openSUSE Tumbleweed\"\n", sbom.TypeRPM,
			"openSUSE", "openSUSE:Tumbleweed", []string{"openSUSE:Tumbleweed"}, []string{"openSUSE:Leap 15.5"}, nil},
		{"Azure Linux 3.0", "NAME=\"Microsoft Azure Linux\"\nVERSION=\"3.0.20240727\"\nID=azurelinux\nVERSION_ID=\"3.0\"\nPRETTY_NAME=\"Microsoft Azure Linux 3.0\"\n", sbom.TypeRPM,
			"Azure Linux", "Azure Linux:3", []string{"Azure Linux:3"}, []string{"Azure Linux:2", "Azure Linux:3.0"}, nil},
		{"CBL-Mariner 2.0", "NAME=\"Common Base Linux Mariner\"\nVERSION=\"2.0.20240123\"\nID=mariner\nVERSION_ID=\"2.0\"\nPRETTY_NAME=\"CBL-Mariner/Linux\"\n", sbom.TypeRPM,
			"Azure Linux", "Azure Linux:2", []string{"Azure Linux:2"}, []string{"Azure Linux:3"}, nil},
		{"Mageia 9", "NAME=\"Mageia\"\nVERSION=\"9\"\nID=mageia\nVERSION_ID=9\nID_LIKE=\"mandriva fedora\"\nPRETTY_NAME=\"Mageia 9\"\n", sbom.TypeRPM,
			"Mageia", "Mageia:9", []string{"Mageia:9"}, []string{"Mageia:8"}, nil},
		{"openEuler 24.03 LTS", "NAME=\"openEuler\"\nVERSION=\"24.03 (LTS)\"\nID=\"openEuler\"\nVERSION_ID=\"24.03\"\nPRETTY_NAME=\"openEuler 24.03 (LTS)\"\n", sbom.TypeRPM,
			"openEuler", "openEuler:24.03-LTS", []string{"openEuler:24.03-LTS"}, []string{"openEuler:24.03-LTS-SP1", "openEuler:22.03-LTS"}, nil},
		{"openEuler 22.03 LTS SP4", "NAME=\"openEuler\"\nVERSION=\"22.03 (LTS-SP4)\"\nID=\"openEuler\"\nVERSION_ID=\"22.03\"\nPRETTY_NAME=\"openEuler 22.03 (LTS-SP4)\"\n", sbom.TypeRPM,
			"openEuler", "openEuler:22.03-LTS-SP4", []string{"openEuler:22.03-LTS-SP4"}, []string{"openEuler:22.03-LTS"}, nil},
		{"Alpaquita 23", "NAME=\"Alpaquita Linux\"\nID=alpaquita\nVERSION_ID=23\nPRETTY_NAME=\"Alpaquita Linux 23\"\n", sbom.TypeAPK,
			"Alpaquita", "Alpaquita:23", []string{"Alpaquita:23"}, []string{"Alpaquita:stream", "BellSoft Hardened Containers:23"}, nil},
		{"Alpaquita stream", "ID=alpaquita\nVERSION_ID=stream\n", sbom.TypeAPK,
			"Alpaquita", "Alpaquita:stream", []string{"Alpaquita:stream"}, []string{"Alpaquita:23"}, nil},
		{"BellSoft Hardened Containers", "ID=bellsoft-hardened-containers\nVERSION_ID=23\n", sbom.TypeAPK,
			"BellSoft Hardened Containers", "BellSoft Hardened Containers:23", []string{"BellSoft Hardened Containers:23"}, []string{"Alpaquita:23"}, nil},
		{"MinimOS", "ID=minimos\nNAME=\"MinimOS\"\n", sbom.TypeAPK, "MinimOS", "MinimOS", []string{"MinimOS"}, []string{"Wolfi"}, nil},
		{"CleanStart", "ID=clnstrt\n", sbom.TypeAPK, "CleanStart", "CleanStart", []string{"CleanStart"}, []string{"Wolfi"}, nil},
		{"Docker Hardened Images, Alpine", "NAME=\"Docker Hardened Images (Alpine)\"\nID=dhi\nID_LIKE=alpine\nVERSION_ID=3.24\nPRETTY_NAME=\"Docker Hardened Images (Alpine 3.24)\"\n", sbom.TypeAPK,
			"Docker Hardened Images", "Docker Hardened Images:Alpine:3.24",
			[]string{"Docker Hardened Images:Alpine:3.24"}, []string{"Docker Hardened Images", "Docker Hardened Images:Alpine:3.23", "Alpine:v3.24", "Docker Hardened Images:Debian:13"}, nil},
		{"Docker Hardened Images, Debian", "NAME=\"Docker Hardened Images (Debian)\"\nID=dhi\nID_LIKE=debian\nVERSION_ID=13\n", sbom.TypeDeb,
			"Docker Hardened Images", "Docker Hardened Images:Debian:13",
			[]string{"Docker Hardened Images:Debian:13"}, []string{"Docker Hardened Images", "Debian:13"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sbom.FromFS(context.Background(), fstest.MapFS{"etc/os-release": {Data: []byte(tt.osRelease)}})
			if err != nil {
				t.Fatal(err)
			}
			if s.Distro == nil {
				t.Fatal("no distribution detected")
			}
			tg, ok := osTarget(s.Distro, &sbom.Package{Type: tt.typ, Name: "libfoo", SourceName: "foo", Version: "1.0-r0"})
			if !ok {
				t.Fatalf("no target for %+v", *s.Distro)
			}
			if tg.base != tt.base || tg.release != tt.release {
				t.Errorf("base %q, release %q; want %q, %q", tg.base, tg.release, tt.base, tt.release)
			}
			names := tt.names
			if names == nil {
				names = []string{"foo", "libfoo"}
			}
			if !slices.Equal(tg.names, names) {
				t.Errorf("names %q, want %q", tg.names, names)
			}
			checkAccepts(t, tg, tt.accept, tt.reject)
			// Every family orders versions as its package manager does.
			order := map[string]string{sbom.TypeDeb: "Debian", sbom.TypeAPK: "Alpine", sbom.TypeRPM: "RPM"}[tt.typ]
			if o, err := version.ForEcosystem(tg.release); err != nil || o.Name() != order {
				t.Errorf("ordering of %q: %v %v, want %s", tg.release, o, err, order)
			}
		})
	}
}

// checkAccepts checks which OSV ecosystems a target takes.
func checkAccepts(t *testing.T, tg target, accept, reject []string) {
	t.Helper()
	for _, e := range accept {
		if !tg.accept(e) {
			t.Errorf("rejects %q", e)
		}
	}
	for _, e := range reject {
		if tg.accept(e) {
			t.Errorf("accepts %q", e)
		}
	}
}

// TestOSFamilyNoTarget: releases that get no advisories, and package types
// a family does not ship, have no target (the report warns instead).
func TestOSFamilyNoTarget(t *testing.T) {
	for _, tt := range []struct {
		distro sbom.Distro
		typ    string
	}{
		{sbom.Distro{ID: "openeuler", VersionID: "24.09", Name: "openEuler 24.09"}, sbom.TypeRPM}, // an innovation release
		{sbom.Distro{ID: "openeuler", VersionID: "24.03"}, sbom.TypeRPM},                          // no PRETTY_NAME
		{sbom.Distro{ID: "sles"}, sbom.TypeRPM},
		{sbom.Distro{ID: "mageia"}, sbom.TypeRPM},
		{sbom.Distro{ID: "alpaquita"}, sbom.TypeAPK},
		{sbom.Distro{ID: "minimos"}, sbom.TypeRPM},
		{sbom.Distro{ID: "dhi", VersionID: "3.24"}, sbom.TypeAPK}, // no ID_LIKE
		{sbom.Distro{ID: "dhi", VersionID: "13", IDLike: []string{"alpine"}}, sbom.TypeDeb},
		{sbom.Distro{ID: "echo", VersionID: "1", IDLike: []string{"debian"}}, sbom.TypeAPK}, // Echo ships Debian packages
	} {
		if tg, ok := osTarget(&tt.distro, &sbom.Package{Type: tt.typ, Name: "foo", Version: "1"}); ok {
			t.Errorf("%+v %s: target %q, want none", tt.distro, tt.typ, tg.release)
		}
	}
}

// TestOSFamilyMatch matches packages of each family against its published
// advisories (testdata/families): affected below the fix, not at it.
func TestOSFamilyMatch(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "osv.db")
	if _, err := BuildDB(context.Background(), dst, []string{"testdata/families"}, WithBuildTime(fixedNow)); err != nil {
		t.Fatal(err)
	}
	db, err := OpenDB(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	osRelease := func(name string) sbom.Distro {
		b, err := os.ReadFile(filepath.Join("testdata/families/os-release", name))
		if err != nil {
			t.Fatal(err)
		}
		s, err := sbom.FromFS(context.Background(), fstest.MapFS{"etc/os-release": {Data: b}})
		if err != nil || s.Distro == nil {
			t.Fatalf("%s: %v %+v", name, err, s)
		}
		return *s.Distro
	}
	cleanstart := sbom.Distro{ID: "clnstrt"}
	alpaquita23 := sbom.Distro{ID: "alpaquita", IDLike: []string{"alpine"}, VersionID: "23"}
	alpaquitaStream := sbom.Distro{ID: "alpaquita", IDLike: []string{"alpine"}, VersionID: "stream"}
	bellsoftStream := sbom.Distro{ID: "bellsoft-hardened-containers", VersionID: "stream"}
	openEulerSP3 := osRelease("openeuler-22.03-lts-sp3")
	openEulerSP4 := sbom.Distro{ID: "openeuler", VersionID: "22.03", Name: "openEuler 22.03 (LTS-SP4)"}
	libssl := func(v string) sbom.Package {
		return sbom.Package{Type: sbom.TypeAPK, Name: "libssl3", SourceName: "openssl", Version: v}
	}
	mageia7 := sbom.Distro{ID: "mageia", VersionID: "7", Name: "Mageia 7"}
	gtk3 := func(v string) sbom.Package {
		return sbom.Package{Type: sbom.TypeRPM, Name: "lib64gtk+3_0", SourceName: "gtk+3.0", Version: v}
	}
	boothCore := func(v string) sbom.Package {
		return sbom.Package{Type: sbom.TypeRPM, Name: "booth-core", SourceName: "booth", Version: v}
	}
	dhi := sbom.Distro{ID: "dhi", IDLike: []string{"alpine"}, VersionID: "3.24"}
	for _, tt := range []struct {
		name   string
		distro sbom.Distro
		pkg    sbom.Package
		want   []string // finding ids with their fixed versions
	}{
		{"CleanStart krb5 below the fix", cleanstart, sbom.Package{Type: sbom.TypeAPK, Name: "krb5-libs", SourceName: "krb5", Version: "1.20-r0"}, []string{"CVE-2022-42898 fixed 1.20.1-r0"}},
		{"CleanStart krb5 at the fix", cleanstart, sbom.Package{Type: sbom.TypeAPK, Name: "krb5-libs", SourceName: "krb5", Version: "1.20.1-r0"}, nil},
		{"CleanStart heimdal by its own name", cleanstart, sbom.Package{Type: sbom.TypeAPK, Name: "heimdal", Version: "7.7.0-r3"}, []string{"CVE-2022-42898 fixed 7.7.1-r0"}},
		{"DHI coreutils below the fix", dhi, sbom.Package{Type: sbom.TypeAPK, Name: "coreutils", Version: "9.11-r0"}, []string{"CVE-2016-2781 fixed 9.11-r1"}},
		{"DHI coreutils at the fix", dhi, sbom.Package{Type: sbom.TypeAPK, Name: "coreutils", Version: "9.11-r1"}, nil},
		// BELL-CVE-2024-5535: each release and product has its own range.
		{"Alpaquita 23 openssl below the fix", alpaquita23, libssl("3.0.14-r0"), []string{"CVE-2024-5535 fixed 3.0.14-r1"}},
		{"Alpaquita 23 openssl at the fix", alpaquita23, libssl("3.0.14-r1"), nil},
		{"Alpaquita 23 openssl before it was introduced", alpaquita23, libssl("3.0.8-r3"), nil},
		{"Alpaquita stream openssl below the fix", alpaquitaStream, libssl("3.3.1-r1"), []string{"CVE-2024-5535 fixed 3.3.1-r2"}},
		{"Alpaquita stream openssl at the fix", alpaquitaStream, libssl("3.3.1-r2"), nil},
		{"BellSoft Hardened Containers stream openssl below the fix", bellsoftStream, libssl("3.1.1-r1"), []string{"CVE-2024-5535 fixed 3.3.1-r2"}},
		// OESA-2024-2048: booth on openEuler 22.03 LTS SP3.
		{"openEuler booth-core below the fix", openEulerSP3, boothCore("1.0-6.oe2203sp3"), []string{"CVE-2024-3049 fixed 1.0-7.oe2203sp3"}},
		{"openEuler booth-core at the fix", openEulerSP3, boothCore("1.0-7.oe2203sp3"), nil},
		{"openEuler booth-core with an epoch, below the fix", openEulerSP3, boothCore("1:1.0-6.oe2203sp3"), []string{"CVE-2024-3049 fixed 1.0-7.oe2203sp3"}},
		{"openEuler booth-core with an epoch, at the fix", openEulerSP3, boothCore("1:1.0-7.oe2203sp3"), nil},
		{"openEuler booth-core of another service pack", openEulerSP4, boothCore("1.0-6.oe2203sp3"), nil},
		// MGAA-2021-0024 names its fixed version after the package:
		// "gtk+3.0-3.24.8-1.1.mga7".
		{"Mageia gtk+3.0 below the fix", mageia7, gtk3("3.24.8-1.mga7"), []string{"MGAA-2021-0024 fixed 3.24.8-1.1.mga7"}},
		{"Mageia gtk+3.0 at the fix", mageia7, gtk3("3.24.8-1.1.mga7"), nil},
		{"Mageia gtk+3.0 past the fix", mageia7, gtk3("3.24.12-1.mga7"), nil},
		{"Mageia gtk+3.0 of another release", sbom.Distro{ID: "mageia", VersionID: "8"}, gtk3("3.24.8-1.mga7"), nil},
		{"DHI coreutils of another release", sbom.Distro{ID: "dhi", IDLike: []string{"alpine"}, VersionID: "3.23"}, sbom.Package{Type: sbom.TypeAPK, Name: "coreutils", Version: "9.11-r0"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.pkg
			p.ID, p.Location = p.Name, "lib/apk/db/installed"
			rep, err := Match(context.Background(), db, &sbom.SBOM{Distro: &tt.distro, Packages: []sbom.Package{p}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.ID+" fixed "+strings.Join(f.FixedVersions, ","))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings %q, want %q (warnings %+v)", got, tt.want, rep.Warnings)
			}
		})
	}
}

// TestOSFamilyVersion: the installed version each family's records are
// compared with. openEuler's records carry no epoch (OESA-2024-2048 fixes
// booth in "1.0-7.oe2203sp3"), so an installed epoch is dropped there and
// nowhere else; Echo, like Debian, compares the source version.
func TestOSFamilyVersion(t *testing.T) {
	openEuler := sbom.Distro{ID: "openeuler", VersionID: "22.03", Name: "openEuler 22.03 (LTS-SP3)"}
	for _, tt := range []struct {
		name   string
		distro sbom.Distro
		pkg    sbom.Package
		want   string
	}{
		{"openEuler drops the epoch", openEuler, sbom.Package{Type: sbom.TypeRPM, Name: "openssl-libs", SourceName: "openssl", Version: "1:1.1.1wa-16.oe2203sp3"}, "1.1.1wa-16.oe2203sp3"},
		{"openEuler without an epoch", openEuler, sbom.Package{Type: sbom.TypeRPM, Name: "booth", Version: "1.0-6.oe2203sp3"}, "1.0-6.oe2203sp3"},
		{"openEuler keeps a colon that is no epoch", openEuler, sbom.Package{Type: sbom.TypeRPM, Name: "x", Version: "a:1-1.oe2203sp3"}, "a:1-1.oe2203sp3"},
		{"Mageia keeps the epoch", sbom.Distro{ID: "mageia", VersionID: "9"}, sbom.Package{Type: sbom.TypeRPM, Name: "libcurl4", SourceName: "curl", Version: "1:1.8.11-1.mga9"}, "1:1.8.11-1.mga9"},
		{"SUSE keeps the epoch", sbom.Distro{ID: "sles", VersionID: "15.5"}, sbom.Package{Type: sbom.TypeRPM, Name: "libfoo", Version: "2:1.0-150500.1.1"}, "2:1.0-150500.1.1"},
		{"Echo compares the source version", sbom.Distro{ID: "echo", VersionID: "1"}, sbom.Package{Type: sbom.TypeDeb, Name: "python3-pip", SourceName: "python-pip", SourceVersion: "25.3+dfsg-1+e2", Version: "25.3+dfsg-1+e2+b1"}, "25.3+dfsg-1+e2"},
	} {
		tg, ok := osTarget(&tt.distro, &tt.pkg)
		if !ok {
			t.Errorf("%s: no target", tt.name)
			continue
		}
		if tg.version != tt.want {
			t.Errorf("%s: version %q, want %q", tt.name, tg.version, tt.want)
		}
	}
}
