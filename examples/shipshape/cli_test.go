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
