package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/shipshape-dev/shipshape/examples/demo"
	"github.com/shipshape-dev/shipshape/source"
)

// TestDeterministicAndCurrent checks that two builds are byte-identical
// and that the committed archive holds the layers a build produces now
// (compared by diffID, which does not depend on the gzip implementation).
func TestDeterministicAndCurrent(t *testing.T) {
	a, err := Build("../src")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build("../src")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two builds differ")
	}
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.tar")
	if err := os.WriteFile(fresh, a, 0o644); err != nil {
		t.Fatal(err)
	}
	committed, err := demo.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{demo.TagDebian, demo.TagAlpine} {
		if got, want := diffIDs(t, committed, tag), diffIDs(t, fresh, tag); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: committed demo.oci.tar is stale; run go run ./examples/demo/gen", tag)
		}
	}
}

func diffIDs(t *testing.T, path, tag string) []string {
	t.Helper()
	tg, err := source.Open(context.Background(), "oci-archive:"+path+":"+tag)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	cf, err := tg.Image.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range cf.RootFS.DiffIDs {
		out = append(out, d.String())
	}
	return out
}
