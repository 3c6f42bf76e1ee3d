package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/examples/demo"
	"github.com/shipshape-dev/shipshape/sbom"
)

// TestMain keeps the tests' layer caches out of the user's cache
// directory.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "shipshape-cli-test")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func demoRef(t *testing.T) string {
	t.Helper()
	p, err := demo.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return "oci-archive:" + p + ":" + demo.TagDebian
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestSBOMFormats(t *testing.T) {
	ref := demoRef(t)
	for _, f := range []string{"cyclonedx-json", "cyclonedx-xml", "json"} {
		t.Run(f, func(t *testing.T) {
			// Flags after the image, as users type them.
			code, out, errOut := runCLI("sbom", ref, "--format", f)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			s, err := sbom.Decode(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Packages) != 34 || s.Distro == nil || s.Distro.ID != "debian" {
				t.Errorf("%d packages, distro %+v", len(s.Packages), s.Distro)
			}
		})
	}
	code, out, _ := runCLI("sbom", "--format", "table", ref)
	if code != exitOK || !strings.Contains(out, "libssl3") || !strings.Contains(out, "34 packages") {
		t.Errorf("table exit %d:\n%s", code, out)
	}
}

func TestSBOMOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sbom.cdx.json")
	code, stdout, errOut := runCLI("sbom", demoRef(t), "--format", "cyclonedx-json", "--output", out)
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.Contains(b, []byte(`"bomFormat": "CycloneDX"`)) {
		t.Errorf("output file: %v\n%.200s", err, b)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "usage: shipshape COMMAND"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"sbom"}, "usage: shipshape sbom IMAGE"},
		{[]string{"sbom", "dir:" + dir, "--format", "pdf"}, "unknown format"},
		{[]string{"sbom", dir}, "dir:" + dir},
		{[]string{"sbom", "docker-archive:/does/not/exist.tar"}, "does/not/exist.tar"},
		{[]string{"sbom", "--platform", "bogus", "dir:" + dir}, "platform"},
	} {
		code, _, errOut := runCLI(tt.args...)
		if code != exitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
	if code, _, errOut := runCLI("help"); code != exitOK || !strings.Contains(errOut, "sbom") {
		t.Errorf("help: %d %s", code, errOut)
	}
}

func TestImageRef(t *testing.T) {
	for in, want := range map[string]string{
		"debian:12":                  "registry:debian:12",
		"ghcr.io/org/app@sha256:abc": "registry:ghcr.io/org/app@sha256:abc",
		"localhost:5000/app:1":       "registry:localhost:5000/app:1",
		"docker-archive:x.tar":       "docker-archive:x.tar",
		"dir:/tmp":                   "dir:/tmp",
	} {
		got, err := imageRef(in)
		if err != nil || got != want {
			t.Errorf("imageRef(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// TestLayerCacheFlags: the second run of a command takes every layer from
// the cache and prints the same; --no-layer-cache keeps nothing.
func TestLayerCacheFlags(t *testing.T) {
	ref := demoRef(t)
	for _, cmd := range [][]string{{"sbom", "--format", "json"}, {"inspect", "--format", "json"}, {"scan", "--checks", "hardening", "--format", "json"}} {
		t.Run(cmd[0], func(t *testing.T) {
			dir := t.TempDir()
			args := append(append([]string{}, cmd...), ref, "--layer-cache", dir)
			if cmd[0] != "scan" {
				args = append(args, "--verbose")
			}
			code, first, errOut := runCLI(args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			code, second, errOut := runCLI(args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if first != second {
				t.Errorf("the cached run printed something else:\n%s\nfirst run:\n%s", second, first)
			}
			if cmd[0] != "scan" && !strings.Contains(errOut, "3 layers from the cache") {
				t.Errorf("stderr of the second run: %s", errOut)
			}
			entries, err := os.ReadDir(filepath.Join(dir, "v1"))
			if err != nil || len(entries) == 0 {
				t.Errorf("nothing in the cache: %v", err)
			}
		})
	}
	dir := t.TempDir()
	if code, _, errOut := runCLI("sbom", ref, "--layer-cache", dir, "--no-layer-cache"); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("--no-layer-cache wrote %d entries", len(entries))
	}
}
