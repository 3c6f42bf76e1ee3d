package source_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-dev/shipshape/source"
)

func TestParseRef(t *testing.T) {
	dir := t.TempDir()
	layoutDir := filepath.Join(dir, "layout")
	colonDir := filepath.Join(dir, "we:ird") // a directory whose name holds a colon
	archive := filepath.Join(dir, "image.tar")
	for _, d := range []string{layoutDir, colonDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(archive, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		in   string
		want source.Ref
		err  error
	}{
		{"registry:ghcr.io/org/app:1.2", source.Ref{Scheme: "registry", Path: "ghcr.io/org/app:1.2"}, nil},
		{"registry:localhost:5000/app@sha256:" + hex64, source.Ref{Scheme: "registry", Path: "localhost:5000/app@sha256:" + hex64}, nil},
		{"docker-archive:" + archive, source.Ref{Scheme: "docker-archive", Path: archive}, nil},
		{"dir:" + dir, source.Ref{Scheme: "dir", Path: dir}, nil},
		{"oci-layout:" + layoutDir, source.Ref{Scheme: "oci-layout", Path: layoutDir}, nil},
		{"oci-layout:" + layoutDir + ":app", source.Ref{Scheme: "oci-layout", Path: layoutDir, Selector: "app"}, nil},
		{"oci-layout:" + layoutDir + ":app:1.0", source.Ref{Scheme: "oci-layout", Path: layoutDir, Selector: "app:1.0"}, nil},
		{"oci-layout:" + layoutDir + "@sha256:" + hex64, source.Ref{Scheme: "oci-layout", Path: layoutDir, Selector: "sha256:" + hex64}, nil},
		{"oci-layout:" + colonDir, source.Ref{Scheme: "oci-layout", Path: colonDir}, nil},
		{"oci-layout:" + colonDir + ":v1", source.Ref{Scheme: "oci-layout", Path: colonDir, Selector: "v1"}, nil},
		// An archive's path is a file: a directory prefix is not taken.
		{"oci-archive:" + archive + ":app:1.0", source.Ref{Scheme: "oci-archive", Path: archive, Selector: "app:1.0"}, nil},
		{"oci-archive:" + archive, source.Ref{Scheme: "oci-archive", Path: archive}, nil},
		// Nothing exists: the whole string is the path, and Open says so.
		{"oci-layout:/no/such:tag", source.Ref{Scheme: "oci-layout", Path: "/no/such:tag"}, nil},
		{"ghcr.io/org/app:1.2", source.Ref{}, source.ErrNoScheme},
		{"./image.tar", source.Ref{}, source.ErrNoScheme},
		{"registry:", source.Ref{}, source.ErrNoScheme},
		{"ftp:thing", source.Ref{}, source.ErrUnknownScheme},
	} {
		got, err := source.ParseRef(tt.in)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("ParseRef(%q) = %+v, %v; want %+v, %v", tt.in, got, err, tt.want, tt.err)
			continue
		}
		if err == nil {
			// String gives back what parses to the same reference.
			if again, err := source.ParseRef(got.String()); err != nil || again != got {
				t.Errorf("ParseRef(%q.String() = %q) = %+v, %v", tt.in, got.String(), again, err)
			}
		}
	}
}

const hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"registry:a/b:c", "oci-layout:x:y:z", "oci-archive:a@sha256:" + hex64, ":", "dir:", "a:b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := source.ParseRef(s)
		if err != nil {
			return
		}
		if r.Scheme == "" || r.Path == "" {
			t.Fatalf("ParseRef(%q) = %+v without error", s, r)
		}
	})
}
