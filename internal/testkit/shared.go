package testkit

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// SharedDir returns the shared data folder (../shared beside the checkout):
// $SHIPSHAPE_SHARED when set, else the "shared" directory next to the
// directory that holds go.work. It skips the test when the folder is absent.
func SharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("SHIPSHAPE_SHARED"); d != "" {
		if _, err := os.Stat(d); err != nil {
			t.Fatalf("SHIPSHAPE_SHARED=%s: %v", d, err)
		}
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(shared); err != nil {
				t.Skipf("shared test data not found at %s; set SHIPSHAPE_SHARED", shared)
			}
			return shared
		}
		if filepath.Dir(dir) == dir {
			t.Skip("shared test data not found: no go.work above the working directory; set SHIPSHAPE_SHARED")
		}
	}
}

// NoUserCacheDir unsets what os.UserCacheDir reads and points os.TempDir
// at a fresh directory, which it returns; it skips the test where the
// user cache directory does not come from $HOME.
func NoUserCacheDir(t testing.TB) string {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "darwin" {
		t.Skip("the user cache directory does not come from $XDG_CACHE_HOME or $HOME here")
	}
	tmp := t.TempDir()
	t.Setenv("HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("TMPDIR", tmp)
	if d, err := os.UserCacheDir(); err == nil {
		t.Skipf("a user cache directory without $HOME: %s", d)
	}
	return tmp
}
