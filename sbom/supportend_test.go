package sbom

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// TestSupportEnd reads SUPPORT_END from real os-release files into
// Distro.SupportEnd (and leaves it empty where the file has none), and
// keeps it through the CycloneDX form.
func TestSupportEnd(t *testing.T) {
	for _, tt := range []struct {
		file, id, version, end string
	}{
		{"fedora-40", "fedora", "40", "2025-05-13"},
		{"amzn-2023", "amzn", "2023", "2028-03-15"},
		{"debian-13", "debian", "13", ""},
	} {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "os-release", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			s, err := FromFS(context.Background(), fstest.MapFS{"usr/lib/os-release": {Data: b}})
			if err != nil {
				t.Fatal(err)
			}
			d := s.Distro
			if d == nil || d.ID != tt.id || d.VersionID != tt.version || d.SupportEnd != tt.end {
				t.Fatalf("distro = %+v, want %s %s support_end %q", d, tt.id, tt.version, tt.end)
			}
			bom, err := ToCycloneDX(s)
			if err != nil {
				t.Fatal(err)
			}
			back, err := FromCycloneDX(bom)
			if err != nil {
				t.Fatal(err)
			}
			if back.Distro == nil || back.Distro.SupportEnd != tt.end {
				t.Errorf("through CycloneDX: %+v", back.Distro)
			}
		})
	}
}
