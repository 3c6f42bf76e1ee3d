package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestStorePaths: paths with characters that mean something in a URI
// (Jenkins workspaces have %2F, CI job directories #1).
func TestStorePaths(t *testing.T) {
	for _, dirName := range []string{"ci#1", "a?b", "100%41", "with space", "feature%2Fbranch"} {
		t.Run(dirName, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), dirName)
			dst := filepath.Join(dir, "osv.db")
			if _, err := BuildDB(context.Background(), dst, []string{"testdata/osv"}, WithBuildTime(fixedNow)); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(filepath.Dir(dir))
			if err != nil || len(entries) != 1 || entries[0].Name() != dirName {
				t.Errorf("files beside the store's directory: %v %v", entries, err)
			}
			db, err := OpenDB(context.Background(), dst)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if db.Info().Advisories == 0 {
				t.Error("empty store")
			}
		})
	}
}

// TestRecordCacheBounded: a long-lived DB does not keep every record (or
// every miss) it was asked for.
func TestRecordCacheBounded(t *testing.T) {
	db := testDB(t)
	for i := range 5 * recordCacheSize {
		if _, err := db.advisory(context.Background(), fmt.Sprintf("CVE-2099-%d", i)); err != errNoAdvisory {
			t.Fatal(err)
		}
	}
	if n := db.cache.len(); n > 2*recordCacheSize {
		t.Errorf("cache holds %d entries, bound is %d", n, 2*recordCacheSize)
	}
	// Records still decode after eviction.
	if v, err := db.advisory(context.Background(), "GO-TEST-0001"); err != nil || v.ID != "GO-TEST-0001" {
		t.Errorf("after eviction: %v %v", v, err)
	}
}

func TestBuildProgress(t *testing.T) {
	var steps []BuildProgress
	_, err := BuildDB(context.Background(), filepath.Join(t.TempDir(), "s.db"), []string{"testdata/osv"},
		WithBuildProgress(func(p BuildProgress) { steps = append(steps, p) }))
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) < 3 || steps[0].Step != "reading" || steps[0].InputsTotal != 1 || steps[len(steps)-1].Step != "done" || steps[len(steps)-1].Records == 0 {
		t.Errorf("steps %+v", steps)
	}
}
