package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestRealDebianImages checks `shipshape sbom` on the Debian images that
// ../shared/bench/build-images.sh builds against dpkg-query run on the root
// filesystems they were made from: the same installed packages, versions,
// architectures and source packages. It runs when the images are there
// (W, default ~/.cache/shipshape-bench) and SHIPSHAPE_INTEGRATION=1.
func TestRealDebianImages(t *testing.T) {
	if os.Getenv("SHIPSHAPE_INTEGRATION") == "" {
		t.Skip("set SHIPSHAPE_INTEGRATION=1")
	}
	w := os.Getenv("W")
	if w == "" {
		home, _ := os.UserHomeDir()
		w = filepath.Join(home, ".cache", "shipshape-bench")
	}
	if _, err := exec.LookPath("dpkg-query"); err != nil {
		t.Skip("dpkg-query not installed")
	}
	for img, rootfs := range map[string]string{"small": "rootfs-base", "large": "rootfs-large"} {
		tarPath := filepath.Join(w, "images", img+".tar")
		admin := filepath.Join(w, "build", rootfs, "var", "lib", "dpkg")
		if _, err := os.Stat(tarPath); err != nil {
			t.Logf("skipping %s: no bench image at %s", img, tarPath)
			continue
		}
		if _, err := os.Stat(admin); err != nil {
			t.Logf("skipping %s: no root filesystem at %s", img, admin)
			continue
		}
		t.Run(img, func(t *testing.T) {
			out, err := exec.Command("dpkg-query", "-W", "--admindir="+admin,
				"-f=${db:Status-Status} ${Package} ${Version} ${Architecture} ${source:Package} ${source:Version}\n").Output()
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				if f := strings.Fields(l); len(f) == 6 && f[0] == "installed" {
					want = append(want, strings.Join(f[1:], " "))
				}
			}
			code, stdout, stderr := runCLI("sbom", "docker-archive:"+tarPath, "--format", "json")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var s struct {
				Packages []struct {
					Name          string `json:"name"`
					Version       string `json:"version"`
					Arch          string `json:"arch"`
					SourceName    string `json:"source_name"`
					SourceVersion string `json:"source_version"`
					Type          string `json:"type"`
				} `json:"packages"`
				Errors []any `json:"errors"`
			}
			if err := json.Unmarshal([]byte(stdout), &s); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range s.Packages {
				if p.Type != "deb" {
					continue // language packages have no dpkg-query counterpart
				}
				got = append(got, strings.Join([]string{p.Name, p.Version, p.Arch, p.SourceName, p.SourceVersion}, " "))
			}
			sort.Strings(got)
			sort.Strings(want)
			if len(want) == 0 || !reflect.DeepEqual(got, want) || len(s.Errors) != 0 {
				t.Errorf("%d packages, dpkg-query %d, errors %v", len(got), len(want), s.Errors)
			}
		})
	}
}
