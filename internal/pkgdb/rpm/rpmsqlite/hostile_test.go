package rpmsqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/pkgdb/rpm"
)

// The schema is the image's: a Packages view could compute rows without
// end from a file of a few KiB.
func TestPackagesViewRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rpmdb.sqlite")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 300000) SELECT zeroblob(1024) AS blob FROM c`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := Blobs(context.Background(), data)
	if !errors.Is(err, rpm.ErrDatabase) || len(blobs) != 0 {
		t.Errorf("%d blobs, err %v", len(blobs), err)
	}
}
