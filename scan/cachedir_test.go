package scan

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/testkit"
)

// TestLoadDBWithoutHome: with neither $HOME nor $XDG_CACHE_HOME, LoadDB
// builds raw input into a private directory under os.TempDir().
func TestLoadDBWithoutHome(t *testing.T) {
	tmp := testkit.NoUserCacheDir(t)
	base := filepath.Join(tmp, "shipshape-"+strconv.Itoa(os.Getuid()))
	dir, err := DefaultCacheDir()
	if err != nil || dir != filepath.Join(base, "db") {
		t.Fatalf("DefaultCacheDir() = %q, %v; want %s", dir, err, filepath.Join(base, "db"))
	}
	raw := t.TempDir()
	os.WriteFile(filepath.Join(raw, "a.json"), mustRead(t, "testdata/osv/GO-TEST-0001.json"), 0o644)
	for range 2 { // built, then reused
		db, err := LoadDB(context.Background(), raw)
		if err != nil {
			t.Fatal(err)
		}
		if db.Info().Advisories != 1 {
			t.Errorf("info = %+v", db.Info())
		}
		db.Close()
	}
	if stores, _ := filepath.Glob(filepath.Join(base, "db", "*.db")); len(stores) != 1 {
		t.Errorf("stores in %s: %v", base, stores)
	}
	fi, err := os.Lstat(base)
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Errorf("%s: %v, %v; want a directory of mode 0700", base, fi.Mode(), err)
	}
}

// TestDefaultCacheDirRefusesOthersDir: what stands at the fallback's
// place is used only when it is the user's own directory; one left open
// to others is closed first.
func TestDefaultCacheDirRefusesOthersDir(t *testing.T) {
	tmp := testkit.NoUserCacheDir(t)
	base := filepath.Join(tmp, "shipshape-"+strconv.Itoa(os.Getuid()))

	// A symbolic link (to a directory someone else chose) is refused.
	if err := os.Symlink(t.TempDir(), base); err != nil {
		t.Fatal(err)
	}
	if _, err := DefaultCacheDir(); !errors.Is(err, ErrDB) {
		t.Errorf("symlink: %v, want ErrDB", err)
	}
	raw := t.TempDir()
	os.WriteFile(filepath.Join(raw, "a.json"), mustRead(t, "testdata/osv/GO-TEST-0001.json"), 0o644)
	if _, err := LoadDB(context.Background(), raw); !errors.Is(err, ErrDB) {
		t.Errorf("LoadDB through a symlink: %v, want ErrDB", err)
	}
	os.Remove(base)

	// The user's own directory, world-writable: closed, then used.
	if err := os.Mkdir(base, 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chmod(base, 0o777)
	if _, err := DefaultCacheDir(); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(base); fi.Mode().Perm() != 0o700 {
		t.Errorf("mode %v, want 0700", fi.Mode().Perm())
	}

	// Another user's directory is refused (needs root to make one).
	if os.Getuid() != 0 {
		return
	}
	if err := os.Chown(base, 4242, 4242); err != nil {
		t.Skip(err)
	}
	if _, err := DefaultCacheDir(); !errors.Is(err, ErrDB) {
		t.Errorf("a directory of uid 4242: %v, want ErrDB", err)
	}
}
