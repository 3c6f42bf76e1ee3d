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

// TestUsageErrors: a usage error exits 2 and says why on stderr, not
// just the usage text.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	ref := "dir:" + dir
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"sbom"}, "sbom: expected one IMAGE, got none"},
		{[]string{"sbom", ref, ref}, "sbom: expected one IMAGE, got 2"},
		{[]string{"sbom", ref, "--format", "pdf"}, `sbom: --format: unknown format: "pdf"`},
		{[]string{"sbom", ref, "--frobnicate"}, "sbom: flag provided but not defined: -frobnicate"},
		{[]string{"sbom", ref, "--serial-number", "42"}, "sbom: --serial-number: invalid option: serial number \"42\""},
		{[]string{"sbom", ref, "--timestamp", "yesterday"}, "sbom: --timestamp \"yesterday\" is not RFC 3339"},
		{[]string{"sbom", dir}, "dir:" + dir},
		{[]string{"sbom", "docker-archive:/does/not/exist.tar"}, "does/not/exist.tar"},
		{[]string{"sbom", "--platform", "bogus", ref}, "platform"},
		{[]string{"scan", ref, "--checks", "everything"}, `scan: --checks "everything", want vuln, hardening or all`},
		{[]string{"scan", "sbom:x.json", "--checks", "all"}, "scan: --checks all needs an image, not an SBOM"},
		{[]string{"scan", ref, "--checks", "hardening", "--format", "cyclonedx-json"}, "CycloneDX has no place for hardening findings"},
		{[]string{"scan", ref, "--fail-on", "severe"}, "scan: --fail-on: invalid severity"},
		{[]string{"scan"}, "scan: expected one IMAGE or sbom:FILE, got none"},
		{[]string{"inspect", ref, "--format", "xml"}, `inspect: --format: unknown format "xml"`},
		{[]string{"inspect", ref, "--vex", "x.json"}, "inspect: --cache-dir, --vex and --ignore apply to vulnerability data: pass --db too"},
		{[]string{"check", ref}, "check: --policy is required"},
		{[]string{"check", ref, "--policy", "p.yaml", "--format", "pdf"}, "check: --format: unknown format"},
		{[]string{"secrets", ref, "--fail-on", "severe"}, "secrets: --fail-on: invalid severity"},
		{[]string{"secrets", ref, ref}, "secrets: expected one IMAGE or dir:PATH, got 2"},
		{[]string{"db"}, "db: expected a command: fetch, fetch-eol, import, build or info"},
		{[]string{"db", "purge"}, `db: unknown command "purge"`},
		{[]string{"db", "build", dir}, "db build: --output is required"},
		{[]string{"db", "build", "--output", filepath.Join(dir, "x.db")}, "db build: expected at least one INPUT"},
		{[]string{"db", "fetch"}, "db fetch: name the data to fetch with --ecosystem NAME, --for IMAGE, --kev or --epss"},
		{[]string{"policy"}, "policy: expected a command: evaluate"},
		{[]string{"policy", "evaluate"}, "policy evaluate: --policy is required"},
		{[]string{"verify", "registry:example.com/app:1"}, "verify: --key is required"},
		{[]string{"verify", "registry:example.com/app:1", "--key", "k.pub", "--format", "xml"}, `verify: --format "xml", want json or table`},
		{[]string{"attest", "registry:example.com/app:1", "--key", "k.key"}, "attest: --predicate is required"},
		{[]string{"keygen", "extra"}, "keygen: expected no arguments"},
		{[]string{"version", "extra"}, "version: expected no arguments, got 1"},
	} {
		code, out, errOut := runCLI(tt.args...)
		if code != exitError || !strings.Contains(errOut, tt.want) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, out, errOut, tt.want)
		}
	}
}

// TestNoCommand: no command is a usage error: the usage on stderr, exit 2.
func TestNoCommand(t *testing.T) {
	code, out, errOut := runCLI()
	if code != exitError || out != "" || !strings.Contains(errOut, "usage: shipshape COMMAND") || !strings.Contains(errOut, "expected a command") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestHelp: -h and --help, at the top and for every command, print the
// usage on stdout and exit 0.
func TestHelp(t *testing.T) {
	for _, h := range []string{"-h", "--help", "help"} {
		code, out, errOut := runCLI(h)
		if code != exitOK || errOut != "" || !strings.Contains(out, "usage: shipshape COMMAND") || !strings.Contains(out, "verify-attestation") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", h, code, out, errOut)
		}
	}
	var cmds [][]string
	for name := range commands() {
		cmds = append(cmds, []string{name})
	}
	cmds = append(cmds, []string{"db", "fetch"}, []string{"db", "build"}, []string{"db", "info"}, []string{"policy", "evaluate"})
	for _, cmd := range cmds {
		for _, h := range []string{"-h", "--help"} {
			args := append(append([]string{}, cmd...), h)
			code, out, errOut := runCLI(args...)
			want := "usage: shipshape " + strings.Join(cmd, " ")
			if cmd[0] == "policy" {
				want = "usage: shipshape policy evaluate"
			}
			if code != exitOK || errOut != "" || !strings.Contains(out, want) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q on stdout", args, code, out, errOut, want)
			}
			if len(cmd) == 2 || (cmd[0] != "db" && cmd[0] != "policy" && cmd[0] != "version") {
				if !strings.Contains(out, "flags:") {
					t.Errorf("%v: no flags in the help:\n%s", args, out)
				}
			}
		}
	}
	if code, out, _ := runCLI("help", "scan"); code != exitOK || !strings.Contains(out, "usage: shipshape scan") {
		t.Errorf("help scan: exit %d\n%s", code, out)
	}
	// After other flags and arguments too.
	if code, out, _ := runCLI("sbom", "dir:/nonexistent", "--format", "json", "-h"); code != exitOK || !strings.Contains(out, "--serial-number") {
		t.Errorf("sbom IMAGE -h: exit %d\n%s", code, out)
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
